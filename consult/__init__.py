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
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):  # an unreachable Redis must not hold a request
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from consult import database, security, sessions
    from consult.auth import models as _auth_models  # noqa: F401  (tables known to migrations)
    from consult.campaigns import listeners as _campaign_listeners  # noqa: F401  (receivers of signals)
    from consult.campaigns import models as _campaign_models  # noqa: F401
    from consult.coding import listeners as _coding_listeners  # noqa: F401  (receivers of signals)
    from consult.coding import models as _coding_models  # noqa: F401
    from consult.extensions import csrf, db, limiter, login_manager, migrate
    from consult.interchange import listeners as _interchange_listeners  # noqa: F401  (receivers of signals)
    from consult.jobs import models as _jobs_models  # noqa: F401
    from consult.mail import models as _mail_models  # noqa: F401
    from consult.principles import listeners as _principles_listeners  # noqa: F401  (receivers of signals)
    from consult.principles import models as _principles_models  # noqa: F401
    from consult.redaction import listeners as _redaction_listeners  # noqa: F401  (receivers of signals)
    from consult.redaction import models as _redaction_models  # noqa: F401
    from consult.surveys import figure_cache as _figure_cache  # noqa: F401  (watches writes to coding)
    from consult.workshops import models as _workshops_models  # noqa: F401
    from consult.workspace import listeners as _workspace_listeners  # noqa: F401  (receivers of signals)
    from consult.workspace import models as _workspace_models  # noqa: F401
    from consult.workspace import retention as _retention  # noqa: F401  (a receiver of survey_closed; its job)

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    sessions.init_app(app)

    from consult import cli, errors, i18n, overload, templating
    from consult.auth import views as auth_views
    from consult.numbers import BoundedIntConverter
    from consult.surveys.languages import offered_here
    from consult.surveys.scoped import keep_slug

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
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

    overload.install(app)
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
