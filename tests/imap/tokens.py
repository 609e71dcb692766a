"""Mint RS256 JWTs that Dovecot's oauth2 passdb validates locally (no identity provider needed).

Dovecot looks the key up as ``<azp>/<alg>/<kid>`` in its key directory, takes the user from
the ``email`` claim, requires ``sub`` and checks ``iss`` and ``exp``. Deliberately tiny and
separate from the fake Entra IdP of the sign-in work.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .dovecot import ISSUER, TENANT


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class TokenMinter:
    azp: str = "66666666-7777-8888-9999-000000000000"
    kid: str = "test-key-1"
    key: rsa.RSAPrivateKey = field(default_factory=new_key, repr=False)

    @property
    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def mint(self, email: str, *, lifetime: int = 3600, key: rsa.RSAPrivateKey | None = None) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": "https://outlook.office365.com", "azp": self.azp,
                  "tid": TENANT, "sub": uuid.uuid5(uuid.NAMESPACE_URL, email).hex,
                  "email": email, "iat": now, "nbf": now - 5, "exp": now + lifetime,
                  "roles": ["IMAP.AccessAsApp"], "uti": uuid.uuid4().hex}
        return jwt.encode(claims, key or self.key, algorithm="RS256",
                          headers={"kid": self.kid, "typ": "JWT"})
