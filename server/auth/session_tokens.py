"""Session tokens for clients without SSO: signed (HS256, SECRET_KEY), expiring, revocable.

A token is ``oml.`` + a JWT whose ``sid`` names a row in the session store; deleting or
revoking that row ends the session at once, whatever the token's own expiry says.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from ..store import SessionRecord, SessionStore
from .errors import AuthError
from .principal import Principal

SESSION_PREFIX = "oml."
_AUDIENCE = "onoffice-mail-link/session"


class SessionTokens:
    def __init__(self, secret_key: str, store: SessionStore, lifetime: timedelta):
        self._key = secret_key
        self._store = store
        self.lifetime = lifetime

    def __repr__(self) -> str:
        return f"SessionTokens(lifetime={self.lifetime})"

    def issue(self, user_id: str, mailbox: str, name: str, method: str) -> tuple[str, datetime]:
        return self._mint(self.start(user_id, mailbox, name, method))

    def start(self, user_id: str, mailbox: str, name: str, method: str) -> SessionRecord:
        """A new session row without a token yet (the Thunderbird hand-over mints it later)."""
        return self._store.create(mailbox=mailbox.lower(), name=name, user_id=user_id,
                                  method=method, lifetime=self.lifetime)

    def token_for(self, session_id: str) -> tuple[str, SessionRecord]:
        """The token of a live session, e.g. when its one-time hand-over code is redeemed."""
        record = self._store.get(session_id)
        if record is None or record.revoked or record.expires_at <= datetime.now(UTC):
            raise AuthError("This sign-in was ended before it was completed; please sign in again.",
                            "code_invalid")
        return self._mint(record)[0], record

    def revoke(self, session_id: str) -> None:
        self._store.revoke(session_id)

    def _mint(self, record: SessionRecord) -> tuple[str, datetime]:
        claims = {"sid": record.id, "sub": record.mailbox, "aud": _AUDIENCE,
                  "iat": datetime.now(UTC), "exp": record.expires_at}
        return SESSION_PREFIX + jwt.encode(claims, self._key, algorithm="HS256"), record.expires_at

    def verify(self, token: str) -> Principal:
        if not token.startswith(SESSION_PREFIX):
            raise AuthError("not a session token")
        try:
            claims = jwt.decode(token[len(SESSION_PREFIX):], self._key, algorithms=["HS256"],
                                audience=_AUDIENCE, options={"require": ["sid", "sub", "exp"]})
        except jwt.ExpiredSignatureError:
            raise AuthError("Your session has expired; please sign in again.") from None
        except jwt.PyJWTError:
            raise AuthError("The session token is invalid; please sign in again.") from None
        record = self._store.get(str(claims["sid"]))
        if record is None or record.revoked or record.mailbox != claims["sub"]:
            raise AuthError("This session was ended by an administrator; please sign in again.")
        if record.expires_at <= datetime.now(UTC):
            raise AuthError("Your session has expired; please sign in again.")
        return Principal(record.user_id, record.mailbox, record.name, record.method)
