"""What the browser journeys share: moving by keyboard, waiting for an autosave, auditing a page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import axe_audit


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until ``selector`` has the focus (keyboard only); fail when it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement && document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable with the keyboard")


def choose_file_by_keyboard(page: Any, selector: str, path: str, attempts: int = 3) -> None:
    """Tab to the file input ``selector``, open its file chooser with Space and pick ``path``.

    On a loaded machine Chromium now and then drops the first key press sent while the page is
    still settling; the press is tried again (focus checked each time) before the journey fails."""
    page.wait_for_load_state("load")
    tab_to(page, selector)
    for attempt in range(attempts):
        assert page.evaluate(f"() => document.activeElement.matches({selector!r})"), f"{selector} lost the focus"
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise
            continue
        chooser.value.set_files(path)
        return


def autosave_ready(page: Any) -> None:
    """Wait until the portal's autosave listens to the page's changes: a change made before the
    script has run is sent with the form only, and no autosave state would ever follow."""
    page.wait_for_selector("#portal-form[data-autosave-ready]", state="attached")


def wait_saved(page: Any) -> None:
    """Wait until the portal's autosave has answered (saved, or an error shown to the person)."""
    page.wait_for_function(
        "() => { const f = document.querySelector('#portal-form');"
        " return f && ['saved', 'error'].includes(f.dataset.autosaveState); }"
    )


def no_violations(page: Any) -> None:
    """No serious or critical axe-core violation on the page as it stands."""
    violations = axe_audit(page)
    assert violations == [], violations
