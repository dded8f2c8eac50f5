"""Fixtures of the console tests: accounts of each role signed in for real (password + TOTP),
an open edition on the portal's small test questionnaire, and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from barometre.apps.console import accounts
from barometre.apps.editions.models import Edition, EditionState
from tests.factories import make_edition

QUESTIONNAIRES = Path(__file__).parents[1] / "portal" / "questionnaires"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _console_settings(settings: Any) -> None:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = str(QUESTIONNAIRES)
    settings.BAROMETRE_BASE_URL = "http://testserver"


def current_code(email: str) -> str:
    device = TOTPDevice.objects.get(user__username=email)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def make_user(role: str, email: str | None = None) -> str:
    email = email or f"{role}@example.fr"
    accounts.create_user(email, role, password=PASSWORD)
    return email


def signed_in(role: str) -> Client:
    email = make_user(role)
    client = Client()
    response = client.post("/console/connexion/", {"email": email, "password": PASSWORD, "code": current_code(email)})
    assert response.status_code == 302, (response.status_code, response.content.decode()[-3000:])
    return client


@pytest.fixture
def analyst(db: None) -> Client:
    return signed_in("analyst")


@pytest.fixture
def viewer(db: None) -> Client:
    return signed_in("viewer")


@pytest.fixture
def admin(db: None) -> Client:
    return signed_in("admin")


def open_edition(year: int = 2026) -> Edition:
    today = timezone.localdate()
    return make_edition(
        year,
        questionnaire_year=2026,
        questionnaire_version="2026.test",
        state=EditionState.OPEN,
        simulated=False,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        organiser="Observatoire test",
        help_email="aide@example.fr",
    )


@pytest.fixture
def edition(db: None) -> Edition:
    return open_edition()


@dataclass
class Inbox:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.inbox.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.inbox.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on loopback; Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox("127.0.0.1", free_port())
    controller = Controller(_Handler(inbox), hostname=inbox.host, port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = inbox.host
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "barometre@example.fr"
    yield inbox
    controller.stop()


ROOT = Path(__file__).resolve().parents[3]
PROVIDER = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "barometre-console", "test-client-secret"


@contextmanager
def running_provider(settings: Any, callback: str) -> Iterator[str]:
    """A real OpenID provider (npm oidc-provider, run by node) on loopback, the console configured for it."""
    from barometre.apps.console import oidc

    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("node or oidc-provider missing: run `make npm-deps`")
    port = free_port()
    proc = subprocess.Popen(
        [node, str(PROVIDER), str(port), CLIENT_ID, CLIENT_SECRET, callback],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    ready = threading.Event()
    lines: list[str] = []

    def watch() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("ready"):
                ready.set()

    threading.Thread(target=watch, daemon=True).start()
    if not ready.wait(30):
        proc.kill()
        pytest.fail("the OpenID provider did not start: " + "".join(lines)[-2000:])
    issuer = f"http://127.0.0.1:{port}"
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    oidc._discovered.clear()
    try:
        yield issuer
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
        oidc._discovered.clear()
