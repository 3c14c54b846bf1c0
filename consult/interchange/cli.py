"""`consult responses ...`: import evidence from files and export responses with their codes."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from consult.responses.models import CHANNELS


@click.group(cls=AppGroup)
def responses() -> None:
    """Import and export responses."""


def _survey(slug: str):
    from consult.surveys.services import get_survey

    survey = get_survey(slug)
    if survey is None:
        raise click.ClickException(f"No survey called {slug!r}.")
    return survey


@responses.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--channel", type=click.Choice(CHANNELS), required=True, help="How these responses arrived.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=QUESTION_KEY",
              help="Match a column to a question (repeatable); COLUMN= leaves a column out.")
@click.option("--key-column", default=None, help="The column holding each row's own id (default: id or reference).")
@click.option("--received-column", default=None,
              help="The column saying when each answer was received, e.g. 2026-03-31 or 31/03/2026 "
                   "(default: one named received, date received, received_at or submitted_at).")
@click.option("--dry-run", is_flag=True, help="Check the file and report, importing nothing.")
@with_appcontext
def import_command(path: str, slug: str, channel: str, maps: tuple[str, ...], key_column: str | None,
                   received_column: str | None, dry_run: bool) -> None:
    """Import responses from a CSV, XLSX or JSONL file: every row or none, never the same row twice."""
    from consult.interchange.forms import parse_mapping
    from consult.interchange.importing import ImportFileError, plan_import, run_import

    survey = _survey(slug)
    try:
        plan = plan_import(survey, Path(path).read_bytes(), path, channel,
                           overrides=parse_mapping("\n".join(maps)), key_column=key_column,
                           received_column=received_column)
    except (ImportFileError, ValueError) as error:
        raise click.ClickException(f"{path} cannot be imported: {error}") from error
    for column, target in plan.mapping.items():
        click.echo(f"  {column} -> {target}")
    if plan.received_column:
        click.echo(f"  {plan.received_column} -> when received")
    for column in plan.unmapped:
        click.echo(f"  {column} (not imported)")
    if plan.errors:
        click.echo(f"{path} has {len(plan.errors)} problems; nothing was imported:", err=True)
        for error in plan.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"Dry run: {plan.counts()}. Nothing was imported.")
        return
    run_import(plan)
    click.echo(f"Imported {Path(path).name} into {slug} ({channel}): {plan.counts()}.")


@responses.command("export")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "jsonl", "qdpx"]), required=True)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write (replaced only once the export is complete).")
@with_appcontext
def export_command(slug: str, fmt: str, out_path: str) -> None:
    """Export every response with its codes as CSV, XLSX, JSONL or a REFI-QDA project (.qdpx)."""
    from consult.interchange.exporting import export

    survey = _survey(slug)
    target = Path(out_path).resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            count = export(survey, fmt, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    click.echo(f"Wrote {count:,} responses to {target} ({fmt}).")
