"""Disclosure control: one configurable rule deciding whether an estimate may be published.

An estimate is suppressed when it rests on fewer than ``min_respondents`` unweighted
respondents, or when its coefficient of variation ``se / |estimate|`` exceeds ``max_cv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DisclosureRule:
    min_respondents: int = 10
    max_cv: float | None = 0.3


@dataclass(frozen=True)
class DisclosureResult:
    suppressed: bool
    reason: str


def check_disclosure(
    n_respondents: int, estimate: float, se: float, rule: DisclosureRule = DisclosureRule()
) -> DisclosureResult:
    """Flag and reason (French, for humans) for one estimate."""
    if n_respondents < rule.min_respondents:
        return DisclosureResult(True, f"moins de {rule.min_respondents} répondants ({n_respondents})")
    if rule.max_cv is not None:
        cv = float(se) / abs(float(estimate)) if estimate != 0 else float("inf")
        if not np.isfinite(cv) or cv > rule.max_cv:
            return DisclosureResult(True, f"CV {cv:.2f} au-dessus de {rule.max_cv:.2f}")
    return DisclosureResult(False, "")
