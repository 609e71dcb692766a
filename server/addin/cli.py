"""`flask manifest outlook|unified|thunderbird [-o FILE]` for admins who deploy by hand."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .assets import REINSTALL
from .render import build_xpi, render_outlook_xml, render_unified_json

manifest_cli = AppGroup("manifest", help="Write the add-in manifests for this deployment's PUBLIC_URL.")


def _public_url() -> str:
    return str(current_app.config.get("PUBLIC_URL") or "http://localhost:5000")


def _render(build: Callable[[], bytes]) -> bytes:
    try:
        return build()
    except OSError as exc:  # an install without its package data: one line, not a traceback
        raise click.ClickException(f"cannot read {exc.filename or exc}: {REINSTALL}") from None


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output} ({len(data)} bytes) for {_public_url()}", err=True)


_output = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)


@manifest_cli.command("outlook")
@_output
def outlook(output: Path | None) -> None:
    """Add-in-only XML manifest (every Outlook, incl. Mac and mobile)."""
    from . import office_sso

    _write(_render(lambda: render_outlook_xml(_public_url(), office_sso()).encode()), output)


@manifest_cli.command("unified")
@_output
def unified(output: Path | None) -> None:
    """Unified manifest for Microsoft 365 (JSON)."""
    _write(_render(lambda: render_unified_json(_public_url()).encode()), output)


@manifest_cli.command("thunderbird")
@_output
def thunderbird(output: Path | None) -> None:
    """Thunderbird add-on (.xpi) with this backend's URL baked in."""
    if output is None and sys.stdout.isatty():
        raise click.UsageError("the xpi is binary: pass -o onoffice.xpi")
    _write(_render(lambda: build_xpi(_public_url())), output)
