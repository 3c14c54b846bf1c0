"""`consult themes discover`: themes proposed for a survey's free-text answers, written to a JSON file.

The same reading as the workspace's "Find themes" (the same answers, filters and comparison with the
codebook); it stores nothing and changes nothing.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup


@click.group(cls=AppGroup)
def themes() -> None:
    """Find themes in free-text answers."""


@themes.command("discover")
@click.option("--survey", "slug", required=True, help="The survey's slug, e.g. keep-it-local.")
@click.option("--question", "keys", multiple=True, required=True,
              help="A free-text question's key; repeat for several questions.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the JSON.")
@click.option("--max-themes", type=click.IntRange(3, 30), default=10, show_default=True, help="Themes to propose, at most.")
@click.option("--respondent-type", default="", help="Only respondents of this type (its value, e.g. community_organisation).")
@click.option("--capacity", default="", help="Only responses in this capacity (e.g. organisation).")
@click.option("--channel", default="", help="Only responses that came by this channel (web, email, paper...).")
def discover(slug: str, keys: tuple[str, ...], out: Path, max_themes: int, respondent_type: str, capacity: str,
             channel: str) -> None:
    """Propose themes for the answers to one or more free-text questions.

    Writes {"survey", "questions", "filters", "answers", "themes": [{"label", "description", "keywords",
    "size", "members", "weights", "examples", "overlaps": [{"theme_id", "name", "shared", "share"}]}]}:
    members and examples are answer ids, strongest first; an answer can be in several themes. Themes the
    codebook already covers, or that were accepted or dropped in the workspace, are not proposed again.
    """
    from analysis.jsonl import write_json_atomic
    from consult.surveys.services import get_survey
    from consult.workspace.discovery import DiscoveryError, find_themes, overlap_rows
    from consult.workspace.filters import Filters, survey_themes

    survey = get_survey(slug)
    if survey is None:
        raise click.ClickException(f"No survey called {slug!r}.")
    filters = Filters(respondent_type=respondent_type, capacity=capacity, channel=channel)
    try:
        answers, found = find_themes(survey, list(keys), filters, max_themes,
                                     lambda fraction, message: click.echo(message, err=True))
    except DiscoveryError as error:
        raise click.ClickException(str(error)) from None
    names = {f"theme:{t.id}": t.name for t in survey_themes(survey).values()}
    write_json_atomic(out, {
        "survey": slug, "questions": list(keys), "filters": filters.query_args(), "answers": len(answers),
        "themes": [{"label": t.label, "description": t.description, "keywords": list(t.terms), "size": t.size,
                    "members": [int(i) for i in t.answer_ids], "weights": list(t.weights),
                    "examples": [int(i) for i in t.exemplar_ids], "overlaps": overlap_rows(t, names)} for t in found]})
    click.echo(f"{len(found)} themes from {len(answers):,} answers written to {out}", err=True)
