"""Configuration: read once from the environment (and `.env`), validated at start-up.

Every variable of the deployment contract lives here and nowhere else. A missing or
malformed value raises :class:`ConfigError` whose message is one line naming the
variable, so a misconfigured deployment stops before the first click, not during it.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from .identities import IdentityMapError, parse_identity_map
from .shared_mailboxes import SharedMailboxesError, parse_shared_mailboxes

DEFAULT_ONOFFICE_URL = "https://api.onoffice.de/api/stable/api.php"
DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"
IMAP_TLS_MODES = ("ssl", "starttls", "none")
IMAP_AUTH_MODES = ("xoauth2", "password")
_DURATION = re.compile(r"(\d{1,9})\s*([smhd]?)")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
ADDRESS_LINK_MODES = ("list", "single")
_GUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


def _secret(default: str = "") -> str:
    # repr=False keeps secrets out of every repr() of Settings, including tracebacks.
    return field(default=default, repr=False)


@dataclass(frozen=True)
class Settings:
    public_url: str = "http://localhost:5000"
    secret_key: str = _secret()
    onoffice_api_url: str = DEFAULT_ONOFFICE_URL
    onoffice_api_token: str = _secret()
    onoffice_api_secret: str = _secret()
    onoffice_connect_timeout: float = 5.0
    onoffice_read_timeout: float = 20.0
    entra_tenant_id: str = ""
    entra_client_id: str = ""
    entra_client_secret: str = _secret()
    entra_authority_host: str = DEFAULT_AUTHORITY_HOST
    entra_api_scope: str = "access_as_user"
    entra_app_id_uri: str = ""
    imap_host: str = ""
    imap_port: int = 993
    imap_tls: str = "ssl"
    imap_auth: str = "xoauth2"
    imap_xoauth2_scope: str = "https://outlook.office365.com/.default"
    imap_username: str = "{mailbox}"
    imap_password: str = _secret()
    identity_map: Path | None = None
    identity_pattern: str = "{mailbox}"
    shared_mailboxes: Path | None = None
    onoffice_address_links: str = "list"
    database_url: str = ""
    session_days: int = 30
    session_cache_seconds: int = 30
    demo_latency_ms: int = 0
    outbox_max_age: timedelta = timedelta(days=7)

    @property
    def demo(self) -> bool:
        """Demo mode: no onOffice credentials at all (both unset)."""
        return not self.onoffice_api_token and not self.onoffice_api_secret

    @property
    def entra_configured(self) -> bool:
        return bool(self.entra_tenant_id or self.entra_client_id)

    @property
    def app_id_uris(self) -> tuple[str, ...]:
        """App ID URIs v1 tokens may carry as audience: NAA's default and legacy Office SSO's."""
        if self.entra_app_id_uri:
            return (self.entra_app_id_uri,)
        host = urlsplit(self.public_url).netloc
        return (f"api://{self.entra_client_id}", f"api://{host}/{self.entra_client_id}")

    @property
    def imap_configured(self) -> bool:
        return bool(self.imap_host)


def read_environment(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Merge `.env` (lowest), the process environment, then explicit overrides."""
    merged: dict[str, str] = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    merged.update(os.environ)
    if overrides:
        merged.update({k: str(v) for k, v in overrides.items()})
    return merged


