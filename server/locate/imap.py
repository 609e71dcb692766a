"""The IMAP locator: finds a Message-ID's folder, UID and UIDVALIDITY in the mailbox onOffice reads.

Search order: the client's folder hint, INBOX, the ``\\Sent`` special-use folder, then every
other selectable folder; the first confirmed hit wins. Found locations are cached briefly;
logged-in connections are pooled per mailbox (see ``pool.py``), and a pooled connection that
turns out to be broken is dropped and the lookup runs once more on a fresh one.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from imapclient import IMAPClient, imap_utf7
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from ..messageid import InvalidMessageId, normalize_message_id
from .base import LocateError, Location, MailServerRefused, MailServerUnreachable, MessageNotFound
from .cache import TTLCache
from .pool import ConnectionPool, PoolExhausted
from .session import Folder, Hit, ImapSession, ServerError

log = logging.getLogger(__name__)
T = TypeVar("T")

# A pooled connection raising one of these is dead: drop it and try once on a fresh one.
_BROKEN = (imaplib.IMAP4.abort, IMAPClientAbortError, OSError)


class _LoginRefused(MailServerRefused):
    """The server said no to a login; re-raised with the mailbox and identity it was for."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int = 993
    tls: str = "ssl"  # ssl | starttls | none
    auth: str = "xoauth2"  # xoauth2 | password
    # The IMAP login name, for both auth kinds: {mailbox} is the mailbox the mail sits in,
    # {identity} its onOffice e-mail identity (e.g. "{mailbox}*master" for a master user).
    username: str = "{mailbox}"
    password: str = field(default="", repr=False)
    token_provider: Callable[[], str] | None = field(default=None, repr=False)
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)
    timeout: float = 20.0

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    def login_name(self, mailbox: str, identity: str | None = None) -> str:
        """The IMAP login for a mailbox; without an identity, {identity} means the mailbox."""
        mailbox = mailbox.strip().lower()
        return self.username.replace("{mailbox}", mailbox).replace("{identity}", identity or mailbox)


