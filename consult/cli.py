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

    for command in (surveys, drafts, serve, users, responses, jobs, principles, redaction, demo):
        app.cli.add_command(command)


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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app with gunicorn (production-ready; use `consult run` for the debug server)."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        raise click.ClickException("gunicorn is not installed")
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    os.execv(gunicorn, [gunicorn, "--workers", str(workers), "--bind", f"{host}:{port}",
                        "--access-logfile", "-", "--no-control-socket", "consult.wsgi:app"])
