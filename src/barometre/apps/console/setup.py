"""Edition set-up: create an edition with its settings (idempotent), change its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from barometre.apps.editions.models import AuditEntry, Edition, EditionState, ResponseStatus
from barometre.apps.portal.services import _frame_version, questionnaires_dir
from barometre.core.errors import EditionError
from barometre.core.questionnaire import load_edition

#: Settings stored on the edition (shown to respondents and in the e-mails).
SETTINGS = ("opens_on", "closes_on", "organiser", "help_email", "help_phone")


@dataclass(frozen=True)
class SetupResult:
    edition: Edition
    #: "created", "updated" or "unchanged".
    outcome: str
    changed: tuple[str, ...]


def _check(values: dict[str, Any]) -> None:
    opens, closes = values.get("opens_on"), values.get("closes_on")
    if opens is not None and closes is not None and opens > closes:
        raise EditionError(f"ouverture ({opens:%d/%m/%Y}) après la clôture ({closes:%d/%m/%Y})")
    email = values.get("help_email") or ""
    if email and ("@" not in email or " " in email):
        raise EditionError(f"adresse d'aide invalide : « {email} »")


def create_or_update(
    year: int,
    questionnaire: int,
    *,
    opens_on: date | None = None,
    closes_on: date | None = None,
    organiser: str | None = None,
    help_email: str | None = None,
    help_phone: str | None = None,
    actor: str = "cli",
) -> SetupResult:
    """Create edition ``year`` on questionnaire ``questionnaire`` (a draft), or bring its settings to these.

    Settings left to None keep their current value. Same settings again: nothing changes.
    """
    if not 2000 <= year <= 2100:
        raise EditionError(f"année d'édition invalide : {year}")
    qn = load_edition(questionnaire, questionnaires_dir())  # NotFound: one line, exit 2
    given = {
        "opens_on": opens_on,
        "closes_on": closes_on,
        "organiser": organiser.strip() if organiser is not None else None,
        "help_email": help_email.strip() if help_email is not None else None,
        "help_phone": help_phone.strip() if help_phone is not None else None,
    }
    given = {k: v for k, v in given.items() if v is not None}
    with transaction.atomic():
        edition = Edition.objects.select_for_update().filter(year=year).first()
        if edition is None:
            _check(given)
            edition = Edition.objects.create(
                year=year,
                questionnaire_version=str(qn.version),
                questionnaire_year=questionnaire,
                frame_version=_frame_version(),
                **given,
            )
            AuditEntry.objects.create(actor=actor, action="edition_create", edition=edition)
            return SetupResult(edition, "created", tuple(given))
        changed = [k for k, v in given.items() if getattr(edition, k) != v]
        if edition.questionnaire_year != questionnaire:
            if edition.state != EditionState.DRAFT or edition.responses.exclude(status=ResponseStatus.INVITED).exists():
                raise EditionError(
                    f"édition {year} : questionnaire {edition.questionnaire_year} déjà en usage, "
                    f"pas de passage au {questionnaire}"
                )
            edition.questionnaire_year = questionnaire
            edition.questionnaire_version = str(qn.version)
            changed += ["questionnaire_year", "questionnaire_version"]
        if not changed:
            return SetupResult(edition, "unchanged", ())
        if edition.state == EditionState.PUBLISHED:
            raise EditionError(f"édition {year} publiée : ses paramètres ne changent plus")
        merged = {k: getattr(edition, k) for k in SETTINGS} | given
        _check(merged)
        for k, v in given.items():
            setattr(edition, k, v)
        edition.save()
        AuditEntry.objects.create(actor=actor, action="edition_settings", edition=edition, reason=", ".join(changed))
        return SetupResult(edition, "updated", tuple(changed))


def describe(edition: Edition) -> dict[str, Any]:
    return {
        "edition": edition.year,
        "questionnaire": edition.questionnaire_year,
        "state": edition.state,
        "opens_on": edition.opens_on,
        "closes_on": edition.closes_on,
        "organiser": edition.organiser,
        "help_email": edition.help_email,
        "help_phone": edition.help_phone,
    }
