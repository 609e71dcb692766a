"""onOffice mail link: link e-mails in Outlook and Thunderbird to onOffice records."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from .config import ConfigError, Settings, load_settings, read_environment

ROOT = Path(__file__).resolve().parent.parent
MAX_BODY_BYTES = 64 * 1024

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, str] | None = None) -> Flask:
    """Application factory. ``test_config`` replaces the environment (keys = variable names)."""
    app = Flask(__name__, instance_relative_config=True,
                static_folder=str(ROOT / "static"), static_url_path="/static")
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

    app.extensions["onoffice_mail_link"] = build_services(settings, app.instance_path, env)
    errors.register_error_handlers(app)
    init_headers(app)
    app.register_blueprint(site_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(auth_bp)
    init_addin(app)
    cli.init_app(app)
    return app


__all__ = ["ConfigError", "create_app"]
