"""Requests gunicorn refuses before the app sees them (a web address or headers over its limits, a malformed
request line or header) are answered with the app's own error page and headers, not gunicorn's bare HTML."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consult import create_app
from consult.security import CONTENT_SECURITY_POLICY
from tests.conftest import empty_database

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def exchange(port: int, raw: bytes) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(raw)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "CONSULT_INSTANCE": str(tmp_path_factory.mktemp("instance")), "REDIS_URL": "",
           "SMTP_URL": "", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                "--worker-class", "consult.serving.ThreadWorker", "--threads", "4", "--no-control-socket",
                                "consult.wsgi:app"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if exchange(port, b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
        with app.app_context():
            empty_database()  # what the server wrote as it started (its write check, a job): other modules share it


@pytest.mark.parametrize(("raw", "status"), [
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(120)) + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n", 400),
    (b"G@T / HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
    (b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n", 400),
])
def test_gunicorn_refusals_get_the_apps_error_page(server, raw, status):
    reply = exchange(server, raw)
    head, _, body = reply.partition("\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} "), head
    assert f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}" in head and "Cache-Control: no-store" in head
    assert "Sorry, there is a problem with that request" in body and 'class="kil-' in body


def test_consult_serve_runs_these_workers(monkeypatch):
    from click.testing import CliRunner

    from consult.cli import serve

    calls = []
    monkeypatch.setattr(os, "execv", lambda path, args: calls.append(args))
    assert CliRunner().invoke(serve, ["--workers", "1"]).exit_code == 0
    assert calls[0][calls[0].index("--worker-class") + 1] == "consult.serving.ThreadWorker"
