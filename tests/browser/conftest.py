"""Browser fixtures: the real app on a live server in a thread, and Debian's Chromium driven by Playwright.

Playwright's own browsers cannot be downloaded here, so the tests launch /usr/bin/chromium (installed by
`make browser-deps`). The synchronous API is used directly, without the pytest-playwright plugin.

The live server runs the app as in production (CSRF on, strict CSP), with rate limits off so a quick run
of many journeys is not throttled. It shares the session's migrated database with the other tests and
empties it when the browser tests finish.
"""
from __future__ import annotations

import logging
import threading
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, SURVEY_FILE

# A short survey for the no-JavaScript journey: a required choice, a text, a council picker and consent.
SHORT_SURVEY_PAGES = [
    {"section": "About you", "questions": [{"key": "capacity", "kind": "single_choice", "role": "capacity",
     "title": "How are you responding?", "required": True,
     "choices": [{"value": "individual", "label": "As an individual"},
                 {"value": "organisation", "label": "For an organisation"}]}]},
    {"questions": [{"key": "story", "kind": "long_text", "title": "Tell us more", "max_chars": 50}]},
    {"questions": [{"key": "areas", "kind": "local_authority", "title": "Which areas do you serve?", "multiple": True}]},
    {"section": "Consent", "questions": [{"key": "publish", "kind": "consent", "purpose": "publication",
     "required": True, "title": "May we publish your response?",
     "choices": [{"value": "anonymous", "label": "Yes, anonymously"}, {"value": "not_published", "label": "No"}]}]},
]


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser-deps` (or `make test`)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def live_server(database_url):
    """The base URL of the app served by werkzeug in a background thread, for one module: at its end the database
    is emptied, because other modules share it. ("package" scope would not do: tests/browser is no Python package,
    so pytest would keep the server, and the module's rows, until the session ends, under the modules that the
    same xdist worker runs next.)"""
    from werkzeug.serving import make_server

    from consult import create_app
    from consult.extensions import db
    from consult.surveys.services import load_definition, load_file
    from tests.conftest import empty_database
    from tests.factories import survey_definition

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)  # one line per request would bury a failure's output
    server = None
    try:
        with app.app_context():
            load_file(SURVEY_FILE, open_survey=True)
            load_definition(survey_definition("short-survey", pages=SHORT_SURVEY_PAGES), open_survey=True)
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        if server is not None:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
        werkzeug_log.setLevel(level)
        for job in [t for t in threading.enumerate() if t.name.startswith("job-")]:
            job.join(timeout=180)  # a job a test started (a draft's PDF, say) must not write into the next tests' rows
        with app.app_context():  # other tests share this database: leave it empty
            empty_database()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Requests:
    """Every request a page makes, to prove nothing leaves the live server's origin."""

    def __init__(self, origin: str):
        self.origin = origin
        self.urls: list[str] = []

    def record(self, request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [url for url in self.urls if "{0.scheme}://{0.netloc}".format(urlsplit(url)) != self.origin]


class PageOpener:
    """open_page(**context_options) gives a fresh page in a context of its own, recording its requests."""

    def __init__(self, browser, origin: str):
        self.browser, self.origin = browser, origin
        self.contexts: list = []
        self.recorders: list[Requests] = []

    def __call__(self, **options):
        context = self.browser.new_context(base_url=self.origin, **options)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        requests = Requests(self.origin)
        page.on("request", requests.record)
        self.recorders.append(requests)
        return page

    def requests(self) -> list[str]:
        return [url for requests in self.recorders for url in requests.urls]

    def foreign_requests(self) -> list[str]:
        return [url for requests in self.recorders for url in requests.foreign()]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def open_page(browser, live_server):
    """Pages in fresh contexts; after the test, every request they made must have gone to the live server."""
    opener = PageOpener(browser, live_server)
    yield opener
    opener.close()
    foreign = opener.foreign_requests()
    assert not foreign, f"requests left the origin {live_server}: {foreign}"
