"""Decisions of the respondent portal: opening an edition, links, saving answers, submitting.

Views and commands stay thin and call these functions. Answers are always
validated by the questionnaire core (:func:`barometre.core.questionnaire.validate_answers`);
nothing here re-implements a rule of the questionnaire.

The rules kept here:

- an answer is saved as soon as it is valid; an invalid value is refused with the
  core's message and the value already saved is kept;
- an answer whose question is no longer relevant (skip logic) is deleted, so that the
  answers stored, exported and read by the statistics are always the same set;
- a response can be changed only while its edition is open and until it is submitted;
  only the main link submits; a delegated link reaches one section only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.db import transaction
from django.utils import timezone

from barometre.apps.editions.lifecycle import mark_weights_stale, move
from barometre.apps.editions.models import (
    AuditEntry,
    Edition,
    EditionState,
    Response,
    ResponseStatus,
)
from barometre.apps.editions.sources import frame_version, questionnaire_for, questionnaires_dir
from barometre.apps.portal.models import Invitation
from barometre.core.errors import EditionError, NotFound
from barometre.core.questionnaire import (
    AnswerError,
    QType,
    Question,
    Questionnaire,
    Section,
    available_editions,
    coerce_form,
    load_edition,
    relevance,
    validate_answers,
)

#: Failed token lookups allowed per IP address and window before answering 429.
MAX_FAILED_LOOKUPS = 20
#: Length of the rate-limit window, in seconds.
FAILED_LOOKUP_WINDOW_SECONDS = 15 * 60
#: Names typed by respondents are removed this many days after the answer's last change
#: (about one collection plus the publication of the note).
NAME_RETENTION_DAYS = 365
#: Length of the collection when an edition is opened without a usable closing date.
DEFAULT_COLLECTION_DAYS = 90
#: Session key of the optional name typed on the first visit.
SESSION_NAME_KEY = "barometre_portal_name"
#: Longest name kept (``Answer.updated_by``).
NAME_MAX_LENGTH = 120
#: Actor recorded in the audit trail for respondents (never their name: personal data).
RESPONDENT_ACTOR = "répondant"

EDITABLE_STATUSES = (ResponseStatus.INVITED, ResponseStatus.STARTED)
SUBMITTED_STATUSES = (ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED)


class ReadOnly(EditionError):
    """The response cannot be changed (submitted, or the edition is not open)."""


# --------------------------------------------------------------------------- questionnaire


def is_calculated(q: Question) -> bool:
    return q.type is QType.CALCULATE


# --------------------------------------------------------------------------- editions and links


def _questionnaire_year_for(year: int) -> int:
    years = [y for y in available_editions(questionnaires_dir()) if y <= year]
    if not years:
        raise NotFound(f"aucun questionnaire disponible pour l'édition {year}")
    return max(years)


@transaction.atomic  # refused (no help contact): no edition is left half-created
def ensure_open_edition(
    year: int = 2026, *, today: date | None = None, defaults: Mapping[str, str] | None = None
) -> tuple[Edition, str]:
    """Create and open edition ``year`` for collection if needed (idempotent).

    Uses ``questionnaires/<year>.yaml`` if it exists, else the latest earlier one. ``defaults``
    fills the settings respondents see (organiser, help contact) that are still empty; opening
    needs a help contact. A published or closed edition is left as it is. Returns the edition and
    what was done.
    """
    today = today or timezone.localdate()
    edition = Edition.objects.filter(year=year).first()
    done: list[str] = []
    if edition is None:
        q_year = _questionnaire_year_for(year)
        qn = load_edition(q_year, questionnaires_dir())
        closes = _shift_year(qn.closes, year) if qn.closes else None
        if closes is None or closes < today:
            closes = today + timedelta(days=DEFAULT_COLLECTION_DAYS)
        edition = Edition.objects.create(
            year=year,
            questionnaire_version=qn.version,
            questionnaire_year=q_year,
            frame_version=frame_version(),
            opens_on=today,
            closes_on=closes,
        )
        done.append(f"édition {year} créée (questionnaire {q_year})")
    if edition.state in (EditionState.PUBLISHED, EditionState.CLOSED):
        return edition, f"édition {year} {EditionState(edition.state).label}, laissée telle quelle"
    missing = {k: v for k, v in (defaults or {}).items() if not getattr(edition, k)}
    if missing:
        Edition.objects.filter(pk=edition.pk).update(**missing)
        edition.refresh_from_db()
    if edition.closes_on is not None and edition.closes_on < today:
        edition.closes_on = today + timedelta(days=DEFAULT_COLLECTION_DAYS)
        edition.save(update_fields=["closes_on"])
        done.append(f"clôture reportée au {edition.closes_on:%d/%m/%Y}")
    if edition.state != EditionState.OPEN:
        edition = move(year, EditionState.OPEN, actor="demo", reason="ouverture de la collecte")
        done.append("collecte ouverte")
    return edition, (", ".join(done) or f"édition {year} déjà ouverte") + (
        f" ; liens valables jusqu'au {edition.closes_on:%d/%m/%Y}" if edition.closes_on else ""
    )


def _shift_year(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February
        return d.replace(year=year, day=28)


def closing_datetime(edition: Edition) -> datetime | None:
    """When the edition's links expire: the end of its closing day (local time)."""
    if edition.closes_on is None:
        return None
    return timezone.make_aware(datetime.combine(edition.closes_on + timedelta(days=1), time.min))


