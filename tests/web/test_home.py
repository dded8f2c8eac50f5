"""The public home page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_is_in_french_by_default_with_cited_seed_figures(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Baromètre — data, IA et cybersécurité des territoires" in html
    assert "17\u00a0%" in html and "51\u00a0%" in html and "59\u00a0%" in html
    assert "12 novembre 2024" in html
    assert 'href="#contenu"' in html  # skip link
    assert "/accessibilite/" in html


def test_home_page_switches_to_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "What the 2024 outlook note said" in html
    assert "17%" in html


def test_navigation_lists_only_pages_that_exist(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'class="fr-nav__link" href="/"' in html


def test_security_headers_are_set(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"


def test_unknown_page_is_a_plain_404(client: Client) -> None:
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_csrf_accepts_a_null_origin_with_a_valid_token_only() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    token = client.cookies["csrftoken"].value
    ok = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token}, HTTP_ORIGIN="null")
    assert ok.status_code == 302
    refused = client.post("/i18n/setlang/", {"language": "en"}, HTTP_ORIGIN="null")
    assert refused.status_code == 403
    forged = client.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token}, HTTP_ORIGIN="https://evil.example"
    )
    assert forged.status_code == 403


def test_french_is_the_default_whatever_the_browser_asks(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_home_page_leads_with_the_latest_published_edition_and_its_intervals(client: Client) -> None:
    from tests.factories import make_authority, make_edition, make_estimate, make_response

    e24, e25 = make_edition(2024), make_edition(2025)
    make_response(e25, make_authority())
    make_estimate(e24, "rssi", estimate=30.0, ci_low=25.0, ci_high=35.0)
    make_estimate(e25, "rssi", estimate=41.2, ci_low=36.4, ci_high=46.0)
    html = client.get("/").content.decode()
    latest = html.index('data-latest="rssi"')
    assert latest < html.index("Ce que disait la note de conjoncture 2024")  # ours first, La Poste's quoted after
    assert "Les chiffres de l’édition 2025" in html
    assert "41\u00a0%" in html[latest:] and "[36\u00a0%\u00a0; 46\u00a0%]" in html
