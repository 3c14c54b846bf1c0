"""`consult principles draft`: build a draft from the command line, with a progress bar."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup


@click.group(cls=AppGroup)
def principles() -> None:
    """Draft commissioning principles from the coded evidence."""


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


@principles.command("draft")
@click.option("--survey", "slug", required=True, help="The survey's slug, e.g. keep-it-local.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the PDF.")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path), help="Also write the web page here.")
def draft(slug: str, out: Path, html: Path | None) -> None:
    """Build the next numbered draft from the current coding and write its PDF (and HTML)."""
    from consult.jobs.services import JobError
    from consult.principles.services import build_version
    from consult.surveys.services import get_survey

    survey = get_survey(slug)
    if survey is None:
        raise click.ClickException(f"No survey called {slug!r}.")
    with click.progressbar(length=100, label="Drafting", show_percent=True, file=sys.stderr) as bar:
        def progress(fraction: float, message: str) -> None:
            bar.label = message
            bar.update(int(fraction * 100) - bar.pos)

        try:
            version = build_version(survey, progress)
        except JobError as error:
            raise click.ClickException(str(error)) from error
        bar.update(100 - bar.pos)
    _write_atomic(out, version.pdf)
    if html:
        _write_atomic(html, version.html.encode("utf-8"))
    click.echo(f"Version {version.number} from {version.respondents:,} responses: {out}" + (f" and {html}" if html else ""))
