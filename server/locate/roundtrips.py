"""Counts IMAP round trips on a connection: for the bench and the tests, not used in serving.

A round trip starts whenever the client writes after it has read; pipelined commands written
back to back count once. Attach with ``ImapLocator(..., on_connect=counter.attach)``.
"""

from __future__ import annotations

import threading
from typing import Any

from imapclient import IMAPClient


class RoundTrips:
    def __init__(self) -> None:
        self.count = 0
        self.commands = 0
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self.count = self.commands = 0

    def attach(self, client: IMAPClient) -> None:
        imap: Any = client._imap
        send, readline, read = imap.send, imap.readline, imap.read
        state = {"reading": True}  # a fresh connection has just read its greeting

        def counting_send(data: bytes) -> None:
            with self._lock:
                if state["reading"]:
                    self.count += 1
                self.commands += data.count(b"\r\n")
                state["reading"] = False
            send(data)

        def counting_readline() -> bytes:
            state["reading"] = True
            return readline()

        def counting_read(size: int) -> bytes:
            state["reading"] = True
            return read(size)

        imap.send, imap.readline, imap.read = counting_send, counting_readline, counting_read
