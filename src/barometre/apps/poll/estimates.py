"""The one mapper between the poll's :class:`PollEstimateRow` and the stored ``PollEstimate``.

The poll's counterpart of :mod:`barometre.apps.editions.estimates`: the only module of the poll that
names the estimate's fields. Weighting stores through :func:`store`; the CLI, the open data and the
note read rows through :func:`to_row`, :func:`record` and :func:`figure_values`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from barometre.apps.poll.models import PollEdition, PollEstimate
from barometre.core.poll.weighting import PollEstimateRow

#: Fields of a row stored as columns (``edition`` and ``simulated`` come from the edition), in order.
STORED_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(PollEstimateRow) if f.name not in ("edition", "simulated")
)


def store(edition: PollEdition, rows: Iterable[PollEstimateRow]) -> int:
    """Replace the stored estimates of ``edition`` by ``rows`` (inside the caller's transaction)."""
    objects = [PollEstimate(edition=edition, **{name: getattr(r, name) for name in STORED_FIELDS}) for r in rows]
    edition.estimates.all().delete()
    PollEstimate.objects.bulk_create(objects)
    return len(objects)


def to_row(stored: PollEstimate, edition: PollEdition) -> PollEstimateRow:
    return PollEstimateRow(
        **{name: getattr(stored, name) for name in STORED_FIELDS}, edition=edition.year, simulated=edition.simulated
    )


def load(edition: PollEdition) -> list[PollEstimateRow]:
    """The stored rows of ``edition``, in storage order."""
    return [to_row(e, edition) for e in edition.estimates.all()]


def record(row: PollEstimateRow) -> dict[str, Any]:
    """The stored fields of ``row`` as a plain mapping, in the row's order (CLI, open data)."""
    return {name: getattr(row, name) for name in STORED_FIELDS}


def figure_values(row: PollEstimateRow | None) -> dict[str, Any]:
    """What the note shows of a cell: no number for a hidden or missing one, its ``n`` and ``deff`` if any."""
    hidden = row is None or row.suppressed
    return {
        "estimate": None if hidden or row is None else row.estimate,
        "ci_low": None if hidden or row is None else row.ci_low,
        "ci_high": None if hidden or row is None else row.ci_high,
        "n": 0 if row is None else row.n,
        "deff": None if row is None else row.deff,
    }
