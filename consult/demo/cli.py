"""`consult demo`: fill a fresh database with clearly labelled demonstration data, ready to draft from."""
from __future__ import annotations

import sys
import time

import click
from flask.cli import with_appcontext


@click.command("demo")
@click.option("--survey", "slug", default="keep-it-local", show_default=True, help="The survey's slug.")
@click.option("--responses", "count", type=click.IntRange(1, 200_000), default=500, show_default=True,
              help="How many demonstration responses to add.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same answers.")
@click.option("--double-code", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Share of each principle's 'why' answers coded by both demo coders (0 for none).")
@click.option("--replace", is_flag=True, help="Delete earlier demonstration responses and demo coders first.")
@with_appcontext
def demo(slug: str, count: int, seed: int, double_code: float, replace: bool) -> None:
    """Add N demonstration responses (references DEMO-…), a codebook, codes and a double-coded sample.

    Refuses if the survey has real responses. Everything it adds is marked as demonstration data.
    """
    from consult.demo.services import DemoError, generate

    started = time.perf_counter()
    with click.progressbar(length=count, label="Demonstration responses", file=sys.stderr) as bar:
        try:
            summary = generate(slug, count, seed=seed, double_code=double_code, replace=replace, progress=bar.update)
        except DemoError as error:
            raise click.ClickException(str(error)) from error
    if summary.removed:
        click.echo(f"Deleted {summary.removed:,} earlier demonstration responses and the demo coders' codes.")
    click.echo(f"Added {summary.responses:,} DEMONSTRATION responses to {summary.survey} "
               f"in {time.perf_counter() - started:.1f} s: {summary.themes} themes, {summary.codes:,} codes, "
               f"{summary.sampled:,} answers double-coded ({summary.adjudicated} disagreements adjudicated).")
    if summary.admin_password:
        click.echo("Demo admin account (for this demonstration only; do not use it for real data):\n"
                   f"  email: demo-admin@example.org\n  password: {summary.admin_password}")
    else:
        click.echo("The demo admin account demo-admin@example.org already exists; its password is unchanged.")
    click.echo(f"Next: sign in and open /workspace/{summary.survey}/principles/ to build a draft.")
