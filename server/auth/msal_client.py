"""The one module that talks to Entra ID through msal: sign-in code flow and app tokens.

One ``ConfidentialClientApplication`` per process, created on first use (msal contacts
Entra when it is built, and start-up must not depend on Entra being reachable). Its
token cache keeps only client-credentials tokens: users' refresh tokens are never kept,
not even in memory, so there is nothing to encrypt at rest. HTTP goes through a
``requests.Session`` that ignores ``REQUESTS_CA_BUNDLE``/proxies from the environment
and trusts exactly the CA bundle we were given (see test-infrastructure.md §3).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import msal
import requests

from .errors import AuthError, SignInUnavailable

log = logging.getLogger(__name__)

PUBLIC_CLOUD_HOST = "login.microsoftonline.com"
TIMEOUT = 10.0


class _AppTokensOnly(msal.TokenCache):
    """Caches the app's own client-credentials tokens; drops every user token msal hands it."""

    def add(self, event: dict[str, Any], now: Any = None) -> None:  # type: ignore[override]
        if event.get("grant_type") == "client_credentials":
            super().add(event, now=now)


class _Session(requests.Session):
    """msal ignores its own ``timeout`` when handed an http_client, so the session sets one."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def http_session(ca_bundle: str | None) -> requests.Session:
    session = _Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE would override verify
    session.verify = ca_bundle or True
    return session


class EntraClient:
    def __init__(self, *, tenant_id: str, client_id: str, client_secret: str,
                 authority_host: str, imap_scope: str = "", ca_bundle: str | None = None):
        self.tenant_id, self.client_id, self.imap_scope = tenant_id, client_id, imap_scope
        self.authority = f"{authority_host.rstrip('/')}/{tenant_id}"
        self._secret = client_secret
        self.http = http_session(ca_bundle)
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"EntraClient(authority={self.authority!r}, client_id={self.client_id!r})"

    def _msal(self) -> msal.ConfidentialClientApplication:
        with self._lock:
            if self._app is None:
                host = urlsplit(self.authority).hostname or ""
                try:
                    self._app = msal.ConfidentialClientApplication(
                        self.client_id, client_credential=self._secret, authority=self.authority,
                        http_client=self.http, token_cache=_AppTokensOnly(),
                        instance_discovery=None if host == PUBLIC_CLOUD_HOST else False)
                except (requests.RequestException, ValueError) as exc:
                    log.warning("Entra at %s not usable: %s", self.authority, type(exc).__name__)
                    raise SignInUnavailable(
                        "Microsoft sign-in cannot be reached right now; please try again later. "
                        "If it persists, your administrator should run 'flask doctor'.") from None
            return self._app

    def discovery(self) -> dict[str, Any]:
        """The tenant's OpenID configuration (for `flask doctor`); raises requests errors."""
        url = f"{self.authority}/v2.0/.well-known/openid-configuration"
        response = self.http.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()

    def start_sign_in(self, scopes: list[str], redirect_uri: str) -> dict[str, Any]:
        """A new auth-code flow (PKCE, state, nonce): store it whole; send the user to ``auth_uri``."""
        return self._msal().initiate_auth_code_flow(scopes, redirect_uri=redirect_uri,
                                                    response_mode="form_post", prompt="select_account")

    def finish_sign_in(self, flow: dict[str, Any], response: dict[str, str]) -> str:
        """Redeem the code of ``response`` for ``flow``; returns the access token for our API."""
        try:
            result = self._msal().acquire_token_by_auth_code_flow(flow, response)
        except ValueError:  # msal: state or nonce mismatch
            raise AuthError("The sign-in answer does not belong to this sign-in (state or nonce "
                            "mismatch); please start again.", "sign_in_failed") from None
        except requests.RequestException:
            raise SignInUnavailable("Microsoft sign-in cannot be reached right now; "
                                    "please try again later.") from None
        if "access_token" not in result:
            raise AuthError(_describe(result), "sign_in_failed")
        return str(result["access_token"])

    def app_token(self, scope: str) -> str:
        """An app-only token (client credentials) for ``scope``; msal serves it from cache while valid."""
        try:
            result = self._msal().acquire_token_for_client(scopes=[scope])
        except requests.RequestException:
            raise SignInUnavailable("Microsoft sign-in cannot be reached for an app token.") from None
        if "access_token" not in result:
            raise AuthError(_describe(result), "app_token_refused")
        return str(result["access_token"])

    def imap_token_provider(self) -> Callable[[], str]:
        """For the IMAP locator: a callable returning a current app token for IMAP_XOAUTH2_SCOPE."""
        scope = self.imap_scope
        return lambda: self.app_token(scope)


def _describe(result: dict[str, Any]) -> str:
    """Entra's refusal as one line: the error code and the first line of its description."""
    error = str(result.get("error") or "unknown_error")
    description = str(result.get("error_description") or "").splitlines()
    first = description[0][:300] if description else ""
    return f"Microsoft refused: {error}" + (f" ({first})" if first else "")