def load_settings(env: Mapping[str, str], instance_path: str | Path) -> Settings:
    """Build validated settings from an environment mapping."""
    get = _Reader(env)
    token, secret = get.text("ONOFFICE_API_TOKEN"), get.text("ONOFFICE_API_SECRET")
    if bool(token) != bool(secret):
        missing = "ONOFFICE_API_SECRET" if token else "ONOFFICE_API_TOKEN"
        raise ConfigError(f"{missing}: must be set together with its partner (or both unset for demo)")
    demo = not token
    settings = Settings(
        public_url=get.url("PUBLIC_URL", _default_public_url(env, demo)).rstrip("/"),
        secret_key=get.text("SECRET_KEY"),
        onoffice_api_url=get.url("ONOFFICE_API_URL", DEFAULT_ONOFFICE_URL),
        onoffice_api_token=token,
        onoffice_api_secret=secret,
        onoffice_connect_timeout=get.number("ONOFFICE_CONNECT_TIMEOUT", 5.0),
        onoffice_read_timeout=get.number("ONOFFICE_READ_TIMEOUT", 20.0),
        entra_tenant_id=get.text("ENTRA_TENANT_ID"),
        entra_client_id=get.text("ENTRA_CLIENT_ID"),
        entra_client_secret=get.text("ENTRA_CLIENT_SECRET"),
        entra_authority_host=get.url("ENTRA_AUTHORITY_HOST", DEFAULT_AUTHORITY_HOST).rstrip("/"),
        entra_api_scope=get.text("ENTRA_API_SCOPE", "access_as_user"),
        entra_app_id_uri=get.text("ENTRA_APP_ID_URI"),
        imap_host=get.text("IMAP_HOST"),
        imap_port=get.integer("IMAP_PORT", 993, low=1, high=65535),
        imap_tls=get.choice("IMAP_TLS", "ssl", IMAP_TLS_MODES),
        imap_auth=get.choice("IMAP_AUTH", "xoauth2", IMAP_AUTH_MODES),
        imap_xoauth2_scope=get.text("IMAP_XOAUTH2_SCOPE", "https://outlook.office365.com/.default"),
        imap_username=get.text("IMAP_USERNAME", "{mailbox}"),
        imap_password=get.text("IMAP_PASSWORD"),
        identity_map=get.path("IDENTITY_MAP"),
        identity_pattern=get.text("IDENTITY_PATTERN", "{mailbox}", keep_empty=True),
        shared_mailboxes=get.path("SHARED_MAILBOXES"),
        onoffice_address_links=get.choice("ONOFFICE_ADDRESS_LINKS", "list", ADDRESS_LINK_MODES),
        database_url=get.text("DATABASE_URL") or _default_database(instance_path),
        session_days=get.integer("SESSION_DAYS", 30, low=1, high=365),
        session_cache_seconds=get.integer("SESSION_CACHE_SECONDS", 30, low=0, high=300),
        demo_latency_ms=get.integer("DEMO_LATENCY_MS", 0, low=0, high=60_000),
        outbox_max_age=get.duration("OUTBOX_MAX_AGE", timedelta(days=7)),
    )
    _check_combinations(settings, demo)
    return settings


def _default_public_url(env: Mapping[str, str], demo: bool) -> str:
    """Demo mode on another port: links and manifests follow PORT/BIND unless PUBLIC_URL is set."""
    if not demo:
        return "http://localhost:5000"
    bind = (env.get("BIND") or "").strip()
    port = bind.rpartition(":")[2] if ":" in bind and not bind.startswith("unix:") else ""
    port = port or (env.get("PORT") or "").strip() or "5000"
    return f"http://localhost:{port}" if port.isdigit() else "http://localhost:5000"


def _default_database(instance_path: str | Path) -> str:
    return f"sqlite:///{Path(instance_path) / 'onoffice-mail-link.sqlite3'}"


def _check_combinations(s: Settings, demo: bool) -> None:
    if not demo:
        for name, value in (
            ("SECRET_KEY", s.secret_key),
            ("ENTRA_TENANT_ID", s.entra_tenant_id),
            ("ENTRA_CLIENT_ID", s.entra_client_id),
            ("ENTRA_CLIENT_SECRET", s.entra_client_secret),
        ):
            if not value:
                raise ConfigError(f"{name}: required when onOffice credentials are set")
    if urlsplit(s.public_url).path not in ("", "/") or urlsplit(s.public_url).query:
        # The pane loads /static/… and /api/v1/… from the site root: a sub-path cannot work.
        raise ConfigError("PUBLIC_URL: must be the site root without a path, e.g. https://mail-link.example.de")
    if s.secret_key and len(s.secret_key) < 32:
        raise ConfigError("SECRET_KEY: too short, use at least 32 random characters")
    if s.entra_configured and not (s.entra_tenant_id and s.entra_client_id):
        raise ConfigError("ENTRA_TENANT_ID/ENTRA_CLIENT_ID: set both or neither")
    for name, value in (("ENTRA_TENANT_ID", s.entra_tenant_id), ("ENTRA_CLIENT_ID", s.entra_client_id)):
        if value and not _GUID.fullmatch(value):
            raise ConfigError(f"{name}: must be a GUID (Entra admin center, app registration overview)")
    if not demo and not s.imap_configured:
        # Neither Outlook nor Thunderbird can tell a message's IMAP UID: without a mail server
        # to look it up in, no click could ever link.
        raise ConfigError("IMAP_HOST: required outside demo mode; the server looks each mail up on "
                          "the mail server onOffice reads (neither Outlook nor Thunderbird knows its UID)")
    _check_login_template(s.imap_username)
    if s.imap_configured and s.imap_auth == "password" and not s.imap_password:
        raise ConfigError("IMAP_PASSWORD: required for IMAP_AUTH=password")
    if s.imap_configured and s.imap_auth == "xoauth2" and not s.entra_client_secret:
        raise ConfigError("ENTRA_CLIENT_SECRET: required for IMAP_AUTH=xoauth2 (app token)")
    if s.identity_map is not None:
        if not s.identity_map.is_file():
            raise ConfigError(f"IDENTITY_MAP: no readable file at {s.identity_map}")
        try:  # a broken line stops the start, like any other bad value, not with a traceback
            parse_identity_map(s.identity_map)
        except IdentityMapError as exc:
            raise ConfigError(f"IDENTITY_MAP: {exc}") from None
    _check_shared_mailboxes(s.shared_mailboxes)
    if s.identity_pattern and not _pattern_ok(s.identity_pattern):
        raise ConfigError("IDENTITY_PATTERN: use only {mailbox}, {local} and {domain} placeholders")


