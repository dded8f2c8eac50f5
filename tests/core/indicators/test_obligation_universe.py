"""Compliance indicators take their universe from the obligation tables (the diagnostic's engine)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from barometre.core.diagnostic.from_registry import profile_of
from barometre.core.diagnostic.obligations import evaluate_rule, load_obligations
from barometre.core.errors import IndicatorError
from barometre.core.indicators.catalogue import load_catalogue, loads
from barometre.core.indicators.compute import universe_mask
from barometre.core.indicators.obligation_universe import reference_date, universe_units
from barometre.core.paths import DATA_DIR
from barometre.core.questionnaire import load_edition
from barometre.core.registry import load_snapshot
from barometre.core.weighting.units import frame_arrays


@pytest.fixture(scope="module")
def frame():  # type: ignore[no-untyped-def]
    return load_snapshot()


def test_the_reen_universe_is_exactly_the_authorities_for_which_reen_applies(frame) -> None:  # type: ignore[no-untyped-def]
    cat = load_catalogue()
    assert cat.get("reen_strategy_subject").universe == "soumises_reen"
    assert cat.universes["soumises_reen"].obligation == "reen"
    fa = frame_arrays(frame)
    qn = load_edition(2025)
    at = reference_date(2025, qn)
    assert at == qn.closes == date(2025, 7, 11)
    mask = universe_mask(cat, "soumises_reen", fa, 2025, qn)
    # the diagnostic's own path: profile from the registry, the REEN decision table at that date
    reen = next(r for r in load_obligations() if r.id == "reen")
    statuses = [evaluate_rule(reen, profile_of(a, frame), at).status for a in frame.authorities]
    assert [str(c) for c in fa.codes] == [a.code for a in frame.authorities]
    expected = np.array([s == "applies" for s in statuses])
    assert mask.sum() > 100 and (mask == expected).all()
    # neither the authorities for which it "depends" (population near 50,000) nor the small ones
    assert "depends" in statuses and not mask[np.array([s == "depends" for s in statuses])].any()
    assert not mask[fa.population < 50_000].any()
    # before the law was in force, nobody is subject to it
    assert not universe_mask(cat, "soumises_reen", fa, 2022).any()


def test_open_data_by_default_depends_on_the_declared_number_of_agents(frame) -> None:  # type: ignore[no-untyped-def]
    fa = frame_arrays(frame)
    at = date(2025, 7, 11)
    # the frame knows no agents: without answers, only "depends" or "does_not_apply"
    assert not universe_units("open_data", fa, at).any()
    big = int(np.flatnonzero((fa.kind == "commune") & (fa.population > 20_000))[0])
    small = int(np.flatnonzero((fa.kind == "commune") & (fa.population < 1_000))[0])
    rows = np.array([big, small, big + 1 if big + 1 != small else big + 2], dtype=np.int64)
    answers = [{"nb_agents": 400}, {"nb_agents": 400}, {"nb_agents": 10}]
    mask = universe_units("open_data", fa, at, answers, rows)
    assert mask[big] and not mask[small]  # a commune under 3,500 inhabitants is exempt
    assert int(mask.sum()) == 1  # 10 agents: exempt, whatever the population; non-respondents: unknown


def test_an_obligation_universe_names_a_known_obligation() -> None:
    text = (DATA_DIR / "indicators.yaml").read_text(encoding="utf-8")
    broken = text.replace("    obligation: reen\n", "    obligation: reen_typo\n")
    assert broken != text
    with pytest.raises(IndicatorError, match="obligation inconnue 'reen_typo'"):
        loads(broken, "data/indicators.yaml")
    both = text.replace("    obligation: reen\n", '    obligation: reen\n    when: "true()"\n')
    with pytest.raises(IndicatorError, match="soit when, soit obligation"):
        loads(both, "data/indicators.yaml")


def test_grouping_units_by_population_signature_gives_each_unit_its_own_verdict_at_every_threshold(frame) -> None:  # type: ignore[no-untyped-def]
    """The engine is asked once per distinct profile: at and around every population threshold of
    every rule (and of its upper bound for the population totale), each unit still gets the verdict
    the engine gives it alone."""
    from barometre.core.diagnostic.obligations import POPULATION_TOTALE_MARGIN
    from barometre.core.indicators.obligation_universe import obligation_status, profile_from_frame
    from barometre.core.weighting.units import FrameArrays

    fa = frame_arrays(frame)
    # one unit of each (kind, type) of the frame
    _, first = np.unique(np.char.add(fa.kind.astype(str), fa.type.astype(str)), return_index=True)
    at = date(2025, 7, 11)
    for rule in load_obligations():
        thresholds = {float(t) for row in rule.rows for t in dict(row.when.get("population") or {}).values()}
        pops = {0.0, 1.0}
        for t in thresholds:
            low = t / (1 + POPULATION_TOTALE_MARGIN)
            pops |= {t - 1, t, t + 1, np.floor(low) - 1, np.floor(low), np.floor(low) + 1, t + 0.5}
        rows = np.repeat(first, len(pops))
        population = np.tile(np.array(sorted(pops)), len(first))
        units = FrameArrays(
            fa.codes[rows],
            fa.kind[rows],
            fa.type[rows],
            fa.stratum[rows],
            fa.region[rows],
            fa.departement[rows],
            population,
        )
        agents = {i: (None, 10.0, 400.0)[i % 3] for i in range(units.n)}  # few profiles: units share them
        got = obligation_status(rule.id, units, at, agents)
        alone = [evaluate_rule(rule, profile_from_frame(units, i, agents[i]), at).status for i in range(units.n)]
        assert got == alone, rule.id
        if thresholds:
            assert len(set(alone)) > 1, rule.id  # the thresholds do separate verdicts
