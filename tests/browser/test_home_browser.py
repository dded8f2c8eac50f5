"""The home page in a real browser: keyboard only, language switch, accessibility."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_audit

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_keyboard_language_switch_and_axe(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "data, IA et cybersécurité" in page.title()

    # Keyboard only: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"

    # Reach the language switch with Tab and activate it with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('name')") == "language":
            break
    else:
        pytest.fail("the language switch is not reachable with the keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="What the 2024 outlook note said").is_visible()

    assert axe_audit(page) == []
    page.goto(live_server.url + "/accessibilite/")
    assert axe_audit(page) == []
