"""The weighting options an analyst sets (strata merged, régions grouped): parsed the same way from
the command line and the console, checked against the frame, kept in the report to rebuild the design."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from barometre.core.errors import EditionError, StatsError
from barometre.core.registry import load_snapshot
from barometre.core.weighting import FrameMargins, build_edition_arrays, frame_arrays, weight_edition
from barometre.core.weighting.pipeline import (
    DROM,
    DROM_REGIONS,
    check_options,
    chosen_options,
    options_from_report,
    parse_pairs,
)


@pytest.fixture(scope="module")
def fa() -> Any:
    return frame_arrays(load_snapshot())


def test_pairs_are_read_from_options_and_fields_alike() -> None:
    assert parse_pairs(["94=93", "epci_cu=epci_ca"], "x") == {"94": "93", "epci_cu": "epci_ca"}
    assert parse_pairs(["94=93, 28=11 ;\n52=53", ""], "x") == {"94": "93", "28": "11", "52": "53"}
    assert parse_pairs([], "x") == {} and parse_pairs(["  "], "x") == {}
    for bad in ("94", "94=", "=93", "94:93"):
        with pytest.raises(EditionError, match=f"Régions regroupées : « {bad} » n'est pas de la forme"):
            parse_pairs([f"11=75, {bad}"], "Régions regroupées")


def test_no_option_is_the_default_weighting_and_the_overseas_group_stays() -> None:
    assert chosen_options({}, {}) is None
    options = chosen_options({}, {"94": "93"})
    assert options is not None
    assert options.region_groups == {**dict.fromkeys(DROM_REGIONS, DROM), "94": "93"}


def test_unknown_codes_are_refused_before_any_weighting(fa: Any) -> None:
    margins = FrameMargins.from_frame(fa)
    with pytest.raises(EditionError, match="strate inconnue « epci_xx »"):
        check_options(chosen_options({"epci_xx": "epci_ca"}, {}), margins)  # type: ignore[arg-type]
    with pytest.raises(EditionError, match="région inconnue « 99 »"):
        check_options(chosen_options({}, {"99": "93"}), margins)  # type: ignore[arg-type]
    check_options(chosen_options({"epci_cu": "epci_ca"}, {"94": "93"}), margins)  # type: ignore[arg-type]


def test_a_region_without_respondent_is_named_and_grouping_it_weights_the_edition(fa: Any) -> None:
    rng = np.random.default_rng(3)
    p = np.where(np.isin(fa.stratum, ["regions", "departements", "epci_metropoles", "epci_cu", "epci_ca"]), 0.9, 0.05)
    p[fa.region == "94"] = 0.0  # nobody answers in Corse
    ea = build_edition_arrays(year=2024, frame=fa, answers={str(c): {} for c in fa.codes[rng.random(fa.n) < p]})
    margins = FrameMargins.from_frame(fa)
    with pytest.raises(StatsError) as err:
        weight_edition(ea, margins)
    # the message names the région and the two places where the grouping is set
    assert "région 94 : aucun répondant" in str(err.value)
    assert "« Régions regroupées » dans la console" in str(err.value) and "--region-group" in str(err.value)
    result = weight_edition(ea, margins, chosen_options({}, {"94": "93"}))
    assert result.report["calibration"]["region_groups"]["94"] == "93"
    # Corse's authorities are counted in the group's margin: the weights still add up to the frame
    assert result.weights.sum() == pytest.approx(fa.n, rel=1e-6)
    # the stored report gives back the same options, hence the same weights
    again = weight_edition(ea, margins, options_from_report(result.report))
    assert np.array_equal(again.weights, result.weights)
    assert options_from_report(weight_edition(ea, margins, chosen_options({}, {"94": "DROM"})).report) == (
        chosen_options({}, {"94": "DROM"})
    )
