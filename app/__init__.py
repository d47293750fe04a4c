"""Kompetenceportalen: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config, Settings, TestConfig, check_database, engine_options, instance_dir
from app.extensions import babel, csrf, db, login_manager, migrate

FEATURES = ("auth", "audit", "dashboard", "people", "guidelines", "cycle", "competence",
            "onboarding", "children", "appraisals", "quality", "cli")


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (tests pass TESTING and a database URL)."""
    settings = Settings()
    app = Flask(__name__, instance_path=instance_dir(settings), instance_relative_config=True)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    base = TestConfig if (config or {}).get("TESTING") else Config
    app.config.from_object(base)
    environment = base.from_environment(instance, settings)
    if base is TestConfig:
        environment.pop("SECRET_KEY")
    app.config.update(environment)
    if config:
        app.config.update(config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if not app.testing:
        check_database(app.config["SQLALCHEMY_DATABASE_URI"])

    if app.config.get("FAKE_TODAY"):
        from datetime import date, datetime

        from app import clock

        fake = app.config["FAKE_TODAY"]
        if "T" in fake:
            clock.run_from(datetime.fromisoformat(fake))
        else:
            clock.set_now(date.fromisoformat(fake))

    from app import request_start

    request_start.init_app(app)
    _init_extensions(app)
    from app.params import BoundedIntConverter

    # Before any route is added: every <int:...> is a number an id column can hold (app/params.py).
    app.url_map.converters["int"] = BoundedIntConverter
    _register_blueprints(app)

    from app import health, logmask, logs, urls, web

    logs.init_app(app)
    web.init_app(app)
    app.jinja_env.globals["external_url"] = urls.external_url
    logmask.install(app)
    health.init_app(app)

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.before_request
    def require_own_password():
        from app.auth.oidc import password_not_needed

        # Static files never load the user: the endpoint is checked first.
        if (request.endpoint not in {"auth.set_first_password", "auth.logout", "static", "healthz"}
                and current_user.is_authenticated and current_user.must_set_password
                and not password_not_needed()):
            return redirect(url_for("auth.set_first_password"))
        return None

    logging.getLogger("app").setLevel(logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    from app import cache, database  # noqa: F401 - cache registers its model and its commit hook

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, render_item=database.render_migration_item)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "da", timezone_selector=lambda: "Europe/Copenhagen")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at se siden."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None
    database.init_app(app)

    @login_manager.user_loader
    def load_user(token: str):
        from app.auth.sessions import load_user_by_session

        return load_user_by_session(token)

    @login_manager.unauthorized_handler
    def unauthorized():
        from app.auth.sessions import unauthorized_response

        return unauthorized_response()


#: The modules a feature may have besides its blueprint; each is imported once so it can register
#: routes, permission rules, dashboard panels, task sources, indicators, event handlers or demo data.
FEATURE_MODULES = ("policy", "routes", "commands", "dashboard", "tasks", "indicators", "events", "demo")


def _register_blueprints(app: Flask) -> None:
    import importlib
    import importlib.util

    for name in FEATURES:
        package = importlib.import_module(f"app.{name}")
        for module in FEATURE_MODULES:
            if importlib.util.find_spec(f"app.{name}.{module}") is not None:
                importlib.import_module(f"app.{name}.{module}")
        app.register_blueprint(package.bp)
