"""More than one machine (issue 18): two `consult serve` instances, started as separate processes on separate
ports that share nothing but PostgreSQL and Redis, and one `consult jobs worker`, behave as one site.

Each process gets its own empty instance directory (CONSULT_INSTANCE) and the same SECRET_KEY from the
environment, as machines behind a load balancer would. The shared database is a fresh PostgreSQL database beside
the suite's (`<name>_multi`, from TEST_DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test);
Redis is TEST_REDIS_URL (default redis://127.0.0.1:6379/7), emptied before and after. The module is skipped, with
the reason, only when that PostgreSQL or Redis does not answer.
"""
from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import create_engine, text

from tests.factories import PASSWORD, survey_definition
from tests.scratch import scratch_postgres

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
SLUG = "multi"
LOGIN_LIMIT = 12  # login posts a minute from one address, counted over both instances
PAGES = [
    {"questions": [{"key": "capacity", "kind": "single_choice", "title": "How are you responding?", "required": True,
                    "role": "capacity", "choices": [{"value": "individual", "label": "As an individual"},
                                                    {"value": "organisation", "label": "For an organisation"}]}]},
    {"questions": [{"key": "story", "kind": "long_text", "title": "Tell us more", "max_chars": 500}]},
    {"questions": [{"key": "publish", "kind": "consent", "purpose": "publication", "required": True,
                    "title": "May we publish your response?",
                    "choices": [{"value": "anonymous", "label": "Yes, anonymously"},
                                {"value": "not_published", "label": "No"}]}]},
    {"questions": [{"key": "contact", "kind": "consent", "purpose": "contact", "title": "May we contact you?",
                    "required": True, "choices": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}]},
]
ANSWERS = {"capacity": "individual", "story": "Two servers, one answer.", "publish": "anonymous", "contact": "no"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="module")
def shared_database():
    with scratch_postgres("multi") as url:
        yield url


