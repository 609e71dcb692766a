"""Authentication errors; each becomes a 401 with the reason in its message."""

from __future__ import annotations


class AuthError(Exception):
    def __init__(self, message: str, code: str = "unauthorized"):
        super().__init__(message)
        self.message, self.code = message, code


class SignInUnavailable(Exception):
    """Entra cannot be reached (keys, token endpoint): not the user's fault, so not a 401."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
