"""The `consult` command: Flask's CLI with the app's own commands (Flask-Migrate supplies `db`)."""
from __future__ import annotations

import os
import shutil
import sys

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from consult import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False,
             help="Keep it Local Consult: run and manage consultations.\n\n"
                  "Quick start: `consult db upgrade`, `consult surveys load surveys/keep-it-local.yaml --open`, "
                  "`consult serve`. The database is instance/consult.sqlite3 unless DATABASE_URL is set.")
def main() -> None:
    pass


def register(app: Flask) -> None:
    """Attach the app's commands to `app.cli` (so `consult --help` and the test runner see them)."""
    from consult.auth.cli import users
    from consult.demo.cli import demo
    from consult.interchange.cli import responses
    from consult.jobs.cli import jobs
    from consult.principles.cli import principles
    from consult.redaction.cli import redaction
    from consult.workspace.cli import themes

    for command in (surveys, drafts, retention, serve, users, responses, jobs, principles, redaction, demo, themes):
        app.cli.add_command(command)
    # Beside Flask-Migrate's `db upgrade` and friends (its group is the one `consult db` runs).
    migrations = app.cli.commands.get("db")
    if isinstance(migrations, click.Group):
        migrations.add_command(db_backup)
        migrations.add_command(db_restore)


@click.group(cls=AppGroup)
def surveys() -> None:
    """Load survey definitions and open or close surveys."""


@surveys.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--open", "open_survey", is_flag=True, help="Open the survey to respondents once loaded.")
@with_appcontext
def surveys_load(path: str, open_survey: bool) -> None:
    """Load a survey definition file (YAML or JSON) as a new version.

    Loading unchanged content again does nothing; earlier versions and their responses are kept.
    """
    from consult.surveys.services import DefinitionError, load_file

    try:
        result = load_file(path, open_survey=open_survey)
    except DefinitionError as error:
        click.echo(f"{path} cannot be loaded:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    verb = "Loaded" if result.created else "Unchanged:"
    click.echo(f"{verb} {result.survey.slug} version {result.version.number} "
               f"({len(result.version.questions)} questions), state {result.survey.state}")


@surveys.command("list")
@with_appcontext
def surveys_list() -> None:
    """List surveys with their state, version, dates and response counts."""
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.responses.models import Response
    from consult.surveys.services import list_surveys

    counts = dict(db.session.execute(select(Response.survey_id, func.count()).group_by(Response.survey_id)).all())
    found = list_surveys()
    if not found:
        click.echo("No surveys yet: load one with `consult surveys load PATH`.")
    for survey in found:
        click.echo(f"{survey.slug}\t{survey.status()}\tv{survey.current_version.number}\t"
                   f"{survey.opens_at:%Y-%m-%d} to {survey.closes_at:%Y-%m-%d}\t"
                   f"{counts.get(survey.id, 0)} responses\t{survey.title}")


def _change_state(slug: str, target: str) -> None:
    from consult.surveys.models import InvalidTransition, SurveyState
    from consult.surveys.services import change_state, get_survey

    survey = get_survey(slug)
    if survey is None:
        raise click.ClickException(f"No survey called {slug!r}.")
    try:
        change_state(survey, SurveyState(target))
    except InvalidTransition as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{slug} is now {survey.state}")


@surveys.command("open")
@click.argument("slug")
@with_appcontext
def surveys_open(slug: str) -> None:
    """Open a survey to respondents (between its opening and closing dates)."""
    _change_state(slug, "open")


@surveys.command("close")
@click.argument("slug")
@with_appcontext
def surveys_close(slug: str) -> None:
    """Close a survey now: it accepts no answers, drafts included. Its organised campaigns are then found
    once, in the background, so the first draft after closing need not look for them."""
    _change_state(slug, "closed")
    click.echo("Its organised campaigns are being found in the background, ready for the next draft.")


@click.group(cls=AppGroup)
def drafts() -> None:
    """Unfinished responses."""


@drafts.command("purge")
@with_appcontext
def drafts_purge() -> None:
    """Delete drafts that have expired (DRAFT_TTL_DAYS after their last save)."""
    from consult.responses.services import purge_expired_drafts

    click.echo(f"Deleted {purge_expired_drafts()} expired drafts.")


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The backup file to write (replaced only once the new backup is complete).")
@with_appcontext
def db_backup(out: str) -> None:
    """Back up the whole database to a file while the site runs: PostgreSQL with pg_dump (custom format),
    SQLite with its online backup API. Restore it with `consult db restore FILE`."""
    from flask import current_app

    from consult.backup import BackupError, backup, describe

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        size = backup(url, out)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the {describe(url)} to {out} ({size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database's contents.")
@with_appcontext
def db_restore(path: str, yes: bool) -> None:
    """Replace everything in the database with a backup made by `consult db backup` (all or nothing).
    Stop the web servers and the worker first; afterwards run `consult db upgrade` if the backup is from an
    earlier release."""
    from flask import current_app

    from consult.backup import BackupError, describe, restore
    from consult.extensions import db

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not yes:
        click.confirm(f"Replace everything in the {describe(url)} with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no connection of ours keeps a table open while it is replaced
    try:
        restore(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the {describe(url)} from {path}. If the backup is from an earlier release, "
               "run `consult db upgrade` now.")


@click.group(cls=AppGroup)
def retention() -> None:
    """Keeping personal data only as long as each survey's privacy notice says."""


@retention.command("apply")
@with_appcontext
def retention_apply() -> None:
    """Delete what each survey's retention settings say is due: contact emails of closed surveys, responses
    past their period after closing, expired drafts and expired upload and export files. (Each server also
    does this when it starts and then daily.)"""
    from consult.workspace.retention import apply_retention

    click.echo(str(apply_retention()))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--threads", default=None, type=int,
              help="threads per worker (default: OVERLOAD_CONCURRENCY + OVERLOAD_MAX_QUEUE + 8, so that a request "
                   "beyond what the server can take is answered at once with 503 instead of queuing)")
@click.option("--backlog", default=256, show_default=True, type=int, help="connections waiting to be accepted")
def serve(host: str, port: int, workers: int, threads: int | None, backlog: int) -> None:
    """Serve the app with gunicorn (production-ready; use `consult run` for the debug server).

    Each worker process works on OVERLOAD_CONCURRENCY requests at once and turns away, with 503 and
    Retry-After, what it could not start within OVERLOAD_MAX_WAIT_SECONDS (consult/overload.py)."""
    from config import Config, database_url

    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if not os.environ.get("SECRET_KEY") and not database_url().startswith("sqlite"):
        click.echo("Warning: SECRET_KEY is not set, so this server signs sessions and forms with a key of its own "
                   "(instance/secret_key). Give every server that shares the database the same SECRET_KEY.", err=True)
    if gunicorn is None:
        raise click.ClickException("gunicorn is not installed")
    if threads is None:
        threads = max(Config.OVERLOAD_CONCURRENCY, 1) + Config.OVERLOAD_MAX_QUEUE + 8
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    os.execv(gunicorn, [gunicorn, "--workers", str(workers),
                        # gthread, with the app's own pages for requests gunicorn refuses
                        "--worker-class", "consult.serving.ThreadWorker", "--threads", str(threads),
                        "--backlog", str(backlog), "--bind", f"{host}:{port}",
                        "--access-logfile", "-", "--no-control-socket", "consult.wsgi:app"])


# Also on the command group itself, so `consult serve` starts gunicorn without building the app first (each
# gunicorn worker builds its own); the group's own commands are found before the app's.
main.add_command(serve)
