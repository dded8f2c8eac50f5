"""Public journeys in a real browser: results explorer, authority lookup, API docs; keyboard and axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_audit
from tests.factories import make_edition, make_estimate, make_rennes, make_response

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data() -> None:
    e24 = make_edition(2024)
    e25 = make_edition(2025)
    make_response(
        e25,
        make_rennes(),
    )
    make_estimate(e24, "ai_done_or_planned", estimate=45.0, ci_low=40.0, ci_high=50.0)
    make_estimate(e25, "ai_done_or_planned", estimate=58.4, ci_low=52.1, ci_high=64.7)
    make_estimate(
        e25,
        "ai_done_or_planned",
        breakdown="strate",
        domain_value="regions",
        estimate=88.0,
        ci_low=70.0,
        ci_high=97.0,
        n=12,
    )
    make_estimate(e25, "cyber_attack_suffered", estimate=17.0, ci_low=12.0, ci_high=22.0)


def test_explorer_journey_with_keyboard_and_axe(page: Any, live_server: Any, data: None) -> None:
    page.goto(live_server.url + "/resultats/")
    assert page.locator(".barometre-simulated").is_visible()
    assert axe_audit(page) == []
    # keyboard only: tab to the indicator link and follow it
    link = page.get_by_role("link", name="Ont recours à l'IA ou le prévoient dans les 12 mois")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/resultats/ai_done_or_planned/" in page.url, page.url
    titles = page.evaluate("[...document.querySelectorAll('svg[role=img] > title')].map(t => t.textContent)")
    assert titles and all(titles)
    # choose the stratum breakdown with the keyboard and submit the form
    page.locator("#breakdown").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#breakdown").select_option("strate")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").press("Enter")
    assert page.locator("[data-domain=regions]").inner_text() == "88\u00a0%"
    assert axe_audit(page) == []


def test_authority_lookup_journey_on_a_phone(browser: Any, live_server: Any, data: None) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/collectivites/")
    page.locator("#q").fill("rennes")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name="Rennes").click()
    assert page.locator("#sous-attaque").is_visible()
    assert page.locator("[data-obligation=reen][data-status=applies]").count() == 1
    assert axe_audit(page) == []
    context.close()


def test_api_docs_page_is_accessible(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/api/v1/docs/")
    assert page.get_by_role("heading", name="API publique").is_visible()
    assert axe_audit(page) == []
    page.goto(live_server.url + "/donnees-ouvertes/")
    assert axe_audit(page) == []


def test_poll_pages_are_accessible(page: Any, live_server: Any, data: None) -> None:
    from barometre.apps.poll import services

    services.simulate(2025, 1, publish=True)
    page.goto(live_server.url + "/resultats/?edition=2025")
    assert page.locator("#regard-des-francais").count() == 1
    assert axe_audit(page) == []
    page.goto(live_server.url + "/resultats/sondage/2025/")
    assert page.locator("h1").inner_text().startswith("Regard des Français")
    assert axe_audit(page) == []
