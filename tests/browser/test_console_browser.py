"""The analysts' console in a real browser: keyboard only, from sign-in to a queued job; axe on every page type."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from barometre.apps.console.models import Job
from barometre.apps.editions.models import Edition, Response
from tests.browser.conftest import axe_audit
from tests.browser.helpers import tab_to
from tests.factories import make_authority
from tests.web.console.conftest import (  # noqa: F401
    PASSWORD,
    _console_settings,
    current_code,
    make_user,
    open_edition,
    smtp,
)

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/console/")
    assert "/console/connexion/" in page.url
    tab_to(page, "#id_email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(current_code(email))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/")


def test_analyst_keyboard_journey_and_axe(live_server: Any, page: Any, smtp: Any) -> None:  # noqa: F811
    edition = open_edition()
    a = make_authority(name="Commune Suivie")
    Response.objects.create(edition=edition, authority=a, status="submitted", submitted_at=timezone.now())
    Response.objects.create(edition=edition, authority=make_authority(), status="invited")
    Response.objects.create(edition=edition, authority=make_authority(stratum="communes_3500_9999"), status="invited")
    Response.objects.create(
        edition=edition,
        authority=make_authority(stratum="communes_3500_9999"),
        status="submitted",
        submitted_at=timezone.now(),
    )
    email = make_user("analyst")
    base = live_server.url
    assert axe_audit_page(page, base + "/console/connexion/") == []
    sign_in(page, base, email)
    assert axe_audit(page) == []
    # to the edition, by keyboard
    tab_to(page, 'a[href="/console/editions/2026/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/editions/2026/")
    assert axe_audit(page) == []
    tab_to(page, 'a[href="/console/editions/2026/suivi/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/editions/2026/suivi/")
    assert "R-indicateur" in page.content()
    assert axe_audit(page) == []
    # remind one stratum: the request only queues a job, whose page shows its progress
    tab_to(page, "form[action='/console/editions/2026/envoyer/'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/console/travaux/*/")
    job = Job.objects.get()
    assert job.kind == "remind" and job.params["stratum"] in ("communes_moins_3500", "communes_3500_9999")
    assert page.locator("#job-progress").count() == 1
    assert axe_audit(page) == []
    # the worker runs it; the open page follows (no reload) until it ends
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.wait_for_function("() => document.getElementById('job-state').textContent.trim() === 'terminé'")
    assert page.locator("#job-progress-text").inner_text() == "100 %"
    assert "relances" in page.locator("#job-log").inner_text()
    for path in (
        "/console/editions/2026/echantillon/?design=proportional&size=3000&seed=0&expected_rate=40",
        "/console/editions/2026/contacts/",
        f"/console/editions/2026/reponses/{a.code}/",
        "/console/editions/2026/reponses/",
        "/console/modeles/invitation/fr/",
        "/console/journal/",
        "/console/guide/",
        "/console/editions/nouvelle/",
    ):
        assert axe_audit_page(page, base + path) == [], path
    assert Edition.objects.get(year=2026).state == "open"


def axe_audit_page(page: Any, url: str) -> list[dict[str, Any]]:
    page.goto(url)
    return axe_audit(page)
