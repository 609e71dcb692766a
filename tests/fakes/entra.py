"""A fake Microsoft Entra ID over real HTTPS (throwaway CA), good enough for msal and PyJWT.

Endpoints (per tenant): OpenID discovery, JWKS (counts fetches), token (client_credentials,
authorization_code with PKCE S256, refresh_token), authorize (signs in ``fake.user`` at once).

Use::

    with FakeEntra(TENANT, CLIENT_ID, SECRET) as entra:
        token = entra.mint(preferred_username="anna@example.test")   # a valid v2 user token
        bad = entra.mint(exp=0, scp=None)      # any claim overridden; None removes it
        pem = entra.public_pem()               # the active key, e.g. for Dovecot's key dict

``mint(key=..., kid=..., alg=...)`` signs with other keys or algorithms (``"none"``, or
``"HS256"`` with bytes as the HMAC secret) for negative tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import ssl
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
import trustme
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, jsonify, redirect, request
from markupsafe import escape

from tests.servers import serve


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class FakeUser:
    mailbox: str = "anna.schmidt@makler-demo.de"
    name: str = "Anna Schmidt"
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))


class FakeEntra:
    def __init__(self, tenant_id: str, client_id: str, client_secret: str, *,
                 app_id_uri: str | None = None, workdir: Path | None = None):
        self.tenant_id, self.client_id, self._secret = tenant_id, client_id, client_secret
        self.app_id_uri = app_id_uri or f"api://{client_id}"
        self._workdir = workdir
        self._lock = threading.Lock()
        self._stack = ExitStack()
        self.base = ""
        self.ca_pem = ""
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> FakeEntra:
        ca = trustme.CA()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
        workdir = self._workdir or Path(self._stack.enter_context(_tempdir()))
        self.ca_pem = str(workdir / "fake-entra-ca.pem")
        ca.cert_pem.write_to_path(self.ca_pem)
        self.base = self._stack.enter_context(serve(self._wsgi(), ssl_context=ctx))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def reset(self) -> None:
        """Back to one fresh signing key, no fetches counted, the default user signed in."""
        with self._lock:
            self.keys: dict[str, rsa.RSAPrivateKey] = {}
            self.active_kid = self._add_key()
            self.jwks_fetches = 0
            self.requests: list[str] = []  # "grant:<type>", "authorize", "discovery", "jwks"
            self.user: FakeUser | None = FakeUser()
            self.app_claims: dict[str, Any] = {"roles": ["IMAP.AccessAsApp"]}
            self._codes: dict[str, dict[str, Any]] = {}
            self._used_codes: set[str] = set()
            self._refresh_tokens: dict[str, dict[str, Any]] = {}

    def _add_key(self) -> str:
        kid = secrets.token_urlsafe(12)
        self.keys[kid] = new_key()
        return kid

    def rotate(self, keep_old: bool = True) -> str:
        """Publish a new signing key and sign with it from now on; returns its kid."""
        with self._lock:
            old = dict(self.keys) if keep_old else {}
            kid = self._add_key()
            self.keys = {**old, kid: self.keys[kid]}
            self.active_kid = kid
            return kid

    # -- tokens --------------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return f"{self.base}/{self.tenant_id}/v2.0"

    @property
    def jwks_uri(self) -> str:
        return f"{self.base}/{self.tenant_id}/discovery/v2.0/keys"

    def public_pem(self, kid: str | None = None) -> bytes:
        """SubjectPublicKeyInfo PEM of a published key (default: the active one)."""
        key = self.keys[kid or self.active_kid].public_key()
        return key.public_bytes(serialization.Encoding.PEM,
                                serialization.PublicFormat.SubjectPublicKeyInfo)

    def claims(self, user: FakeUser | None = None, **overrides: Any) -> dict[str, Any]:
        """A v2 access token's claims for this API; ``overrides`` replace, ``None`` removes."""
        user = user or self.user or FakeUser()
        now = int(time.time())
        claims: dict[str, Any] = {
            "aud": self.client_id, "iss": self.issuer, "iat": now, "nbf": now, "exp": now + 3600,
            "azp": self.client_id, "azpacr": "1", "name": user.name, "oid": user.oid,
            "preferred_username": user.mailbox, "email": user.mailbox, "rh": "0.fake.",
            "scp": "access_as_user", "sub": _b64(hashlib.sha256(user.oid.encode()).digest()[:24]),
            "tid": self.tenant_id, "uti": secrets.token_urlsafe(16), "ver": "2.0"}
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def mint(self, *, key: Any = None, kid: str | None = None, alg: str = "RS256",
             headers: dict[str, Any] | None = None, user: FakeUser | None = None,
             **claims: Any) -> str:
        """Sign ``self.claims(**claims)``. Defaults: the active key and its kid, RS256."""
        body = self.claims(user, **claims)
        header = {"typ": "JWT", "kid": kid or self.active_kid, **(headers or {})}
        header = {k: v for k, v in header.items() if v is not None}
        if alg == "none" or alg.startswith("HS"):
            return _unsafe_sign(body, header, alg, key)
        return jwt.encode(body, key or self.keys[self.active_kid], algorithm=alg, headers=header)

    # -- HTTP ------------------------------------------------------------------------------------
    def _wsgi(self) -> Flask:
        app = Flask("fake-entra")
        t = "/<tenant>"
        app.add_url_rule(f"{t}/v2.0/.well-known/openid-configuration", view_func=self._discovery)
        app.add_url_rule(f"{t}/discovery/v2.0/keys", view_func=self._jwks)
        app.add_url_rule(f"{t}/oauth2/v2.0/authorize", view_func=self._authorize)
        app.add_url_rule(f"{t}/oauth2/v2.0/token", view_func=self._token, methods=["POST"])
        return app

    def _tenant_ok(self, tenant: str) -> bool:
        return tenant == self.tenant_id

    def _discovery(self, tenant: str) -> Any:
        if not self._tenant_ok(tenant):
            return _error("invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.", 90002, 400)
        self.requests.append("discovery")
        t = f"{self.base}/{tenant}"
        return jsonify({
            "issuer": self.issuer, "authorization_endpoint": f"{t}/oauth2/v2.0/authorize",
            "token_endpoint": f"{t}/oauth2/v2.0/token", "jwks_uri": self.jwks_uri,
            "response_modes_supported": ["query", "fragment", "form_post"],
            "id_token_signing_alg_values_supported": ["RS256"], "tenant_region_scope": "EU"})

    def _jwks(self, tenant: str) -> Any:
        if not self._tenant_ok(tenant):
            return _error("invalid_tenant", "AADSTS90002: Tenant not found.", 90002, 400)
        with self._lock:
            self.jwks_fetches += 1
            self.requests.append("jwks")
            keys = dict(self.keys)
        return jsonify({"keys": [_jwk(kid, k) for kid, k in keys.items()]})

    def _authorize(self, tenant: str) -> Any:
        a = request.args
        self.requests.append("authorize")
        if not self._tenant_ok(tenant) or a.get("client_id") != self.client_id:
            return Response("AADSTS700016: Application not found in the directory.", 400)
        if a.get("response_type") != "code" or a.get("code_challenge_method") != "S256" \
                or not a.get("code_challenge") or not a.get("redirect_uri"):
            return Response("AADSTS900144: PKCE (S256), response_type=code and redirect_uri "
                            "are required by this fake.", 400)
        if self.user is None:
            answer = {"error": "access_denied", "error_description": "AADSTS65004: declined"}
        else:
            code = secrets.token_urlsafe(32)
            self._codes[code] = {"user": self.user, "redirect_uri": a["redirect_uri"],
                                 "challenge": a["code_challenge"], "nonce": a.get("nonce"),
                                 "scope": a.get("scope", "")}
            answer = {"code": code}
        answer["state"] = a.get("state", "")
        if a.get("response_mode") == "form_post":
            return _form_post(a["redirect_uri"], answer)
        return redirect(f"{a['redirect_uri']}?{_qs(answer)}")

    def _token(self, tenant: str) -> Any:
        f = request.form
        grant = f.get("grant_type", "")
        self.requests.append(f"grant:{grant}")
        if not self._tenant_ok(tenant):
            return _error("invalid_request", "AADSTS90002: Tenant not found.", 90002, 400)
        if f.get("client_id") != self.client_id or not hmac.compare_digest(
                f.get("client_secret", ""), self._secret):
            return _error("invalid_client", "AADSTS7000215: Invalid client secret provided.",
                          7000215, 401)
        handler = {"client_credentials": self._client_credentials,
                   "authorization_code": self._auth_code,
                   "refresh_token": self._refresh}.get(grant)
        if handler is None:
            return _error("unsupported_grant_type", f"AADSTS70003: {grant!r}", 70003, 400)
        return handler(f)

    def _client_credentials(self, f: Any) -> Any:
        scope = f.get("scope", "")
        if not scope.endswith("/.default") or " " in scope:
            return _error("invalid_scope", "AADSTS1002012: use <resource>/.default", 1002012, 400)
        resource = scope[: -len("/.default")]
        claims = {"aud": resource, "scp": None, "name": None, "preferred_username": None,
                  "email": None, "oid": f"sp-{self.client_id}", "idtyp": "app", **self.app_claims}
        token = self.mint(**claims)
        return jsonify({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                        "access_token": token})

    def _auth_code(self, f: Any) -> Any:
        code = f.get("code", "")
        with self._lock:
            grant = self._codes.pop(code, None)
            replay = grant is None and code in self._used_codes
            self._used_codes.add(code)
        if grant is None:
            text = "AADSTS54005: OAuth2 Authorization code was already redeemed" if replay \
                else "AADSTS70000: The provided authorization code is invalid."
            return _error("invalid_grant", text, 54005 if replay else 70000, 400)
        verifier = f.get("code_verifier", "")
        if _b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return _error("invalid_grant", "AADSTS501481: The Code_Verifier does not match "
                          "the code_challenge supplied in the authorization request.", 501481, 400)
        if f.get("redirect_uri") != grant["redirect_uri"]:
            return _error("invalid_grant", "AADSTS50148: redirect_uri mismatch.", 50148, 400)
        return self._user_tokens(grant["user"], grant["scope"], grant["nonce"])

    def _refresh(self, f: Any) -> Any:
        with self._lock:
            grant = self._refresh_tokens.pop(f.get("refresh_token", ""), None)
        if grant is None:
            return _error("invalid_grant", "AADSTS9002313: Invalid refresh token.", 9002313, 400)
        return self._user_tokens(grant["user"], grant["scope"], None)

    def _user_tokens(self, user: FakeUser, scope: str, nonce: str | None) -> Any:
        prefix = f"{self.app_id_uri}/"
        ours = [s[len(prefix):] for s in scope.split() if s.startswith(prefix)]
        refresh = secrets.token_urlsafe(32)
        with self._lock:
            self._refresh_tokens[refresh] = {"user": user, "scope": scope}
        id_token = self.mint(user=user, aud=self.client_id, scp=None, nonce=nonce)
        info = _b64(json.dumps({"uid": user.oid, "utid": self.tenant_id}).encode())
        body = {"token_type": "Bearer", "expires_in": 3599, "scope": scope,
                "refresh_token": refresh, "id_token": id_token, "client_info": info}
        if ours:
            body["access_token"] = self.mint(user=user, scp=" ".join(ours))
        return jsonify(body)

    # -- helpers for tests ---------------------------------------------------------------------
    def session(self) -> requests.Session:
        """A requests session that trusts this fake (and ignores the environment)."""
        s = requests.Session()
        s.trust_env = False
        s.verify = self.ca_pem
        return s

    def follow_authorize(self, auth_uri: str) -> dict[str, str]:
        """Play the user's browser at the authorize endpoint; returns the answer's fields."""
        r = self.session().get(auth_uri, allow_redirects=False)
        if r.status_code in (302, 303):
            return {k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()}
        r.raise_for_status()
        return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', r.text))


