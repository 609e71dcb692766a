"""Who is asking: Entra access tokens and our own session tokens. No Flask in here."""

from .authenticator import Authenticator
from .errors import AuthError, SignInUnavailable
from .principal import Principal
from .session_tokens import SESSION_PREFIX, SessionTokens

__all__ = ["SESSION_PREFIX", "AuthError", "Authenticator", "Principal", "SessionTokens", "SignInUnavailable"]
