"""Background jobs: inline in tests, a thread without Redis, RQ with Redis; progress, failure, time limit."""
from __future__ import annotations

import time

import pytest

from consult.extensions import db
from consult.jobs import services
from consult.jobs.models import Job
from consult.jobs.services import JobError, task


@task("test_count")
def count_to(job: Job, progress) -> dict:
    for n in range(job.params["to"]):
        progress(n / job.params["to"], f"Counted {n}")
    return {"summary": f"Counted to {job.params['to']}"}


@task("test_fail")
def fail(job: Job, progress) -> dict:
    if job.params.get("clear"):
        raise JobError("There are no coded answers to learn from yet")
    raise KeyError("internal detail")


@task("test_slow")
def slow(job: Job, progress) -> dict:
    for _ in range(100):
        time.sleep(0.02)
        progress(0.5, "Still going")
    return {}


def test_inline_job_finishes_with_result(app):
    job = services.submit("test_count", params={"to": 3})
    db.session.refresh(job)
    assert job.state == "finished" and job.progress == 1.0 and job.result == {"summary": "Counted to 3"}


def test_failures_are_recorded_with_a_clear_message(app):
    clear = services.submit("test_fail", params={"clear": True})
    hidden = services.submit("test_fail")
    assert clear.state == "failed" and clear.error == "There are no coded answers to learn from yet"
    assert hidden.state == "failed" and "Something went wrong (KeyError)" in hidden.error
    assert "internal detail" not in hidden.error


def test_time_limit(app):
    job = services.submit("test_slow", timeout=1)
    assert job.state == "failed" and "time limit" in job.error


def test_thread_mode_runs_off_the_request(app):
    app.config["JOBS_MODE"] = "thread"
    job_id = services.submit("test_count", params={"to": 2}).id
    for _ in range(100):
        db.session.expire_all()
        if db.session.get(Job, job_id).done:
            break
        time.sleep(0.05)
    assert db.session.get(Job, job_id).state == "finished"


@pytest.fixture
def rq_redis(app, monkeypatch, database_url):
    """The app in RQ mode on Redis database 15 (emptied before and after); skipped without Redis."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    connection.flushdb()
    import config

    monkeypatch.setattr(config.Config, "SQLALCHEMY_DATABASE_URI", database_url)  # the worker builds its own app
    app.config.update(JOBS_MODE="rq", REDIS_URL="redis://127.0.0.1:6379/15")
    yield connection
    connection.flushdb()


def test_rq_mode_with_redis(rq_redis):
    from rq import Queue, SimpleWorker

    job = services.submit("test_count", params={"to": 2})
    assert job.state == "queued"
    queue = Queue(services.QUEUE, connection=rq_redis)
    assert queue.count == 1
    SimpleWorker([queue], connection=rq_redis).work(burst=True)
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "finished"


def test_rq_mode_gathers_as_a_thread_does(rq_redis):
    """A job that gathers new responses first (`gather` seconds) waits in RQ's schedule, not its queue, so the
    submits meanwhile find it waiting and queue no other; the worker's scheduler queues it when due."""
    from rq import Queue, SimpleWorker
    from rq.registry import ScheduledJobRegistry

    job = services.submit("test_count", params={"to": 2}, gather=0.5)
    queue = Queue(services.QUEUE, connection=rq_redis)
    assert (queue.count, ScheduledJobRegistry(queue=queue).count) == (0, 1)
    assert [j.id for j in services.waiting_jobs("test_count", None)] == [job.id]
    time.sleep(0.6)
    SimpleWorker([queue], connection=rq_redis).work(burst=True, with_scheduler=True)
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "finished"


def test_status_page_and_json(client, login, app):
    login("staff")
    job = services.submit("test_count", params={"to": 2, "title": "Counting"})
    page = client.get(f"/workspace/jobs/{job.id}").get_data(as_text=True)
    assert "Counting" in page and "Counted to 2" in page
    assert client.get(f"/workspace/jobs/{job.id}.json").get_json()["state"] == "finished"


def test_stale_jobs_are_failed(app):
    from datetime import timedelta

    from consult.timeutil import utcnow

    job = Job(kind="test_count", params={"to": 1}, state="running", timeout_seconds=10,
              created_at=utcnow() - timedelta(hours=1))
    db.session.add(job)
    db.session.commit()
    assert services.expire_stale() == 1
    assert job.state == "failed" and "did not finish in time" in job.error


def test_the_worker_preloads_before_it_forks_a_work_horse_per_job(app, monkeypatch):
    """`consult jobs worker` runs the registered preloads (the machine redactor's word lists, among them) and
    freezes what it loaded out of the garbage collector's sight, before it takes its first job: each job's work
    horse is forked from it and starts with them done, where each loaded them again (0.5 s of CPU a job)."""
    import gc

    from rq import Worker

    from consult.redaction.services import warm_up

    assert warm_up in services.PRELOADS
    steps = []
    monkeypatch.setattr(services, "PRELOADS", [lambda: steps.append("preload")])
    monkeypatch.setattr(gc, "freeze", lambda: steps.append("freeze"))
    monkeypatch.setattr(Worker, "work", lambda self, burst=False, with_scheduler=False, **_: steps.append(
        f"work burst={burst} scheduler={with_scheduler}"))
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/15")
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert steps == ["preload", "freeze", "work burst=True scheduler=True"]
