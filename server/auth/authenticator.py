"""Turns an ``Authorization`` header into a :class:`Principal`, or refuses with a reason."""

from __future__ import annotations

from typing import Protocol

from .errors import AuthError
from .principal import Principal
from .session_tokens import SESSION_PREFIX, SessionTokens


class BearerValidator(Protocol):
    def validate(self, token: str) -> Principal: ...


class Authenticator:
    def __init__(self, sessions: SessionTokens, entra: BearerValidator | None = None,
                 accept_demo: bool = False):
        self.sessions = sessions
        self.entra = entra
        self.accept_demo = accept_demo  # demo sessions die the moment Entra is configured

    def authenticate(self, header: str | None) -> Principal:
        if not header:
            raise AuthError("Sign in first: the request has no Authorization header.")
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise AuthError("The Authorization header must be 'Bearer <token>'.")
        if token.startswith(SESSION_PREFIX):
            who = self.sessions.verify(token)
            if who.method == "demo" and not self.accept_demo:
                raise AuthError("Demo sessions are not accepted here; sign in with Microsoft.")
            return who
        if self.entra is None:
            raise AuthError("Microsoft sign-in is not configured here; use a session token.")
        return self.entra.validate(token)
