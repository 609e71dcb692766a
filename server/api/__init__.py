"""The HTTP layer: translates requests to service calls and errors to the one JSON shape."""

from . import contact_routes  # noqa: F401  (registers its routes on bp)
from .routes import bp

__all__ = ["bp"]
