"""`edition weight` reports every empty or too-small stratum at once, with the collapses it suggests."""

import re

import numpy as np
import pytest

from barometre.core.errors import StatsError
from barometre.core.registry import load_snapshot
from barometre.core.weighting import FrameMargins, WeightingOptions, build_edition_arrays, frame_arrays, weight_edition
from barometre.core.weighting.collapse import small_groups


@pytest.fixture(scope="module")
def fa():
    return frame_arrays(load_snapshot())


def test_suggestions_stay_in_the_family_and_prefer_groups_with_enough_respondents():
    invited = {
        "communes_moins_3500": 100,
        "communes_3500_9999": 50,
        "communes_10000_24999": 30,
        "epci_cu": 5,
        "epci_ca": 40,
        "epci_cc": 60,
    }
    answered = {
        "communes_moins_3500": 20,
        "communes_3500_9999": 0,
        "communes_10000_24999": 1,
        "epci_cu": 0,
        "epci_ca": 9,
        "epci_cc": 12,
    }
    small = {g.group: g for g in small_groups(invited, answered)}
    assert set(small) == {"communes_3500_9999", "communes_10000_24999", "epci_cu"}
    assert small["communes_3500_9999"].suggestion == "communes_moins_3500"  # neighbour with respondents
    assert small["communes_10000_24999"].suggestion == "communes_moins_3500"
    assert small["epci_cu"].suggestion == "epci_ca"  # an EPCI, never a commune


def test_every_empty_stratum_is_reported_at_once_and_the_suggested_collapses_work(fa):
    rng = np.random.default_rng(4)
    drop = {"epci_cu", "communes_25000_99999"}
    p = np.array([0.0 if s in drop else 0.9 if s in ("regions", "departements") else 0.2 for s in fa.stratum])
    codes = fa.codes[rng.random(fa.n) < p]
    ea = build_edition_arrays(year=2024, frame=fa, answers={str(c): {} for c in codes})
    with pytest.raises(StatsError) as err:
        weight_edition(ea, FrameMargins.from_frame(fa))
    message = str(err.value)
    assert "2 strate(s) sans aucun répondant" in message
    assert "epci_cu" in message and "communes_25000_99999" in message
    pairs = dict(re.findall(r"(\w+)=(\w+)", message.rsplit(" : ", 1)[1]))
    assert set(pairs) >= drop
    result = weight_edition(ea, FrameMargins.from_frame(fa), WeightingOptions(collapse=pairs))
    assert result.report["collapse"] == pairs
