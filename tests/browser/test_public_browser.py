"""Public journeys in a real browser: results explorer, authority lookup, API docs; keyboard and axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_audit
from tests.factories import RENNES, make_edition, make_estimate, make_rennes, make_response

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


#: Words of the page's text cut across two lines (a word whose box spans several lines).
BROKEN_WORDS_JS = """
() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const re = /[^\\s\\u00a0\\u202f]{4,}/g;
    let m;
    while ((m = re.exec(node.textContent)) !== null) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(rects.map(r => Math.round(r.top)));
      if (lines.size > 1 && !/[-\\u2010\\u2013\\u2014/]/.test(m[0])) broken.push(m[0]);
    }
  }
  return broken;
}
"""


def test_authority_page_at_390px_has_no_horizontal_scroll_no_broken_word_and_passes_axe(
    browser: Any, live_server: Any, data: None
) -> None:
    from barometre.apps.editions.models import Edition

    e25 = Edition.objects.get(year=2025)
    rennes_stratum = RENNES["stratum"]
    make_estimate(
        e25, "rssi", breakdown="strate", domain_value=rennes_stratum, estimate=64.0, ci_low=50.0, ci_high=76.0, n=40
    )
    make_estimate(e25, "rssi", estimate=41.0, ci_low=37.0, ci_high=45.0)
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + f"/collectivites/{RENNES['code']}/", wait_until="domcontentloaded", timeout=90_000)
    assert page.locator("[data-peer=rssi]").count() == 1
    assert page.locator(".barometre-legend li").count() == 3
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
        "document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className + ' ' + "
        "Math.round(e.getBoundingClientRect().right) + ' ' + getComputedStyle(e).whiteSpace + ' ' + "
        "getComputedStyle(e).width).slice(0, 12)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), wide
    assert page.evaluate(BROKEN_WORDS_JS) == []
    assert "ePCI" not in page.locator("main").inner_text()
    assert axe_audit(page) == []
    context.close()
