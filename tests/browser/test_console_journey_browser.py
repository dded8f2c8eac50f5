"""A whole edition run from the console in a real browser, keyboard only (the issue's acceptance journey).

The analyst signs in through a real OpenID provider (npm oidc-provider) started by the test, creates
edition 2027 on the 2025 questionnaire, previews and draws a sample, imports contacts from a CSV file,
opens the collection and sends the invitations to a real SMTP server (aiosmtpd); each received link
opens its own authority's form. A respondent, in a second browser, answers and submits; the
monitoring page shows it; a reminder to one stratum reaches exactly its non-respondents. Then the
analyst closes, weights, computes, publishes and builds the note, following each background job in
its page while the django-tasks worker runs it. axe checks every console page visited.

So that weighting has something to weigh, the other respondents of the sample are written directly
in the database (simulated answers to the 2025 questionnaire) before the collection is closed.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections
from django.db.backends.signals import connection_created
from django.utils import timezone

from barometre.apps.console.models import Job, JobState
from barometre.apps.editions.models import (
    Answer,
    AuditEntry,
    Edition,
    EditionState,
    Response,
    ResponseStatus,
    SampleUnit,
)
from barometre.apps.registry.models import Authority
from barometre.core.registry.model import STRATUM_LABELS, Stratum
from tests.browser.conftest import axe_audit
from tests.browser.helpers import choose_file_by_keyboard
from tests.web.console.conftest import make_user, running_provider, smtp  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ANALYST = "analyste@observatoire.fr"
SIZE, SEED, OTHERS = 1000, 0, 400
A, B = Stratum.COMMUNES_LT_3500, Stratum.COMMUNES_3500_9999
LINK = re.compile(r"(http://\S+)")


def focused(page: Any, selector: str) -> bool:
    return bool(page.evaluate(f"() => !!document.activeElement && document.activeElement.matches({selector!r})"))


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def tab_to_button(page: Any, text: str, limit: int = 200) -> None:
    """Press Tab until the button reading ``text`` has the focus."""
    check = (
        "(t) => !!document.activeElement && document.activeElement.tagName === 'BUTTON'"
        " && document.activeElement.textContent.trim() === t"
    )
    for _ in range(limit):
        if page.evaluate(check, text):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"button {text!r} never got the focus")


def press_link(page: Any, href: str) -> None:
    tab_to(page, f'a[href="{href}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def no_violations(page: Any, seen: set[str]) -> None:
    """axe on each kind of console page, the first time it is visited."""
    kind = re.sub(r"\d+", "N", page.url.split("?")[0])
    if kind in seen:
        return
    seen.add(kind)
    violations = axe_audit(page)
    assert violations == [], (page.url, violations)


def worker() -> None:
    """What `barometre manage db_worker` (started by `make run`) does, once over the queue.

    The test database is SQLite in memory with a shared cache, where a table read by the live
    server (the job page polling) makes the worker's exclusive transaction fail at once instead of
    waiting: the worker then tries again (a file database waits, see the settings' busy timeout)."""
    for _ in range(50):
        try:
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
            return
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.1)
    raise AssertionError("the worker never got the queue")