def open_edition(year: int) -> Edition:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"l'édition {year} n'existe pas")
    if edition.state != EditionState.OPEN:
        raise EditionError(
            f"édition {year} : collecte non ouverte ({EditionState(edition.state).label}), pas de nouveau lien"
        )
    return edition


#: Settings of the demonstration's open edition (shown to respondents; a fictitious organiser).
DEMO_SETTINGS = {
    "organiser": "Observatoire des territoires numériques (démonstration)",
    "help_email": "aide-barometre@example.org",
    "help_phone": "01 23 45 67 89",
}


@dataclass
class Invited:
    authority: str
    name: str
    token: str | None
    replaced: int = 0
    skipped: bool = False


def invite(edition: Edition, authority: object, *, replace: bool = False) -> Invited:
    """A main link for ``authority``'s response to ``edition`` (response created if needed).

    An authority that already has a usable main link is skipped unless ``replace``
    (then the old links, and their delegations, are revoked).
    """
    from barometre.apps.registry.models import Authority

    assert isinstance(authority, Authority)
    with transaction.atomic():
        response, _ = Response.objects.get_or_create(edition=edition, authority=authority)
        current = Invitation.objects.usable().filter(response=response, section="")
        replaced = 0
        if current.exists():
            if not replace:
                return Invited(authority.code, authority.name, None, skipped=True)
            replaced = current.update(revoked_at=timezone.now())
        _inv, token = Invitation.create_for(response, expires_at=closing_datetime(edition))
    return Invited(authority.code, authority.name, token, replaced=replaced)


def revoke_links(code: str, edition: Edition | None = None) -> int:
    """Revoke every usable link (main and delegated) of authority ``code``; return how many."""
    links = Invitation.objects.usable().filter(response__authority__code=code)
    if edition is not None:
        links = links.filter(response__edition=edition)
    return links.update(revoked_at=timezone.now())


def delegate(main: Invitation, section_id: str, label: str = "") -> tuple[Invitation, str]:
    if not main.is_main:
        raise ReadOnly("seul le lien principal peut déléguer une section")
    qn = questionnaire_for(main.response.edition)
    section = qn.section(section_id)
    return Invitation.create_for(
        main.response,
        section=section.id,
        parent=main,
        label=label.strip()[:120],
        expires_at=main.expires_at,
    )


def delegations(main: Invitation) -> list[Invitation]:
    """The delegations of the main link's response that are still usable."""
    return list(Invitation.objects.usable().filter(response=main.response, parent__isnull=False).order_by("created_at"))


