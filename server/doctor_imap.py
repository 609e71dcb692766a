"""`flask doctor` checks for the mail server onOffice reads: reachable, login, folder list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imapclient.imap_utf7 import decode as decode_utf7

from .doctor import Check, CheckFn
from .identities import IdentityNotMapped
from .locate import LocateError, MailServerRefused
from .locate.imap import ImapLocator

if TYPE_CHECKING:
    from .api.context import Services

_LOGIN_FIX = {
    "xoauth2": "grant the app IMAP.AccessAsApp, register its service principal in Exchange "
               "(New-ServicePrincipal) and give it the mailbox (Add-MailboxPermission)",
    "password": "check IMAP_USERNAME (a template with {mailbox} and/or {identity}, e.g. "
                "{mailbox}*master) and IMAP_PASSWORD",
}


def imap_checks(mailbox: str | None) -> CheckFn:
    """The IMAP checks; login and folder list need a mailbox to log in to."""

    def run(svc: Services) -> list[Check]:
        s = svc.settings
        if not s.imap_configured:  # only demo mode starts without a mail server
            return [Check("IMAP", True, "demo mode: the sandbox mailbox stands in for IMAP")]
        locator = svc.locator
        if not isinstance(locator, ImapLocator):
            return [Check("IMAP", True, f"locator is {type(locator).__name__}; nothing to check")]
        server = f"{s.imap_host}:{s.imap_port} ({s.imap_tls}, {s.imap_auth})"
        try:
            greeting = locator.probe()
        except LocateError as exc:
            return [Check("IMAP reachable", False, exc.message,
                          "check IMAP_HOST, IMAP_PORT, IMAP_TLS, the firewall and the CA bundle")]
        checks = [Check("IMAP reachable", True, f"{server}: {greeting[:60]}")]
        if not mailbox:
            return [*checks, Check("IMAP login", True, "not tried", "run `flask doctor --mailbox "
                                   "someone@your-domain` (or set DOCTOR_MAILBOX)", warning=True)]
        return checks + _login_and_folders(svc, locator, mailbox) + _shared(svc, locator, mailbox)

    return run


def _shared(svc: Services, locator: ImapLocator, mailbox: str) -> list[Check]:
    """A shared mailbox is logged in to like any other: DOCTOR_MAILBOX may name one, or the
    first one granted to the DOCTOR_MAILBOX user is tried as well."""
    grants = svc.shared.grants
    key = mailbox.strip().lower()
    if key in grants:
        return [Check("Shared mailbox", True, f"{key} is shared (SHARED_MAILBOXES line "
                      f"{grants[key].line}: {', '.join(grants[key].members)})")]
    granted = svc.shared.granted_to(key)
    if not granted:
        return []
    checks = _login_and_folders(svc, locator, granted[0])
    return [Check(f"{c.name} (shared {granted[0]})", c.ok, c.detail, c.fix, warning=c.warning)
            for c in checks[:1]]


def _login_and_folders(svc: Services, locator: ImapLocator, mailbox: str) -> list[Check]:
    try:
        identity: str | None = svc.identities.resolve(mailbox).identity
    except IdentityNotMapped:
        identity = None  # the login template may still work without one
    try:
        folders = locator.folders(mailbox, identity)
    except MailServerRefused as exc:
        return [Check("IMAP login", False, exc.message, _LOGIN_FIX.get(svc.settings.imap_auth, ""))]
    except LocateError as exc:
        return [Check("IMAP login", False, exc.message, "try again; check the mail server")]
    names = [f.name for f in folders if f.selectable]
    shown = ", ".join(_readable(n) for n in names[:12]) + (" …" if len(names) > 12 else "")
    sent = [f.name for f in folders if "\\sent" in f.flags]
    login = locator.config.login_name(mailbox, identity)
    return [Check("IMAP login", True, f"logged in for {mailbox} as {login}"),
            Check("IMAP folders", bool(names), f"{len(names)} searchable: {shown}; \\Sent = "
                  f"{sent[0] if sent else 'none marked'}", "the mailbox shows no folders")]


def _readable(name: str) -> str:
    decoded = decode_utf7(name.encode("ascii", "replace"))
    return name if decoded == name else f"{decoded} ({name})"
