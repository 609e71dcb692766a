"""Admin commands, under one entry point: ``onoffice-mail-link serve | db upgrade | doctor |
manifest | identities check | sessions revoke | outbox list|retry|drop|work`` (the same app
commands also run as ``flask …`` in a checkout, where `.flaskenv` names the app)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from .api.context import Services
from .doctor import run_checks
from .doctor_imap import imap_checks
from .identities import IdentityNotMapped, normalize_mailbox
from .locate.imap import ImapLocator


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
@click.argument("mailboxes", nargs=-1)
def check(mailboxes: tuple[str, ...]) -> None:
    """Print the onOffice identity of each MAILBOX, why, and the IMAP login it is looked up with;
    then the shared mailboxes of SHARED_MAILBOXES, each with its identity and who may use it.
    Without MAILBOXES only the shared ones are shown."""
    svc = _services()
    grants = svc.shared.grants
    if not mailboxes and not grants:
        raise click.UsageError("name a mailbox (no SHARED_MAILBOXES grants to show either)")
    missing = sum(not _show_identity(svc, m) for m in mailboxes)
    for mailbox in mailboxes:
        shared = svc.shared.granted_to(mailbox)
        if shared:
            click.echo(f"{normalize_mailbox(mailbox)} may act in: {', '.join(shared)}")
    for shared, grant in grants.items():
        click.echo(f"shared {shared} (SHARED_MAILBOXES line {grant.line}): "
                   f"{', '.join(grant.members)}")
        missing += not _show_identity(svc, shared, indent="  ")
    if missing:
        raise SystemExit(1)


@click.group("outbox", cls=AppGroup)
def outbox_group() -> None:
    """Clicks waiting for onOffice: list, retry, drop, or drain them in this process."""


@outbox_group.command("list")
def outbox_list() -> None:
    """Every click in the outbox, oldest first: queued ones and those that failed for good."""
    clicks = _services().outbox.all()
    now = datetime.now(UTC)
    for c in clicks:
        form = " ".join(f"{k}={v}" for k, v in c.form.items())
        age = _age(now - c.created_at)
        error = f"  last error: {c.last_error}" if c.last_error else ""
        click.echo(f"{c.id:>6}  {c.state:<6}  {age:>6} old  {c.by_mailbox} -> {c.identity}  "
                   f"{c.message_id}  {c.action} {form}  attempts {c.attempts}{error}")
    depth, _ = _services().outbox.stats()
    click.echo(f"{depth} queued, {len(clicks) - depth} failed")


@outbox_group.command("retry")
@click.argument("click_id", type=int)
def outbox_retry(click_id: int) -> None:
    """Try CLICK_ID now (queued), or queue it again behind the mail's newer clicks (failed)."""
    if not _services().outbox.retry(click_id):
        raise click.ClickException(f"no click {click_id} in the outbox")
    click.echo(f"click {click_id} queued to be applied now")


@outbox_group.command("drop")
@click.argument("click_id", type=int)
def outbox_drop(click_id: int) -> None:
    """Give up CLICK_ID: it is never sent; its audit row says dropped."""
    if not _services().outbox.drop(click_id):
        raise click.ClickException(f"no click {click_id} in the outbox")
    click.echo(f"click {click_id} dropped")


@outbox_group.command("work")
def outbox_work() -> None:
    """Drain the outbox in this process until stopped (the Procfile's optional worker line)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    svc = _services()
    if svc.settings.demo:  # the demo's onOffice lives inside the web process: it drains its own
        click.echo("demo mode: the web process applies its own queued clicks; nothing to do here")
        return
    drainer = svc.drainer
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    drainer.start()
    click.echo(f"outbox worker {drainer.name} draining; stop with SIGTERM")
    stop.wait()
    drainer.stop()


def _age(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _show_identity(svc: Services, mailbox: str, indent: str = "") -> bool:
    imap = svc.locator.config if isinstance(svc.locator, ImapLocator) else None
    try:
        r = svc.identities.resolve(mailbox)
    except IdentityNotMapped:
        click.echo(f"{indent}{normalize_mailbox(mailbox)} -> NOT MAPPED (add it to IDENTITY_MAP)")
        return False
    login = f"; IMAP login {imap.login_name(r.mailbox, r.identity)}" if imap else ""
    click.echo(f"{indent}{r.mailbox} -> {r.identity}  ({r.source}{login})")
    return True


def init_app(app: Flask) -> None:
    for command in (doctor_command, sessions_group, identities_group, outbox_group):
        app.cli.add_command(command)


@click.group("db")
def db_group() -> None:
    """The database schema (Alembic migrations)."""


@contextmanager
def _engine():  # type: ignore[no-untyped-def]
    """The configured database's engine, disposed afterwards (no pooled connection left to GC)."""
    from . import instance_path
    from .config import ConfigError, load_settings, read_environment
    from .store.db import engine_for

    try:
        engine = engine_for(load_settings(read_environment(), instance_path()).database_url)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield engine
    finally:
        engine.dispose()


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to this version's schema (the Procfile's release step)."""
    from .store import SchemaError, schema

    try:
        with _engine() as engine:
            before, after = schema.upgrade(engine)
    except SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"database at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db_group.command("current")
def db_current() -> None:
    """Print the database's revision and the one this version needs; exit 1 if they differ."""
    from .store import SchemaError, schema

    try:
        with _engine() as engine:
            at, want = schema.current(engine), schema.head()
    except SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"database at {at or 'empty'}, this version needs {want}")
    if at != want:
        raise SystemExit(1)


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Run the server under gunicorn with the packaged settings (extra arguments go to gunicorn)."""
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:server.gunicorn_conf", *gunicorn_args,
            "server.wsgi:app"]
    os.execv(sys.executable, argv)


def _load_app() -> Flask:
    from . import ConfigError, create_app

    try:
        return create_app()
    except ConfigError as exc:  # one line, as at start-up, never a traceback
        click.echo(f"configuration error: {exc}", err=True)
        raise SystemExit(3) from None


# Commands on the group itself run without building the app: `db upgrade` must work on a database
# the app would refuse to start on.
main = FlaskGroup(name="onoffice-mail-link", create_app=_load_app, add_default_commands=True,
                  load_dotenv=False, help=__doc__)
main.add_command(db_group)
main.add_command(serve)
