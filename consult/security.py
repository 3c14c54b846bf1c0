"""Security headers on every response: a strict Content-Security-Policy and friends.

Every page is served from this origin only: no third-party scripts, styles, fonts or images.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, g, request, session
from itsdangerous import BadData, URLSafeTimedSerializer

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    present = {name.lower() for name, _value in response.headers.items()}
    response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
    if request.endpoint != "static":
        # Answers, receipts, drafts, exports and job status are personal: never keep any page or file the app
        # makes in a shared or back-button cache (send_file's own "no-cache" is replaced too). CSS, JavaScript and
        # fonts may be cached.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(_hsts)


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


# A respondent's form token (Flask-WTF's session token, signed) is signed once per process and reused on each of
# their pages, rather than signed again on every page and form (measured: ~3% of a journey request's CPU).
SIGNED_TOKENS_KEY = "consult.signed_csrf_tokens"
SIGNED_TOKENS_LIMIT = 10_000


def _csrf_names() -> tuple[str, str] | None:
    """(session key, secret) of Flask-WTF's tokens; None when a signed token expires (WTF_CSRF_TIME_LIMIT), so
    that one signed earlier must not be handed out again."""
    config = current_app.config
    if config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return None
    return config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key


def reuse_signed_csrf_token() -> None:
    """Before a view: the session's token as signed on an earlier request, where Flask-WTF looks for it (`g`).
    Only for views that never replace the session's token (the respondent's pages; signing in does)."""
    names = _csrf_names()
    if names is None or names[0] in g:
        return
    signed = current_app.extensions.get(SIGNED_TOKENS_KEY, {}).get(session.get(names[0]))
    if signed is not None:
        setattr(g, names[0], signed)


def keep_signed_csrf_token(response: Response) -> Response:
    """After a view: keep the token Flask-WTF signed for this session's token, once checked to be its own."""
    names = _csrf_names()
    if names is None:
        return response
    raw, signed = session.get(names[0]), g.get(names[0])
    kept = current_app.extensions.setdefault(SIGNED_TOKENS_KEY, {})
    if isinstance(raw, str) and isinstance(signed, str) and raw not in kept:
        try:
            own = URLSafeTimedSerializer(names[1], salt="wtf-csrf-token").loads(signed) == raw
        except BadData:
            own = False
        if own:
            if len(kept) >= SIGNED_TOKENS_LIMIT:
                kept.clear()
            kept[raw] = signed
    return response
