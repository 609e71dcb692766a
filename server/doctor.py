"""`flask doctor`: a self-test an admin runs after deploying. One line per check, with a fix.

Each check is a function ``(services) -> list[Check]``; sign-in and IMAP add their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import jwt
import requests

from . import onoffice
from .auth import AuthError, SignInUnavailable
from .identities import IdentityMapError, parse_identity_map

if TYPE_CHECKING:
    from .api.context import Services


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False

    def line(self) -> str:
        status = "WARN" if self.warning else ("ok  " if self.ok else "FAIL")
        text = f"{status} {self.name}: {self.detail}"
        return f"{text}\n     fix: {self.fix}" if self.fix and not self.ok or self.warning else text


CheckFn = Callable[["Services"], list[Check]]


def configuration(svc: Services) -> list[Check]:
    s = svc.settings
    mode = "DEMO (sandbox onOffice, sample data)" if s.demo else f"onOffice at {s.onoffice_api_url}"
    checks = [Check("configuration", True, f"loaded; {mode}; public URL {s.public_url}")]
    if not s.demo:
        if len(s.onoffice_api_token) != 32:
            checks.append(Check("onOffice token length", True,
                                f"{len(s.onoffice_api_token)} characters, onOffice issues 32",
                                "copy ONOFFICE_API_TOKEN again from onOffice enterprise",
                                warning=True))
        if len(s.onoffice_api_secret) != 64:
            checks.append(Check("onOffice secret length", True,
                                f"{len(s.onoffice_api_secret)} characters, onOffice issues 64",
                                "copy ONOFFICE_API_SECRET again from onOffice enterprise",
                                warning=True))
    if not s.public_url.startswith("https://") and not s.demo:
        checks.append(Check("public URL", False, f"{s.public_url} is not https",
                            "Outlook loads add-ins only over https: set PUBLIC_URL"))
    return checks


def served_files(svc: Services) -> list[Check]:
    from .addin import assets

    ok, detail = assets.summary(svc.settings.public_url)
    return [Check("pane and add-ins", ok, detail, assets.REINSTALL)]


def database(svc: Services) -> list[Check]:
    try:
        svc.db.ping()
    except Exception as exc:  # any driver error is a failed check, not a crash
        return [Check("database", False, f"not reachable ({type(exc).__name__})",
                      "check DATABASE_URL and that the database server runs")]
    return [Check("database", True, svc.db.engine.url.render_as_string(hide_password=True))]


def identity_map(svc: Services) -> list[Check]:
    path = svc.settings.identity_map
    pattern = svc.settings.identity_pattern or "(none)"
    if path is None:
        return [Check("identity map", True, f"no IDENTITY_MAP file; pattern {pattern}")]
    try:
        entries = parse_identity_map(path)
    except IdentityMapError as exc:
        return [Check("identity map", False, str(exc), "one 'mailbox = identity' per line")]
    return [Check("identity map", True, f"{len(entries)} mailboxes in {path}; fallback {pattern}")]


def onoffice_credentials(svc: Services) -> list[Check]:
    try:
        user = svc.onoffice.own_user()
    except onoffice.APIError as exc:
        return [Check("onOffice credentials", False, str(exc),
                      exc.hint or "check the API user's token, secret and rights")]
    except onoffice.OnOfficeError as exc:
        return [Check("onOffice credentials", False, f"not reachable: {exc.message}",
                      "check ONOFFICE_API_URL, outbound https and proxies")]
    name = user.elements.get("username") or user.id
    return [Check("onOffice credentials", True, f"accepted (API user {name}); clock and HMAC ok")]


_ENTRA_FIX = "check ENTRA_TENANT_ID (the tenant GUID), ENTRA_AUTHORITY_HOST, outbound https, SSL_CERT_FILE"


def entra_discovery(svc: Services) -> list[Check]:
    s, entra = svc.settings, svc.extras.get("entra")
    if not s.entra_configured:
        return [Check("Entra ID", True, "not configured: demo sign-in only")]
    if entra is None:
        return [Check("Entra ID", True, "ENTRA_CLIENT_SECRET unset: bearer tokens are checked, but "
                      "/auth/login and IMAP app tokens cannot work", "set ENTRA_CLIENT_SECRET",
                      warning=True)]
    try:
        doc = entra.discovery()
    except (requests.RequestException, ValueError) as exc:
        return [Check("Entra discovery", False, f"{entra.authority} not reachable "
                      f"({type(exc).__name__})", _ENTRA_FIX)]
    issuer = f"{s.entra_authority_host}/{s.entra_tenant_id}/v2.0"
    if doc.get("issuer") != issuer or not doc.get("jwks_uri"):
        return [Check("Entra discovery", False, f"issuer {doc.get('issuer')!r}, expected {issuer!r}",
                      _ENTRA_FIX)]
    return [Check("Entra discovery", True, f"reachable; issuer {issuer}")]


def entra_client_credentials(svc: Services) -> list[Check]:
    s, entra = svc.settings, svc.extras.get("entra")
    if entra is None:
        return []
    scopes = [f"{s.app_id_uris[0]}/.default"]
    if s.imap_configured and s.imap_auth == "xoauth2":
        scopes.append(s.imap_xoauth2_scope)
    checks: list[Check] = []
    for scope in scopes:
        try:
            token = entra.app_token(scope)
        except SignInUnavailable:
            return [*checks, Check("Entra client credentials", False, "Entra not reachable",
                                   _ENTRA_FIX)]
        except AuthError as exc:
            return [*checks, Check("Entra client credentials", False, f"{scope}: {exc.message}",
                                   "ENTRA_CLIENT_SECRET wrong or expired? Create a new one under "
                                   "Certificates & secrets and check ENTRA_CLIENT_ID")]
        checks.append(Check("Entra client credentials", True, f"accepted: app token for {scope}"))
    if len(scopes) > 1 and "IMAP.AccessAsApp" not in _roles(token):
        checks.append(Check("IMAP app permission", False, "the IMAP token lacks IMAP.AccessAsApp",
                            "grant IMAP.AccessAsApp (Office 365 Exchange Online) with admin consent"))
    return checks


def _roles(token: str) -> list[str]:
    try:  # diagnostics only: the token came straight from Entra's token endpoint
        return list(jwt.decode(token, options={"verify_signature": False}).get("roles", []))
    except jwt.PyJWTError:
        return []


def outbox(svc: Services) -> list[Check]:
    """Queue depth and the oldest waiting click: clicks wait only while onOffice is unreachable."""
    try:
        depth, oldest = svc.outbox.stats()
    except Exception as exc:  # the database check above names the cause
        return [Check("outbox", False, f"cannot be read ({type(exc).__name__})",
                      "run: onoffice-mail-link db upgrade")]
    if not depth:
        return [Check("outbox", True, "0 clicks queued")]
    age = int((datetime.now(UTC) - oldest).total_seconds()) if oldest else 0
    return [Check("outbox", True, f"{depth} clicks queued, the oldest {age} s old "
                  f"(failed after OUTBOX_MAX_AGE {svc.settings.outbox_max_age})",
                  "clicks wait while onOffice does not answer; see: onoffice-mail-link outbox "
                  "list (a web process or the worker applies them once it answers)",
                  warning=True)]


CHECKS: list[CheckFn] = [configuration, served_files, database, identity_map, onoffice_credentials,
                         entra_discovery, entra_client_credentials, outbox]


def run_checks(svc: Services, extra: list[CheckFn] | None = None) -> list[Check]:
    results: list[Check] = []
    for fn in [*CHECKS, *(extra or [])]:
        results.extend(fn(svc))
    return results
