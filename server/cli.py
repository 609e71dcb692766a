"""Admin commands: `flask doctor`, `flask sessions revoke`, `flask identities check`."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .api.context import Services
from .doctor import run_checks
from .doctor_imap import imap_checks
from .identities import IdentityNotMapped, normalize_mailbox


def _services() -> Services:
    return current_app.extensions["onoffice_mail_link"]


@click.command("doctor")
@with_appcontext
@click.option("--mailbox", envvar="DOCTOR_MAILBOX", default=None,
              help="Mailbox to log in to on the IMAP server (also DOCTOR_MAILBOX).")
@click.option("-v", "--verbose", is_flag=True, help="Also show the log of each request made.")
def doctor_command(mailbox: str | None, verbose: bool) -> None:
    """Check configuration, database, identity map, onOffice credentials and IMAP."""
    svc = _services()
    # The checks' own request and warning logs would interleave with (and repeat) the
    # one line per check on a terminal; --verbose keeps them.
    if not verbose:
        logging.disable(logging.WARNING)
    try:
        results = run_checks(svc, [*(svc.extras.get("doctor_checks") or []), imap_checks(mailbox)])
    finally:
        logging.disable(logging.NOTSET)
    for check in results:
        click.echo(check.line())
    failed = [c for c in results if not c.ok]
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise SystemExit(1)


@click.group("sessions", cls=AppGroup)
def sessions_group() -> None:
    """Manage sign-in sessions."""


@sessions_group.command("revoke")
@click.argument("mailbox")
def revoke(mailbox: str) -> None:
    """End every session of MAILBOX at once."""
    mailbox = normalize_mailbox(mailbox)
    if "@" not in mailbox:
        raise click.BadParameter(f"{mailbox!r} is not a mailbox address", param_hint="MAILBOX")
    count = _services().session_store.revoke_mailbox(mailbox)
    click.echo(f"revoked {count} session(s) of {mailbox}")


@click.group("identities", cls=AppGroup)
def identities_group() -> None:
    """Inspect the mailbox-to-identity mapping."""


@identities_group.command("check")
@click.argument("mailboxes", nargs=-1, required=True)
def check(mailboxes: tuple[str, ...]) -> None:
    """Print the onOffice identity of each MAILBOX and why."""
    resolver, missing = _services().identities, 0
    for mailbox in mailboxes:
        try:
            r = resolver.resolve(mailbox)
            click.echo(f"{r.mailbox} -> {r.identity}  ({r.source})")
        except IdentityNotMapped:
            missing += 1
            click.echo(f"{mailbox.strip().lower()} -> NOT MAPPED (add it to IDENTITY_MAP)")
    if missing:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    for command in (doctor_command, sessions_group, identities_group):
        app.cli.add_command(command)
