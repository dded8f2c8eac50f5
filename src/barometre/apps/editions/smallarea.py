"""Small-area estimates (Fay–Herriot, ``core.sae``) of an edition: computed with the indicators,
stored per indicator and level, read by the explorer, the API, the open data and the note."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

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


#: Columns written by :func:`store`, in the order of its rows.
_INSERTED = (
    "fit",
    "area",
    "name",
    "direct",
    "direct_se",
    "direct_reason",
    "estimate",
    "mse",
    "cv",
    "n",
    "method",
    "shrinkage",
    "std_residual",
    "direct_vs_model",
    "variance_source",
)


def _num(v: float | None) -> float | None:
    return None if v is None else float(v)


def store(edition: Edition, results: Sequence[SmallAreaResult]) -> int:
    """Replace the edition's small-area estimates by ``results`` (call inside a transaction)."""
    SmallAreaFit.objects.filter(edition=edition).delete()
    fits = SmallAreaFit.objects.bulk_create(
        [SmallAreaFit(edition=edition, indicator=r.indicator, level=r.level, checks=r.check.to_dict()) for r in results]
    )
    # one INSERT run over every area row (about 10,000 an edition): the same rows as
    # ``bulk_create`` without building a model instance per row, a third of the command's time
    rows = [
        (
            fit.pk,
            a.area,
            a.name,
            _num(a.direct),
            _num(a.direct_se),
            a.direct_reason,
            float(a.eblup),
            float(a.mse),
            _num(a.cv),
            None if a.n is None else int(a.n),
            a.method,
            _num(a.shrinkage),
            _num(a.std_residual),
            _num(a.direct_vs_model),
            a.variance_source or "",
        )
        for fit, r in zip(fits, results, strict=True)
        for a in r.rows
    ]
    meta = SmallAreaEstimate._meta
    quote = connection.ops.quote_name
    column_of = {f.name: str(f.column) for f in meta.concrete_fields}
    columns = ", ".join(quote(column_of[f]) for f in _INSERTED)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(_INSERTED))})"  # noqa: S608 (names from the model, values bound)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
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
    from barometre.core.sae.estimate import small_area_estimates
    from barometre.core.weighting.pipeline import WeightingOptions

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
        frame_units=pipeline.cached_frame(),
    )
    return found[0]
