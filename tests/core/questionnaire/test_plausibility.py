"""Plausibility warnings: unlikely answers are flagged with their numbers, plausible ones are not."""

from __future__ import annotations

from barometre.core.questionnaire.plausibility import POPULATION_TOLERANCE, check


def _codes(answers: dict[str, object], registry: int | None = None) -> list[str]:
    return [w.code for w in check(answers, registry)]


def test_population_far_from_the_registry_is_flagged_with_the_gap() -> None:
    assert _codes({"population": 393}, 393) == []
    assert _codes({"population": 39}, 393) == ["population_far_from_registry"]  # ten times smaller
    (w,) = check({"population": 3}, 393)
    assert w.question == "population" and w.numbers["registry"] == 393 and w.numbers["gap"] > POPULATION_TOLERANCE
    assert _codes({"population": 393 * 1.4}, 393) == []
    assert _codes({"population": 39}, None) == []  # nothing to compare with


def test_it_agents_above_or_equal_to_all_agents() -> None:
    assert _codes({"nb_agents": 3, "agents_informatique": 4}) == ["it_agents_above_total"]
    assert _codes({"nb_agents": 3, "agents_informatique": 3}) == ["all_agents_in_it"]
    assert _codes({"nb_agents": 1, "agents_informatique": 1}) == []  # a single agent doing everything
    assert _codes({"nb_agents": 12, "agents_informatique": 1}) == []


def test_budget_out_of_scale_for_the_size() -> None:
    assert _codes({"cyber_budget": "plus_200000"}, 393) == ["budget_above_scale"]
    assert _codes({"cyber_budget": "de_2000_a_10000"}, 393) == []
    assert _codes({"cyber_budget": "moins_2000"}, 800_000) == ["budget_below_scale"]
    assert _codes({"cyber_budget": "nsp"}, 393) == []
