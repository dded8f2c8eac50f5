"""R-indicator and partial R-indicators checked against computations by hand on small frames."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barometre.core.monitoring import representativeness, representativeness_grouped


def test_r_indicator_matches_hand_computation_on_a_ten_unit_frame() -> None:
    # Frame of 10: category a (6 units, 3 respond), category b (4 units, 1 responds).
    kinds = ["a"] * 6 + ["b"] * 4
    responded = [True, True, True, False, False, False, True, False, False, False]
    rep = representativeness({"kind": kinds}, responded)
    # By hand: the saturated model gives the cell response rates 1/2 and 1/4.
    rho_a, rho_b = 3 / 6, 1 / 4
    mean = (6 * rho_a + 4 * rho_b) / 10  # 0.4
    s2 = (6 * (rho_a - mean) ** 2 + 4 * (rho_b - mean) ** 2) / (10 - 1)  # 0.15 / 9
    assert rep.r_indicator == pytest.approx(1 - 2 * math.sqrt(s2), abs=1e-6)  # 0.741801
    assert rep.r_indicator == pytest.approx(0.741801, abs=1e-6)
    cats = rep.partial["kind"].categories
    assert cats["a"] == pytest.approx(math.sqrt(6 / 10) * (rho_a - mean), abs=1e-6)  # +0.0775
    assert cats["b"] == pytest.approx(math.sqrt(4 / 10) * (rho_b - mean), abs=1e-6)  # −0.0949: under-represented
    assert cats["b"] < 0 < cats["a"]
    assert rep.partial["kind"].variable == pytest.approx(math.sqrt(s2), abs=1e-6)


def test_r_indicator_uses_design_weights() -> None:
    kinds = ["a"] * 6 + ["b"] * 4
    responded = [True, True, True, False, False, False, True, False, False, False]
    weights = [2.0] * 6 + [1.0] * 4
    rep = representativeness({"kind": kinds}, responded, weights)
    n = 12 + 4
    mean = (12 * 0.5 + 4 * 0.25) / n  # 0.4375
    s2 = (12 * (0.5 - mean) ** 2 + 4 * (0.25 - mean) ** 2) / (n - 1)  # 0.0125
    assert rep.r_indicator == pytest.approx(1 - 2 * math.sqrt(s2), abs=1e-6)  # 0.776393


def test_equal_response_everywhere_gives_r_of_one() -> None:
    kinds = ["a", "a", "b", "b"]
    rep = representativeness({"kind": kinds}, [True, False, True, False])
    assert rep.r_indicator == pytest.approx(1.0, abs=1e-9)
    assert all(abs(v) < 1e-9 for v in rep.partial["kind"].categories.values())


def test_propensity_model_uses_every_covariate_and_matches_observed_margins() -> None:
    rng = np.random.default_rng(3)
    n = 400
    stratum = rng.choice(["s1", "s2", "s3"], size=n).tolist()
    region = rng.choice(["r1", "r2"], size=n).tolist()
    p = np.where(np.array(stratum) == "s1", 0.6, 0.3) + np.where(np.array(region) == "r2", 0.2, 0.0)
    responded = (rng.random(n) < p).tolist()
    rep = representativeness({"stratum": stratum, "region": region}, responded)
    y = np.array(responded, dtype=float)
    # Score equations of a main-effects logistic model: fitted margins equal observed ones.
    for values in (stratum, region):
        arr = np.array(values)
        for level in set(values):
            mask = arr == level
            assert rep.propensities[mask].sum() == pytest.approx(y[mask].sum(), rel=1e-6)
    # Region matters, so the propensities differ within a stratum (not the stratum alone).
    s1 = np.array(stratum) == "s1"
    assert np.ptp(rep.propensities[s1]) > 0.05
    assert 0 < rep.r_indicator < 1


def test_cells_give_the_same_r_indicator_as_units() -> None:
    rng = np.random.default_rng(5)
    n = 300
    stratum = rng.choice(["s1", "s2", "s3"], size=n).tolist()
    region = rng.choice(["r1", "r2", "r3"], size=n).tolist()
    responded = (rng.random(n) < 0.4).tolist()
    weights = rng.choice([1.0, 2.5], size=n)
    units = representativeness({"stratum": stratum, "region": region}, responded, weights)
    cells: dict[tuple[str, str], list[float]] = {}
    for s, r, y, w in zip(stratum, region, responded, weights, strict=True):
        cell = cells.setdefault((s, r), [0.0, 0.0])
        cell[0] += w * y
        cell[1] += w
    keys = sorted(cells)
    grouped = representativeness_grouped(
        {"stratum": [k[0] for k in keys], "region": [k[1] for k in keys]},
        [cells[k][0] for k in keys],
        [cells[k][1] for k in keys],
    )
    assert grouped.r_indicator == pytest.approx(units.r_indicator, abs=1e-9)
    for var in ("stratum", "region"):
        for level, value in units.partial[var].categories.items():
            assert grouped.partial[var].categories[level] == pytest.approx(value, abs=1e-9)
