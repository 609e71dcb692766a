"""Builds the app's long-lived objects from the settings: one place that wires the layers."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from .api.context import Services
from .auth import Authenticator, SessionTokens
from .auth.entra import EntraTokenValidator
from .auth.msal_client import EntraClient
from .config import Settings
from .drainer import Drainer
from .identities import IdentityResolver
from .linking import LinkService
from .locate import Locator
from .locate.base import NoLocator
from .locate.imap import ImapConfig, ImapLocator
from .locate.sandbox import SandboxLocator
from .onoffice import OnOfficeClient
from .sandbox import data
from .sandbox.onoffice import SandboxOnOffice
from .shared_mailboxes import SharedMailboxes
from .store import AuditLog, Database, SessionStore
from .store.auth_flows import AuthFlowStore
from .store.handover_codes import HandoverCodes
from .store.idempotency import IdempotencyStore
from .store.mail_locks import MailLocks
from .store.outbox import OutboxStore
from .tls import ca_bundle, trust_context

log = logging.getLogger(__name__)

DEMO_TOKEN = "demo0000000000000000000000000000"
DEMO_SECRET = "demo" * 16
DEMO_URL = "http://sandbox.onoffice.invalid/api/stable/api.php"


def build_services(settings: Settings, instance_path: str, env: dict[str, str]) -> Services:
    db = Database(settings.database_url, migrate=settings.demo)
    session_store = SessionStore(db, settings.session_cache_seconds)
    secret_key = settings.secret_key or _demo_secret(Path(instance_path))
    sessions = SessionTokens(secret_key, session_store, timedelta(days=settings.session_days))
    extras: dict[str, Any] = _entra_extras(settings, env, db)
    extras["handover_codes"] = HandoverCodes(db)
    client = _onoffice_client(settings, env, extras)
    locator = _locator(settings, env, extras.get("entra"))
    authenticator = Authenticator(sessions, _entra_validator(settings, env),
                                  accept_demo=settings.demo and not settings.entra_configured)
    identities = IdentityResolver(settings.identity_map, settings.identity_pattern)
    audit = AuditLog(db)
    outbox = OutboxStore(db, lease_seconds=_lease_seconds(settings))
    links = LinkService(client, locator, audit, MailLocks(db), settings.onoffice_address_links,
                        outbox=outbox)
    drainer = Drainer(links, outbox, max_age=settings.outbox_max_age)
    links.listener = drainer
    return Services(settings, db, audit, session_store, sessions, authenticator, identities,
                    client, locator, links, extras, outbox=outbox, drainer=drainer,
                    idempotency=IdempotencyStore(db), shared=_shared_mailboxes(settings))


def _lease_seconds(settings: Settings) -> float:
    # Longer than one attempt can take (a locate, an emailInfo check, a send and a stale-location
    # retry, each within the client's limits), so a live holder never loses its click.
    return settings.onoffice_connect_timeout + 2 * settings.onoffice_read_timeout + 5


def _shared_mailboxes(settings: Settings) -> SharedMailboxes:
    if settings.demo and settings.shared_mailboxes is None:
        return SharedMailboxes.demo(data.SHARED_MAILBOX, data.SHARED_MAILBOX.partition("@")[2])
    return SharedMailboxes.load(settings.shared_mailboxes)


def _demo_secret(instance: Path) -> str:
    # Kept in the instance folder so every worker and every restart shares demo sessions.
    path = instance / "demo-secret-key"
    instance.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _onoffice_client(settings: Settings, env: dict[str, str], extras: dict[str, Any]) -> OnOfficeClient:
    if settings.demo:
        log.warning("DEMO MODE: no onOffice credentials set; using the built-in sandbox onOffice "
                    "with sample data. Never use demo mode with real mail. Try the pane at %s/taskpane.html",
                    settings.public_url)
        sandbox = SandboxOnOffice(DEMO_TOKEN, DEMO_SECRET,
                                  link_base=f"{settings.public_url}/demo/records",
                                  latency=settings.demo_latency_ms / 1000)
        extras["sandbox"] = sandbox
        return OnOfficeClient(DEMO_URL, DEMO_TOKEN, DEMO_SECRET,
                              transport=httpx.WSGITransport(app=sandbox))
    return OnOfficeClient(
        settings.onoffice_api_url, settings.onoffice_api_token, settings.onoffice_api_secret,
        connect_timeout=settings.onoffice_connect_timeout,
        read_timeout=settings.onoffice_read_timeout, verify=trust_context(env))


def _locator(settings: Settings, env: dict[str, str], entra: EntraClient | None) -> Locator:
    if settings.demo and not settings.imap_configured:
        return SandboxLocator(data.MAILS)
    if settings.imap_configured:
        xoauth2 = settings.imap_auth == "xoauth2" and entra is not None
        return ImapLocator(ImapConfig(
            settings.imap_host, settings.imap_port, settings.imap_tls, settings.imap_auth,
            settings.imap_username, settings.imap_password,
            token_provider=entra.imap_token_provider() if xoauth2 else None,
            ssl_context=None if settings.imap_tls == "none" else trust_context(env)))
    return NoLocator()


def _entra_validator(settings: Settings, env: dict[str, str]) -> EntraTokenValidator | None:
    if not settings.entra_configured:
        return None
    return EntraTokenValidator.create(
        tenant_id=settings.entra_tenant_id, client_id=settings.entra_client_id,
        authority_host=settings.entra_authority_host, scope=settings.entra_api_scope,
        app_id_uris=settings.app_id_uris, ssl_context=trust_context(env))


def _entra_extras(settings: Settings, env: dict[str, str], db: Database) -> dict[str, Any]:
    """The msal client (sign-in, app tokens for IMAP) and the pending sign-ins, if Entra is set up."""
    if not (settings.entra_configured and settings.entra_client_secret):
        return {}
    entra = EntraClient(tenant_id=settings.entra_tenant_id, client_id=settings.entra_client_id,
                        client_secret=settings.entra_client_secret,
                        authority_host=settings.entra_authority_host,
                        imap_scope=settings.imap_xoauth2_scope, ca_bundle=ca_bundle(env))
    return {"entra": entra, "auth_flows": AuthFlowStore(db)}
