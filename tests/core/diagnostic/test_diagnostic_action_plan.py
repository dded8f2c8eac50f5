"""Cyber action plan from the cyber answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from barometre.core import yamlfile
from barometre.core.diagnostic.action_plan import (
    ACTIONS_FILE,
    action_plan_report,
    build_action_plan,
    check_catalogue,
    load_catalogue,
    parse_catalogue,
)
from barometre.core.errors import DiagnosticError
from barometre.core.questionnaire import load_edition

MEASURES = ("sauvegardes_hors_ligne", "mfa", "plan_reponse_incident", "gestion_crise", "pca_pra")

# Real 2025 questionnaire ids and codes (questionnaires/2025.yaml).
ALL_GOOD: dict[str, Any] = {
    "nb_agents": 40,
    "agents_informatique": 2,
    "prestataire_informatique": ["service_interne"],
    "cyber_mesures": dict.fromkeys(MEASURES, "en_place"),
    "cyber_formation": ["elus", "agents"],
    "cyber_budget": "de_2000_a_10000",
    "rssi": "interne",
}

ALL_BAD: dict[str, Any] = {
    "nb_agents": 40,
    "agents_informatique": 2,
    "prestataire_informatique": ["service_interne"],
    "cyber_mesures": dict.fromkeys(MEASURES, "non"),
    "cyber_formation": ["personne"],
    "cyber_budget": "moins_2000",
    "rssi": "non",
}


def with_measure(base: dict[str, Any], item: str, code: str) -> dict[str, Any]:
    return {**base, "cyber_mesures": {**base["cyber_mesures"], item: code}}


def ids(answers: dict[str, Any], under_attack: bool | None = None) -> list[str]:
    return [a.id for a in build_action_plan(answers, under_attack=under_attack)]


def test_no_action_when_every_answer_is_good() -> None:
    assert ids(ALL_GOOD) == []


def test_actions_come_in_the_documented_order() -> None:
    assert ids(ALL_BAD) == [
        "offline_backups",
        "mfa",
        "awareness_training",
        "incident_response_plan",
        "crisis_management",
        "budget",
        "rssi",
    ]


def test_ranks_are_consecutive_from_one() -> None:
    assert [a.rank for a in build_action_plan(ALL_BAD)] == list(range(1, 8))


def test_under_attack_comes_first() -> None:
    assert ids(ALL_BAD, under_attack=True)[0] == "incident_now"


def test_under_attack_is_an_input_not_a_questionnaire_answer() -> None:
    cat = load_catalogue()
    assert cat.signals["under_attack"].input
    assert cat.signals["under_attack"].sources == ()
    # a past attack (cyber_attaque = oui_12m) is not « en ce moment »
    assert "incident_now" not in ids({**ALL_GOOD, "cyber_attaque": "oui_12m"})


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en_place", []), ("en_cours", ["offline_backups"]), ("non", ["offline_backups"]), ("nsp", ["offline_backups"])],
)
def test_offline_backups_action_unless_offline_backups_are_in_place(code: str, expected: list[str]) -> None:
    assert ids(with_measure(ALL_GOOD, "sauvegardes_hors_ligne", code)) == expected


@pytest.mark.parametrize(
    ("item", "action"),
    [
        ("mfa", "mfa"),
        ("plan_reponse_incident", "incident_response_plan"),
        ("gestion_crise", "crisis_management"),
        ("pca_pra", "crisis_management"),
    ],
)
def test_each_grid_measure_not_in_place_triggers_its_action(item: str, action: str) -> None:
    assert ids(with_measure(ALL_GOOD, item, "non")) == [action]


@pytest.mark.parametrize(
    ("band", "expected"),
    [("moins_2000", True), ("nsp", True), ("de_2000_a_10000", False), ("plus_200000", False)],
)
def test_budget_action_below_2000_euros(band: str, expected: bool) -> None:
    assert ("budget" in ids({**ALL_GOOD, "cyber_budget": band})) is expected


@pytest.mark.parametrize(
    ("rssi", "expected"), [("interne", False), ("mutualise", False), ("externe", False), ("non", True), ("nsp", True)]
)
def test_rssi_action_unless_a_referent_is_designated(rssi: str, expected: bool) -> None:
    assert ("rssi" in ids({**ALL_GOOD, "rssi": rssi})) is expected


@pytest.mark.parametrize(
    ("trained", "expected"),
    [(["agents"], False), (["elus"], True), (["equipe_informatique"], True), (["personne"], True), (["nsp"], True)],
)
def test_awareness_action_unless_agents_were_trained(trained: list[str], expected: bool) -> None:
    assert ("awareness_training" in ids({**ALL_GOOD, "cyber_formation": trained})) is expected


def test_multiple_choice_given_as_space_separated_string() -> None:
    assert ids({**ALL_GOOD, "cyber_formation": "elus agents"}) == []


def test_missing_answers_propose_the_action_as_a_precaution() -> None:
    plan = build_action_plan({"prestataire_informatique": ["service_interne"]})
    assert len(plan) == 7
    assert all(a.notes == ("precaution",) for a in plan)


def test_updates_are_not_asked_in_2025_and_listed_to_check() -> None:
    assert "updates" not in ids({})
    report = action_plan_report(ALL_GOOD)
    assert [a["id"] for a in report["to_check"]] == ["updates"]
    assert "à vérifier" in report["to_check"][0]["reason"]


@pytest.mark.parametrize(
    ("answers", "it_staff"),
    [
        ({"prestataire_informatique": ["personne"]}, "none"),
        ({"prestataire_informatique": ["prestataire_prive"]}, "provider"),
        ({"prestataire_informatique": ["prestataire_prive", "structure_mutualisee"]}, "mutualised"),
        ({"prestataire_informatique": ["service_interne", "prestataire_prive"]}, "internal"),
        ({"agents_informatique": 0}, "none"),
        ({"agents_informatique": 3}, "internal"),
        ({"prestataire_informatique": ["prestataire_prive"], "agents_informatique": 3}, "provider"),
        ({}, None),
    ],
)
def test_it_staff_is_read_from_who_runs_it_then_from_it_agents(answers: dict[str, Any], it_staff: str | None) -> None:
    assert action_plan_report(answers)["it_staff"] == it_staff


def test_authority_without_it_staff_gets_doable_first_steps() -> None:
    with_staff = {a.id: a.first_step for a in build_action_plan(ALL_BAD)}
    nobody = {**ALL_BAD, "prestataire_informatique": ["personne"], "agents_informatique": 0}
    without = {a.id: a.first_step for a in build_action_plan(nobody)}
    assert with_staff["offline_backups"] != without["offline_backups"]
    assert "disques externes" in without["offline_backups"]
    assert with_staff["mfa"] != without["mfa"]


def test_provider_gets_provider_specific_first_step_when_defined() -> None:
    answers = {**ALL_BAD, "prestataire_informatique": ["prestataire_prive"]}
    plan = {a.id: a.first_step for a in build_action_plan(answers)}
    assert "prestataire" in plan["offline_backups"]


def test_every_action_maps_to_anssi_measures_and_resources() -> None:
    for a in build_action_plan(ALL_BAD, under_attack=True):
        assert a.anssi_measures, a.id
        assert a.resources, a.id
        assert all(r.url.startswith("http") for r in a.resources)
    backups = next(a for a in build_action_plan(ALL_BAD) if a.id == "offline_backups")
    assert backups.anssi_measures == (
        (37, "Définir et appliquer une politique de sauvegarde des composants critiques"),
    )


def test_under_attack_false_adds_nothing() -> None:
    assert ids(ALL_GOOD, under_attack=False) == []


def test_unknown_answer_value_is_rejected() -> None:
    with pytest.raises(DiagnosticError, match=r"cyber_mesures\.mfa"):
        build_action_plan(with_measure(ALL_GOOD, "mfa", "peut-être"))
    with pytest.raises(DiagnosticError, match="rssi"):
        build_action_plan({"rssi": "oui"})


def test_grid_answer_must_be_a_mapping() -> None:
    with pytest.raises(DiagnosticError, match="grille"):
        build_action_plan({"cyber_mesures": "en_place"})


def test_unknown_answer_ids_are_ignored() -> None:
    assert ids({**ALL_GOOD, "q_unrelated": "x"}) == []


def test_catalogue_rejects_an_unknown_answer_in_a_trigger() -> None:
    data = yamlfile.load_file(ACTIONS_FILE)
    data["actions"][0]["when"] = {"cyber_nope": ["yes"]}
    with pytest.raises(DiagnosticError, match="cyber_nope"):
        parse_catalogue(data)


def test_catalogue_mapping_is_in_one_place() -> None:
    cat = load_catalogue()
    assert set(cat.signals) == {
        "under_attack",
        "it_staff",
        "offline_backups",
        "mfa",
        "updates",
        "awareness",
        "incident_plan",
        "crisis_management",
        "continuity_plan",
        "budget_band",
        "security_officer",
    }
    assert set(cat.answers["it_staff"]) == {"none", "internal", "provider", "mutualised"}
    # the actions name signals only; question ids appear in the `answers` block alone
    text = ACTIONS_FILE.read_text(encoding="utf-8")
    actions_part = text[text.index("\nactions:") :]
    for src in cat.sources():
        assert f"{src.answer}:" not in actions_part
        assert f"answer: {src.answer}" in text


def test_every_answer_id_and_code_of_the_mapping_exists_in_the_2025_questionnaire() -> None:
    qn = load_edition(2025)
    cat = load_catalogue()
    assert cat.edition == 2025
    refs = list(cat.sources())
    assert {s.ref for s in refs} >= {
        "cyber_mesures.sauvegardes_hors_ligne",
        "cyber_mesures.mfa",
        "cyber_mesures.gestion_crise",
        "cyber_mesures.pca_pra",
        "cyber_formation",
        "cyber_budget",
        "rssi",
        "prestataire_informatique",
        "agents_informatique",
    }
    for src in refs:
        q = qn.get(src.answer)
        assert q is not None, src.answer
        if src.item:
            assert src.item in q.item_ids, src.ref
        if src.codes:
            assert set(src.codes) == set(q.codes), src.ref  # every code exists, none forgotten
        else:
            assert q.type.is_numeric, src.ref
    check_catalogue(cat, qn)  # the same check, as run at load


def test_a_renamed_question_breaks_loading_with_the_line(tmp_path: Path) -> None:
    text = ACTIONS_FILE.read_text(encoding="utf-8").replace("answer: rssi", "answer: rssi_renamed")
    path = tmp_path / "cyber_actions.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "rssi_renamed" in row)
    with pytest.raises(DiagnosticError, match="rssi_renamed") as exc:
        load_catalogue(path)
    assert exc.value.location == f"{path}:{line}"


def test_a_questionnaire_code_the_mapping_forgets_breaks_loading() -> None:
    data = yamlfile.load_file(ACTIONS_FILE)
    del data["answers"]["security_officer"]["sources"][0]["codes"]["externe"]
    with pytest.raises(DiagnosticError, match="externe"):
        parse_catalogue(data, questionnaire=load_edition(2025))


def test_an_unknown_grid_row_breaks_loading() -> None:
    data = yamlfile.load_file(ACTIONS_FILE)
    data["answers"]["mfa"]["sources"][0]["item"] = "double_facteur"
    with pytest.raises(DiagnosticError, match="double_facteur"):
        parse_catalogue(data, questionnaire=load_edition(2025))


def test_report_is_json_ready() -> None:
    report = action_plan_report(ALL_BAD)
    assert report["actions"][0]["anssi_measures"][0]["number"] == 37
    assert report["signals"]["offline_backups"] == "no"
    assert "updates" not in report["signals"]
    assert report["references"]["anssi_guide"]["url"].startswith("https://")


def test_a_commune_without_it_staff_is_pointed_to_pooled_resources_in_either_language() -> None:
    from barometre.core.diagnostic.profile import AuthorityProfile
    from barometre.core.wording.action_plan import NOTES

    village = AuthorityProfile(code="00001", name="Village", kind="commune", population_municipale=400)
    answers = {**ALL_GOOD, "prestataire_informatique": ["personne"], "rssi": "non"}
    for lang in ("fr", "en"):
        plan = build_action_plan(answers, village, lang=lang)
        rssi = next(a for a in plan if a.id == "rssi")
        assert rssi.notes == ("shared",)
        assert rssi.why.endswith(" " + NOTES["shared"][lang])
        # only the security officer's action carries it, and a town with IT staff never does
        assert all(a.notes == () for a in plan if a.id != "rssi")
    staffed = build_action_plan({**answers, "prestataire_informatique": ["service_interne"]}, village)
    assert all("shared" not in a.notes for a in staffed)
