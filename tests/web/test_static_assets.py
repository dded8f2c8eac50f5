"""Every stylesheet and script a page references is served (the site's own assets included)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"]+)"')
PAGES = ["/", "/resultats/", "/collectivites/", "/donnees-ouvertes/", "/accessibilite/", "/api/v1/docs/"]


def _fetch(client: Client, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    try:
        body = b"".join(response.streaming_content) if response.streaming else response.content
    finally:
        response.close()
    return response.status_code, body


def test_the_site_stylesheet_is_served(client: Client) -> None:
    status, body = _fetch(client, "/static/barometre/site.css")
    assert status == 200
    assert b"{" in body


@pytest.mark.parametrize("page", PAGES)
def test_every_stylesheet_and_script_of_a_page_answers_200(client: Client, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200, page
    assets = set(ASSET.findall(response.content.decode()))
    assert any(a.endswith(".css") for a in assets), page
    missing = [a for a in sorted(assets) if _fetch(client, a.split("?")[0])[0] != 200]
    assert missing == [], f"{page}: {missing}"
