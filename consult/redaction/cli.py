"""`consult redaction backfill`: let the machine redact the answers stored before redaction was kept, or that
no job has reached (it reads each answer once; answers already read are skipped)."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup


@click.group(cls=AppGroup)
def redaction() -> None:
    """Redact personal data in answers."""


@redaction.command("backfill")
@click.option("--survey", "slug", help="Only this survey (its slug); every survey if left out.")
def backfill(slug: str | None) -> None:
    """Redact every free-text answer the machine has not read yet, and store what it finds."""
    from sqlalchemy import select

    from consult.extensions import db
    from consult.redaction.services import redact_new_answers
    from consult.surveys.models import Survey

    query = select(Survey).order_by(Survey.id)
    surveys = list(db.session.scalars(query.where(Survey.slug == slug) if slug else query))
    if slug and not surveys:
        click.echo(f"No survey called {slug!r}.", err=True)
        sys.exit(1)
    for survey in surveys:
        with click.progressbar(length=1000, label=f"Redacting {survey.slug}", file=sys.stderr) as bar:
            def progress(fraction: float, _message: str) -> None:
                bar.update(int(fraction * 1000) - bar.pos)

            read, found = redact_new_answers(survey.id, progress)
            bar.update(1000 - bar.pos)
        click.echo(f"{survey.slug}: {read:,} answers redacted, {found:,} pieces of personal data found.")
