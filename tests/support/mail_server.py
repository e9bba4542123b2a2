"""A real SMTP server for the tests (aiosmtpd on a free local port) that keeps what it receives.

    def test_...(mail_server):
        ...  # point SECRETARIAT_SMTP_URL / Settings(smtp_url=mail_server.url) at it
        message = mail_server.wait_for(lambda m: m["To"].endswith("<edith@example.org>"))

`stop()` and `start()` take it down and bring it back on the same port, to test retries."""
from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keeper:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self):
        self.port = _free_port()
        self.keeper = _Keeper()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.keeper.arrived:
            return list(self.keeper.messages)

    def start(self) -> "MailServer":
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, matches, timeout: float = 15.0) -> EmailMessage:
        """The first message for which `matches(message)` holds, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self.keeper.arrived:
            while True:
                found = next((m for m in self.keeper.messages if matches(m)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such e-mail within {timeout} s; received: "
                                         f"{[(m['To'], m['Subject']) for m in self.keeper.messages]}")
                self.keeper.arrived.wait(left)


def bodies(message: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of a received message."""
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()
