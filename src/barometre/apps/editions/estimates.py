"""The one mapper between the engine's :class:`EstimateRow` and the stored ``IndicatorEstimate``.

This is the only module (migrations aside) that knows the estimate's fields: the pipeline stores
through :func:`store`, and the pages, the explorer, the open data and the note read
:class:`EstimateRow` through :func:`load` / :func:`to_row`. A field added to ``EstimateRow`` and to the
model is carried everywhere without touching the readers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from barometre.apps.editions.models import Edition, IndicatorEstimate
from barometre.core.indicators.compute import ESTIMATE_COLUMNS, EstimateRow
from barometre.core.opendata import HIDDEN_FIELDS

#: Fields of a row that the database stores as columns (``edition`` and ``simulated`` come from the edition;
#: ``base`` is always ``weighted`` for a stored row: the respondents' base is derived from it).
STORED_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(EstimateRow) if f.name not in ("edition", "simulated", "base")
)


def _column(name: str, value: Any) -> Any:
    """A row's value as its column holds it (the reason code is "" for a shown cell)."""
    return "" if name == "reason" and value is None else value


def store(edition: Edition, rows: Iterable[EstimateRow]) -> int:
    """Replace the stored estimates of ``edition`` by ``rows`` in one transaction; how many were stored."""
    objects = [
        IndicatorEstimate(edition=edition, **{name: _column(name, getattr(r, name)) for name in STORED_FIELDS})
        for r in rows
    ]
    with transaction.atomic():
        IndicatorEstimate.objects.filter(edition=edition).delete()
        IndicatorEstimate.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def to_row(stored: IndicatorEstimate, edition: Edition | None = None) -> EstimateRow:
    """The row of a stored estimate (``edition``: its edition when already at hand, saves a query)."""
    ed = edition if edition is not None else stored.edition
    values: dict[str, Any] = {name: getattr(stored, name) for name in STORED_FIELDS}
    values["reason"] = values["reason"] or None
    return EstimateRow(**values, edition=ed.year, simulated=ed.simulated)


def load(edition: Edition, **filters: Any) -> list[EstimateRow]:
    """The stored rows of ``edition`` (``filters``: on the stored fields, e.g. ``indicator=…``), in storage order."""
    return [to_row(e, edition) for e in IndicatorEstimate.objects.filter(edition=edition, **filters)]


def rows_of(queryset: QuerySet[IndicatorEstimate]) -> list[EstimateRow]:
    """The rows of any selection of stored estimates, their editions read in the same query."""
    return [to_row(e) for e in queryset.select_related("edition")]


def record(row: EstimateRow) -> dict[str, Any]:
    """The stored fields of ``row`` as a plain mapping, in the row's order (exports, JSON)."""
    return {name: getattr(row, name) for name in STORED_FIELDS}


#: Keys of a row as the API publishes it: its edition's year, the row's columns, whether simulated.
PUBLISHED_KEYS: tuple[str, ...] = ("edition", *ESTIMATE_COLUMNS, "simulated")
_PUBLISHED_LOOKUPS = ("edition__year", *ESTIMATE_COLUMNS, "edition__simulated")


def published_values(queryset: QuerySet[IndicatorEstimate]) -> QuerySet[IndicatorEstimate, tuple[Any, ...]]:
    """The selection as plain value tuples in :data:`PUBLISHED_KEYS` order (no model instances: fast pages)."""
    return queryset.values_list(*_PUBLISHED_LOOKUPS)


def published_record(values: Sequence[Any]) -> dict[str, Any]:
    """One tuple of :func:`published_values` as published: a hidden cell keeps its reason code, no number."""
    row = dict(zip(PUBLISHED_KEYS, values, strict=True))
    hidden = bool(row["suppressed"])
    row["reason"] = (row["reason"] or None) if hidden else None
    if hidden:
        for name in HIDDEN_FIELDS:
            if name in row:
                row[name] = None
        row["imprecise"] = False
    return row
