"""The projects catalogue in a real browser: list, filters and project pages by keyboard, on a phone and a
desktop, map page; axe finds no serious or critical violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_audit
from tests.web.projects.conftest import examples_loaded  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_catalogue_filters_and_project_page_by_keyboard(page: Any, live_server: Any, examples_loaded: int) -> None:  # noqa: F811
    page.goto(live_server.url + "/projets/")
    assert page.locator(".barometre-projects > li").count() == examples_loaded
    assert axe_audit(page) == []
    page.locator("#domaine").focus()
    page.locator("#domaine").select_option("eau")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").press("Enter")
    assert "domaine=eau" in page.url
    titles = page.locator(".barometre-projects h2").all_inner_texts()
    assert len(titles) == 3 and all("fuites" in t.lower() for t in titles)
    link = page.get_by_role("link", name="Détection des fuites sur le réseau d'eau potable")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Détection des fuites sur le réseau d'eau potable"
    assert page.get_by_role("link", name="Détection des fuites d'eau sur le réseau").is_visible()
    assert axe_audit(page) == []
    page.goto(live_server.url + "/projets/carte/")
    assert page.locator("svg[role=img] > title").text_content()
    assert axe_audit(page) == []


def test_catalogue_on_a_phone_has_no_horizontal_scroll(browser: Any, live_server: Any, examples_loaded: int) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True, locale="fr-FR")
    page = context.new_page()
    for path in ("/projets/", "/projets/exemple-issygpt/", "/projets/carte/"):
        page.goto(live_server.url + path)
        assert _no_horizontal_scroll(page), path
        assert axe_audit(page) == [], path
    context.close()
