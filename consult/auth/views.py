"""Sign in and out, manage staff accounts, and read the audit log."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from consult.auth import services
from consult.auth.forms import EditUserForm, LoginForm, NewUserForm
from consult.auth.models import Role, User
from consult.auth.roles import require
from consult.extensions import db, limiter, login_manager
from consult.numbers import arg_int
from consult.timeutil import utcnow

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The account of a session ("<user id>.<generation>"), unless its sessions were ended since it began."""
    user_id, _, generation = session_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None  # a session from before generations existed
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active and user.session_generation == int(generation) else None


def expire_idle_sessions() -> None:
    """Staff sessions end after STAFF_IDLE_MINUTES without a request, and STAFF_SESSION_HOURS in all."""
    if "_user_id" not in session:  # nobody signed in (respondents): no need to load the user to know it
        return
    if not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    started, seen = session.get("login_at", 0), session.get("seen_at", 0)
    if (now - seen > current_app.config["STAFF_IDLE_MINUTES"] * 60
            or now - started > current_app.config["STAFF_SESSION_HOURS"] * 3600):
        logout_user()
        session.pop("login_at", None)
        flash("You were signed out because your session expired. Sign in again.", "info")
        return
    session["seen_at"] = now


def _safe_next(target: str | None) -> str:
    """`target` if it is a path on this site once read as a browser reads a URL, else the workspace.

    Browsers drop tabs and line breaks anywhere in a URL, trim spaces and control characters from its ends and
    read a backslash as a slash, so "/<tab>/evil.example" and "/<backslash>evil.example" lead to another site.
    """
    if target:
        cleaned = re.sub(r"[\t\r\n]", "", target).strip("".join(map(chr, range(33)))).replace("\\", "/")
        parts = urlsplit(cleaned)
        if (cleaned.startswith("/") and not cleaned.startswith("//") and not parts.scheme and not parts.netloc
                and not re.search(r"[\x00-\x1f\x7f]", cleaned)):
            return cleaned
    return url_for("surveys.workspace")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user, problem = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            session["login_at"] = session["seen_at"] = utcnow().timestamp()
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors = [problem]
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out here and everywhere else: every session of the account ends (a copied cookie stops working)."""
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/admin/users", methods=["GET", "POST"])
@require(Role.ADMIN)
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            services.create_user(form.email.data, form.name.data, form.password.data, Role(form.role.data), by=current_user)
        except services.AccountError as error:
            form.email.errors = [str(error)]
        else:
            flash(f"Account created for {form.email.data}. Give them their temporary password in person.", "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/users.html", users=services.list_users(), form=form), 400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require(Role.ADMIN)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors = ["You cannot remove your own admin access"]
        else:
            yourself = user.id == current_user.id
            services.update_user(user, role=Role(form.role.data), active=form.active.data,
                                 password=form.password.data or None, by=current_user)
            if yourself:  # your other sessions end; this one carries on
                login_user(user)
            flash(f"Saved changes to {user.email}.", "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/edit_user.html", user=user, form=form), 400 if form.errors else 200


@bp.get("/admin/audit")
@require(Role.ADMIN)
def audit():
    page = arg_int("page", 1)
    action = request.args.get("action") or None
    events, more = services.audit_page(page, action=action)
    return render_template("auth/audit.html", events=events, page=page, more=more, action=action)


def format_detail(detail: dict) -> str:
    return "; ".join(f"{key}: {value}" for key, value in (detail or {}).items())


bp.add_app_template_filter(format_detail)
