"""What a respondent was told is kept stays kept when the server is killed outright (kill -9) the moment after:
a sent response, a page saved with Continue, and answers saved for later with a resume code. The server runs
as deployed (`consult serve`, gunicorn workers) on the suite's database, and is killed with SIGKILL, so
nothing in the app gets a chance to write anything afterwards."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from consult.surveys.services import load_definition
from consult.timeutil import utcnow
from tests.consult.test_respondent_journey import ORGANISATION

ROOT = Path(__file__).resolve().parents[2]
URL = "/s/keep-it-local"
SECRET_KEY = "crash-test-secret-key"


class Browser:
    """One respondent: cookies kept, the session's CSRF token sent with every form."""

    def __init__(self, port: int):
        self.port, self.cookies, self.csrf = port, {}, None

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode({**data, "csrf_token": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        html = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location") or "", html

    def begin(self) -> None:
        _status, _location, html = self.request("GET", f"{URL}/")
        self.csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        status, location, _html = self.request("POST", f"{URL}/start", {"website": ""})
        assert status == 302 and location.endswith(f"{URL}/page/1")

    def answer(self, number: int, action: str = "continue") -> str:
        status, location, html = self.request("POST", f"{URL}/page/{number}", {**ORGANISATION[number],
                                                                              "action": action})
        assert status in (302, 303), (number, status, html[:500])
        return location


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app, kil_definition, tmp_path):
    """`consult serve` on the suite's database, holding an open Keep it Local; killed with SIGKILL."""
    now = utcnow()
    load_definition(dict(kil_definition, opens=(now - timedelta(days=1)).isoformat() + "Z",
                         closes=(now + timedelta(days=30)).isoformat() + "Z"), open_survey=True)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": SECRET_KEY,
           "RATELIMIT_ENABLED": "0", "CONSULT_INSTANCE": str(tmp_path / "instance"), "SMTP_URL": "",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        [sys.executable, "-c", "from consult.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                os.killpg(process.pid, signal.SIGKILL)
                pytest.fail("consult serve did not start")
            time.sleep(0.2)

    def kill() -> None:
        os.killpg(process.pid, signal.SIGKILL)  # gunicorn's master and its workers, all at once
        process.wait(timeout=30)

    yield port, kill
    if process.poll() is None:
        kill()


def test_what_respondents_were_told_is_kept_survives_kill_9(app, server):
    port, kill = server
    sent = Browser(port)
    sent.begin()
    for number in sorted(ORGANISATION):
        sent.answer(number)
    _status, _location, html = sent.request("GET", f"{URL}/check")
    token = re.search(r'name="submission_token" type="hidden" value="([^"]+)"', html).group(1)
    status, location, _html = sent.request("POST", f"{URL}/submit", {"submission_token": token, "website": ""})
    assert status == 303 and "/confirmation/" in location
    reference = location.rsplit("/", 1)[1]

    continued = Browser(port)  # pages saved with Continue, the last one just before the kill
    continued.begin()
    for number in (1, 2, 3):
        continued.answer(number)
    saved = Browser(port)  # saved for later: given a resume code
    saved.begin()
    saved.answer(1)
    assert saved.answer(2, action="save").endswith(f"{URL}/save")

    kill()

    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as connection:
            answers = connection.execute(text(
                "SELECT count(*) FROM answer JOIN response ON response.id = answer.response_id "
                "WHERE response.reference = :reference"), {"reference": reference}).scalar()
            drafts = [row.answers for row in connection.execute(text(
                "SELECT answers, resume_hash FROM response_draft ORDER BY id"))]
            resume_hashes = connection.execute(text(
                "SELECT count(*) FROM response_draft WHERE resume_hash IS NOT NULL")).scalar()
    finally:
        engine.dispose()
    assert answers >= len(ORGANISATION)
    decoded = [a if isinstance(a, dict) else __import__("json").loads(a) for a in drafts]
    assert [sorted(d) for d in decoded] == [
        ["capacity", "organisation_name", "respondent_type"], ["capacity", "respondent_type"]]
    assert decoded[0]["organisation_name"]["text"] == "Hilltop Trust"
    assert resume_hashes == 1
