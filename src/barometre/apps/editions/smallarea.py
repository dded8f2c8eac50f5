"""Small-area estimates (Fay–Herriot, ``core.sae``) of an edition: computed with the indicators,
stored per indicator and level, read by the explorer, the API, the open data and the note."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from barometre.apps.editions.models import Edition, SmallAreaEstimate, SmallAreaFit
from barometre.core.errors import EditionError, NotFound
from barometre.core.sae.areas import LEVELS, Level
from barometre.core.sae.estimate import SmallAreaResult

#: Fields of a stored area row, in output order (CLI, API, open data).
ROW_FIELDS: tuple[str, ...] = (
    "area",
    "name",
    "direct",
    "direct_se",
    "eblup",
    "mse",
    "cv",
    "n",
    "method",
    "direct_reason",
    "shrinkage",
    "std_residual",
    "direct_vs_model",
    "variance_source",
)


def store(edition: Edition, results: Sequence[SmallAreaResult]) -> int:
    """Replace the edition's small-area estimates by ``results`` (call inside a transaction)."""
    SmallAreaFit.objects.filter(edition=edition).delete()
    fits = SmallAreaFit.objects.bulk_create(
        [SmallAreaFit(edition=edition, indicator=r.indicator, level=r.level, checks=r.check.to_dict()) for r in results]
    )
    rows = [
        SmallAreaEstimate(
            fit=fit,
            area=a.area,
            name=a.name,
            direct=a.direct,
            direct_se=a.direct_se,
            direct_reason=a.direct_reason,
            estimate=a.eblup,
            mse=a.mse,
            cv=a.cv,
            n=a.n,
            method=a.method,
            shrinkage=a.shrinkage,
            std_residual=a.std_residual,
            direct_vs_model=a.direct_vs_model,
            variance_source=a.variance_source or "",
        )
        for fit, r in zip(fits, results, strict=True)
        for a in r.rows
    ]
    SmallAreaEstimate.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def row_dict(e: SmallAreaEstimate) -> dict[str, Any]:
    out = {f: getattr(e, f) for f in ROW_FIELDS if f != "eblup"}
    out["eblup"] = e.estimate
    return {f: out[f] for f in ROW_FIELDS}


def stored(edition: Edition, indicator: str, level: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(model checks, area rows) stored for ``indicator`` at ``level``, or None."""
    fit = SmallAreaFit.objects.filter(edition=edition, indicator=indicator, level=level).first()
    if fit is None:
        return None
    return dict(fit.checks), [row_dict(e) for e in fit.areas.all()]


def stored_levels(edition: Edition, indicator: str) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    out: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for level in LEVELS:
        found = stored(edition, indicator, level)
        if found is not None:
            out[level] = found
    return out


def estimate(year: int, indicator: str, level: str) -> SmallAreaResult:
    """Fit the model for one indicator and level on the edition's current weights (for the CLI)."""
    from barometre.apps.editions import pipeline
    from barometre.apps.editions.queries import catalogue
    from barometre.apps.editions.sources import questionnaire_for
    from barometre.core.registry import load_snapshot
    from barometre.core.sae.estimate import small_area_estimates
    from barometre.core.weighting.pipeline import WeightingOptions
    from barometre.core.weighting.units import frame_arrays

    if level not in LEVELS:
        raise EditionError(f"niveau {level!r} inconnu : departement ou region")
    lv: Level = "departement" if level == "departement" else "region"
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"l'édition {year} n'existe pas")
    if edition.weights_computed_at is None or edition.weights_stale:
        raise EditionError(
            f"édition {year} : pondération absente ou périmée ; lancez `barometre edition weight --edition {year}`"
        )
    catalogue().get(indicator)  # NotFound when unknown
    collapse = edition.weighting_report.get("collapse") or {}
    arrays, result = pipeline._weighting(edition, WeightingOptions(collapse=collapse) if collapse else None)
    found = small_area_estimates(
        arrays,
        result,
        catalogue(),
        questionnaire_for(edition),
        indicators=[indicator],
        levels=(lv,),
        rule=pipeline.DISCLOSURE_RULE,
        frame_units=frame_arrays(load_snapshot()),
    )
    return found[0]