def revoke_delegation(main: Invitation, delegation_id: int) -> bool:
    """Revoke one delegation of ``main``'s response; False if there is no such delegation."""
    return bool(
        Invitation.objects.filter(
            pk=delegation_id, response=main.response, parent__isnull=False, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    )


# --------------------------------------------------------------------------- answers


def is_editable(response: Response) -> bool:
    return response.edition.state == EditionState.OPEN and response.status in EDITABLE_STATUSES


def stored_answers(response: Response) -> dict[str, object]:
    return dict(response.answers.values_list("question_id", "value"))


def allowed_sections(invitation: Invitation, qn: Questionnaire) -> list[Section]:
    """Sections this link may see and change (all for the main link)."""
    if invitation.is_main:
        return list(qn.sections)
    return [s for s in qn.sections if s.id == invitation.section]


def section_is_relevant(section: Section, rel: Mapping[str, bool]) -> bool:
    """A section is shown when at least one of its questions is relevant."""
    return any(rel.get(q.id, False) for q in section.questions if not is_calculated(q))


#: Prefix of the hidden form field that carries the version of each rendered question's answer.
VERSION_FIELD_PREFIX = "_v-"
#: Version of a question that has no stored answer.
NO_ANSWER_VERSION = "0"


def answer_version(value: object) -> str:
    """Version of a stored answer: a fingerprint of its value (``"0"`` when there is none).

    The form carries the version of every question it renders; a save compares it with the
    version stored now to tell an answer changed elsewhere since the form was shown.
    """
    if value is None:
        return NO_ANSWER_VERSION
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def version_field(question_id: str) -> str:
    return f"{VERSION_FIELD_PREFIX}{question_id}"


def section_versions(qn: Questionnaire, section_id: str, answers: Mapping[str, object]) -> dict[str, str]:
    """Versions the form of ``section_id`` carries, by question (calculations left out)."""
    return {q.id: answer_version(answers.get(q.id)) for q in qn.section(section_id).questions if not is_calculated(q)}


@dataclass(frozen=True)
class Conflict:
    """A question changed elsewhere since the form was shown, and changed differently here.

    Nothing is written: the stored value (``theirs``) stays, the value sent (``mine``) is shown
    back beside it with the current ``version``, so that sending it again replaces the stored one.
    """

    question_id: str
    mine: object
    theirs: object
    version: str


@dataclass
class SaveResult:
    saved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: dict[str, list[AnswerError]] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    #: Questions sent that skip logic hides: nothing stored for them (said to the respondent).
    ignored: list[str] = field(default_factory=list)
    relevant: dict[str, bool] = field(default_factory=dict)
    answers: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts

    def versions(self, questions: Iterable[str]) -> dict[str, str]:
        return {qid: answer_version(self.answers.get(qid)) for qid in questions}


def _first(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def _merge_decision(base: str | None, stored: object, sent: object) -> str:
    """``apply`` the value sent, ``keep`` the stored one, or ``conflict`` (three-way merge).

    ``base`` is the version the form was rendered with (None when the form carried none).
    """
    stored_v, sent_v = answer_version(stored), answer_version(sent)
    if sent_v == stored_v:
        return "keep"
    if base is None:
        # No version: only a question never answered may be filled in; an absent field
        # is not "emptied" (the form may simply not have shown it).
        if sent is None:
            return "keep"
        return "apply" if stored is None else "conflict"
    if base == stored_v:
        return "apply"
    if sent_v == base:
        return "keep"  # unchanged here, changed elsewhere: keep the other change
    return "conflict"


def save_section(
    response: Response,
    qn: Questionnaire,
    section_id: str,
    data: Mapping[str, str | Sequence[str]],
    *,
    only: str | None = None,
    actor: str = "",
) -> SaveResult:
    """Save the answers of one section from HTML form data (its rendered questions, or ``only`` one).

    Only the questions the form rendered are touched: each carries the version of its answer
    when the form was shown (``_v-<question>``). A question changed elsewhere since then and
    changed differently here is a :class:`Conflict` (nothing written, both values returned);
    one changed elsewhere but left as it was here keeps the other change. Valid answers are
    written (with ``actor`` and the time); invalid ones are refused (their error in
    ``errors``) and the stored value is kept; emptied answers and answers whose question
    became irrelevant are deleted. Raises :class:`ReadOnly`.

    Only the response row is locked; closing an edition locks every response row of the
    edition after changing its state (:func:`barometre.apps.editions.lifecycle.move`), so a
    save either commits before the closing does or sees the edition closed.
    """
    section = qn.section(section_id)
    scope = [q for q in section.questions if not is_calculated(q) and (only is None or q.id == only)]
    if hasattr(data, "lists"):  # a QueryDict: keep every value of multiple choices
        data = dict(data.lists())
    submitted = coerce_form(qn, data, sections=[section.id])
    bases = {q.id: _first(data.get(version_field(q.id))) for q in scope}
    result = SaveResult()
    actor = actor[:NAME_MAX_LENGTH]
    with transaction.atomic():
        locked = Response.objects.select_for_update(of=("self",)).get(pk=response.pk)
        # Read after the response lock, in its own statement: sees a closing committed meanwhile.
        locked.edition = Edition.objects.get(pk=locked.edition_id)
        if not is_editable(locked):
            raise ReadOnly("cette réponse ne peut plus être modifiée")
        rows = {a.question_id: a for a in locked.answers.all()}
        current: dict[str, object] = {qid: a.value for qid, a in rows.items()}
        merged = dict(current)
        touched: list[Question] = []
        for q in scope:
            decision = _merge_decision(bases[q.id], current.get(q.id), submitted.get(q.id))
            if decision == "conflict":
                result.conflicts[q.id] = Conflict(
                    q.id, submitted.get(q.id), current.get(q.id), answer_version(current.get(q.id))
                )
                continue
            if decision == "keep":
                continue
            touched.append(q)
            if q.id in submitted:
                merged[q.id] = submitted[q.id]
            else:
                merged.pop(q.id, None)
        checked = validate_answers(qn, merged, partial=True)
        final = dict(current)
        now = timezone.now()
        for q in touched:
            if q.id in checked.errors:
                result.errors[q.id] = checked.errors[q.id]
                continue
            if not checked.relevant.get(q.id, False):
                if q.id in submitted:
                    result.ignored.append(q.id)
                continue  # deleted below with the other irrelevant answers
            if q.id in checked.cleaned:
                value = checked.cleaned[q.id]
                row = rows.get(q.id)
                if row is None:
                    rows[q.id] = locked.answers.create(question_id=q.id, value=value, updated_by=actor)
                    result.saved.append(q.id)
                elif row.value != value or type(row.value) is not type(value):
                    row.value, row.updated_by, row.updated_at = value, actor, now
                    row.save(update_fields=["value", "updated_by", "updated_at"])
                    result.saved.append(q.id)
                final[q.id] = value
            elif q.id in rows:
                rows.pop(q.id).delete()
                final.pop(q.id, None)
                result.removed.append(q.id)
        rel = relevance(qn, final)
        gone = [qid for qid in final if qid in qn and not rel.get(qid, False)]
        if gone:
            locked.answers.filter(question_id__in=gone).delete()
            result.removed.extend(gone)
            for qid in gone:
                final.pop(qid, None)
        if result.saved or result.removed:
            if locked.status == ResponseStatus.INVITED:
                locked.status = ResponseStatus.STARTED
                locked.started_at = now
                locked.save(update_fields=["status", "started_at", "updated_at"])
            if locked.edition.weights_computed_at is not None and not locked.edition.weights_stale:
                mark_weights_stale(locked.edition_id)
    result.relevant = rel
    result.answers = final
    return result


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    number: int  # 1-based among the relevant sections
    relevant: bool
    visible: int
    answered: int
    missing_required: int

    @property
    def complete(self) -> bool:
        return self.missing_required == 0 and self.answered > 0


def progress(qn: Questionnaire, answers: Mapping[str, object]) -> list[SectionProgress]:
    """Progress of every section (irrelevant sections included, flagged)."""
    rel = relevance(qn, answers)
    out: list[SectionProgress] = []
    number = 0
    for s in qn.sections:
        shown = [q for q in s.questions if rel.get(q.id, False) and not is_calculated(q)]
        relevant_section = bool(shown)
        if relevant_section:
            number += 1
        answered = sum(1 for q in shown if q.id in answers)
        missing = sum(1 for q in shown if q.required and q.id not in answers)
        out.append(
            SectionProgress(s, number if relevant_section else 0, relevant_section, len(shown), answered, missing)
        )
    return out


def last_change(response: Response, qn: Questionnaire, section_id: str) -> datetime | None:
    """When an answer of section ``section_id`` last changed (None: never answered)."""
    ids = [q.id for q in qn.section(section_id).questions] if section_id in {s.id for s in qn.sections} else []
    at: datetime | None = (
        response.answers.filter(question_id__in=ids)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return at


def incomplete_sections(qn: Questionnaire, answers: Mapping[str, object], sections: Iterable[Section]) -> list[Section]:
    """Among ``sections`` (those open to a link), in questionnaire order, the relevant ones not complete."""
    done = {p.section.id for p in progress(qn, answers) if p.complete or not p.relevant}
    return [s for s in sections if s.id not in done]


def resume_section(qn: Questionnaire, answers: Mapping[str, object], sections: Sequence[Section]) -> Section | None:
    """Where "Reprendre" leads: the first incomplete section open to this link (None: all complete).

    It follows this link's own scope, never the answer changed last by someone else (a delegate's
    finished section is not where the main holder resumes).
    """
    todo = incomplete_sections(qn, answers, sections)
    return todo[0] if todo else None


def next_incomplete(
    qn: Questionnaire, answers: Mapping[str, object], sections: Sequence[Section], current: Section
) -> Section | None:
    """Where "Enregistrer et continuer" leads: the next incomplete section after ``current``, else the
    first incomplete one before it (never ``current`` itself); None when every other one is complete."""
    todo = [s for s in incomplete_sections(qn, answers, sections) if s.id != current.id]
    ids = [s.id for s in sections]
    here = ids.index(current.id) if current.id in ids else -1
    after = [s for s in todo if ids.index(s.id) > here]
    found = after or todo
    return found[0] if found else None


def receipt_reference(response: Response) -> str:
    """The reference number of a submitted response, printed on the receipt (page, PDF, e-mail).

    Edition, response number and a 4-character check derived from the submission time with the
    site's key: the same submission always gives the same reference, a reopened and re-sent
    response a new one; it cannot be guessed from the response number alone.
    """
    import hmac

    from django.conf import settings

    if response.submitted_at is None:
        return ""
    message = f"{response.pk}|{response.submitted_at.isoformat()}".encode()
    key = ("barometre.receipt:" + settings.SECRET_KEY).encode()
    digest = hmac.new(key, message, hashlib.sha256).hexdigest()[:4].upper()
    return f"{response.edition.year}-{response.pk:06d}-{digest}"


def submit(response: Response, qn: Questionnaire) -> dict[str, list[AnswerError]]:
    """Submit the response (atomic). Return the errors that prevent it (empty when submitted)."""
    with transaction.atomic():
        locked = Response.objects.select_for_update(of=("self",)).get(pk=response.pk)
        locked.edition = Edition.objects.get(pk=locked.edition_id)
        if not is_editable(locked):
            raise ReadOnly("cette réponse a déjà été envoyée ou la collecte est close")
        answers = stored_answers(locked)
        checked = validate_answers(qn, answers)
        errors = {qid: errs for qid, errs in checked.errors.items() if qid in qn}
        if errors:
            return errors
        locked.status = ResponseStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        if locked.started_at is None:
            locked.started_at = locked.submitted_at
        locked.save(update_fields=["status", "submitted_at", "started_at", "updated_at"])
        AuditEntry.objects.create(
            actor=RESPONDENT_ACTOR, action="response_submitted", edition=locked.edition, response=locked
        )
        mark_weights_stale(locked.edition_id)
        from barometre.apps.projects.services import sync_response

        sync_response(locked)  # its declared projects join the catalogue (those published with consent)
    response.refresh_from_db()
    return {}


def reopen(year: int, code: str, *, reason: str, actor: str) -> Response:
    """Reopen a submitted response for changes (an analyst's decision, audited)."""
    if not reason.strip():
        raise EditionError("indiquez la raison de la réouverture (--reason)")
    if not actor.strip():
        raise EditionError("indiquez qui rouvre la réponse (--actor)")
    with transaction.atomic():
        response = (
            Response.objects.select_for_update(of=("self",))
            .select_related("edition", "authority")
            .filter(edition__year=year, authority__code=code)
            .first()
        )
        if response is None:
            raise NotFound(f"pas de réponse de {code} à l'édition {year}")
        if response.status not in SUBMITTED_STATUSES:
            raise EditionError(f"la réponse de {code} à l'édition {year} n'est pas envoyée : rien à rouvrir")
        if response.edition.state != EditionState.OPEN:
            raise EditionError(f"édition {year} : collecte non ouverte, la réponse ne pourrait pas être modifiée")
        response.status = ResponseStatus.STARTED
        response.submitted_at = None
        response.save(update_fields=["status", "submitted_at", "updated_at"])
        AuditEntry.objects.create(
            actor=actor.strip()[:120],
            action="response_reopened",
            edition=response.edition,
            response=response,
            reason=reason.strip(),
        )
        mark_weights_stale(response.edition_id)
    return response


def reopened_at(response: Response) -> datetime | None:
    """When an analyst reopened this response, if it has not been sent again since (else None).

    A reopened response is out of the export and the statistics until it is sent again: the
    respondent's pages and ``barometre responses check`` say so.
    """
    if response.status not in EDITABLE_STATUSES:
        return None
    at: datetime | None = (
        AuditEntry.objects.filter(response=response, action="response_reopened")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return at


class Reopened(TypedDict):
    """A response reopened and not sent again: the authority's code, when, why, by whom."""

    authority: str
    reopened_at: datetime
    reason: str
    actor: str


def reopened_responses(edition: Edition) -> list[Reopened]:
    """The edition's responses reopened and not sent again (authority code, when, why, by whom)."""
    latest: dict[int, tuple[str, AuditEntry]] = {}
    for entry in AuditEntry.objects.filter(
        edition=edition, action="response_reopened", response__status__in=EDITABLE_STATUSES
    ).select_related("response__authority"):
        if entry.response is not None and (
            entry.response.pk not in latest or entry.at > latest[entry.response.pk][1].at
        ):
            latest[entry.response.pk] = (entry.response.authority.code, entry)
    return [
        {"authority": code, "reopened_at": e.at, "reason": e.reason, "actor": e.actor}
        for code, e in sorted(latest.values(), key=lambda item: item[0])
    ]


def purge_names(older_than_days: int = NAME_RETENTION_DAYS, *, now: datetime | None = None) -> int:
    """Remove respondents' names from answers unchanged for ``older_than_days`` days."""
    from barometre.apps.editions.models import Answer

    if older_than_days < 0:
        raise EditionError("--older-than doit être un nombre de jours positif")
    limit = (now or timezone.now()) - timedelta(days=older_than_days)
    # QuerySet.update() leaves ``updated_at`` (auto_now) untouched: the answer did not change.
    return Answer.objects.filter(updated_at__lt=limit).exclude(updated_by="").update(updated_by="")


def validate_responses(year: int, codes: list[str] | None, *, actor: str) -> int:
    """Mark submitted responses as validated by an analyst (all of the edition when ``codes`` is None).

    Validation is a review step: the answers do not change, so the weights stay valid.
    """
    if not actor.strip():
        raise EditionError("indiquez qui valide les réponses (--actor)")
    with transaction.atomic():
        qs = Response.objects.select_for_update(of=("self",)).filter(
            edition__year=year, status=ResponseStatus.SUBMITTED
        )
        if codes is not None:
            found = set(qs.filter(authority__code__in=codes).values_list("authority__code", flat=True))
            missing = [c for c in codes if c not in found]
            if missing:
                raise NotFound(f"pas de réponse envoyée (et non validée) de {missing[0]} à l'édition {year}")
            qs = qs.filter(authority__code__in=codes)
        responses = list(qs.select_related("edition"))
        for r in responses:
            AuditEntry.objects.create(
                actor=actor.strip()[:120], action="response_validated", edition=r.edition, response=r
            )
        return qs.update(status=ResponseStatus.VALIDATED)
