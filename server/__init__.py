"""onOffice mail link: link e-mails in Outlook and Thunderbird to onOffice records."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask

from .config import ConfigError, Settings, load_settings, read_environment

MAX_BODY_BYTES = 64 * 1024

log = logging.getLogger(__name__)


def instance_path() -> str:
    """Flask's instance folder: ``instance/`` beside a checkout, ``<prefix>/var/…`` when installed."""
    return Flask(__name__, instance_relative_config=True).instance_path


def preflight(env: Mapping[str, str] | None = None) -> Settings:
    """Check configuration, package data and database once, before any worker starts; raises
    ConfigError.

    Demo mode upgrades its own database here; otherwise the database must already be migrated
    (``onoffice-mail-link db upgrade``), so workers never race to create tables.
    """
    from .addin import assets
    from .store import SchemaError, schema
    from .store.db import engine_for

    settings = load_settings(read_environment() if env is None else env, instance_path())
    served, detail = assets.summary(settings.public_url)
    if not served:  # a wheel built without its package data: say so before the first click
        raise ConfigError(f"{detail}: {assets.REINSTALL}")
    try:
        engine = engine_for(settings.database_url)
        try:
            (schema.upgrade if settings.demo else schema.check)(engine)
        finally:
            engine.dispose()  # no connection may cross gunicorn's fork
    except SchemaError as exc:
        raise ConfigError(str(exc)) from None
    return settings


def create_app(test_config: Mapping[str, str] | None = None) -> Flask:
    """Application factory. ``test_config`` replaces the environment (keys = variable names)."""
    app = Flask(__name__, instance_relative_config=True)  # serves server/static/ at /static
    env = dict(test_config) if test_config is not None else read_environment()
    settings: Settings = load_settings(env, app.instance_path)
    app.config.update(PUBLIC_URL=settings.public_url, MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
                      SETTINGS=settings, ENV_VARS=env)

    from . import cli, errors
    from .addin import init_app as init_addin
    from .api import bp as api_bp
    from .api.auth_routes import bp as auth_bp
    from .api.headers import init_app as init_headers
    from .api.openapi import bp as openapi_bp
    from .api.site import bp as site_bp
    from .services import build_services
    from .store import SchemaError

    try:
        app.extensions["onoffice_mail_link"] = build_services(settings, app.instance_path, env)
    except SchemaError as exc:
        raise ConfigError(str(exc)) from None
    errors.register_error_handlers(app)
    _drain_in_background(app)
    init_headers(app)
    app.register_blueprint(site_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(auth_bp)
    init_addin(app)
    cli.init_app(app)
    return app


def _drain_in_background(app: Flask) -> None:
    """Every web process drains the outbox: started on its first request, so after any fork."""
    drainer = app.extensions["onoffice_mail_link"].drainer

    @app.before_request
    def _start_drainer() -> None:
        if not drainer.running:
            drainer.start_once()


__all__ = ["ConfigError", "create_app", "preflight"]
