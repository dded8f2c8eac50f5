"""Console actions run as background jobs: the request only queues them; the worker runs them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from barometre.apps.console.models import Job, JobState
from barometre.apps.editions.models import AuditEntry, Edition, EditionState
from tests.factories import make_authority


def _worker() -> None:
    """What `barometre manage db_worker` does, once over the queue."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_action_is_queued_by_the_request_and_run_by_the_worker(
    analyst: Client, edition: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post("/console/editions/2026/actions/close/", {"reason": "fin de collecte"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/travaux/{job.pk}/"
    # nothing ran inside the request
    assert job.state == JobState.QUEUED and Edition.objects.get(pk=edition.pk).state == EditionState.OPEN
    page = analyst.get(f"/console/travaux/{job.pk}/").content.decode()
    assert 'data-running="1"' in page and "en attente" in page
    _worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100 and "collecte close" in job.log
    assert Edition.objects.get(pk=edition.pk).state == EditionState.CLOSED
    assert AuditEntry.objects.filter(actor="analyst@example.fr", action="edition_closed").exists()
    page = analyst.get(f"/console/travaux/{job.pk}/").content.decode()
    assert 'data-running="0"' in page and "collecte close" in page and "100 %" in page
    status = analyst.get(f"/console/travaux/{job.pk}/etat/").json()
    assert (status["state"], status["progress"], status["running"]) == ("done", 100, False)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_a_failing_job_keeps_its_error_in_the_log(
    analyst: Client, edition: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    make_authority()
    with django_capture_on_commit_callbacks(execute=True):
        analyst.post("/console/editions/2026/actions/publish/")
    _worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert "erreur" in job.log and "impossible" in job.log
    assert Edition.objects.get(pk=edition.pk).state == EditionState.OPEN


def test_unknown_action_is_404(analyst: Client, edition: Edition) -> None:
    assert analyst.post("/console/editions/2026/actions/drop-tables/").status_code == 404
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_reminders_are_scheduled_as_deferred_jobs_once(
    analyst: Client, edition: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    edition.opens_on = timezone.localdate() - timedelta(days=5)
    edition.closes_on = timezone.localdate() + timedelta(days=40)
    edition.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert analyst.post("/console/editions/2026/relances-programmees/").status_code == 302
        analyst.post("/console/editions/2026/relances-programmees/")  # again: nothing more
    planned = sorted(j.params["scheduled_for"] for j in Job.objects.filter(kind="remind"))
    expected = [edition.opens_on + timedelta(days=10), edition.opens_on + timedelta(days=20)]
    expected.append(edition.closes_on - timedelta(days=3))
    assert planned == [d.isoformat() for d in expected]
    _worker()  # not due yet: the worker leaves them in the queue
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.QUEUED}
    assert "prévu le" in analyst.get("/console/editions/2026/").content.decode()


def test_weighting_options_are_checked_before_the_job_is_queued(analyst: Client, edition: Edition) -> None:
    url = "/console/editions/2026/actions/weight/"
    refused = analyst.post(url, {"region_groups": "99=93", "collapse": "epci_cu=epci_ca"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "région inconnue « 99 »" in page and not Job.objects.exists()
    # the page comes back with what was typed, the options open and the error beside them
    assert 'name="region_groups" value="99=93"' in page and 'name="collapse" value="epci_cu=epci_ca"' in page
    assert 'fr-mb-2w" open>' in page and 'aria-describedby="weight-error"' in page
    page = analyst.post(url, {"collapse": "epci_cu"}).content.decode()
    assert "« epci_cu » n&#x27;est pas de la forme CODE=VOISIN" in page and not Job.objects.exists()
    response = analyst.post(url, {"collapse": "epci_cu=epci_ca", "region_groups": "94=93"})
    job = Job.objects.get()
    assert response["Location"] == f"/console/travaux/{job.pk}/"
    assert job.params == {"collapse": {"epci_cu": "epci_ca"}, "region_groups": {"94": "93"}}


def test_the_edition_page_offers_the_options_of_the_stored_weights_again(analyst: Client, edition: Edition) -> None:
    page = analyst.get("/console/editions/2026/").content.decode()
    assert 'name="region_groups" value=""' in page and 'fr-mb-2w">' in page  # folded while unused
    edition.weighting_report = {
        "collapse": {"epci_cu": "epci_ca"},
        "calibration": {"region_groups": {"01": "DROM", "02": "DROM", "94": "93"}},
    }
    edition.save(update_fields=["weighting_report"])
    page = analyst.get("/console/editions/2026/").content.decode()
    assert 'name="collapse" value="epci_cu=epci_ca"' in page
    assert 'name="region_groups" value="94=93"' in page and 'fr-mb-2w" open>' in page
