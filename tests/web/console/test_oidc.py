"""ProConnect sign-in (OpenID Connect) end to end, against a real OpenID provider started by the test
(the npm package oidc-provider run by node), not a mock of the client library."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from django.test import Client

from barometre.apps.console import oidc
from barometre.apps.editions.models import AuditEntry

from .conftest import make_user, running_provider

CALLBACK = "http://testserver/console/oidc/callback/"


@pytest.fixture
def provider(settings: Any) -> Iterator[str]:
    with running_provider(settings, CALLBACK) as issuer:
        yield issuer


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
