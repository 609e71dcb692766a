"""Entry point for gunicorn: a configuration error ends the process with one line."""

from __future__ import annotations

import logging
import sys

from . import ConfigError, create_app

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
# Alembic logs every plugin it loads at INFO when imported; start-up reports the schema itself.
logging.getLogger("alembic").setLevel(logging.WARNING)

try:
    app = create_app()
except ConfigError as exc:
    print(f"configuration error: {exc}", file=sys.stderr, flush=True)
    sys.exit(3)
