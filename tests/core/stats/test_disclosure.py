"""The disclosure rule (data/disclosure.yaml): confidentiality, NCHS precision, symmetric in p and 1 − p."""

from __future__ import annotations

import math

import pytest
from scipy.stats import beta

from barometre.core.stats.disclosure import (
    CONFIDENTIALITY,
    PRECISION,
    RULES_PATH,
    DisclosureRule,
    check_count,
    check_disclosure,
    interval,
    sources,
)
from barometre.core.yamlfile import load_file

RULE = DisclosureRule()


def test_thresholds_come_from_the_data_file_with_their_sources() -> None:
    data = load_file(RULES_PATH)
    assert RULE.min_respondents == data["confidentiality"]["min_respondents"]
    assert RULE.min_effective_n == data["precision"]["min_effective_n"]
    assert RULE.max_absolute_width == data["precision"]["max_absolute_width"]
    assert RULE.max_relative_width == data["precision"]["max_relative_width"]
    assert RULE.hide_absolute_width == data["precision"]["hide_absolute_width"]
    assert RULE.min_feasible_width == data["complementary"]["min_feasible_width"]
    for src in sources().values():
        assert src["title"] and src["publisher"] and src["date"]
    assert "NCHS" in sources()["precision"]["title"] or "Health Statistics" in sources()["precision"]["title"]


def test_confidentiality_boundary_nine_hidden_ten_not() -> None:
    # a share of 1/2 on 9 respondents is hidden for confidentiality whatever its precision
    assert check_disclosure(9, 0.5, 0.0, RULE).reason == CONFIDENTIALITY
    assert check_count(9, RULE).suppressed and not check_count(10, RULE).suppressed
    ten = check_disclosure(10, 1.0, 0.0, RULE)  # 10 of 10: Clopper–Pearson [0.69, 1], width 0.31
    assert not ten.suppressed and ten.reason is None and ten.imprecise


def _se_for_width(p: float, n: int, width: float) -> float:
    """The standard error that gives p's Korn–Graubard interval exactly ``width`` (bisection on n_eff)."""
    lo, hi = 1e-6, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if interval(p, mid, n).width < width:
            lo = mid
        else:
            hi = mid
    return hi


@pytest.mark.parametrize("limit", ["hide_absolute_width", "max_absolute_width"])
def test_precision_limits_exactly_at_and_a_hair_beyond(limit: str) -> None:
    p, n = 0.4, 5000
    width = float(getattr(RULE, limit))
    se = _se_for_width(p, n, width)
    at = interval(p, se, n)
    assert at.width == pytest.approx(width, abs=1e-9)
    below = check_disclosure(n, p, se * (1 - 1e-6), RULE)
    above = check_disclosure(n, p, se * (1 + 1e-6), RULE)
    if limit == "hide_absolute_width":
        assert not below.suppressed and above.suppressed and above.reason == PRECISION
    else:
        assert not below.suppressed and not above.suppressed
        assert above.imprecise


def test_effective_sample_size_boundary_thirty() -> None:
    # p = 0.5 on a large n: n_eff = p(1 − p) / se²; 30 is the NCHS minimum
    p, n = 0.5, 10_000
    se30 = math.sqrt(p * (1 - p) / 30)
    assert interval(p, se30 * (1 - 1e-9), n).effective_n >= 30
    assert interval(p, se30 * (1 + 1e-6), n).effective_n < 30
    assert check_disclosure(n, p, se30 * (1 + 1e-6), RULE).imprecise


@pytest.mark.parametrize("p", [0.1, 0.9])
def test_relative_width_boundary_on_the_smaller_side(p: float) -> None:
    # relative width on min(p, 1 − p) = 0.1: the limit is an absolute width of 1.30 × 0.1 = 0.13
    n = 5000
    width = RULE.max_relative_width * min(p, 1 - p)
    assert RULE.relative_width_floor < width < RULE.max_absolute_width
    se = _se_for_width(p, n, width)
    below = check_disclosure(n, p, se * (1 - 1e-6), RULE)
    above = check_disclosure(n, p, se * (1 + 1e-6), RULE)
    assert below.precision is not None and below.precision.effective_n >= RULE.min_effective_n
    assert not below.imprecise and above.imprecise and not above.suppressed


@pytest.mark.parametrize("n", [10, 14, 37, 120, 800])
@pytest.mark.parametrize("k_frac", [0.0, 0.05, 0.2, 0.5, 0.8, 1.0])
def test_a_share_and_its_complement_get_the_same_decision(n: int, k_frac: float) -> None:
    p = round(k_frac * n) / n
    se = math.sqrt(p * (1 - p) * 1.6 / n)
    a, b = check_disclosure(n, p, se, RULE), check_disclosure(n, 1 - p, se, RULE)
    assert (a.suppressed, a.reason, a.imprecise) == (b.suppressed, b.reason, b.imprecise)


def test_zero_percent_is_not_hidden_where_the_cv_rule_hid_it() -> None:
    # 0 of 200: CV infinite (the former rule hid it); Clopper–Pearson upper bound 1.8 %: shown
    res = check_disclosure(200, 0.0, 0.0, RULE)
    assert not res.suppressed and res.precision is not None
    assert res.precision.high == pytest.approx(float(beta.ppf(0.975, 1, 200)))
