"""The demo mailbox: the sandbox's sample mails, located by Message-ID."""

from __future__ import annotations

from collections.abc import Iterable

from ..sandbox.data import Mail
from .base import Location, MessageNotFound


class SandboxLocator:
    def __init__(self, mails: Iterable[Mail]):
        self._mails = list(mails)

    def locate(self, mailbox: str, message_id: str, folder_hint: str | None = None, *,
               identity: str | None = None) -> Location:
        hits = [m for m in self._mails if m.mailbox == mailbox and m.message_id == message_id]
        hits.sort(key=lambda m: m.folder != folder_hint)
        if not hits:
            raise MessageNotFound(
                f"The mail is not in the mailbox {mailbox} that onOffice reads.", mailbox=mailbox)
        return Location(hits[0].folder, hits[0].uid, 1, source="sandbox")

    def forget(self, mailbox: str, message_id: str) -> None:
        return None