@pytest.fixture(scope="module")
def redis():
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def _prepare(url: str) -> None:
    """Migrate the shared database, open a short survey, and add two staff accounts (done once, from here)."""
    from flask_migrate import upgrade

    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.extensions import db
    from consult.surveys.services import load_definition

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        load_definition(survey_definition(SLUG, pages=PAGES), open_survey=True)
        for role in ("admin", "researcher"):
            create_user(f"{role}@example.org", role.capitalize(), PASSWORD, Role(role))
        create_user("locked@example.org", "Lockable", PASSWORD, Role.RESEARCHER)
        create_user("reset@example.org", "Forgetful", PASSWORD, Role.RESEARCHER)
        db.session.remove()
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """The processes of one site: instances `a` and `b` (their ports), and the jobs worker."""

    def __init__(self, url: str, workdir: Path):
        self.url, self.workdir = url, workdir
        self.secret_key = secrets.token_urlsafe(32)
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}

    def environment(self, name: str) -> dict[str, str]:
        instance = self.workdir / f"instance-{name}"
        instance.mkdir()
        env = {key: value for key, value in os.environ.items()
               if key not in ("JOBS_MODE", "IMPORT_UPLOAD_DIR", "EXPORT_DIR", "SMTP_URL", "MAIL_FROM",
                              "RATELIMIT_STORAGE_URI", "TEST_DATABASE_URL")}
        return {**env, "DATABASE_URL": self.url, "REDIS_URL": REDIS_URL, "SECRET_KEY": self.secret_key,
                "CONSULT_INSTANCE": str(instance), "RATELIMIT_ENABLED": "1",
                "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute", "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
                # on a busy CI machine a request may wait: this test is about sharing, not turning work away
                "OVERLOAD_MAX_WAIT_SECONDS": "30"}

    def instance_dir(self, name: str) -> Path:
        return self.workdir / f"instance-{name}"

    def _start(self, name: str, *arguments: str) -> None:
        consult = Path(sys.executable).with_name("consult")
        command = [str(consult)] if consult.exists() else [sys.executable, "-c", "from consult.cli import main; main()"]
        log = open(self.workdir / f"{name}.log", "wb")
        self.processes[name] = subprocess.Popen(command + list(arguments), cwd=self.workdir, env=self.environment(name),
                                                stdout=log, stderr=subprocess.STDOUT)

    def serve(self, *names: str) -> None:
        for name in names:
            self.ports[name] = _free_port()
            self._start(name, "serve", "--port", str(self.ports[name]), "--workers", "1")
        deadline = time.monotonic() + 45
        for name in names:
            while True:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"instance {name} stopped:\n{self.log(name)}")
                try:
                    if request(self.ports[name], "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"instance {name} did not answer /healthz:\n{self.log(name)}")
                time.sleep(0.2)

    def start_worker(self) -> None:
        self._start("worker", "jobs", "worker")

    def log(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def request(port: int, method: str, path: str, data=None, cookies: dict[str, str] | None = None,
            files: dict[str, tuple[str, bytes]] | None = None):
    """(status, headers, body) of one request to the instance on `port`, as a browser sends it (`files`: field ->
    (filename, content), sent as multipart/form-data)."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    body = None
    if files:
        boundary = secrets.token_hex(16)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in (data or {}).items()]
        parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                  f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n"
                  for k, (name, content) in files.items()]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif data is not None:
        body = urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


class Browser:
    """One person's browser: its cookies, sent to whichever instance the proxy in front chooses (here, the
    instances in turn, or the one named)."""

    def __init__(self, site: Site, *names: str):
        self.site, self.names, self.turn = site, names or ("a", "b"), 0
        self.cookies: dict[str, str] = {}
        self.served: dict[str, int] = {}

    def __call__(self, method: str, path: str, data=None, on: str | None = None, files=None):
        if on is None:
            on = self.names[self.turn % len(self.names)]
            self.turn += 1
        self.served[on] = self.served.get(on, 0) + 1
        status, headers, body = request(self.site.ports[on], method, path, data, self.cookies, files)
        self.headers = headers
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "01 jan 1970" not in header.lower():
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return status, headers.get("Location"), body

    def csrf(self, path: str, on: str | None = None) -> str:
        status, _, body = self("GET", path, on=on)
        assert status == 200, (path, status, body[:300])
        return CSRF.search(body).group(1)

    def sign_in(self, email: str, password: str = PASSWORD, on: str | None = None):
        return self("POST", "/login", {"csrf_token": self.csrf("/login", on=on), "email": email,
                                       "password": password}, on=on)


class FormFields(HTMLParser):
    """The fields a browser sends from the form with this id: hidden inputs, and each select's chosen option."""

    def __init__(self, html: str, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.fields: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif self.inside and tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""
        elif self.inside and tag == "select":
            self.select = a.get("name")
            self.fields[self.select] = ""
        elif self.inside and tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def site(shared_database, redis, tmp_path_factory):
    from rq.suspension import suspend

    _prepare(shared_database)
    running = Site(shared_database, tmp_path_factory.mktemp("multi"))
    suspend(redis)  # the worker starts beside the instances, but takes no job until a test resumes it
    try:
        running.start_worker()
        running.serve("a", "b")
        yield running
    finally:
        running.stop()


@pytest.fixture
def fresh_limits(site, redis):
    """Each test starts with no requests counted (the counts live in Redis, shared by the instances)."""
    for key in redis.scan_iter("LIMITS*"):
        redis.delete(key)


def stored(site: Site, sql: str, **params):
    engine = create_engine(site.url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).all()
    finally:
        engine.dispose()


def test_each_instance_runs_from_the_shared_secret_and_keeps_nothing_on_its_disk(site):
    for name in ("a", "b"):
        assert not (site.instance_dir(name) / "secret_key").exists()
    browser = Browser(site)
    browser("GET", f"/s/{SLUG}/")  # a session cookie from a, read by b
    status, _, body = browser("GET", f"/s/{SLUG}/")
    assert status == 200 and "Start now" in body


def test_a_respondent_whose_pages_alternate_between_instances_sends_exactly_one_response(site, fresh_limits):
    browser = Browser(site)
    status, location, body = browser("POST", f"/s/{SLUG}/start",
                                     {"csrf_token": browser.csrf(f"/s/{SLUG}/"), "website": ""})
    assert status == 302, body[:500]
    pages = 0
    while "/check" not in location:
        status, _, body = browser("GET", path_of(location))
        assert status == 200, (location, body[:500])
        fields = {key: value for key, value in ANSWERS.items() if f'name="{key}"' in body}
        assert fields, f"no question this test knows on {location}"
        status, location, body = browser("POST", path_of(location),
                                         {"csrf_token": CSRF.search(body).group(1), **fields, "action": "continue"})
        assert status == 302, (location, body[:1000])
        pages += 1
    assert pages == len(PAGES)
    status, _, body = browser("GET", path_of(location))
    assert status == 200 and "Two servers, one answer." in body
    send = {"csrf_token": CSRF.search(body).group(1), "submission_token": SUBMISSION.search(body).group(1),
            "website": ""}
    status, location, _ = browser("POST", f"/s/{SLUG}/submit", send, on="a")
    assert status == 303 and "/confirmation/" in location
    reference = location.rsplit("/", 1)[1]
    # The same click arriving again, at the other instance: the same response, not a second one.
    status, again, _ = browser("POST", f"/s/{SLUG}/submit", send, on="b")
    assert status == 303 and again.rsplit("/", 1)[1] == reference
    status, _, body = browser("GET", path_of(location))
    assert status == 200 and reference in body
    assert browser.served["a"] >= 5 and browser.served["b"] >= 5
    rows = stored(site, "SELECT r.reference FROM response r JOIN survey s ON s.id = r.survey_id WHERE s.slug = :slug",
                  slug=SLUG)
    assert [row.reference for row in rows] == [reference]
    assert stored(site, "SELECT count(*) AS n FROM response_draft")[0].n == 0


def test_sign_in_lockout_counts_over_both_instances_even_when_raced(site, fresh_limits):
    """Ten wrong passwords at once, half to each instance: five are counted (four told the password is wrong, the
    fifth that the account is now locked), the other five find it locked, and then so does the right password."""
    replies: list[str] = []

    def attempt(number: int) -> None:
        browser = Browser(site)
        status, _, body = browser.sign_in("locked@example.org", "not the password", on="ab"[number % 2])
        replies.append("checked" if "Enter a correct email address and password" in body else
                       "locked" if "Too many failed attempts" in body else f"{status}")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(replies) == ["checked"] * 4 + ["locked"] * 6
    status, location, body = Browser(site).sign_in("locked@example.org", on="b")  # the right password, too late
    assert status != 302 and "Too many failed attempts" in body, location


def test_the_sign_in_limit_counts_over_both_instances(site, fresh_limits):
    browser = Browser(site)
    posts = {"a": 0, "b": 0}
    for number in range(LOGIN_LIMIT):  # a, b, a, b, ...: each instance sees half the limit
        on = "ab"[number % 2]
        posts[on] += 1
        status, _, _ = browser.sign_in("nobody@example.org", "wrong", on=on)
        assert status != 429, f"post {number + 1} refused"
    assert posts == {"a": LOGIN_LIMIT // 2, "b": LOGIN_LIMIT // 2}
    for name in ("a", "b"):
        status, _, _ = browser.sign_in("nobody@example.org", "wrong", on=name)
        assert status == 429, f"post {LOGIN_LIMIT + 1} (on instance {name}) answered {status}"


def test_a_staff_session_started_on_one_instance_works_on_the_other(site, fresh_limits):
    browser = Browser(site)
    status, location, _ = browser.sign_in("researcher@example.org", on="a")
    assert status == 302, location
    status, _, body = browser("GET", "/workspace/", on="b")
    assert status == 200 and "Sign in" not in body


def test_signing_out_on_one_instance_ends_the_session_on_every_instance(site, fresh_limits):
    browser = Browser(site)
    assert browser.sign_in("admin@example.org", on="a")[0] == 302
    copied = dict(browser.cookies)  # say, a cookie taken from this browser earlier
    status, location, _ = browser("POST", "/logout", {"csrf_token": browser.csrf("/workspace/", on="b")}, on="a")
    assert status == 302 and location.endswith("/login")
    thief = Browser(site)
    thief.cookies = copied
    for name in ("a", "b"):
        status, location, _ = thief("GET", "/workspace/", on=name)
        assert status == 302 and "/login" in location, (name, status, location)


def test_a_password_reset_on_one_instance_ends_sessions_started_on_the_other(site, fresh_limits):
    researcher, admin = Browser(site), Browser(site)
    assert researcher.sign_in("reset@example.org", on="a")[0] == 302
    assert researcher("GET", "/workspace/", on="a")[0] == 200
    assert admin.sign_in("admin@example.org", on="b")[0] == 302
    user_id = stored(site, "SELECT id FROM user_account WHERE email = 'reset@example.org'")[0].id
    page = f"/admin/users/{user_id}"
    status, location, body = admin("POST", page, {"csrf_token": admin.csrf(page, on="b"), "role": "researcher",
                                                  "active": "y", "password": "a new long password"}, on="b")
    assert status == 302, body[:1000]
    status, location, _ = researcher("GET", "/workspace/", on="a")
    assert status == 302 and "/login" in location
    assert researcher.sign_in("reset@example.org", "a new long password", on="a")[0] == 302


def test_a_job_enqueued_on_one_instance_runs_on_the_worker(site, redis, fresh_limits):
    from rq import Queue
    from rq.suspension import resume

    browser = Browser(site)
    assert browser.sign_in("researcher@example.org", on="a")[0] == 302
    page = f"/workspace/{SLUG}/export"
    status, location, body = browser("POST", page, {"csrf_token": browser.csrf(page, on="a"), "format": "jsonl"},
                                     on="a")
    assert status == 302 and "/workspace/jobs/" in location, body[:500]
    job = int(location.rstrip("/").rsplit("/", 1)[1])
    # Not run inside instance a: it waits in Redis until the worker (started elsewhere, and paused) takes it.
    time.sleep(1.0)
    assert Queue("consult", connection=redis).count >= 1
    status, _, body = browser("GET", f"/workspace/jobs/{job}.json", on="b")
    assert status == 200 and '"state":"queued"' in body.replace(" ", "")
    assert site.processes["worker"].poll() is None, site.log("worker")
    resume(redis)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, _, body = browser("GET", f"/workspace/jobs/{job}.json", on="b")
        if '"done":true' in body.replace(" ", ""):
            break
        time.sleep(0.3)
    assert '"state":"finished"' in body.replace(" ", ""), f"{body}\nworker log:\n{site.log('worker')}"
    # Jobs the respondents' submits queued on either instance (campaign signatures) ran there too.
    left = stored(site, "SELECT kind, state FROM job WHERE state <> 'finished'")
    deadline = time.monotonic() + 15
    while left and time.monotonic() < deadline:
        time.sleep(0.3)
        left = stored(site, "SELECT kind, state FROM job WHERE state <> 'finished'")
    assert left == []
    # The file the worker wrote is downloaded from the other instance.
    status, _, body = browser("GET", f"/workspace/{SLUG}/export/download/{job}", on="b")
    assert status == 200, body[:300]
    assert "attachment" in browser.headers["Content-Disposition"]
    for name in ("a", "b", "worker"):
        assert [p for p in site.instance_dir(name).rglob("*") if p.is_file()] == []


def test_a_file_uploaded_to_one_instance_is_imported_from_the_other(site, fresh_limits):
    browser = Browser(site)
    assert browser.sign_in("researcher@example.org", on="a")[0] == 302
    page = f"/workspace/{SLUG}/import"
    upload = b"capacity,story,publish,contact\r\nindividual,Sent by post to the town hall.,anonymous,no\r\n"
    status, _, body = browser("POST", page, {"csrf_token": browser.csrf(page, on="a"), "channel": "paper"},
                              files={"upload": ("letters.csv", upload)}, on="a")
    assert status == 200 and "letters.csv" in body, body[:1000]
    confirm = FormFields(body, "matching").fields
    assert confirm.get("stored")
    status, location, body = browser("POST", page, {**confirm, "action": "import"}, on="b")
    assert status == 302 and "imported=paper" in location, body[:1000]
    assert stored(site, "SELECT count(*) AS n FROM response WHERE channel = 'paper'")[0].n == 1
    for name in ("a", "b"):
        assert [p for p in site.instance_dir(name).rglob("*") if p.is_file()] == []
