"""The poll's life cycle and pipeline on the database: open, simulate, import, weight, publish.

Each step reads plain data, hands it to the pure core (``core.poll``) and stores the result in one
transaction; each returns a sentence saying what it did. States: open (respondents may be
simulated or imported) → closed → published (frozen; shown in the explorer, API and open data).
"""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from barometre.apps.poll import estimates
from barometre.apps.poll.models import PollEdition, PollRespondent, PollState
from barometre.core.errors import NotFound, PollError
from barometre.core.paths import POLL_DATA_DIR, POLL_QUESTIONNAIRES_DIR
from barometre.core.poll import load_margins, load_poll_catalogue, poll_estimates, weight_poll
from barometre.core.poll.catalogue import check_against
from barometre.core.poll.importer import load_mapping, read_poll_file
from barometre.core.poll.simulate import DEFAULT_SIZE, simulate_poll
from barometre.core.questionnaire import Questionnaire, load_edition
from barometre.core.report.model import PollFigure, PollInput

#: Estimate fields, in the order of every output (CLI, API, open data).
ESTIMATE_FIELDS = ("indicator", "breakdown", "domain_value", "estimate", "se", "ci_low", "ci_high", "n", "deff")


def questionnaire(year: int) -> Questionnaire:
    qn = load_edition(year, POLL_QUESTIONNAIRES_DIR)
    check_against(load_poll_catalogue(), qn)
    return qn


def get(year: int) -> PollEdition:
    edition = PollEdition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"pas de sondage {year} (barometre poll open --edition {year})")
    return edition


def open_poll(year: int) -> tuple[PollEdition, str]:
    qn = questionnaire(year)
    edition = PollEdition.objects.filter(year=year).first()
    if edition is None:
        edition = PollEdition.objects.create(year=year, questionnaire_version=qn.version, state=PollState.OPEN)
        return edition, f"sondage {year} ouvert (questionnaire {qn.version})"
    if edition.state == PollState.PUBLISHED:
        raise PollError(f"le sondage {year} est publié : il ne peut plus être rouvert")
    if edition.state == PollState.OPEN:
        return edition, f"sondage {year} déjà ouvert"
    edition.state = PollState.OPEN
    edition.save(update_fields=["state"])
    return edition, f"sondage {year} rouvert"


def close_poll(year: int) -> str:
    edition = get(year)
    if edition.state != PollState.OPEN:
        raise PollError(f"le sondage {year} n'est pas ouvert ({edition.get_state_display()})")
    if not edition.respondents.exists():
        raise PollError(f"le sondage {year} n'a aucun répondant")
    edition.state = PollState.CLOSED
    edition.save(update_fields=["state"])
    return f"sondage {year} clos"


def publish_poll(year: int) -> str:
    edition = get(year)
    if edition.state == PollState.PUBLISHED:
        return f"sondage {year} déjà publié"
    if edition.state != PollState.CLOSED:
        raise PollError(f"le sondage {year} doit être clos avant publication")
    if edition.estimates_computed_at is None:
        raise PollError(f"le sondage {year} n'est pas pondéré (barometre poll weight --edition {year})")
    edition.state = PollState.PUBLISHED
    edition.save(update_fields=["state"])
    return f"sondage {year} publié"


def _require_open(edition: PollEdition) -> None:
    if edition.state != PollState.OPEN:
        raise PollError(f"le sondage {edition.year} n'est pas ouvert ({edition.get_state_display()})")


def simulation_key(year: int, seed: int, size: int) -> str:
    from barometre.core.poll import simulate as simulate_module
    from barometre.core.poll import weighting as weighting_module

    h = hashlib.sha256(f"{year}:{seed}:{size}".encode())
    for path in (
        POLL_QUESTIONNAIRES_DIR / f"{year}.yaml",
        POLL_DATA_DIR / "indicators.yaml",
        POLL_DATA_DIR / "census_margins.yaml",
    ):
        h.update(path.read_bytes())
    for module in (simulate_module, weighting_module):
        h.update(inspect.getsource(module).encode())
    return h.hexdigest()


def _store(edition: PollEdition, respondents: list[tuple[str, dict[str, object]]], *, simulated: bool) -> None:
    edition.estimates.all().delete()
    edition.respondents.all().delete()
    PollRespondent.objects.bulk_create(
        [PollRespondent(edition=edition, code=code, answers=a, simulated=simulated) for code, a in respondents],
        batch_size=1000,
    )
    edition.weights_computed_at = None
    edition.estimates_computed_at = None
    edition.weighting_report = {}


