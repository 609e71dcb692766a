"""Manifest and add-on checks: rendered for a realistic PUBLIC_URL, served by the real app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

REPO = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://onoffice-link.makler-demo.de"


def node_tool(name: str) -> str:
    """A pinned npm dev tool; under CI a missing one fails, elsewhere it skips."""
    path = REPO / "node_modules" / ".bin" / name
    if path.exists():
        return str(path)
    message = f"{name} is not installed; run: npm ci (package.json pins it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """The real app factory in demo mode, with the add-in routes registered."""
    from server import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}", "PUBLIC_URL": PUBLIC_URL})
    if "addin" not in app.blueprints:  # until server/__init__.py calls it itself
        from server.addin import init_app

        init_app(app)
    yield app
