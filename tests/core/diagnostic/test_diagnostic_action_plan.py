"""Cyber action plan from the cyber answers."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from barometre.core.diagnostic.action_plan import (
    ACTIONS_FILE,
    action_plan_report,
    build_action_plan,
    load_catalogue,
    parse_catalogue,
)
from barometre.core.errors import DiagnosticError

ALL_GOOD: dict[str, Any] = {
    "under_attack": "no",
    "it_staff": "internal",
    "cyber_backup_offline": "yes",
    "cyber_mfa": "yes",
    "cyber_updates": "automatic",
    "cyber_training": "yes",
    "cyber_incident_plan": "yes",
    "cyber_crisis_exercise": "yes",
    "cyber_budget_band": "2000_or_more",
    "cyber_rssi": "internal",
}

ALL_BAD: dict[str, Any] = {
    "under_attack": "no",
    "it_staff": "internal",
    "cyber_backup_offline": "no",
    "cyber_mfa": "no",
    "cyber_updates": "irregular",
    "cyber_training": "no",
    "cyber_incident_plan": "no",
    "cyber_crisis_exercise": "no",
    "cyber_budget_band": "none",
    "cyber_rssi": "no",
}


def ids(answers: dict[str, Any]) -> list[str]:
    return [a.id for a in build_action_plan(answers)]


def test_no_action_when_every_answer_is_good() -> None:
    assert ids(ALL_GOOD) == []


def test_actions_come_in_the_documented_order() -> None:
    assert ids(ALL_BAD) == [
        "offline_backups",
        "mfa",
        "updates",
        "awareness_training",
        "incident_response_plan",
        "crisis_exercise",
        "budget",
        "rssi",
    ]


def test_ranks_are_consecutive_from_one() -> None:
    assert [a.rank for a in build_action_plan(ALL_BAD)] == list(range(1, 9))


def test_under_attack_comes_first() -> None:
    assert ids({**ALL_BAD, "under_attack": "yes"})[0] == "incident_now"


@pytest.mark.parametrize(
    ("value", "expected"), [("yes", []), ("partial", ["offline_backups"]), ("no", ["offline_backups"])]
)
def test_offline_backups_action_when_backups_are_not_offline(value: str, expected: list[str]) -> None:
    assert ids({**ALL_GOOD, "cyber_backup_offline": value}) == expected


@pytest.mark.parametrize(("band", "expected"), [("none", True), ("under_2000", True), ("2000_or_more", False)])
def test_budget_action_below_2000_euros(band: str, expected: bool) -> None:
    assert ("budget" in ids({**ALL_GOOD, "cyber_budget_band": band})) is expected


@pytest.mark.parametrize(("rssi", "expected"), [("internal", False), ("shared", False), ("no", True)])
def test_rssi_action_unless_a_referent_is_designated(rssi: str, expected: bool) -> None:
    assert ("rssi" in ids({**ALL_GOOD, "cyber_rssi": rssi})) is expected


def test_missing_answers_propose_the_action_as_a_precaution() -> None:
    plan = build_action_plan({"it_staff": "internal"})
    assert len(plan) == 8
    assert all("non renseignée" in a.why for a in plan)


def test_authority_without_it_staff_gets_doable_first_steps() -> None:
    with_staff = {a.id: a.first_step for a in build_action_plan(ALL_BAD)}
    without = {a.id: a.first_step for a in build_action_plan({**ALL_BAD, "it_staff": "none"})}
    assert with_staff["offline_backups"] != without["offline_backups"]
    assert "disques externes" in without["offline_backups"]
    assert with_staff["mfa"] != without["mfa"]


def test_provider_gets_provider_specific_first_step_when_defined() -> None:
    plan = {a.id: a.first_step for a in build_action_plan({**ALL_BAD, "it_staff": "provider"})}
    assert "prestataire" in plan["offline_backups"]


def test_every_action_maps_to_anssi_measures_and_resources() -> None:
    for a in build_action_plan({**ALL_BAD, "under_attack": "yes"}):
        assert a.anssi_measures, a.id
        assert a.resources, a.id
        assert all(r.url.startswith("http") for r in a.resources)
    backups = next(a for a in build_action_plan(ALL_BAD) if a.id == "offline_backups")
    assert backups.anssi_measures == (
        (37, "Définir et appliquer une politique de sauvegarde des composants critiques"),
    )


def test_python_booleans_are_read_as_yes_no() -> None:
    assert ids({**ALL_GOOD, "under_attack": True}) == ["incident_now"]
    assert ids({**ALL_GOOD, "under_attack": False}) == []


def test_unknown_answer_value_is_rejected() -> None:
    with pytest.raises(DiagnosticError, match="cyber_mfa"):
        build_action_plan({"cyber_mfa": "peut-être"})


def test_unknown_answer_ids_are_ignored() -> None:
    assert ids({**ALL_GOOD, "q_unrelated": "x"}) == []


def test_catalogue_rejects_an_unknown_answer_in_a_trigger() -> None:
    data = yaml.safe_load(ACTIONS_FILE.read_text(encoding="utf-8"))
    data["actions"][0]["when"] = {"cyber_nope": ["yes"]}
    with pytest.raises(DiagnosticError, match="cyber_nope"):
        parse_catalogue(data)


def test_catalogue_mapping_is_in_one_place() -> None:
    cat = load_catalogue()
    expected = {
        "under_attack",
        "it_staff",
        "cyber_backup_offline",
        "cyber_mfa",
        "cyber_updates",
        "cyber_training",
        "cyber_incident_plan",
        "cyber_crisis_exercise",
        "cyber_budget_band",
        "cyber_rssi",
    }
    assert set(cat.answers) == expected
    assert set(cat.answers["it_staff"]) == {"none", "internal", "provider", "mutualised"}


def test_report_is_json_ready() -> None:
    report = action_plan_report(ALL_BAD)
    assert report["actions"][0]["anssi_measures"][0]["number"] == 37
    assert report["references"]["anssi_guide"]["url"].startswith("https://")
