"""Settings for Keep it Local Consult, read from the environment with safe defaults.

`create_app(config)` starts from `Config`, then applies a mapping given by the caller (tests).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("CONSULT_INSTANCE", ROOT / "instance"))


def _secret_key() -> str:
    """A stable secret per installation: from SECRET_KEY, else a random one kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'consult.sqlite3'}")
    # Heroku-style URLs name the old driver; psycopg 3 is what is installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


# werkzeug's scrypt at its default cost (2**15, 8, 1). Not read from the environment: only the test suite lowers it.
PASSWORD_HASH_METHOD = "scrypt"


class Config:
    SQLALCHEMY_DATABASE_URI = database_url()
    # No "SELECT 1" before every request's first query: a file on this machine (SQLite) has no connection to lose,
    # and a database server's connections are tried only after lying idle (consult.database.PING_IDLE_SECONDS).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": False}
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # Drafts a respondent never finishes are deleted after this many days.
    DRAFT_TTL_DAYS = int(os.environ.get("DRAFT_TTL_DAYS", "30"))
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    # A respondent's cookie is signed again when it changes, and at least once a day while they answer
    # (consult/responses/views.py), not on every page.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    # Reverse proxies in front (nginx: 1) whose X-Forwarded-For and X-Forwarded-Proto are believed, so limits count
    # each visitor's address rather than the proxy's. 0: nothing forwarded is believed.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    WTF_CSRF_TIME_LIMIT = None  # a long survey page must not expire under a slow respondent
    # Per-client limits on public form posts, in Flask-Limiter's notation.
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
    RATELIMIT_PUBLIC_POST = os.environ.get("RATELIMIT_PUBLIC_POST", "120 per minute;1200 per hour")
    RATELIMIT_HEADERS_ENABLED = True
    # Counts are kept in Redis when REDIS_URL is set, shared by every process and server; without it each
    # process counts on its own (one process: `consult serve --workers 1`, or set REDIS_URL). While Redis is
    # unreachable each process counts in memory, and an error in counting never refuses a request.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")  # default: REDIS_URL, else memory://
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Background jobs: on Redis with RQ when REDIS_URL is set ("rq"), else in a thread of the web process.
    JOBS_MODE = os.environ.get("JOBS_MODE") or ("rq" if os.environ.get("REDIS_URL") else "thread")
    JOB_TIMEOUT_SECONDS = int(os.environ.get("JOB_TIMEOUT_SECONDS", "600"))
    # Jobs that keep up with new responses (redaction, campaign signatures) wait this long in a thread before
    # they start, so one job serves every response stored meanwhile instead of one job per response.
    JOBS_GATHER_SECONDS = float(os.environ.get("JOBS_GATHER_SECONDS", "2"))
    # Sentence vectors per answer for "Suggest codes" (consult/coding/vectors.py): "1" on, "0" off; unset, on
    # where the optional model is installed (pip install -e '.[embeddings]').
    ANSWER_VECTORS = {"1": True, "0": False}.get(os.environ.get("ANSWER_VECTORS", ""))
    # Codebook and agreement figures of a survey with up to this many responses are counted within the request;
    # beyond, a background job counts them while the page shows the kept ones (consult.surveys.recount).
    RECOUNT_INLINE_RESPONSES = int(os.environ.get("RECOUNT_INLINE_RESPONSES", "5000"))
    DRAFT_TIMEOUT_SECONDS = int(os.environ.get("DRAFT_TIMEOUT_SECONDS", "300"))
    # Counts below this are suppressed in every breakdown, so no one can be singled out.
    CROSSTAB_MIN_CELL = int(os.environ.get("CROSSTAB_MIN_CELL", "5"))
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour")
    # Staff sessions: signed out after this long idle, and after this long in all.
    STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
    STAFF_SESSION_HOURS = int(os.environ.get("STAFF_SESSION_HOURS", "12"))
    PASSWORD_HASH_METHOD = PASSWORD_HASH_METHOD
    MAX_CONTENT_LENGTH = 1024 * 1024
    # /healthz proves the database accepts a write at most this often per process (else it repeats the answer).
    HEALTHZ_WRITE_CHECK_SECONDS = float(os.environ.get("HEALTHZ_WRITE_CHECK_SECONDS", "5"))
    # Uploaded import files may be larger; the import view raises the limit for its own request only.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "32")) * 1024 * 1024
    # The most an import file may hold, checked before it is parsed (a small file can unpack or pad to millions
    # of cells): rows, columns, cells, and an XLSX's unpacked size.
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
    IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "500"))
    IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "5000000"))
    IMPORT_MAX_UNZIPPED_MB = float(os.environ.get("IMPORT_MAX_UNZIPPED_MB", "50"))
    # A larger upload's preview reads its first rows only, and its import (every row checked) runs as a job.
    IMPORT_INLINE_BYTES = int(os.environ.get("IMPORT_INLINE_BYTES", str(1024 * 1024)))
    # Uploads wait in the database between preview and confirmation (deleted once imported, or after a day);
    # background export files wait there to be downloaded for this many hours (and go when a response in them
    # is erased).
    EXPORT_TTL_HOURS = float(os.environ.get("EXPORT_TTL_HOURS", "24"))
    # Bigger imports and exports than these run as background jobs with a status page.
    IMPORT_INLINE_ROWS = int(os.environ.get("IMPORT_INLINE_ROWS", "1000"))
    EXPORT_INLINE_RESPONSES = int(os.environ.get("EXPORT_INLINE_RESPONSES", "5000"))

    # Overload (consult/overload.py): each server process works on at most OVERLOAD_CONCURRENCY requests at
    # once; more wait only while their expected wait is under OVERLOAD_MAX_WAIT_SECONDS (and at most
    # OVERLOAD_MAX_QUEUE of them); the rest are answered at once with 503 and Retry-After: OVERLOAD_RETRY_AFTER.
    # 0 turns the gate off. `consult serve` gives each process enough threads to refuse requests while others wait.
    # Two per process: while one request waits on the database (a round trip to PostgreSQL, SQLite's fsync or its
    # lock), the other uses the process. Measured on 2 cores loaded 9-15 by other work, 8 respondents: journeys
    # turned away with 503 per 10 s run of bench/journey_load.py, one 10-23, two 0-5, four 0 (3 runs each);
    # bench/journey_served_cpu.py (2 runs each) journey requests/s SQLite 280, 416 with one, 739, 373 with two,
    # PostgreSQL 343, 329 and 447, 278, server CPU per request no higher with two. Four did no better than two.
    OVERLOAD_CONCURRENCY = int(os.environ.get("OVERLOAD_CONCURRENCY", "2"))
    OVERLOAD_MAX_WAIT_SECONDS = float(os.environ.get("OVERLOAD_MAX_WAIT_SECONDS", "0.5"))
    OVERLOAD_MAX_QUEUE = int(os.environ.get("OVERLOAD_MAX_QUEUE", "16"))
    OVERLOAD_RETRY_AFTER = int(os.environ.get("OVERLOAD_RETRY_AFTER", "2"))

    # Email: smtp://user:password@host:587 (STARTTLS when offered; smtps:// for TLS from the start) and the
    # sender, like "Keep it Local <consultation@example.org>". Without both, nothing is sent and no page offers it.
    SMTP_URL = os.environ.get("SMTP_URL", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "")
    SMTP_TIMEOUT_SECONDS = float(os.environ.get("SMTP_TIMEOUT_SECONDS", "10"))

    # The accessibility statement (/accessibility): a survey's `accessibility` settings override these.
    ACCESSIBILITY_ORGANISATION = os.environ.get("ACCESSIBILITY_ORGANISATION", "The consultation team")
    ACCESSIBILITY_EMAIL = os.environ.get("ACCESSIBILITY_EMAIL", "")
    ACCESSIBILITY_PHONE = os.environ.get("ACCESSIBILITY_PHONE", "")
    ACCESSIBILITY_REPLY_DAYS = int(os.environ.get("ACCESSIBILITY_REPLY_DAYS", "5"))
    ACCESSIBILITY_COMPLIANCE = os.environ.get("ACCESSIBILITY_COMPLIANCE", "partial")
    ACCESSIBILITY_PREPARED_ON = os.environ.get("ACCESSIBILITY_PREPARED_ON", "")
    ACCESSIBILITY_TESTED_ON = os.environ.get("ACCESSIBILITY_TESTED_ON", "")
    ACCESSIBILITY_TESTED_BY = os.environ.get("ACCESSIBILITY_TESTED_BY", "")

    @staticmethod
    def secret_key() -> str:
        return _secret_key()