class ImapLocator:
    def __init__(self, config: ImapConfig, *, cache_ttl: float = 120.0, idle_timeout: float = 60.0,
                 max_open: int = 32, max_idle_per_mailbox: int = 2, max_idle: int = 16,
                 on_connect: Callable[[IMAPClient], None] | None = None):
        self.config = config
        self._on_connect = on_connect
        self._cache: TTLCache[tuple[str, str], Location] = TTLCache(cache_ttl)
        self._pool: ConnectionPool[ImapSession] = ConnectionPool(
            self._login, ImapSession.close, max_open=max_open, max_idle_per_key=max_idle_per_mailbox,
            max_idle=max_idle, idle_timeout=idle_timeout, wait=config.timeout)

    def __repr__(self) -> str:
        return f"ImapLocator({self.config.server}, tls={self.config.tls}, auth={self.config.auth})"

    # -- the Locator interface ----------------------------------------------------------

    def locate(self, mailbox: str, message_id: str, folder_hint: str | None = None, *,
               identity: str | None = None) -> Location:
        message_id = _checked(message_id)
        key = (mailbox.strip().lower(), message_id)
        cached = self._cache.get(key)
        if cached is not None:
            return Location(cached.folder, cached.uid, cached.uidvalidity, source="cache")
        started = time.perf_counter()
        hit, searched = self._with_session(mailbox, identity,
                                           lambda s: _search(s, message_id, folder_hint))
        ms = (time.perf_counter() - started) * 1000
        if hit is None:
            log.info("IMAP lookup in %s: not found in %d folders (%.0f ms)", mailbox, searched, ms)
            raise MessageNotFound(
                f"The mail is not in the mailbox {mailbox} that onOffice reads (searched "
                f"{searched} folders on {self.config.host}). It may have been deleted, or this "
                "mailbox is not the one connected to onOffice.",
                mailbox=mailbox, server=self.config.host)
        log.info("IMAP lookup in %s: %s uid %d (%.0f ms)", mailbox, hit.folder, hit.uid, ms)
        location = Location(hit.folder, hit.uid, hit.uidvalidity, source="imap")
        self._cache.put(key, location)
        return location

    def forget(self, mailbox: str, message_id: str) -> None:
        with contextlib.suppress(InvalidMessageId):  # an invalid id was never cached
            self._cache.pop((mailbox.strip().lower(), normalize_message_id(message_id)))

    # -- for `flask doctor` -----------------------------------------------------------

    def probe(self) -> str:
        """Connect without logging in; returns the server's greeting."""
        client = self._connect()
        try:
            welcome = _text(client.welcome or b"")  # "* OK [CAPABILITY …] Dovecot ready."
            return welcome.rsplit("]", 1)[-1].strip() or welcome
        finally:
            _close_quietly(client)

    def folders(self, mailbox: str, identity: str | None = None) -> list[Folder]:
        return self._with_session(mailbox, identity, lambda s: s.list_folders())

    def close(self) -> None:
        self._pool.close()

    # -- connections ------------------------------------------------------------------

    def _with_session(self, mailbox: str, identity: str | None, work: Callable[[ImapSession], T]) -> T:
        key = self.config.login_name(mailbox, identity)  # one pool per IMAP login
        for attempt in (1, 2):
            try:
                session, reused = self._pool.acquire(key)
            except PoolExhausted:
                raise self._unreachable(mailbox, "every connection is busy") from None
            except _LoginRefused:
                raise self._refused(mailbox, identity, key) from None
            try:
                result = work(session)
            except _BROKEN as exc:
                self._pool.discard(session)
                if reused and attempt == 1:
                    log.info("pooled IMAP connection for %s was broken (%s); reconnecting",
                             mailbox, type(exc).__name__)
                    continue
                raise self._unreachable(mailbox, _reason(exc)) from None
            except (ServerError, IMAPClientError) as exc:
                self._pool.discard(session)
                raise LocateError(f"The mail server {self.config.host} answered a lookup with an "
                                  f"error: {exc}", mailbox=mailbox, server=self.config.host) from None
            except BaseException:
                self._pool.discard(session)
                raise
            self._pool.release(key, session)
            return result
        raise AssertionError("unreachable")  # the loop returns or raises

    def _login(self, login: str) -> ImapSession:
        client = self._connect(login)
        if self._on_connect:
            self._on_connect(client)
        try:
            if self.config.auth == "xoauth2":
                client.oauth2_login(login, self._token(login))
            else:
                client.login(login, self.config.password)
        except LoginError as exc:
            _close_quietly(client)
            log.warning("IMAP login %s refused by %s: %s", login, self.config.server, exc)
            raise _LoginRefused(login) from None
        except _BROKEN as exc:
            _close_quietly(client)
            raise self._unreachable(login, _reason(exc)) from None
        except BaseException:  # e.g. no token: never leak the socket
            _close_quietly(client)
            raise
        return ImapSession(client)

    def _connect(self, mailbox: str = "") -> IMAPClient:
        cfg = self.config
        try:
            client = IMAPClient(cfg.host, cfg.port, ssl=cfg.tls == "ssl", ssl_context=cfg.ssl_context,
                                timeout=cfg.timeout)
            if cfg.tls == "starttls":
                client.starttls(cfg.ssl_context)
        except (*_BROKEN, IMAPClientError) as exc:
            raise self._unreachable(mailbox, _reason(exc)) from None
        return client

    def _token(self, login: str) -> str:
        provider = self.config.token_provider
        try:
            if provider is None:
                raise LookupError("no token provider configured")
            return provider()
        except Exception as exc:  # the provider's own text may quote a secret: name its type only
            log.warning("no IMAP token for %s: %s", login, type(exc).__name__)
            raise MailServerRefused(
                f"This server could not get a token to log in to the mail server {self.config.host} "
                "(IMAP_AUTH=xoauth2). This is a setup problem for your administrator, not "
                "something you did wrong.", mailbox=login, server=self.config.host) from None

    def _refused(self, mailbox: str, identity: str | None, login: str) -> MailServerRefused:
        mailbox = mailbox.strip().lower()
        who = f"mailbox {mailbox}" + (f", onOffice identity {identity}" if identity else "")
        return MailServerRefused(
            f"The mail server {self.config.host} refused the IMAP login {login} ({who}). "
            "This is a setup problem for your administrator (IMAP_USERNAME, IMAP_AUTH and its "
            "credentials, or the mailbox permission), not something you did wrong.",
            mailbox=mailbox, server=self.config.host)

    def _unreachable(self, mailbox: str, reason: str) -> MailServerUnreachable:
        return MailServerUnreachable(
            f"The mail server {self.config.server} cannot be reached right now ({reason}). "
            "Please try again later; if it persists, tell your administrator.",
            mailbox=mailbox, server=self.config.host)


def _search(session: ImapSession, message_id: str, hint: str | None) -> tuple[Hit | None, int]:
    """The first confirmed hit in search order, and how many folders were searched."""
    tried: set[str] = set()
    for folder in _search_order(session, hint):
        key = folder.upper() if folder.upper() == "INBOX" else folder
        if key in tried:
            continue
        tried.add(key)
        hit = session.find(folder, message_id)
        if hit is not None:
            return hit, len(tried)
    return None, len(tried)


def _search_order(session: ImapSession, hint: str | None) -> Iterator[str]:
    # The hint and INBOX need no LIST: the common warm lookup never lists folders.
    hint = (hint or "").strip().lstrip("/") or None  # Thunderbird paths start with "/"
    if hint and not hint.isascii():
        # IMAP names are modified UTF-7 (RFC 3501 5.1.3); imaplib would raise on a raw "ü".
        hint = imap_utf7.encode(hint).decode("ascii")
    if hint:
        yield hint
    yield "INBOX"
    folders = [f for f in session.list_folders() if f.selectable]
    for f in folders:
        # Thunderbird writes "/" between levels; the server may use another delimiter.
        if hint and f.delimiter and f.delimiter != "/" and f.name == hint.replace("/", f.delimiter):
            yield f.name
    yield from (f.name for f in folders if "\\sent" in f.flags)
    yield from (f.name for f in folders)


def _checked(message_id: str) -> str:
    # Defence in depth: the API validated it already, but the locator is a public entry point.
    try:
        return normalize_message_id(message_id)
    except InvalidMessageId as exc:
        raise MessageNotFound(f"Cannot look up this Message-ID: {exc}.") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {getattr(exc, 'reason', None) or type(exc).__name__}"
    return type(exc).__name__


def _close_quietly(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):  # the socket may already be dead
        client.shutdown()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