def _unsafe_sign(body: dict[str, Any], header: dict[str, Any], alg: str, key: Any) -> str:
    """What PyJWT rightly refuses to produce: unsigned tokens and HMAC keyed with a PEM."""
    head = _b64(json.dumps({**header, "alg": alg}).encode())
    payload = _b64(json.dumps(body).encode())
    signing_input = f"{head}.{payload}".encode()
    if alg == "none":
        return f"{head}.{payload}."
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    return f"{head}.{payload}.{_b64(hmac.new(key, signing_input, digest).digest())}"


def _jwk(kid: str, key: rsa.RSAPrivateKey) -> dict[str, Any]:
    numbers = key.public_key().public_numbers()

    def b64int(n: int) -> str:
        return _b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "use": "sig", "kid": kid, "x5t": kid, "n": b64int(numbers.n),
            "e": b64int(numbers.e)}


def _error(error: str, description: str, code: int, status: int) -> Response:
    body = {"error": error, "error_description": description, "error_codes": [code],
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
            "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())}
    response = jsonify(body)
    response.status_code = status
    return response


def _qs(fields: dict[str, str]) -> str:
    return urlencode(fields)


def _form_post(target: str, fields: dict[str, str]) -> Response:
    inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                     for k, v in fields.items())
    html = (f'<html><body onload="document.forms[0].submit()"><form method="POST" '
            f'action="{escape(target)}">{inputs}</form></body></html>')
    return Response(html, mimetype="text/html")


def _tempdir() -> Any:
    return tempfile.TemporaryDirectory(prefix="fake-entra-")