@pytest.fixture(autouse=True)
def _readers_take_no_table_lock() -> Any:
    """Shared-cache SQLite: readers (the live server) read without table locks, so that the worker
    writing a job's progress is never refused while the page polls it."""

    def pragma(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA read_uncommitted = true")

    connection_created.connect(pragma)
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.connection is not None:
            conn.cursor().execute("PRAGMA read_uncommitted = true")
    yield
    connection_created.disconnect(pragma)


def run_action(page: Any, base: str, button: str, seen: set[str], timeout: float = 240_000) -> Job:
    """From the edition page: press the action's button, follow its job in the page until it is done."""
    page.goto(base + "/console/editions/2027/")
    tab_to_button(page, button)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/console/travaux/*/")
    pk = int(page.url.rstrip("/").split("/")[-1])
    assert Job.objects.get(pk=pk).state == JobState.QUEUED  # the request only queued it
    assert page.locator("#job-progress").count() == 1
    no_violations(page, seen)
    worker()
    page.wait_for_function(
        "() => document.getElementById('job-state').textContent.trim() !== 'en attente'"
        " && document.getElementById('job').dataset.running === '0'",
        timeout=timeout,
    )
    job = Job.objects.get(pk=pk)
    assert job.state == JobState.DONE, job.log
    assert page.locator("#job-state").inner_text().strip() == "terminé"
    assert page.locator("#job-progress-text").inner_text() == "100 %"
    assert page.locator("#job-log").inner_text().strip().splitlines()[-1].endswith(job.log.strip().splitlines()[-1])
    return job


def links_of(messages: list[Message]) -> dict[str, str]:
    """Recipient → the personal link in the message (the respondents' portal, /repondre/…)."""
    out = {}
    for m in messages:
        body = m.get_payload(decode=True).decode()
        (out[m["To"]],) = [u for u in LINK.findall(body) if "/repondre/" in u]
    return out


@pytest.fixture
def provider(settings: Any, live_server: Any) -> Any:
    with running_provider(settings, live_server.url + "/console/oidc/callback/") as issuer:
        yield issuer


def test_an_analyst_runs_a_whole_edition_from_the_console(
    browser: Any,
    page: Any,
    live_server: Any,
    smtp: Any,  # noqa: F811
    provider: str,
    settings: Any,
    tmp_path: Path,
) -> None:
    from barometre.apps.editions.queries import catalogue
    from barometre.apps.registry.loading import load_registry
    from barometre.core.questionnaire import load_edition
    from barometre.core.registry import load_snapshot
    from barometre.core.sampling import draw_sample
    from barometre.core.simulate import simulate_edition

    base = live_server.url
    settings.BAROMETRE_BASE_URL = base
    settings.DATA_DIR = tmp_path  # the notes are built there
    load_registry()
    make_user("analyst", email=ANALYST)
    seen: set[str] = set()

    # The sample the analyst will draw (same design, size and seed), and the simulated answers of
    # its respondents (the 2025 questionnaire, on which edition 2027 runs).
    frame = load_snapshot()
    sample = draw_sample(frame, size=SIZE, allocation="proportional", seed=SEED)
    sim = simulate_edition(
        2025, 1, OTHERS, frame=frame, questionnaire=load_edition(2025), catalogue=catalogue(), sample=sample
    )
    strata = dict(zip(sample.codes, sample.strata, strict=True))
    answering = sorted(c for c in sim.respondents if strata[c] == A)
    silent = sorted(c for c in sample.codes if c not in sim.respondents)
    respondent = answering[0]
    silent_a = [c for c in silent if strata[c] == A][:2]
    silent_b = [c for c in silent if strata[c] == B][:3]
    people = {
        respondent: ["dgs@repondante.fr"],
        silent_a[0]: ["maire@silencieuse-a1.fr", "dgs@silencieuse-a1.fr"],
        silent_a[1]: ["dgs@silencieuse-a2.fr"],
        **{code: [f"dgs@silencieuse-b{i}.fr"] for i, code in enumerate(silent_b)},
    }
    names = dict(Authority.objects.filter(code__in=people).values_list("code", "name"))

    # 1. sign in through the OpenID provider, keyboard only
    page.goto(base + "/console/")
    assert "/console/connexion/" in page.url
    no_violations(page, seen)
    tab_to(page, 'a[href^="/console/oidc/authenticate/"]')
    page.keyboard.press("Enter")
    page.wait_for_selector('input[name="login"]')
    tab_to(page, 'input[name="login"]')
    page.keyboard.type(ANALYST)
    page.keyboard.press("Tab")
    page.keyboard.type("any password")
    page.keyboard.press("Enter")
    page.wait_for_selector('input[name="login"]', state="detached")
    page.wait_for_load_state()
    if not page.url.startswith(base):  # the provider's consent page
        page.wait_for_selector('button[type="submit"]')
        tab_to(page, 'button[type="submit"]')
        page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/")
    assert ANALYST in page.inner_text("main")
    no_violations(page, seen)

    # 2. create edition 2027
    press_link(page, "/console/editions/nouvelle/")
    no_violations(page, seen)
    today = timezone.localdate()
    for field, value in (
        ("#id_year", "2027"),
        ("#id_questionnaire", "2025"),
        ("#id_opens_on", today.isoformat()),
        ("#id_closes_on", (today + timedelta(days=45)).isoformat()),
        ("#id_organiser", "Observatoire des territoires"),
        ("#id_help_email", "aide@observatoire.fr"),
        ("#id_help_phone", "01 23 45 67 89"),
    ):
        tab_to(page, field)
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/editions/2027/")
    edition = Edition.objects.get(year=2027)
    assert (edition.state, edition.questionnaire_year, edition.organiser) == (
        "draft",
        2025,
        "Observatoire des territoires",
    )
    no_violations(page, seen)

    # 3. preview the allocation, then draw the sample
    press_link(page, "/console/editions/2027/echantillon/")
    tab_to(page, "#id_size")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(SIZE))
    page.keyboard.press("Enter")
    page.wait_for_selector("table")
    preview = page.inner_text("table")
    assert STRATUM_LABELS[A] in preview and A.value not in preview  # names, not codes
    assert not SampleUnit.objects.exists()  # a preview draws nothing
    no_violations(page, seen)
    tab_to_button(page, "Tirer cet échantillon")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/editions/2027/")
    assert set(SampleUnit.objects.values_list("authority__code", flat=True)) == set(sample.codes)

    # 4. import the contacts (CSV upload)
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "authority,email,name,role\n"
        + "".join(f"{code},{email},,DGS\n" for code, emails in people.items() for email in emails),
        encoding="utf-8",
    )
    press_link(page, "/console/editions/2027/contacts/")
    no_violations(page, seen)
    choose_file_by_keyboard(page, "#id_file", str(csv))
    tab_to(page, 'form[enctype="multipart/form-data"] button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "7 contacts importés" in page.inner_text("main")

    # 5. open the collection, send the invitations
    run_action(page, base, "Ouvrir la collecte", seen)
    assert Edition.objects.get(year=2027).state == EditionState.OPEN
    job = run_action(page, base, "Envoyer les invitations", seen)
    assert (job.result["sent"], job.result["failed"]) == (7, 0)
    assert job.result["skipped_no_contact"] == SIZE - len(people)
    received = {m["To"]: m for m in smtp.messages}
    assert set(received) == {e for emails in people.values() for e in emails}
    links = links_of(smtp.messages)
    for code, emails in people.items():
        for email in emails:
            body = received[email].get_payload(decode=True).decode()
            assert "Observatoire des territoires" in body and "aide@observatoire.fr" in body
            opened = page.request.get(links[email])
            assert opened.status == 200 and names[code] in opened.text(), (code, email)

    # 6. a respondent, in another browser, answers and submits (most answers were saved at an
    #    earlier visit; the last one is given now)
    response = Response.objects.get(edition=edition, authority__code=respondent)
    earlier = {q: v for q, v in sim.answers[respondent].items() if q != "role_repondant"}
    Answer.objects.bulk_create([Answer(response=response, question_id=q, value=v) for q, v in earlier.items()])
    other = browser.new_context(locale="fr-FR", bypass_csp=True)
    respondent_page = other.new_page()
    link = links[people[respondent][0]]
    respondent_page.goto(link)
    assert names[respondent] in respondent_page.inner_text("main")
    tab_to(respondent_page, "#portal-start")
    with respondent_page.expect_navigation():
        respondent_page.keyboard.press("Enter")
    if "/section/collectivite/" not in respondent_page.url:  # resumed further on: back to the first section
        respondent_page.goto(link.rstrip("/") + "/section/collectivite/")
    respondent_page.wait_for_selector("#portal-form")
    tab_to(respondent_page, "#q-role-repondant-0")
    respondent_page.keyboard.press("ArrowDown")  # "Direction générale"
    respondent_page.wait_for_function(
        "() => ['saved', 'error'].includes(document.querySelector('#portal-form').dataset.autosaveState)"
    )
    assert Answer.objects.get(response=response, question_id="role_repondant").value == "direction_generale"
    respondent_page.goto(link.rstrip("/") + "/envoyer/")
    tab_to(respondent_page, "#portal-confirm")
    respondent_page.keyboard.press("Space")
    tab_to(respondent_page, "#portal-submit")
    respondent_page.keyboard.press("Enter")
    respondent_page.wait_for_url("**/recapitulatif/?envoye=1")
    other.close()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.SUBMITTED
    # the confirmation e-mail (a background job) reaches the authority's contact before any reminder
    worker()
    assert any(m["To"] == "dgs@repondante.fr" for m in smtp.messages)

    # 7. the monitoring page shows it
    page.goto(base + "/console/editions/2027/")
    press_link(page, "/console/editions/2027/suivi/")
    no_violations(page, seen)
    row = page.locator("table").first.locator("tr", has=page.locator("th", has_text=STRATUM_LABELS[A]))
    cells = row.locator("td").all_inner_texts()
    assert cells[1:4] == ["3", "0", "1"], cells  # invited, started, submitted
    assert "R-indicateur" in page.inner_text("main")

    # 8. remind that stratum: only its non-respondents receive a message
    before = len(smtp.messages)
    tab_to_button(page, f"Relancer la strate {STRATUM_LABELS[A]}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/console/travaux/*/")
    worker()
    page.wait_for_function("() => document.getElementById('job-state').textContent.trim() === 'terminé'")
    reminded = {m["To"] for m in smtp.messages[before:]}
    assert reminded == {*people[silent_a[0]], *people[silent_a[1]]}
    assert all(str(make_header(decode_header(m["Subject"]))).startswith("Rappel") for m in smtp.messages[before:])

    # the other respondents of the sample (simulated, written directly), so that weighting has data
    pks = dict(Authority.objects.filter(code__in=sim.respondents).values_list("code", "pk"))
    now = timezone.now()
    made = Response.objects.bulk_create(
        [
            Response(edition=edition, authority_id=pks[c], status=ResponseStatus.SUBMITTED, submitted_at=now)
            for c in sim.respondents
            if c != respondent
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(response=r, question_id=q, value=v)
            for r, c in zip(made, [c for c in sim.respondents if c != respondent], strict=True)
            for q, v in sim.answers[c].items()
        ],
        batch_size=2000,
    )

    # 9. close, weight, compute, publish, build the note: each a background job followed in its page
    run_action(page, base, "Clore la collecte", seen)
    assert "répondants" in run_action(page, base, "Pondérer", seen).log
    assert "estimations" in run_action(page, base, "Calculer les indicateurs", seen).log
    run_action(page, base, "Publier", seen)
    assert Edition.objects.get(year=2027).state == EditionState.PUBLISHED
    note = run_action(page, base, "Construire la note", seen, timeout=600_000)
    assert "note construite" in note.log
    assert all((tmp_path / "notes" / "2027" / lang / "index.html").exists() for lang in ("fr", "en"))

    # 10. every step is in the audit log, under the analyst's name
    press_link(page, "/console/journal/")
    no_violations(page, seen)
    log = page.inner_text("main")
    done = set(AuditEntry.objects.filter(actor=ANALYST).values_list("action", flat=True))
    steps = {"signin", "edition_create", "sample_draw", "contacts_import", "job_open", "job_send", "job_remind"}
    steps |= {"job_close", "job_weight", "job_compute", "job_publish", "job_note", "edition_closed"}
    assert steps <= done, steps - done
    assert ANALYST in log and "tirage de l'échantillon" in log and "travail lancé : pondérer" in log
