"""gunicorn workers that answer a request gunicorn itself refuses (a malformed request line or header, a web
address or headers over gunicorn's limits) with the app's own error page and headers instead of gunicorn's bare
HTML: `consult serve` runs them.

What gunicorn cannot hand over: a worker killed for taking too long (`--timeout`) closes the connection without
any answer, and an error inside the app is already the app's own 500 page. Anything this module does not
recognise is left to gunicorn's own handling.
"""
from __future__ import annotations

from flask import Flask
from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker
from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker
from werkzeug.http import HTTP_STATUS_CODES

# gunicorn's refusals of what the client sent, by the status gunicorn answers them with.
STATUS = [(http_errors.LimitRequestLine, 414), (http_errors.LimitRequestHeaders, 431),
          (http_errors.ExpectationFailed, 417), (http_errors.UnsupportedTransferCoding, 501),
          (http_errors.ForbiddenProxyRequest, 403)]
BAD_REQUEST = (http_errors.InvalidRequestLine, http_errors.InvalidRequestMethod, http_errors.InvalidHTTPVersion,
               http_errors.InvalidHeader, http_errors.InvalidHeaderName, http_errors.ObsoleteFolding,
               http_errors.InvalidProxyLine, http_errors.InvalidProxyHeader, http_errors.InvalidSchemeHeaders,
               http_errors.InvalidChunkSize, http_errors.ChunkMissingTerminator, http_errors.InvalidChunkExtension,
               http_errors.InvalidH2CPreface)
APP_FAULTS = (http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName)


def status_for(exc: BaseException) -> int | None:
    """The status gunicorn refuses this request with, or None when it is not a fault in the request."""
    if isinstance(exc, APP_FAULTS):
        return None
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return status
    return 400 if isinstance(exc, BAD_REQUEST) else None


def error_page(app: Flask, status: int) -> bytes:
    """A whole HTTP/1.1 response: the app's error page for `status`, with every header the app adds."""
    from consult.errors import render_error

    with app.test_request_context("/"):
        response = app.process_response(app.make_response(render_error(status)))
    body = response.get_data()
    response.headers["Content-Length"] = str(len(body))
    response.headers["Connection"] = "close"
    head = [f"HTTP/1.1 {status} {HTTP_STATUS_CODES.get(status, 'Error')}"]
    head += [f"{name}: {value}" for name, value in response.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class AppErrorPages:
    """Mixed into a gunicorn worker: refusals of a bad request get the app's page (see the module's notes)."""

    def handle_error(self, req, client, addr, exc):
        status = status_for(exc)
        if status is None or not isinstance(self.wsgi, Flask):
            return super().handle_error(req, client, addr, exc)
        try:
            page = error_page(self.wsgi, status)
        except Exception:  # never worse than gunicorn's own answer
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            client.sendall(page)
        except OSError:
            self.log.debug("Failed to send error message.")


class SyncWorker(AppErrorPages, GunicornSyncWorker):
    """gunicorn's sync worker (`consult serve`'s default) with the app's error pages."""


class ThreadWorker(AppErrorPages, GunicornThreadWorker):
    """gunicorn's gthread worker with the app's error pages."""
