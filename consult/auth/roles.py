"""Every staff route names the least role it needs; respondents' routes are public by design."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, redirect, request, url_for
from flask_login import current_user

from consult.auth.models import Role


def require(role: Role) -> Callable:
    """Send anyone signed out to the sign-in page, and refuse (403) anyone whose role is below `role`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role  # read by the test that walks every route
        return wrapped

    return decorator
