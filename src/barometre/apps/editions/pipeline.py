"""The edition pipeline on the database: simulate, weight, compute indicators.

Each step reads plain data from the database, hands it to the pure core
(``core.simulate``, ``core.weighting``, ``core.indicators``) and stores the
result in one transaction. Every step is idempotent and returns a sentence
saying what it did.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from barometre.apps.editions import estimates, smallarea
from barometre.apps.editions.answers import cleaned, edition_answer_arrays
from barometre.apps.editions.lifecycle import mark_weighted
from barometre.apps.editions.models import (
    Answer,
    CollectionKind,
    Edition,
    EditionState,
    Response,
    ResponseStatus,
)
from barometre.apps.editions.queries import catalogue
from barometre.apps.editions.sources import frame_version, questionnaire_for
from barometre.apps.registry.models import Authority
from barometre.core.errors import EditionError
from barometre.core.indicators.compute import EstimateRow, compare, compute_indicators, indicator_matrix
from barometre.core.questionnaire import load_edition
from barometre.core.registry import load_snapshot
from barometre.core.sae.estimate import small_area_estimates
from barometre.core.stats import DisclosureRule
from barometre.core.stats.secondary import PatternCache
from barometre.core.weighting.pipeline import (
    FrameMargins,
    WeightingOptions,
    WeightingResult,
    options_from_report,
    weight_edition,
)
from barometre.core.weighting.units import EditionArrays, FrameArrays, build_edition_arrays, frame_units

#: The disclosure rule of every publication (see the methodology annex).
DISCLOSURE_RULE = DisclosureRule()

Progress = Callable[[str], None]


def simulation_key(
    year: int,
    seed: int,
    respondents: int | None,
    previous: Mapping[str, float] | None = None,
    panel: Sequence[str] | None = None,
) -> str:
    """Fingerprint of the inputs of a simulated edition (seed, size, files, simulator, frame, the
    previous simulated edition's frame shares it drifts from and its respondents, part of whom answer
    again)."""
    import hashlib
    import inspect
    import json

    from barometre.core import simulate as simulate_pkg
    from barometre.core.paths import DATA_DIR, QUESTIONNAIRES_DIR

    h = hashlib.sha256(f"{year}:{seed}:{respondents}:{frame_version()}".encode())
    if previous:
        h.update(json.dumps(previous, sort_keys=True).encode())
    if panel:
        h.update(json.dumps(sorted(panel)).encode())
    for path in (QUESTIONNAIRES_DIR / f"{year}.yaml", DATA_DIR / "indicators.yaml"):
        h.update(path.read_bytes())
    from barometre.core.indicators import compute as compute_module

    for module in (simulate_pkg.edition, compute_module):
        h.update(inspect.getsource(module).encode())
    return h.hexdigest()


def simulate(year: int, seed: int, respondents: int | None = None, *, publish: bool = True) -> str:
    """Build simulated edition ``year`` in the database (idempotent for the same inputs)."""
    existing = Edition.objects.filter(year=year).first()
    if existing is not None and not existing.simulated:
        raise EditionError(f"l'édition {year} contient des réponses réelles : pas de simulation par-dessus")
    load_edition(year)  # no questionnaire for that year: one clear error before anything else
    before = Edition.objects.filter(year=year - 1, simulated=True).first()
    previous: dict[str, float] | None = dict(before.simulation_shares) if before and before.simulation_shares else None
    # a panel of the previous edition's respondents when it simulated the same population (same seed)
    panel: list[str] | None = None
    if previous is not None and before is not None and before.simulation_seed == seed:
        panel = sorted(
            before.responses.filter(
                status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED], simulated=True
            ).values_list("authority__code", flat=True)
        )
    key = simulation_key(year, seed, respondents, previous, panel)
    if existing is not None and existing.simulation_key == key and existing.state == EditionState.PUBLISHED:
        n = existing.responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED]).count()
        return f"édition {year} simulée inchangée ({n} répondants, graine {seed})"
    from barometre.core.simulate import simulate_edition  # the simulator only when simulating

    frame = load_snapshot()
    qn = load_edition(year)
    sim = simulate_edition(
        year,
        seed,
        respondents,
        frame=frame,
        questionnaire=qn,
        catalogue=catalogue(),
        previous=previous,
        previous_respondents=panel,
    )
    pks = dict(Authority.objects.filter(code__in=sim.respondents).values_list("code", "pk"))
    now = timezone.now()
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        edition = Edition.objects.create(
            year=year,
            questionnaire_version=str(qn.version),
            questionnaire_year=year,
            state=EditionState.CLOSED,
            collection=CollectionKind.VOLUNTARY,
            simulated=True,
            simulation_seed=seed,
            simulation_key=key,
            frame_version=frame_version(),
            simulation_shares=dict(sim.frame_shares),
        )
        responses = Response.objects.bulk_create(
            [
                Response(
                    edition=edition,
                    authority_id=pks[code],
                    status=ResponseStatus.SUBMITTED,
                    simulated=True,
                    started_at=now,
                    submitted_at=now,
                )
                for code in sim.respondents
            ],
            batch_size=1000,
        )
        by_code = dict(zip(sim.respondents, responses, strict=True))
        Answer.objects.bulk_create(
            [
                Answer(response=by_code[code], question_id=qid, value=value)
                for code in sim.respondents
                for qid, value in sim.answers[code].items()
            ],
            batch_size=2000,
        )
    summary = f"édition {year} simulée : {len(sim.respondents)} répondants sur {len(sim.invited)} invités"
    if publish:
        weight(year)
        compute(year)
        from barometre.apps.editions.lifecycle import move

        move(year, EditionState.PUBLISHED, actor="demo", reason="édition simulée (données simulées)")
        summary += ", pondérée, indicateurs calculés, publiée"
    return summary


def cached_frame() -> FrameArrays:
    """The frame's arrays, kept between runs under ``DATA_DIR/cache`` by the snapshot's checksum."""
    from django.conf import settings

    return frame_units(Path(settings.DATA_DIR) / "cache")


def suppression_patterns() -> PatternCache:
    """Complementary suppressions already searched, kept under ``DATA_DIR/cache`` (computing an
    edition again on the same weights finds the same tables: no LP audit is run again)."""
    from django.conf import settings

    return PatternCache(Path(settings.DATA_DIR) / "cache" / "suppression")


def edition_arrays(edition: Edition) -> EditionArrays:
    qn = questionnaire_for(edition)
    raw = edition_answer_arrays(edition)
    answers = {code: cleaned(qn, a) for code, a in raw.items()}
    units = None
    if edition.collection == CollectionKind.SAMPLE:
        units = list(edition.sample.values_list("authority__code", "inclusion_probability"))
        if not units:
            raise EditionError(
                f"édition {edition.year} : échantillon vide ; "
                f"lancez `barometre edition sample --edition {edition.year}`"
            )
    return build_edition_arrays(
        year=edition.year,
        frame=cached_frame(),
        answers=answers,
        units=units,
        collection="sample" if units is not None else "voluntary",
        simulated=edition.simulated,
    )


def _get(year: int) -> Edition:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise EditionError(f"l'édition {year} n'existe pas")
    return edition


def _weighting(edition: Edition, options: WeightingOptions | None) -> tuple[EditionArrays, WeightingResult]:
    arrays = edition_arrays(edition)
    margins = FrameMargins.from_frame(cached_frame())
    return arrays, weight_edition(arrays, margins, options)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):
        return _json_safe(value.item())
    return value


def weight(year: int, options: WeightingOptions | None = None) -> str:
    """Weight edition ``year`` and store every respondent's weights."""
    edition = _get(year)
    arrays, result = _weighting(edition, options)
    codes = [str(arrays.units.codes[r]) for r in result.rows]
    weights = dict(zip(codes, result.weights.tolist(), strict=True))
    design = dict(zip(codes, result.design_weights.tolist(), strict=True))
    with transaction.atomic():
        responses = list(
            edition.responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED]).select_related(
                "authority"
            )
        )
        for r in responses:
            r.weight = weights[r.authority.code]
            r.design_weight = design[r.authority.code]
        Response.objects.bulk_update(responses, ["weight", "design_weight"], batch_size=1000)
        edition.responses.exclude(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED]).update(
            weight=None, design_weight=None
        )
        mark_weighted(edition, _json_safe(dict(result.report)))
    return f"édition {year} pondérée : {len(responses)} répondants, somme des poids {sum(weights.values()):.0f}"


