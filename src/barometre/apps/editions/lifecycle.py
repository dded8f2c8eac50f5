"""Moves an edition through draft → open → closed → published, each step checked."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from barometre.apps.editions.models import AuditEntry, Edition, EditionState, Response, ResponseStatus
from barometre.core.errors import EditionError, NotFound

#: Allowed transitions: target state → states it can be reached from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    EditionState.OPEN: (EditionState.DRAFT, EditionState.CLOSED),
    # A published edition may be withdrawn for a correction (audited), then published again.
    EditionState.CLOSED: (EditionState.OPEN, EditionState.PUBLISHED),
    EditionState.PUBLISHED: (EditionState.CLOSED,),
}


def get_edition(year: int) -> Edition:
    try:
        return Edition.objects.get(year=year)
    except Edition.DoesNotExist:
        raise NotFound(f"l'édition {year} n'existe pas") from None


def _check_publishable(edition: Edition, *, allow_non_converged: bool = False) -> None:
    submitted = edition.responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED]).count()
    if submitted == 0:
        raise EditionError(f"édition {edition.year} : aucune réponse envoyée, rien à publier")
    if edition.weights_computed_at is None:
        raise EditionError(
            f"édition {edition.year} : pas de pondération ; lancez `barometre edition weight --edition {edition.year}`"
        )
    if edition.weights_stale:
        raise EditionError(
            f"édition {edition.year} : des réponses ont changé depuis la pondération ; "
            f"relancez `barometre edition weight --edition {edition.year}`"
        )
    if (edition.weighting_report or {}).get("converged") is False and not allow_non_converged:
        raise EditionError(
            f"édition {edition.year} : le calage des poids n'a pas convergé (les poids ne respectent pas "
            "exactement les marges) ; revoyez les options de pondération, ou publiez quand même avec "
            "--allow-non-converged"
        )
    if edition.indicators_computed_at is None or edition.indicators_computed_at < edition.weights_computed_at:
        raise EditionError(
            f"édition {edition.year} : indicateurs non calculés sur les poids actuels ; "
            f"lancez `barometre indicators compute --edition {edition.year}`"
        )


def move(year: int, target: str, *, actor: str = "cli", reason: str = "", allow_non_converged: bool = False) -> Edition:
    """Move edition ``year`` to ``target``; raise EditionError when not allowed. Publishing from
    weights whose calibration did not converge needs ``allow_non_converged`` (audited)."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().filter(year=year).first()
        if edition is None:
            raise NotFound(f"l'édition {year} n'existe pas")
        if edition.state == target:
            return edition  # idempotent
        allowed = TRANSITIONS.get(target, ())
        if edition.state not in allowed:
            raise EditionError(
                f"édition {year} : passage de « {EditionState(edition.state).label} » "
                f"à « {EditionState(target).label} » impossible"
            )
        if target == EditionState.OPEN:
            _check_help_contact(edition)
        if target == EditionState.PUBLISHED:
            _check_publishable(edition, allow_non_converged=allow_non_converged)
            if (edition.weighting_report or {}).get("converged") is False:
                reason = (reason + " ; " if reason else "") + "publiée malgré un calage non convergé"
        leaving_collection = edition.state == EditionState.OPEN
        edition.state = target
        edition.save(update_fields=["state"])
        if leaving_collection:
            # Saves lock only their response row, then read the edition's state. Locking every
            # response row here waits for the saves in flight; later ones see the new state.
            list(Response.objects.select_for_update().filter(edition=edition).values_list("pk", flat=True))
        AuditEntry.objects.create(actor=actor, action=f"edition_{target}", edition=edition, reason=reason)
        return edition


def _check_help_contact(edition: Edition) -> None:
    """A collection opens only when respondents can be told whom to ask (help e-mail or phone):
    otherwise the links would lead to pages that name no one to contact."""
    if not (edition.help_email or edition.help_phone):
        raise EditionError(
            f"édition {edition.year} : pas de contact d'aide pour les répondants ; renseignez-le d'abord "
            f"(barometre edition create --edition {edition.year} --questionnaire {edition.questionnaire_year} "
            "--help-email … --help-phone …, ou dans la console)"
        )


def mark_weights_stale(edition_id: int) -> None:
    """Called whenever an answer of the edition changes after weighting."""
    # ``weights_stale=False`` in the filter: once stale, saves never touch (nor wait for) the edition row.
    Edition.objects.filter(pk=edition_id, weights_computed_at__isnull=False, weights_stale=False).update(
        weights_stale=True
    )


def mark_weighted(edition: Edition, report: dict[str, object]) -> None:
    edition.weights_computed_at = timezone.now()
    edition.weights_stale = False
    edition.weighting_report = report
    edition.save(update_fields=["weights_computed_at", "weights_stale", "weighting_report"])