def simulate(year: int, seed: int, size: int = DEFAULT_SIZE, *, publish: bool = False) -> str:
    """Simulated poll ``year`` (idempotent for the same inputs); ``publish`` also weights and publishes it."""
    qn = questionnaire(year)
    key = simulation_key(year, seed, size)
    edition = PollEdition.objects.filter(year=year).first()
    if edition is not None and edition.respondents.filter(simulated=False).exists():
        raise PollError(f"le sondage {year} contient des réponses réelles : pas de simulation par-dessus")
    if edition is not None and edition.simulation_key == key and (edition.state == PollState.PUBLISHED or not publish):
        return f"sondage {year} simulé inchangé ({edition.respondents.count()} répondants, graine {seed})"
    sim = simulate_poll(qn, load_poll_catalogue(), load_margins(), seed=seed, size=size)
    with transaction.atomic():
        if edition is not None:
            edition.delete()
        edition = PollEdition.objects.create(
            year=year,
            questionnaire_version=qn.version,
            state=PollState.OPEN,
            simulated=True,
            simulation_seed=seed,
            simulation_key=key,
            origin="simulation",
        )
        _store(edition, sim.respondents, simulated=True)
        edition.save()
    summary = f"sondage {year} simulé : {len(sim.respondents)} répondants (données simulées, graine {seed})"
    if publish:
        weight(year)
        close_poll(year)
        publish_poll(year)
        summary += ", pondéré et publié"
    return summary


def import_file(year: int, path: Path, mapping_path: Path, *, replace: bool = False) -> str:
    """Import an institute's file: every row valid or nothing stored."""
    edition = get(year)
    _require_open(edition)
    if edition.respondents.exists() and not replace:
        raise PollError(
            f"le sondage {year} a déjà {edition.respondents.count()} répondants (--replace pour les remplacer)"
        )
    qn = questionnaire(year)
    respondents = read_poll_file(path, load_mapping(mapping_path, qn), qn)
    with transaction.atomic():
        edition = PollEdition.objects.select_for_update().get(pk=edition.pk)
        _store(edition, respondents, simulated=False)
        edition.simulated = False
        edition.simulation_key = ""
        edition.simulation_seed = None
        edition.origin = path.name
        edition.save()
    return f"sondage {year} : {len(respondents)} répondants importés de {path.name}"


def weight(year: int) -> str:
    """Rake the respondents to the census margins, then compute and store the estimates."""
    edition = get(year)
    if edition.state == PollState.PUBLISHED:
        raise PollError(f"le sondage {year} est publié : sa pondération est figée")
    respondents = list(edition.respondents.order_by("id"))
    if not respondents:
        raise PollError(f"le sondage {year} n'a aucun répondant")
    answers = [r.answers for r in respondents]
    weighting = weight_poll(answers)
    rows = poll_estimates(weighting, answers, load_poll_catalogue(), year, simulated=edition.simulated)
    now = timezone.now()
    with transaction.atomic():
        for respondent, w in zip(respondents, weighting.weights, strict=True):
            respondent.weight = float(w)
        PollRespondent.objects.bulk_update(respondents, ["weight"], batch_size=1000)
        estimates.store(edition, rows)
        edition.weights_computed_at = now
        edition.estimates_computed_at = now
        edition.weighting_report = weighting.report
        edition.save(update_fields=["weights_computed_at", "estimates_computed_at", "weighting_report"])
    rep = weighting.report
    return (
        f"sondage {year} pondéré : {rep['respondents']} répondants, poids de {rep['weight_min']:.2f} à "
        f"{rep['weight_max']:.2f} fois la moyenne, effet de plan des poids {rep['kish_deff']:.2f} ; "
        f"{len(rows)} estimations"
    )


def estimate_rows(edition: PollEdition) -> list[dict[str, object]]:
    if edition.estimates_computed_at is None:
        raise PollError(f"le sondage {edition.year} n'est pas pondéré (barometre poll weight --edition {edition.year})")
    return [estimates.record(row) for row in estimates.load(edition)]


def published() -> list[PollEdition]:
    return list(PollEdition.objects.filter(state=PollState.PUBLISHED).order_by("year"))


def report_poll(year: int) -> PollInput | None:
    """The published poll of ``year`` for the note's "Regard des Français" chapter (None if none)."""
    edition = PollEdition.objects.filter(year=year, state=PollState.PUBLISHED).first()
    if edition is None:
        return None
    cat = load_poll_catalogue()
    overall = {
        e.indicator: estimates.to_row(e, edition)
        for e in edition.estimates.filter(breakdown="ensemble", domain_value="ensemble")
    }
    figures = []
    for ind in cat.for_edition(year):
        e = overall.get(ind.id)
        pub = ind.published_value(year)
        figures.append(
            PollFigure(
                indicator=ind.id,
                label=ind.label,
                **estimates.figure_values(e),
                published=None if pub is None else pub.value,
                beside=ind.beside,
            )
        )
    return PollInput(
        year=year,
        simulated=edition.simulated,
        n_respondents=edition.respondents.count(),
        source={"fr": cat.source(year, "fr"), "en": cat.source(year, "en")},
        figures=tuple(figures),
    )
