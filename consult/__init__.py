"""Keep it Local Consult: the Flask application factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from `config.Config`, then `config` (tests pass a mapping)."""
    from config import INSTANCE, Config

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE),
    )
    app.config.from_object(Config)
    app.config["SECRET_KEY"] = Config.secret_key()
    if config:
        app.config.update(config)

    from consult import database, security
    from consult.auth import models as _auth_models  # noqa: F401  (tables known to migrations)
    from consult.campaigns import listeners as _campaign_listeners  # noqa: F401  (receivers of signals)
    from consult.campaigns import models as _campaign_models  # noqa: F401
    from consult.coding import models as _coding_models  # noqa: F401
    from consult.extensions import csrf, db, limiter, login_manager, migrate
    from consult.jobs import models as _jobs_models  # noqa: F401
    from consult.mail import models as _mail_models  # noqa: F401
    from consult.principles import listeners as _principles_listeners  # noqa: F401  (receivers of signals)
    from consult.principles import models as _principles_models  # noqa: F401
    from consult.surveys import figure_cache as _figure_cache  # noqa: F401  (watches writes to coding)
    from consult.workshops import models as _workshops_models  # noqa: F401

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)

    from consult import cli, errors, i18n, templating
    from consult.surveys.languages import offered_here
    from consult.auth import views as auth_views
    from consult.surveys.scoped import keep_slug

    i18n.init_app(app, offered_here)
    templating.init_app(app)
    errors.init_app(app)
    cli.register(app)
    app.before_request(auth_views.expire_idle_sessions)
    app.url_defaults(keep_slug)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        """"ok" while the database accepts writes; 503 "database unwritable" (or "unreachable") when not."""
        ok, state = database.recently_writable(app.config["HEALTHZ_WRITE_CHECK_SECONDS"])
        return ("ok" if ok else f"database {state}"), (200 if ok else 503), {
            "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

    return app


def blueprints():
    """Every blueprint, public and staff: each feature package's views modules."""
    from consult.auth.views import bp as auth
    from consult.coding.views import bp as coding
    from consult.interchange.views import bp as intake
    from consult.jobs.views import bp as jobs
    from consult.principles.public_views import bp as outcome
    from consult.principles.publish_views import bp as publishing
    from consult.principles.views import bp as principles
    from consult.responses.views import bp as journey
    from consult.surveys.accessibility import bp as accessibility
    from consult.surveys.views import bp as surveys
    from consult.workshops.views import bp as workshops
    from consult.workshops.views import public as invitations
    from consult.workspace.views import bp as workspace

    return [surveys, journey, accessibility, auth, workspace, intake, coding, jobs, principles, publishing, outcome,
            workshops, invitations]
