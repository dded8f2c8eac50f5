"""ProConnect sign-in (OpenID Connect) end to end, against a real OpenID provider started by the test
(the npm package oidc-provider run by node), not a mock of the client library."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from django.test import Client

from barometre.apps.console import oidc
from barometre.apps.editions.models import AuditEntry

from .conftest import free_port, make_user

ROOT = Path(__file__).resolve().parents[3]
PROVIDER = ROOT / "tests" / "oidc" / "provider.mjs"
CALLBACK = "http://testserver/console/oidc/callback/"
CLIENT_ID, CLIENT_SECRET = "barometre-console", "test-client-secret"


@pytest.fixture
def provider(settings: Any) -> Iterator[str]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("node or oidc-provider missing: run `make npm-deps`")
    port = free_port()
    proc = subprocess.Popen(
        [node, str(PROVIDER), str(port), CLIENT_ID, CLIENT_SECRET, CALLBACK],
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
    yield issuer
    proc.terminate()
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()
    oidc._discovered.clear()


def _follow(browser: requests.Session, url: str) -> requests.Response | str:
    """Follow the provider's redirects; stop at a page, or return our callback URL."""
    for _ in range(10):
        if url.startswith("http://testserver/"):
            return url
        response = browser.get(url, allow_redirects=False)
        if response.status_code not in (301, 302, 303):
            return response
        url = urljoin(url, response.headers["location"])
    raise AssertionError("too many redirects")


def _submit(browser: requests.Session, page: requests.Response, data: dict[str, str]) -> requests.Response | str:
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, page.text[:500]
    response = browser.post(urljoin(page.url, action.group(1)), data=data, allow_redirects=False)
    assert response.status_code in (302, 303), response.text[:500]
    return _follow(browser, urljoin(page.url, response.headers["location"]))


def _sign_in_at_provider(client: Client, login: str) -> Any:
    start = client.get("/console/oidc/authenticate/?next=/console/")
    assert start.status_code == 302
    assert start["Location"].startswith(oidc.discovery()["authorization_endpoint"])
    with requests.Session() as browser:
        page = _follow(browser, start["Location"])
        assert isinstance(page, requests.Response) and 'name="login"' in page.text
        after_login = _submit(browser, page, {"prompt": "login", "login": login, "password": "any"})
        if isinstance(after_login, requests.Response):  # consent page
            after_login = _submit(browser, after_login, {"prompt": "consent"})
    assert isinstance(after_login, str) and after_login.startswith(CALLBACK)
    return client.get(after_login.removeprefix("http://testserver"))


def test_sign_in_through_the_openid_provider_opens_the_console(provider: str, db: None) -> None:
    make_user("analyst", email="agent@collectivite.fr")
    client = Client()
    callback = _sign_in_at_provider(client, "agent@collectivite.fr")
    assert callback.status_code == 302 and callback["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    assert AuditEntry.objects.filter(actor="agent@collectivite.fr", action="signin", reason="OpenID Connect").exists()
    assert "ProConnect" in Client().get("/console/connexion/").content.decode()


def test_a_person_without_a_console_account_gets_nothing(provider: str, db: None) -> None:
    client = Client()
    callback = _sign_in_at_provider(client, "inconnu@ailleurs.fr")
    assert callback.status_code == 302 and callback["Location"] == "/console/connexion/"
    assert client.get("/console/").status_code == 302
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="inconnu@ailleurs.fr").exists()
