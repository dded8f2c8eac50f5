import numpy as np
import pytest

from barometre.core.errors import EditionError, StatsError
from barometre.core.registry import load_snapshot
from barometre.core.sampling import draw_sample
from barometre.core.weighting import (
    FrameMargins,
    WeightingOptions,
    build_edition_arrays,
    frame_arrays,
    weight_edition,
)

RATES = {"communes_moins_3500": 0.01, "regions": 0.9, "departements": 0.7, "epci_metropoles": 0.7, "epci_cu": 0.7}


@pytest.fixture(scope="module")
def fa():
    return frame_arrays(load_snapshot())


def _voluntary(fa, seed=1, rates=RATES, drop=()):
    rng = np.random.default_rng(seed)
    p = np.array([0.0 if s in drop else rates.get(str(s), 0.15) for s in fa.stratum])
    resp = rng.random(fa.n) < p
    return build_edition_arrays(year=2024, frame=fa, answers={str(c): {} for c in fa.codes[resp]})


def test_weights_reproduce_the_calibration_margins(fa):
    margins = FrameMargins.from_frame(fa)
    result = weight_edition(_voluntary(fa), margins)
    w = result.weights
    units = _voluntary(fa).units
    strata = units.stratum[result.rows]
    for s, target in margins.stratum_counts.items():
        assert w[strata == s].sum() == pytest.approx(target, rel=1e-6)
    regions = units.region[result.rows]
    for r in ("11", "84", "93"):
        assert w[regions == r].sum() == pytest.approx(margins.region_counts[r], rel=1e-6)
    drom = np.isin(regions, ["01", "02", "03", "04", "06"])
    assert w[drom].sum() == pytest.approx(
        sum(margins.region_counts[r] for r in ("01", "02", "03", "04", "06")), rel=1e-6
    )
    pop = units.population[result.rows]
    assert (w * pop).sum() == pytest.approx(margins.population_total, rel=1e-6)
    assert result.report["max_margin_relative_error"] < 1e-6


def test_report_has_response_rates_r_indicator_and_weight_diagnostics(fa):
    rep = weight_edition(_voluntary(fa), FrameMargins.from_frame(fa)).report
    by = {r["stratum"]: r for r in rep["by_stratum"]}
    assert by["communes_moins_3500"]["response_rate"] < by["regions"]["response_rate"]
    assert 0 < rep["r_indicator"]["value"] <= 1
    assert rep["effective_sample_size"] <= rep["respondents"]
    assert rep["design_effect_weighting"] >= 1
    assert "manquante au hasard" in rep["assumption"]
    assert rep["weights"]["design"]["max"] == 1.0  # voluntary survey: every design weight is 1


def test_edition_without_responses_is_a_clear_error(fa):
    empty = build_edition_arrays(year=2023, frame=fa, answers={})
    with pytest.raises(EditionError, match="aucune réponse"):
        weight_edition(empty, FrameMargins.from_frame(fa))


def test_stratum_without_respondent_names_it_and_collapse_fixes_it(fa):
    ea = _voluntary(fa, drop=("epci_cu",))
    with pytest.raises(StatsError, match=r"Communautés urbaines.*collapse"):
        weight_edition(ea, FrameMargins.from_frame(fa))
    result = weight_edition(ea, FrameMargins.from_frame(fa), WeightingOptions(collapse={"epci_cu": "epci_ca"}))
    merged = np.isin(ea.units.stratum[result.rows], ["epci_cu", "epci_ca"])
    assert result.weights[merged].sum() == pytest.approx(14 + 230, rel=1e-6)
    assert result.report["collapse"] == {"epci_cu": "epci_ca"}


def test_probability_sample_weights_start_from_inverse_inclusion_probabilities(fa):
    s = draw_sample(fa, size=3000, allocation="neyman", seed=2)
    rng = np.random.default_rng(0)
    answered = {c: {} for c in s.codes if rng.random() < 0.6}
    ea = build_edition_arrays(year=2025, frame=fa, answers=answered, units=s.units())
    result = weight_edition(ea, FrameMargins.from_frame(fa))
    assert result.design_weights == pytest.approx(1 / ea.inclusion_probability[result.rows])
    assert result.weights.sum() == pytest.approx(fa.n, rel=1e-6)


def test_relaxed_calibration_bounds_are_reported_with_a_code_never_silently(fa):
    from barometre.core.wording.note.text import weighting_event

    result = weight_edition(_voluntary(fa), FrameMargins.from_frame(fa), WeightingOptions(bounds=(0.99, 1.01)))
    events = result.report["events"]
    assert [e["code"] for e in events][:1] == ["calibration_bounds_relaxed"]
    assert events[0]["bounds"] == [0.99, 1.01]
    assert result.report["converged"] is True and result.design.converged
    assert result.report["max_margin_relative_error"] < 1e-6
    assert "sans bornes" in weighting_event(events[0], "fr")
    assert "unbounded raking" in weighting_event(events[0], "en")


def test_calibration_stopped_at_its_iteration_limit_is_kept_but_marked_not_converged(fa):
    options = WeightingOptions(bounds=(0.99, 1.01), calibration_maxit=2)
    result = weight_edition(_voluntary(fa), FrameMargins.from_frame(fa), options)
    codes = [e["code"] for e in result.report["events"]]
    assert codes[:2] == ["calibration_bounds_relaxed", "calibration_not_converged"]
    assert result.report["events"][1]["achieved"] > 1e-7
    assert result.report["converged"] is False and not result.design.converged
    assert np.all(result.weights > 0)
