"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives, for reading in tests."""
from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keeper:
    def __init__(self, inbox: list[EmailMessage], lock: threading.Lock) -> None:
        self.inbox = inbox
        self.lock = lock

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.inbox.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start with .start(); .messages lists what arrived; .clear() empties it; .stop() ends it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inbox: list[EmailMessage] = []
        self._controller = Controller(_Keeper(self._inbox, self._lock), hostname="127.0.0.1", port=free_port())

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._inbox)

    def clear(self) -> None:
        with self._lock:
            self._inbox.clear()

    def messages_to(self, recipient: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == recipient]
