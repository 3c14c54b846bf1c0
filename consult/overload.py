"""Turning away work the server cannot finish in time, quickly and kindly (a WSGI middleware per process).

Each server process works on at most OVERLOAD_CONCURRENCY requests at once; others wait their turn, but only
while the wait it can expect (the requests ahead of it, times the recent time a request takes, shared out
over the places) stays under OVERLOAD_MAX_WAIT_SECONDS, and never more than OVERLOAD_MAX_QUEUE of them. Any
further request is answered at once with 503 and Retry-After, on a page that tells the respondent that what
they saved is kept and to press the button again; a form post is offered back as a button that sends exactly
what they sent (so nothing typed on that page is lost). Without this, requests queue in front of the server
without bound (issue 14: 58 s median at 4x the sustainable rate).

`consult serve` runs gunicorn with threaded workers, so a refused request has a thread to be refused on while
others wait for a place. /healthz and static files are never held up.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

from markupsafe import escape

RETRY_MARK = "@@kil-retry@@"  # replaced by the retry button or link in the pre-rendered page
MAX_ECHOED_BODY = 64 * 1024
EXEMPT = ("/healthz", "/static/", "/favicon.ico")


class AdmissionGate:
    """WSGI middleware bounding one process's work and queue; see the module docstring."""

    def __init__(self, wsgi_app: Callable, *, concurrency: int, max_wait: float, max_queue: int,
                 page: Callable[[dict[str, Any]], tuple[str, dict[str, str]]], retry_after: int = 2):
        """`page(environ)` gives the busy page (with RETRY_MARK where the retry goes) in the visitor's language,
        and that language's words for "try_again" and "go_back"."""
        self.wsgi_app = wsgi_app
        self.concurrency, self.max_wait, self.max_queue = concurrency, max_wait, max_queue
        self.page, self.retry_after = page, retry_after
        self.places = threading.Semaphore(concurrency)
        self.lock = threading.Lock()
        self.active = self.waiting = 0
        self.seconds_per_request = 0.05  # a running average of the time a request holds a place
        self.refused = 0

    def expected_wait(self) -> float:
        """How long a request arriving now would wait for a place (call holding the lock)."""
        ahead = self.active + self.waiting + 1 - self.concurrency
        return max(ahead, 0) * self.seconds_per_request / self.concurrency

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(EXEMPT):
            return self.wsgi_app(environ, start_response)
        with self.lock:
            full = self.active + self.waiting >= self.concurrency
            turned_away = full and (self.waiting >= self.max_queue or self.expected_wait() > self.max_wait)
            if turned_away:
                self.refused += 1
            else:
                self.waiting += 1
        if turned_away:
            return self.refuse(environ, start_response)
        # Admitted: it waits its turn (refusing it now would be a slow refusal); the bound is for a wedged process.
        got = self.places.acquire(timeout=max(30.0, self.max_wait * 10))
        with self.lock:
            self.waiting -= 1
            if got:
                self.active += 1
        if not got:
            with self.lock:
                self.refused += 1
            return self.refuse(environ, start_response)
        started = time.monotonic()
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            took = time.monotonic() - started
            with self.lock:
                self.active -= 1
                self.seconds_per_request += (took - self.seconds_per_request) * 0.2
            self.places.release()

    def refuse(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        html, words = self.page(environ)
        body = html.replace(RETRY_MARK, _retry(environ, words)).encode("utf-8")
        start_response("503 Service Unavailable", [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Retry-After", str(self.retry_after)), ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY")])
        return [body]


def _action(environ: dict[str, Any]) -> str:
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return path + (f"?{query}" if query else "")


def _retry(environ: dict[str, Any], words: dict[str, str]) -> str:
    """The way to try again: for a small form post, the same form (every field it sent, hidden) and its
    button; otherwise a link to the same address (or, for an upload or a form with a password, the words to go
    back: a password is never written into a page)."""
    method = environ.get("REQUEST_METHOD", "GET")
    action = escape(_action(environ))
    try_again, go_back = escape(words["try_again"]), escape(words["go_back"])
    if method == "GET":
        return f'<p class="kil-body"><a class="kil-button" href="{action}">{try_again}</a></p>'
    kind = environ.get("CONTENT_TYPE", "")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not kind.startswith("application/x-www-form-urlencoded") or not 0 <= length <= MAX_ECHOED_BODY:
        return f'<p class="kil-body">{go_back}</p>'
    body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
    sent = parse_qsl(body, keep_blank_values=True)
    if any("password" in name.lower() for name, _value in sent):
        return f'<p class="kil-body">{go_back}</p>'
    fields = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in sent)
    return (f'<form method="post" action="{action}" novalidate>{fields}'
            f'<button type="submit" class="kil-button" data-prevent-double-click="true">{try_again}</button></form>')


def install(app) -> AdmissionGate | None:
    """Wrap the app's WSGI callable in the gate, per its OVERLOAD_* settings (OVERLOAD_CONCURRENCY 0: none)."""
    concurrency = app.config["OVERLOAD_CONCURRENCY"]
    if concurrency <= 0:
        return None
    from flask import render_template
    from flask_babel import gettext as _

    from consult.i18n import DEFAULT, LANGUAGES

    pages: dict[str, tuple[str, dict[str, str]]] = {}
    lock = threading.Lock()

    def language(environ: dict[str, Any]) -> str:
        """The visitor's chosen language (`?lang=`, else their session's), as the pages they came from."""
        asked = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("lang")
        if asked in LANGUAGES:
            return asked
        try:
            remembered = app.session_interface.open_session(app, app.request_class(environ)).get("lang")
        except Exception:  # a damaged cookie: the default language
            remembered = None
        return remembered if remembered in LANGUAGES else DEFAULT

    def page(environ: dict[str, Any]) -> tuple[str, dict[str, str]]:
        chosen = language(environ)
        if chosen not in pages:  # rendered once per process and language
            with lock, app.test_request_context(f"/?lang={chosen}"):
                html = render_template("errors/busy.html", retry=RETRY_MARK, seconds=app.config["OVERLOAD_RETRY_AFTER"])
                pages[chosen] = (html, {"try_again": _("Try again"), "go_back": _(
                    "Go back to the page: what you typed is still there. Then press the button again.")})
        return pages[chosen]

    gate = AdmissionGate(app.wsgi_app, concurrency=concurrency, max_wait=app.config["OVERLOAD_MAX_WAIT_SECONDS"],
                         max_queue=app.config["OVERLOAD_MAX_QUEUE"], page=page,
                         retry_after=app.config["OVERLOAD_RETRY_AFTER"])
    app.wsgi_app = gate
    return gate
