"""`consult responses ...`: import evidence from files and export responses with their codes."""
from __future__ import annotations

import click
from flask.cli import AppGroup


@click.group(cls=AppGroup)
def responses() -> None:
    """Import and export responses."""
