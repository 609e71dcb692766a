"""Finding a message's IMAP folder and UID in the mailbox onOffice reads. No Flask in here."""

from .base import (
    LocateError,
    Location,
    LocationRequired,
    Locator,
    MailServerRefused,
    MailServerUnreachable,
    MessageNotFound,
)

__all__ = [
    "LocateError", "Location", "LocationRequired", "Locator", "MailServerRefused",
    "MailServerUnreachable", "MessageNotFound",
]