@dataclass(frozen=True)
class Computed:
    rows: list[EstimateRow]
    summary: str
    #: engine calls by path (``vectorised``, ``per-domain``: the exact engine, one domain at a time)
    estimator_paths: dict[str, int] = field(default_factory=dict)


def compute(year: int) -> Computed:
    """Compute every indicator of edition ``year`` on its current weights and store them."""
    edition = _get(year)
    if edition.weights_computed_at is None or edition.weights_stale:
        raise EditionError(
            f"édition {year} : pondération absente ou périmée ; lancez `barometre edition weight --edition {year}`"
        )
    # the design of the stored weights: same answers, same options (the report keeps the merged strata
    # and the région groups)
    arrays, result = _weighting(edition, options_from_report(edition.weighting_report))
    paths: dict[str, int] = {}
    qn = questionnaire_for(edition)
    cat = catalogue()
    matrix = indicator_matrix(arrays, result.rows, cat, qn)  # the indicators' values, shared by both below
    rows = compute_indicators(
        arrays, result, cat, qn, rule=DISCLOSURE_RULE, paths=paths, patterns=suppression_patterns(), matrix=matrix
    )
    # every indicator by département and by région (Fay–Herriot; an indicator too sparse to model is skipped)
    small_areas = small_area_estimates(
        arrays, result, cat, qn, rule=DISCLOSURE_RULE, frame_units=cached_frame(), matrix=matrix
    )
    with transaction.atomic():
        smallarea.store(edition, small_areas)
        estimates.store(edition, rows)
        edition.indicators_computed_at = timezone.now()
        edition.save(update_fields=["indicators_computed_at"])
    shown = sum(1 for r in rows if not r.suppressed)
    summary = f"édition {year} : {len(rows)} estimations ({len(rows) - shown} masquées)"
    if paths.get("per-domain"):
        summary += f" ; {paths['per-domain']} calculs par le moteur exact domaine par domaine (plan non vectorisable)"
    return Computed(rows, summary, paths)


