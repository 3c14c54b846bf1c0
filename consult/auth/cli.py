"""`consult users ...`: create the first admin and manage accounts from the shell."""
from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup

from consult.auth.models import Role


@click.group(cls=AppGroup)
def users() -> None:
    """Staff accounts (admin, researcher, staff)."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Full name (defaults to the email address).")
@click.option("--password", envvar="CONSULT_PASSWORD", default=None,
              help="Password (or set CONSULT_PASSWORD); without it a strong one is made and printed once.")
def users_add(email: str, role: str, name: str, password: str | None) -> None:
    """Add a staff account, e.g. the first admin: consult users add you@example.org --role admin"""
    from consult.auth.services import AccountError, create_user

    generated = password is None
    password = password or secrets.token_urlsafe(15)
    try:
        user = create_user(email, name, password, Role(role))
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Added {user.email} as {user.role}.")
    if generated:
        click.echo(f"Temporary password (shown once): {password}")


@users.command("list")
def users_list() -> None:
    """List accounts with their role and whether they can sign in."""
    from consult.auth.services import list_users

    for user in list_users():
        click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'disabled'}\t{user.name}")
