import numpy as np
import pytest

from barometre.core.errors import EditionError
from barometre.core.registry import Stratum, load_snapshot
from barometre.core.sampling import DEFAULT_CERTAINTY, allocate, draw_sample
from barometre.core.weighting.units import frame_arrays


@pytest.fixture(scope="module")
def fa():
    return frame_arrays(load_snapshot())


def test_certainty_strata_are_taken_whole(fa):
    s = draw_sample(fa, size=3000, allocation="proportional", seed=3)
    for a in s.allocation:
        if a.stratum in {c.value for c in DEFAULT_CERTAINTY}:
            assert a.certainty and a.sample == a.population
    codes = set(s.codes)
    for code, stratum in zip(fa.codes, fa.stratum, strict=True):
        if stratum == Stratum.REGIONS.value:
            assert str(code) in codes


@pytest.mark.parametrize("method", ["proportional", "neyman"])
def test_inclusion_probabilities_sum_to_the_sample_size(fa, method):
    s = draw_sample(fa, size=2500, allocation=method, seed=1)
    assert s.size == 2500
    assert s.frame_inclusion_probabilities(fa).sum() == pytest.approx(2500)
    assert np.all((s.inclusion_probability > 0) & (s.inclusion_probability <= 1))


def test_neyman_allocation_formula_by_hand():
    # N = (100, 200), S = (10, 5): N_h S_h = (1000, 1000) → n_h = 40 * 1000 / 2000 = 20 each
    assert allocate([100, 200], 40, "neyman", variability=[10.0, 5.0]) == [20, 20]
    # S = (30, 5): N_h S_h = (3000, 1000) → (30, 10)
    assert allocate([100, 200], 40, "neyman", variability=[30.0, 5.0]) == [30, 10]
    # proportional: 40 * (100, 200) / 300 → (13.3, 26.7) → (13, 27)
    assert allocate([100, 200], 40, "proportional") == [13, 27]


def test_neyman_stratum_over_its_size_is_taken_whole_and_the_excess_reallocated():
    # raw n_1 = 60 * 9000 / 9100 > N_1 = 50 → n_1 = 50, the rest (10) to stratum 2
    assert allocate([50, 1000], 60, "neyman", variability=[180.0, 0.1]) == [50, 10]


def test_census_takes_every_unit(fa):
    s = draw_sample(fa, size=0, allocation="census")
    assert s.size == fa.n and np.all(s.inclusion_probability == 1)


def test_same_seed_gives_the_same_sample(fa):
    a = draw_sample(fa, size=2000, seed=7)
    b = draw_sample(fa, size=2000, seed=7)
    c = draw_sample(fa, size=2000, seed=8)
    assert a.codes == b.codes and a.codes != c.codes


def test_size_smaller_than_certainty_strata_is_a_clear_error(fa):
    with pytest.raises(EditionError, match="trop petite"):
        draw_sample(fa, size=100)