def stored_rows(year: int) -> list[EstimateRow]:
    return estimates.load(_get(year))


def comparison(year: int) -> list[Any]:
    rows = stored_rows(year)
    if not rows:
        raise EditionError(f"édition {year} : indicateurs non calculés ; lancez `barometre indicators compute`")
    return compare(rows, catalogue(), year)


def draw_and_store_sample(year: int, *, size: int, allocation: str, seed: int = 0) -> dict[str, Any]:
    """Draw a stratified probability sample for edition ``year`` and store it (replacing a previous one).

    Only an edition in draft, or open with no response started yet, may get a new sample.
    """
    from barometre.apps.editions.models import SampleUnit
    from barometre.core.sampling import draw_sample

    edition = _get(year)
    if edition.state not in (EditionState.DRAFT, EditionState.OPEN):
        raise EditionError(f"édition {year} : l'échantillon ne se tire qu'avant ou pendant la collecte")
    if edition.responses.exclude(status=ResponseStatus.INVITED).exists():
        raise EditionError(f"édition {year} : des réponses ont commencé, l'échantillon ne peut plus changer")
    sample = draw_sample(load_snapshot(), size=size, allocation=allocation, seed=seed)  # type: ignore[arg-type]
    pks = dict(Authority.objects.filter(code__in=sample.codes).values_list("code", "pk"))
    missing = [c for c in sample.codes if c not in pks]
    if missing:
        raise EditionError(
            f"{len(missing)} unités absentes du registre en base (ex. {missing[0]}) : lancez `barometre registry load`"
        )
    with transaction.atomic():
        edition.sample.all().delete()
        SampleUnit.objects.bulk_create(
            [
                SampleUnit(
                    edition=edition,
                    authority_id=pks[code],
                    stratum=stratum,
                    inclusion_probability=float(p),
                    certainty=bool(cert),
                )
                for code, stratum, p, cert in zip(
                    sample.codes, sample.strata, sample.inclusion_probability, sample.certainty, strict=True
                )
            ],
            batch_size=2000,
        )
        edition.collection = CollectionKind.SAMPLE
        edition.save(update_fields=["collection"])
    return {
        "edition": year,
        "allocation": sample.allocation_method,
        "size": sample.size,
        "seed": seed,
        "certainty_units": int(sample.certainty.sum()),
        "strata": [
            {
                "stratum": a.stratum,
                "population": a.population,
                "sample": a.sample,
                "inclusion_probability": a.inclusion_probability,
                "certainty": a.certainty,
            }
            for a in sample.allocation
        ],
    }
