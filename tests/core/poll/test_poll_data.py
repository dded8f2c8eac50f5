"""The poll's data files: margins traceable to their sources, indicators consistent with the questionnaires."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from barometre.core import yamlfile
from barometre.core.errors import PollError
from barometre.core.indicators.catalogue import load_catalogue
from barometre.core.paths import POLL_DATA_DIR, POLL_QUESTIONNAIRES_DIR
from barometre.core.poll import load_margins, load_poll_catalogue, weight_poll
from barometre.core.poll.catalogue import check_against
from barometre.core.poll.simulate import simulate_poll
from barometre.core.questionnaire import available_editions, load_edition, loads
from barometre.core.questionnaire.schema import QuestionnaireInvalid
from barometre.core.registry import Kind, load_snapshot

BANDS = ((3500, "moins_3500"), (10000, "3500_9999"), (25000, "10000_24999"), (100000, "25000_99999"))


def _band(pop: int) -> str:
    return next((code for bound, code in BANDS if pop < bound), "100000_plus")


def test_every_margin_states_its_source_and_date() -> None:
    doc = yamlfile.load_file(POLL_DATA_DIR / "census_margins.yaml")
    for m in doc["margins"]:
        src = m["source"]
        assert src["publisher"] and src["title"] and src["url"].startswith("https://")
        assert isinstance(src["reference_year"], int) and "published" in src


def test_region_and_commune_size_margins_are_the_registry_sums() -> None:
    """The all-ages margins are sums of the registry's population municipale, not estimates."""
    communes = [a for a in load_snapshot().authorities if a.kind == Kind.COMMUNE and len(a.region or "") == 2]
    metro = [a for a in communes if a.region not in ("01", "02", "03", "04", "06")]
    by_region: Counter[str] = Counter()
    by_band: Counter[str] = Counter()
    for a in metro:
        by_region[str(a.region)] += a.population_municipale
        by_band[_band(a.population_municipale)] += a.population_municipale
    doc = yamlfile.load_file(POLL_DATA_DIR / "census_margins.yaml")
    counts = {m["id"]: {str(k): v for k, v in m["counts"].items()} for m in doc["margins"]}
    assert counts["region"] == dict(by_region)
    assert counts["taille_commune"] == dict(by_band)


def test_margins_share_one_total_and_sum_to_one() -> None:
    margins = load_margins()
    for m in margins.margins:
        assert m.shares.sum() == pytest.approx(1.0, abs=1e-12)
        assert m.targets.sum() == pytest.approx(margins.total, rel=1e-12)


def test_poll_indicators_read_their_questionnaire_and_sit_beside_real_authority_indicators() -> None:
    catalogue = load_poll_catalogue()
    authorities = load_catalogue()
    years = available_editions(POLL_QUESTIONNAIRES_DIR)
    assert years == [2024, 2025]
    for year in years:
        check_against(catalogue, load_edition(year, POLL_QUESTIONNAIRES_DIR))
        for ind in catalogue.for_edition(year):
            assert ind.published_value(year) is not None
            for other in ind.beside:
                assert year in authorities.get(other).editions, (ind.id, other)


def test_questionnaire_kind_must_be_known() -> None:
    text = (POLL_QUESTIONNAIRES_DIR / "2025.yaml").read_text(encoding="utf-8").replace("kind: people", "kind: citizens")
    with pytest.raises(QuestionnaireInvalid, match="kind"):
        loads(text, "poll.yaml")


def test_an_empty_quota_cell_stops_the_weighting_with_its_name() -> None:
    qn = load_edition(2025, POLL_QUESTIONNAIRES_DIR)
    sim = simulate_poll(qn, load_poll_catalogue(), load_margins(), seed=3)
    answers = [a for _, a in sim.respondents if a["region"] != "94"]
    with pytest.raises(PollError, match=r"region.*94"):
        weight_poll(answers)


def test_simulated_poll_is_reproducible_and_needs_raking() -> None:
    qn = load_edition(2025, POLL_QUESTIONNAIRES_DIR)
    a = simulate_poll(qn, load_poll_catalogue(), load_margins(), seed=5)
    b = simulate_poll(qn, load_poll_catalogue(), load_margins(), seed=5)
    assert a.respondents == b.respondents and len(a.respondents) == 1000
    w = weight_poll([x for _, x in a.respondents])
    assert w.report["unweighted_gap"]["profession"] > 0.01  # the panel tilt the raking corrects
    assert max(w.report["margin_gap"].values()) < 1e-6
    assert np.all(w.weights > 0)