def _check_shared_mailboxes(path: Path | None) -> None:
    if path is None:
        return
    if not path.is_file():
        raise ConfigError(f"SHARED_MAILBOXES: no readable file at {path}")
    try:
        parse_shared_mailboxes(path)
    except SharedMailboxesError as exc:
        raise ConfigError(f"SHARED_MAILBOXES: {exc}") from None


_TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")


def _check_login_template(template: str) -> None:
    unknown = [f for f in _TEMPLATE_FIELD.findall(template) if f not in ("mailbox", "identity")]
    if unknown:
        raise ConfigError(f"IMAP_USERNAME: unknown placeholder {{{unknown[0]}}}; "
                          "use {mailbox} and {identity}")
    if "{mailbox}" not in template and "{identity}" not in template:
        raise ConfigError("IMAP_USERNAME: needs {mailbox} or {identity}, or every user would read "
                          "the same mailbox")


def _pattern_ok(pattern: str) -> bool:
    try:
        result = pattern.format(mailbox="a@b", local="a", domain="b")
    except (KeyError, IndexError, ValueError):
        return False
    return "@" in result


def demo_secret_key() -> str:
    """A per-process key for demo mode, so demo tokens never outlive the demo server."""
    return secrets.token_urlsafe(48)


class _Reader:
    """Typed access to the environment; each failure names its variable."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env

    def text(self, name: str, default: str = "", keep_empty: bool = False) -> str:
        value = self._env.get(name)
        if value is None:
            return default
        value = value.strip()
        if any(c in value for c in "\r\n\x00"):
            raise ConfigError(f"{name}: contains a line break or NUL character")
        return value if (value or keep_empty) else default

    def url(self, name: str, default: str) -> str:
        value = self.text(name, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{name}: not an http(s) URL: {value!r}")
        return value

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name}: not a whole number: {raw!r}") from None
        if not low <= value <= high:
            raise ConfigError(f"{name}: must be between {low} and {high}, got {value}")
        return value

    def number(self, name: str, default: float) -> float:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name}: not a number of seconds: {raw!r}") from None
        if not 0 < value <= 300:
            raise ConfigError(f"{name}: must be between 0 and 300 seconds, got {value}")
        return value

    def duration(self, name: str, default: timedelta) -> timedelta:
        """Seconds, or a number with ``s``, ``m``, ``h`` or ``d``; at least one second."""
        raw = self.text(name).lower()
        if not raw:
            return default
        match = _DURATION.fullmatch(raw)
        if not match:
            raise ConfigError(f"{name}: not a duration (seconds, or e.g. 30m, 12h, 7d): {raw!r}")
        seconds = int(match[1]) * _UNITS[match[2] or "s"]
        if not 1 <= seconds <= 366 * 86400:
            raise ConfigError(f"{name}: must be between 1 second and 366 days, got {raw!r}")
        return timedelta(seconds=seconds)

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name, default).lower()
        if value not in allowed:
            raise ConfigError(f"{name}: must be one of {', '.join(allowed)}, got {value!r}")
        return value

    def path(self, name: str) -> Path | None:
        raw = self.text(name)
        return Path(raw) if raw else None
