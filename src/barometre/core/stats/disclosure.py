"""Disclosure control: which estimates may be published, and which are marked imprecise.

Thresholds come from ``data/disclosure.yaml`` (each with its source). Three reasons hide a cell,
returned as codes (wording happens at the edge):

* ``confidentiality`` — fewer than ``min_respondents`` unweighted respondents;
* ``precision`` — the Korn–Graubard interval is wider than the strict limit
  (``hide_absolute_width``);
* ``complementary`` — hidden to protect another hidden cell (decided over a whole table by
  :mod:`barometre.core.stats.secondary`, not here).

A shown cell is ``imprecise`` ("imprécis — à interpréter avec prudence") when it fails the NCHS
Data Presentation Standards for Proportions (Parker et al. 2017): effective sample size below 30,
absolute interval width of 0.30 or more, or width above 0.05 with a relative width above 130 %.
The relative width is taken on ``min(p, 1 − p)`` and the interval is computed on that side, so a
share and its complement (an indicator recoded ``y → 1 − y``) always get the same decision —
unlike the coefficient of variation ``se / p``, infinite at 0 % and zero at 100 %.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barometre.core.paths import DATA_DIR
from barometre.core.stats.korn_graubard import effective_sample_size, korn_graubard
from barometre.core.yamlfile import load_file

RULES_PATH = DATA_DIR / "disclosure.yaml"

#: Reason codes of a hidden cell.
CONFIDENTIALITY = "confidentiality"
PRECISION = "precision"
COMPLEMENTARY = "complementary"
REASONS = (CONFIDENTIALITY, COMPLEMENTARY, PRECISION)


@functools.cache
def load_rules(path: Path = RULES_PATH) -> dict[str, Any]:
    """The rules file as a mapping (cached)."""
    data: dict[str, Any] = load_file(path)
    return data


def _rule_value(section: str, key: str) -> Any:
    return load_rules()[section][key]


@dataclass(frozen=True)
class DisclosureRule:
    """Thresholds of the rule (defaults: ``data/disclosure.yaml``)."""

    min_respondents: int = int(_rule_value("confidentiality", "min_respondents"))
    min_effective_n: float = float(_rule_value("precision", "min_effective_n"))
    max_absolute_width: float = float(_rule_value("precision", "max_absolute_width"))
    relative_width_floor: float = float(_rule_value("precision", "relative_width_floor"))
    max_relative_width: float = float(_rule_value("precision", "max_relative_width"))
    #: None: imprecise cells are never hidden for precision.
    hide_absolute_width: float | None = float(_rule_value("precision", "hide_absolute_width"))
    #: Minimum width (share scale) of a hidden cell's feasible interval (complementary suppression).
    min_feasible_width: float = float(_rule_value("complementary", "min_feasible_width"))
    #: The same for cells hidden for precision or as complements (not confidential themselves).
    min_feasible_width_other: float = float(_rule_value("complementary", "min_feasible_width_other"))


@dataclass(frozen=True)
class Precision:
    """The interval of a proportion and the numbers the precision rule reads (share scale)."""

    low: float
    high: float
    effective_n: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class DisclosureResult:
    suppressed: bool
    #: ``confidentiality``, ``precision`` or None (``complementary`` is decided per table).
    reason: str | None
    imprecise: bool = False
    precision: Precision | None = None


def interval(p: float, se: float, n: int, level: float = 0.95, df: float | None = None) -> Precision:
    """Korn–Graubard interval of ``p`` (0–1) with the design degrees of freedom ``df``, computed on
    the side ``min(p, 1 − p)`` and mirrored, so that ``p`` and ``1 − p`` get bit-for-bit the same
    width and effective sample size."""
    p = min(1.0, max(0.0, p))
    flip = p > 0.5
    q = 1.0 - p if flip else p
    lo, hi = korn_graubard(q, se, n, level, df=df)
    n_eff = effective_sample_size(q, se, n, df=df, level=level)
    return Precision(1.0 - hi, 1.0 - lo, n_eff) if flip else Precision(lo, hi, n_eff)


def is_imprecise(p: float, prec: Precision, rule: DisclosureRule) -> bool:
    """NCHS criteria (effective size, absolute width, relative width on ``min(p, 1 − p)``)."""
    width = prec.width
    if prec.effective_n < rule.min_effective_n or width >= rule.max_absolute_width:
        return True
    q = min(p, 1.0 - p)
    relative = width / q if q > 0 else math.inf
    return width > rule.relative_width_floor and relative > rule.max_relative_width


def check_disclosure(
    n_respondents: int, estimate: float, se: float, rule: DisclosureRule | None = None, df: float | None = None
) -> DisclosureResult:
    """Verdict for one proportion ``estimate`` (0–1) with standard error ``se`` on ``n`` respondents
    (``df``: the domain's design degrees of freedom; below 1 no interval exists: hidden, ``precision``)."""
    rule = rule or DisclosureRule()
    if n_respondents < rule.min_respondents or n_respondents <= 0:
        return DisclosureResult(True, CONFIDENTIALITY)
    if not (math.isfinite(estimate) and math.isfinite(se)) or (df is not None and df < 1):
        return DisclosureResult(True, PRECISION)
    p = min(1.0, max(0.0, estimate))
    prec = interval(p, max(0.0, se), n_respondents, df=df)
    if rule.hide_absolute_width is not None and prec.width >= rule.hide_absolute_width:
        return DisclosureResult(True, PRECISION, precision=prec)
    return DisclosureResult(False, None, is_imprecise(p, prec, rule), prec)


def check_count(n_respondents: int, rule: DisclosureRule | None = None) -> DisclosureResult:
    """Only the confidentiality criterion (aggregates without a standard error, e.g. peer bands)."""
    rule = rule or DisclosureRule()
    if n_respondents < rule.min_respondents or n_respondents <= 0:
        return DisclosureResult(True, CONFIDENTIALITY)
    return DisclosureResult(False, None)


def sources() -> dict[str, dict[str, str]]:
    """Source of each threshold group (for the methodology texts)."""
    r = load_rules()
    return {
        "confidentiality": dict(r["confidentiality"]["source"]),
        "precision": dict(r["precision"]["source"]),
        "precision_hide": dict(r["precision"]["hide_source"]),
        "complementary": dict(r["complementary"]["source"]),
        "complementary_method": dict(r["complementary"]["method"]),
    }
