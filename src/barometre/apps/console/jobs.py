"""Console actions run as background jobs (django-tasks, database queue): never inside a web request.

:func:`start` records a :class:`Job` and enqueues :func:`run_job`; the worker (`barometre manage
db_worker`, started by `make run`) runs it, writing its progress (0–100) and its log to the job,
which the console page shows while it runs.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from barometre.apps.console.models import Job, JobKind, JobState
from barometre.apps.editions.models import AuditEntry, Edition, EditionState
from barometre.core.errors import BarometreError


class JobReporter:
    """Progress and log lines of a running job, saved as they come."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, line: str, progress: int | None = None) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self.job.log += f"{stamp} {line}\n"
        fields = ["log"]
        if progress is not None:
            self.job.progress = max(0, min(100, int(progress)))
            fields.append("progress")
        self.job.save(update_fields=fields)


def _open(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions.lifecycle import move

    move(job.edition.year, EditionState.OPEN, actor=job.created_by, reason=job.params.get("reason", ""))
    say("collecte ouverte", 100)
    return {}


def _close(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions.lifecycle import move

    move(job.edition.year, EditionState.CLOSED, actor=job.created_by, reason=job.params.get("reason", ""))
    say("collecte close", 100)
    return {}


def _weight(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions import pipeline
    from barometre.core.weighting.pipeline import chosen_options

    options = chosen_options(job.params.get("collapse") or {}, job.params.get("region_groups") or {})
    say("lecture des réponses et pondération…", 10)
    summary = pipeline.weight(job.edition.year, options)
    say(summary, 100)
    return {"summary": summary}


def _compute(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions import pipeline

    say("calcul des indicateurs…", 10)
    computed = pipeline.compute(job.edition.year)
    say(computed.summary, 100)
    return {"summary": computed.summary}


def _compare(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions import pipeline

    say("comparaison aux valeurs publiées…", 10)
    rows = pipeline.comparison(job.edition.year)
    flagged = [r for r in rows if getattr(r, "flag", "") not in ("", "ok")]
    say(f"{len(rows)} comparaisons, {len(flagged)} écarts signalés", 100)
    return {"compared": len(rows), "flagged": len(flagged)}


def _publish(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions.lifecycle import move

    move(job.edition.year, EditionState.PUBLISHED, actor=job.created_by, reason=job.params.get("reason", ""))
    say("édition publiée", 100)
    return {}


def _note(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.editions.notes import ensure_note

    langs = job.params.get("langs") or ["fr", "en"]
    out = []
    for i, lang in enumerate(langs):
        say(f"note en {lang}…", int(100 * i / len(langs)))
        out.append(ensure_note(job.edition.year, lang))
        say(out[-1])
    say("note construite", 100)
    return {"notes": out}


def _send(job: Job, say: JobReporter) -> dict[str, Any]:
    from barometre.apps.console import mailing

    report = mailing.send_invitations(
        job.edition,
        reminder=job.kind == JobKind.REMIND,
        stratum=job.params.get("stratum") or None,
        progress=lambda done, total: say(f"{done}/{total} messages", int(100 * done / max(total, 1))),
    )
    say(report.sentence(), 100)
    return report.as_dict()


RUNNERS: dict[str, Callable[[Job, JobReporter], dict[str, Any]]] = {
    JobKind.OPEN: _open,
    JobKind.CLOSE: _close,
    JobKind.WEIGHT: _weight,
    JobKind.COMPUTE: _compute,
    JobKind.COMPARE: _compare,
    JobKind.PUBLISH: _publish,
    JobKind.NOTE: _note,
    JobKind.SEND: _send,
    JobKind.REMIND: _send,
}


@task()
def run_job(job_id: int) -> str:
    """The worker's entry point: run one console job, recording its outcome."""
    job = Job.objects.select_related("edition").get(pk=job_id)
    if job.state != JobState.QUEUED:
        return job.state
    job.state = JobState.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["state", "started_at"])
    say = JobReporter(job)
    try:
        job.result = RUNNERS[job.kind](job, say)
        job.state = JobState.DONE
    except BarometreError as exc:
        say(f"erreur : {exc}")
        job.state = JobState.FAILED
    except Exception as exc:  # an unexpected failure is kept in the log, never lost
        say(f"erreur inattendue : {exc}\n{traceback.format_exc(limit=5)}")
        job.state = JobState.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "finished_at", "result"])
    return job.state


def start(
    kind: str,
    edition: Edition,
    *,
    actor: str,
    params: dict[str, Any] | None = None,
    run_after: datetime | None = None,
) -> Job:
    """Record the job, audit it, and enqueue it once the transaction commits (not before ``run_after``)."""
    if kind not in JobKind.values:
        raise BarometreError(f"action inconnue : {kind}")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, edition=edition, params=params or {}, created_by=actor, run_after=run_after)
        AuditEntry.objects.create(actor=actor, action=f"job_{kind}", edition=edition, reason=_describe(params or {}))
        task = run_job.using(run_after=run_after) if run_after is not None else run_job
        transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


#: Default reminder days: after the opening, and before the closing.
REMINDER_DAYS_AFTER_OPENING = (10, 20)
REMINDER_DAYS_BEFORE_CLOSING = 3
#: Hour of the day (local time) scheduled reminders are sent at.
REMINDER_HOUR = 9


def reminder_dates(
    edition: Edition,
    after_opening: tuple[int, ...] = REMINDER_DAYS_AFTER_OPENING,
    before_closing: int | None = REMINDER_DAYS_BEFORE_CLOSING,
) -> list[date]:
    if edition.opens_on is None or edition.closes_on is None:
        raise BarometreError(f"édition {edition.year} : dates d'ouverture et de clôture nécessaires")
    days = {edition.opens_on + timedelta(days=d) for d in after_opening}
    if before_closing is not None:
        days.add(edition.closes_on - timedelta(days=before_closing))
    return sorted(d for d in days if edition.opens_on < d < edition.closes_on)


def schedule_reminders(edition: Edition, *, actor: str, dates: list[date] | None = None) -> list[Job]:
    """Queue one reminder job per date (to every non-respondent); dates already scheduled or past are skipped."""
    today = timezone.localdate()
    planned = {
        j.params.get("scheduled_for")
        for j in Job.objects.filter(edition=edition, kind=JobKind.REMIND, state=JobState.QUEUED)
    }
    made = []
    for day in dates if dates is not None else reminder_dates(edition):
        if day <= today or day.isoformat() in planned:
            continue
        when = timezone.make_aware(datetime.combine(day, time(REMINDER_HOUR)))
        made.append(
            start(JobKind.REMIND, edition, actor=actor, params={"scheduled_for": day.isoformat()}, run_after=when)
        )
    return made


def _describe(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(params.items()) if v not in (None, "", [], {}))
