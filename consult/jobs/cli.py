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
    from redis import Redis
    from rq import Queue, Worker

    from consult.jobs.services import QUEUE

    connection = Redis.from_url(url)
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst)
