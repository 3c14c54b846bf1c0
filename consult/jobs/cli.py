"""`consult jobs worker`: the RQ worker for background jobs (when REDIS_URL is set)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup


@click.group(cls=AppGroup)
def jobs() -> None:
    """Background jobs."""


@jobs.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run jobs from Redis (set REDIS_URL); without Redis, jobs run inside the web server."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    import gc

    from redis import Redis
    from rq import Queue, Worker

    from consult.jobs.services import QUEUE, preload_for_jobs

    preload_for_jobs()
    # Each job runs in a work horse forked from this process: what was loaded so far is shared with it, and frozen
    # out of the cyclic garbage collector's sight, a collection in the horse neither walks nor copies it.
    gc.freeze()
    connection = Redis.from_url(url)
    # with_scheduler: jobs that gather new responses first (`submit(gather=...)`) are queued when due.
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst, with_scheduler=True)
