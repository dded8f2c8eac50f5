"""Aggregates over the member (or client) authorities of a pooling body: an EPCI, a département, an OPSN.

Only counts and unweighted shares of the responding members are given ("k of n members"), never one
authority's answer:

- **primary suppression**: an aggregate built on fewer responding members than ``minimum`` (the
  disclosure rule's minimum) is not published;
- **complementary suppression** in the tree of views (OPSN → département → EPCI): when a parent view is
  published and the members of the parent that no published child covers are between 1 and
  ``minimum − 1``, parent minus children would give their aggregate; the smallest published child is then
  hidden too, until the remainder is 0 or at least ``minimum``. This is the classic one-level secondary
  suppression of hierarchical tables (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
  §4.4.3: "a suppressed cell must not be the only suppressed cell of its row"), applied per indicator
  because each indicator has its own base.

Views that overlap without nesting (an EPCI whose members lie in two départements) are not audited
against each other; they share members but neither contains the other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


class Reason:
    """Codes of an unpublished aggregate (worded at the edge)."""

    CONFIDENTIALITY = "confidentiality"  # fewer responding members than the minimum
    COMPLEMENTARY = "complementary"  # hidden so that another cannot be derived by difference


@dataclass(frozen=True)
class Aggregate:
    """One indicator over one view's responding members."""

    key: str
    n: int | None
    k: int | None
    share: float | None  # percent
    suppressed: bool
    reason: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "n": self.n,
            "k": self.k,
            "share": self.share,
            "suppressed": self.suppressed,
            "reason": self.reason,
        }


def counts(values: npt.NDArray[np.float64]) -> tuple[int, int]:
    """(n in the base, k with the value 1) of a column of 0/1/NaN values."""
    base = ~np.isnan(values)
    return int(base.sum()), int(np.nansum(values))


def complementary(parent_n: int, children_n: Mapping[str, int], minimum: int) -> set[str]:
    """Children to hide so that ``parent − published children`` is 0 or at least ``minimum``.

    ``children_n``: n of every child view (disjoint subsets of the parent); a child with n < minimum
    is hidden already (primary) and returned too.
    """
    hidden = {c for c, n in children_n.items() if n < minimum}
    published = sorted((n, c) for c, n in children_n.items() if c not in hidden)
    remainder = parent_n - sum(n for n, _ in published)
    while published and 0 < remainder < minimum:
        n, c = published.pop(0)
        hidden.add(c)
        remainder += n
    return hidden


def aggregate(
    key: str,
    values: npt.NDArray[np.float64],
    *,
    minimum: int,
    view: str = "",
    parent: npt.NDArray[np.float64] | None = None,
    siblings: Mapping[str, npt.NDArray[np.float64]] | None = None,
) -> Aggregate:
    """The aggregate of indicator ``key`` over ``values`` (the members of ``view``), hidden by the primary
    or the complementary rule.

    ``parent``: the values of the enclosing view's members (None at the top); ``siblings``: view key →
    values of the other child views of that parent (disjoint from this one). Keys break ties the same
    way from every view's side, so that all views of a parent agree on which ones are hidden.
    """
    n, k = counts(values)
    if n < minimum:
        return Aggregate(key, None, None, None, True, Reason.CONFIDENTIALITY)
    if parent is not None:
        parent_n, _ = counts(parent)
        if parent_n >= minimum:
            children = {**{k2: counts(v)[0] for k2, v in (siblings or {}).items()}, view: n}
            if view in complementary(parent_n, children, minimum):
                return Aggregate(key, None, None, None, True, Reason.COMPLEMENTARY)
    share = 100.0 * k / n
    return Aggregate(key, n, k, round(share, 10) if math.isfinite(share) else None, False, None)
