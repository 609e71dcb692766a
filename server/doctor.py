"""`flask doctor`: a self-test an admin runs after deploying. One line per check, with a fix.

Each check is a function ``(services) -> list[Check]``; sign-in and IMAP add their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import onoffice
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


CHECKS: list[CheckFn] = [configuration, database, identity_map, onoffice_credentials]


def run_checks(svc: Services, extra: list[CheckFn] | None = None) -> list[Check]:
    results: list[Check] = []
    for fn in [*CHECKS, *(extra or [])]:
        results.extend(fn(svc))
    return results
