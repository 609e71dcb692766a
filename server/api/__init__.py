"""The HTTP layer: translates requests to service calls and errors to the one JSON shape."""

from .routes import bp

__all__ = ["bp"]
