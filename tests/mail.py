"""A real SMTP server on loopback (aiosmtpd), for tests where email matters: the `smtp`
fixture (tests/conftest.py) points Django's default mailer at it and yields its inbox."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def parsed(self):
        """Each message as an email.message.EmailMessage (body decoded)."""
        return [email.message_from_bytes(m.content, policy=policy.default) for m in self.messages]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = smtp_mailer(port)
    yield inbox
    controller.stop()


def smtp_mailer(port):
    options = {"host": "127.0.0.1", "port": port, "timeout": 5}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
