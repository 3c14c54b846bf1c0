"""Overload (issue 14): beyond what a server process can start within a few seconds, a request is answered at
once with 503, Retry-After and a page that keeps what the respondent sent, instead of queuing without bound."""
from __future__ import annotations

import io
import threading
from urllib.parse import urlencode

import pytest

from consult.overload import RETRY_MARK, AdmissionGate


def environ(path="/s/keep-it-local/page/3", method="POST", body=b"", content_type="application/x-www-form-urlencoded"):
    return {"PATH_INFO": path, "REQUEST_METHOD": method, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}


class Held:
    """A WSGI app whose requests wait until released, counting how many it has started."""

    def __init__(self):
        self.release = threading.Event()
        self.started = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.started += 1
        self.release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]


def page(_environ):
    return f"<main>Busy {RETRY_MARK}</main>", {"try_again": "Try again", "go_back": "Go back & press again"}


def call(gate, env):
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(gate(env, start_response)).decode()
    return answer


def background(gate, count):
    threads = [threading.Thread(target=call, args=(gate, environ(method="GET"))) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def wait_for(condition):
    for _ in range(1000):
        if condition():
            return
        threading.Event().wait(0.005)
    pytest.fail("the gate never reached the state")


def test_requests_beyond_the_queue_are_refused_at_once_with_what_was_sent():
    held = Held()
    gate = AdmissionGate(held, concurrency=1, max_wait=60, max_queue=2, page=page)
    threads = background(gate, 3)  # one at work, two waiting
    wait_for(lambda: held.started == 1 and gate.waiting == 2)
    sent = urlencode({"csrf_token": "tok", "story": 'Buses <b>"late"</b> & slow', "action": "continue"}).encode()
    refused = call(gate, environ(body=sent))  # returns while the others are still held
    assert refused["status"] == "503 Service Unavailable"
    assert refused["headers"]["Retry-After"] == "2" and refused["headers"]["Cache-Control"] == "no-store"
    body = refused["body"]
    assert '<form method="post" action="/s/keep-it-local/page/3" novalidate>' in body
    assert '<input type="hidden" name="story" value="Buses &lt;b&gt;&#34;late&#34;&lt;/b&gt; &amp; slow">' in body
    assert '<input type="hidden" name="csrf_token" value="tok">' in body and ">Try again</button>" in body
    assert held.started == 1 and gate.refused == 1
    held.release.set()
    for thread in threads:
        thread.join()
    assert held.started == 3 and gate.active == 0 and gate.waiting == 0  # the queued ones were all served


def test_a_request_that_would_wait_too_long_is_refused_even_with_room_in_the_queue():
    held = Held()
    gate = AdmissionGate(held, concurrency=1, max_wait=1.0, max_queue=50, page=page)
    gate.seconds_per_request = 0.6  # one waiting (0.6 s) is fine; a second would wait 1.2 s
    threads = background(gate, 2)
    wait_for(lambda: held.started == 1 and gate.waiting == 1)
    refused = call(gate, environ(method="GET", path="/s/keep-it-local"))
    assert refused["status"].startswith("503") and '<a class="kil-button" href="/s/keep-it-local">Try again</a>' in refused["body"]
    held.release.set()
    for thread in threads:
        thread.join()


def test_uploads_are_not_echoed_and_health_checks_are_never_held():
    held = Held()
    gate = AdmissionGate(held, concurrency=1, max_wait=60, max_queue=0, page=page)
    threads = background(gate, 1)
    wait_for(lambda: held.started == 1)
    upload = call(gate, environ(body=b"--x\r\n", content_type="multipart/form-data; boundary=x"))
    assert upload["status"].startswith("503") and "Go back &amp; press again" in upload["body"]
    assert "<form" not in upload["body"]
    held.release.set()
    assert call(gate, environ(method="GET", path="/healthz"))["status"] == "200 OK"
    for thread in threads:
        thread.join()


def test_the_app_answers_busy_with_its_own_page(app, client, kil_definition):
    from consult.surveys.services import load_definition

    load_definition(kil_definition, open_survey=True)
    gate = app.wsgi_app
    assert isinstance(gate, AdmissionGate) and gate.concurrency == app.config["OVERLOAD_CONCURRENCY"]
    assert client.get("/s/keep-it-local/").status_code == 200
    gate.active, gate.seconds_per_request = gate.concurrency, 60.0  # every place taken, by slow requests
    try:
        busy = client.post("/s/keep-it-local/page/1", data={"respondent_type": "charity"})
    finally:
        gate.active = 0
    html = busy.get_data(as_text=True)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    assert "Sorry, the service is busy" in html and "The answers you have saved so far are kept" in html
    assert '<input type="hidden" name="respondent_type" value="charity">' in html and "Try again" in html
    assert "<html" in html and 'lang="en"' in html  # the site's own page, not a bare message


def test_serve_runs_threaded_workers_with_room_to_refuse(monkeypatch, runner):
    calls = []
    monkeypatch.setattr("os.execv", lambda path, args: calls.append(args))
    result = runner.invoke(args=["serve", "--port", "5099"])
    assert result.exit_code == 0, result.output
    args = calls[0]
    assert args[args.index("--worker-class") + 1] == "consult.serving.ThreadWorker"  # gthread, with the app's error pages
    from config import Config

    threads = int(args[args.index("--threads") + 1])
    assert threads > Config.OVERLOAD_CONCURRENCY + Config.OVERLOAD_MAX_QUEUE
    assert args[args.index("--bind") + 1] == "127.0.0.1:5099"


def test_the_busy_page_is_in_the_language_the_respondent_chose(app, client, kil_definition):
    from consult.surveys.services import load_definition

    load_definition(kil_definition, open_survey=True)
    assert client.get("/s/keep-it-local/?lang=cy").status_code == 200  # remembered in the session
    gate = app.wsgi_app
    gate.active, gate.seconds_per_request = gate.concurrency, 60.0
    try:
        html = client.get("/s/keep-it-local/page/1").get_data(as_text=True)
    finally:
        gate.active = 0
    assert "Mae’n ddrwg gennym, mae’r gwasanaeth yn brysur" in html and 'lang="cy"' in html
    assert ">Rhoi cynnig arall arni</a>" in html


def test_a_refused_sign_in_never_writes_the_password_into_the_page_and_typed_braces_stay_as_typed():
    held = Held()
    gate = AdmissionGate(held, concurrency=1, max_wait=60, max_queue=0, page=page)
    threads = background(gate, 1)
    wait_for(lambda: held.started == 1)
    sign_in = call(gate, environ(path="/login", body=urlencode({"email": "a@example.org",
                                                                "password": "s3cret-pass"}).encode()))
    assert sign_in["status"].startswith("503") and "s3cret-pass" not in sign_in["body"]
    assert "<form" not in sign_in["body"] and "Go back &amp; press again" in sign_in["body"]
    typed = call(gate, environ(body=urlencode({"story": "I wrote {try_again} and {go_back}"}).encode()))
    assert 'value="I wrote {try_again} and {go_back}"' in typed["body"]
    held.release.set()
    for thread in threads:
        thread.join()
