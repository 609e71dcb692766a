"""Validates Entra ID access tokens for this API (Office SSO / nested app authentication).

Rules (see shared/reference/microsoft-identity.md §1): RS256 only, key by ``kid`` from the
tenant's JWKS; ``aud`` = our client id (v2) or our App ID URI / client id (v1); ``iss``
exactly the v2 or v1 form for our tenant; ``tid`` = ours; ``scp`` carries our scope;
``exp``/``nbf`` with a small leeway. The user is ``tid:oid``; the mailbox is the
lower-cased first present of ``preferred_username``/``upn``/``email``/``unique_name``, which
must be a plain ASCII address. Each refusal is an :class:`AuthError`
that says what was wrong, never what the token contained beyond claim names.
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass
from typing import Any

import jwt

from .errors import AuthError
from .jwks import KeySet
from .principal import Principal

V1_ISSUER_HOST = "https://sts.windows.net"
# ASCII only: Entra UPNs are ASCII, and .lower() folds some non-ASCII letters into ASCII ones
# (KELVIN SIGN -> "k"), which would let a look-alike claim land on someone else's identity.
# No "*" (Dovecot's master-user separator in IMAP_USERNAME), no controls, no whitespace.
_MAILBOX = re.compile(r"[A-Za-z0-9!#$%&'+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_KID = re.compile(r"[A-Za-z0-9_\-.=+/]{1,128}")
_MAILBOX_CLAIMS = ("preferred_username", "upn", "email", "unique_name")


@dataclass(frozen=True)
class EntraRules:
    tenant_id: str
    client_id: str
    app_id_uris: tuple[str, ...]
    authority_host: str
    scope: str
    v1_issuer_host: str = V1_ISSUER_HOST
    leeway: int = 60

    @property
    def v2_issuer(self) -> str:
        return f"{self.authority_host}/{self.tenant_id}/v2.0"

    @property
    def v1_issuer(self) -> str:
        return f"{self.v1_issuer_host}/{self.tenant_id}/"

    @property
    def jwks_uri(self) -> str:
        return f"{self.authority_host}/{self.tenant_id}/discovery/v2.0/keys"


class EntraTokenValidator:
    """``validate(token) -> Principal``; thread-safe, one instance per process."""

    def __init__(self, rules: EntraRules, keys: KeySet):
        self.rules, self.keys = rules, keys

    @classmethod
    def create(cls, *, tenant_id: str, client_id: str, authority_host: str, scope: str,
               ssl_context: ssl.SSLContext, app_id_uris: tuple[str, ...] = (),
               v1_issuer_host: str = V1_ISSUER_HOST) -> EntraTokenValidator:
        rules = EntraRules(tenant_id, client_id, app_id_uris or (f"api://{client_id}",),
                           authority_host.rstrip("/"), scope, v1_issuer_host.rstrip("/"))
        return cls(rules, KeySet(rules.jwks_uri, ssl_context))

    def __repr__(self) -> str:
        return f"EntraTokenValidator(tenant={self.rules.tenant_id!r})"

    def validate(self, token: str) -> Principal:
        kid = _signing_kid(token)
        claims = self._decode(token, self.keys.key(kid))
        self._check_origin(claims)
        return _principal(claims)

    def _decode(self, token: str, key: jwt.PyJWK) -> dict[str, Any]:
        r = self.rules
        try:
            return jwt.decode(token, key.key, algorithms=["RS256"],
                              audience=[r.client_id, *r.app_id_uris], leeway=r.leeway,
                              options={"require": ["exp", "iat", "aud", "iss", "tid"],
                                       "verify_iss": False})
        except jwt.ExpiredSignatureError:
            raise AuthError("The Microsoft token has expired; sign in again.") from None
        except jwt.ImmatureSignatureError:
            raise AuthError("The Microsoft token is not valid yet (nbf/iat in the future); "
                            "check the clocks.") from None
        except jwt.InvalidAudienceError:
            raise AuthError("The Microsoft token is meant for another application (aud); "
                            "request a token for this API's access_as_user scope.") from None
        except jwt.InvalidSignatureError:
            raise AuthError("The Microsoft token's signature does not verify.") from None
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError(f"The Microsoft token lacks the '{exc.claim}' claim.") from None
        except jwt.PyJWTError as exc:
            raise AuthError(f"The Microsoft token is malformed ({type(exc).__name__}).") from None

    def _check_origin(self, claims: dict[str, Any]) -> None:
        r = self.rules
        if claims.get("tid") != r.tenant_id:
            raise AuthError("The Microsoft token was issued for another tenant (tid).")
        version = claims.get("ver")
        expected = {"2.0": r.v2_issuer, "1.0": r.v1_issuer}.get(str(version))
        if expected is None:
            raise AuthError("The Microsoft token has an unknown version (ver).")
        if claims.get("iss") != expected:
            raise AuthError("The Microsoft token comes from an unexpected issuer (iss).")
        if version == "2.0" and claims.get("aud") != r.client_id:
            raise AuthError("A v2 Microsoft token must name this API's client id as audience.")
        scopes = claims.get("scp")
        if not isinstance(scopes, str) or r.scope not in scopes.split():
            what = "an app-only token (roles, no scp)" if "roles" in claims else "missing the scope"
            raise AuthError(f"The Microsoft token is {what}; it needs the scope '{r.scope}'.")


def _signing_kid(token: str) -> str:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise AuthError("The bearer token is neither a session token nor a Microsoft token.") from None
    if header.get("alg") != "RS256":
        raise AuthError("The Microsoft token is not signed with RS256; no other algorithm is accepted.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not _KID.fullmatch(kid):
        raise AuthError("The Microsoft token names no usable signing key (kid).")
    return kid


def _principal(claims: dict[str, Any]) -> Principal:
    oid = claims.get("oid")
    if not isinstance(oid, str) or not oid:
        raise AuthError("The Microsoft token names no user (oid).")
    # The first mailbox claim present decides. A malformed one is refused, not skipped in
    # favour of a weaker claim further down (``email`` is not always verified).
    claim = next((c for c in _MAILBOX_CLAIMS if claims.get(c) not in (None, "")), None)
    if claim is None:
        raise AuthError("The Microsoft token names no mailbox (preferred_username, upn or email).")
    value = claims[claim]
    if not isinstance(value, str) or not _MAILBOX.fullmatch(value):
        raise AuthError(f"The Microsoft token's '{claim}' claim is not a plain ASCII e-mail address; "
                        "ask your administrator to check the account's user principal name.")
    mailbox = value.lower()
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    return Principal(f"{claims['tid']}:{oid}", mailbox, name or mailbox, "entra")
