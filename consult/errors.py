"""Error pages that say what went wrong in plain words, for people and for the CSRF check."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from consult.i18n import N_

MESSAGES = {
    400: (N_("Sorry, there is a problem with that request"), N_("The page could not use what your browser sent. Go back and try again.")),
    403: (N_("You do not have permission to see this page"), N_("If you think you should, ask the consultation team.")),
    404: (N_("Page not found"), N_("If you typed the web address, check it is correct. If you pasted it, check you copied all of it.")),
    405: (N_("Sorry, there is a problem with that request"), N_("That page cannot be used like that.")),
    410: (N_("This page has gone"), N_("It may have expired.")),
    413: (N_("What you sent is too large"), N_("Shorten your answer and try again.")),
    429: (N_("You have sent too many requests"), N_("Wait a minute, then try again. Your answers so far have been kept.")),
    500: (N_("Sorry, there is a problem with the service"), N_("Try again later. Answers you already saved have been kept.")),
}


def render_error(code: int):
    """The error page for `code`; a status without words of its own (414, 431 ...) reads as a bad request."""
    return _render(code, *(() if code in MESSAGES or code >= 500 else (_(MESSAGES[400][0]), _(MESSAGES[400][1]))))


def _render(code: int, title: str | None = None, body: str | None = None):
    default_title, default_body = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", title=title or _(default_title),
                           body=body or _(default_body), code=code), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, _("Your session has timed out or the form was out of date"),
                       _("Go back, reload the page and try again. Answers you had saved have been kept."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500)

    @app.errorhandler(500)
    def server_error(error):
        return _render(500)
