"""Flask's signed-cookie sessions, with each cookie's checked contents kept for the next request that sends it.

A respondent's browser sends the same session cookie on page after page (it is signed again only when the
session changes, or once a day). Checking its signature, decompressing and decoding it again on every request
was about a tenth of a question page's CPU; here the first request that sends a cookie checks it exactly as
Flask does, and later requests with the very same cookie text reuse what was found, after checking its age
against PERMANENT_SESSION_LIFETIME as itsdangerous would. Only cookies that passed the check are kept, keyed by
their whole text and by the keys that signed them, so a forged or altered cookie is always checked in full and
a change of SECRET_KEY (or its fallbacks) finds nothing kept.
"""
from __future__ import annotations

import threading
import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

KEPT_LIMIT = 4096  # cookies kept per process (then it starts again): each is well under 1 kB
_lock = threading.Lock()


class KeptSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self.kept: dict[tuple, tuple[str, int]] = {}  # (keys, cookie text) -> (session JSON, signed at)

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        val = request.cookies.get(self.get_cookie_name(app))
        if not val or not app.secret_key:
            return super().open_session(app, request)
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), val)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        found = self.kept.get(key)
        if found is not None:
            payload, signed_at = found
            if 0 <= int(time.time()) - signed_at <= max_age:  # as itsdangerous's TimestampSigner checks it
                return self.session_class(self.serializer.loads(payload))
        serializer = self.get_signing_serializer(app)
        try:
            data, signed_at = serializer.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        with _lock:
            if len(self.kept) >= KEPT_LIMIT:
                self.kept.clear()
            self.kept[key] = (self.serializer.dumps(data), int(signed_at.timestamp()))
        return self.session_class(data)


def init_app(app: Flask) -> None:
    app.session_interface = KeptSessionInterface()
