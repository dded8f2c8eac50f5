"""Maturity scores: the grid as data, checked against the questionnaire; levels, caps, suggestions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from barometre.core import yamlfile
from barometre.core.diagnostic._data import display_path, load_yaml
from barometre.core.diagnostic.scores import (
    GRID_FILE,
    best_answers,
    load_grid,
    parse_grid,
    score_answers,
)
from barometre.core.errors import DiagnosticError
from barometre.core.questionnaire import load_edition, validate_answers

QN = load_edition(2025)

LEVELS_YAML = """
edition: 2025
levels:
  - {id: debutant, min: 0, label: {fr: Débutant, en: Beginner}}
  - {id: intermediaire, min: 25, label: {fr: Intermédiaire, en: Intermediate}}
  - {id: avance, min: 50, label: {fr: Avancé, en: Advanced}}
  - {id: expert, min: 75, label: {fr: Expert, en: Expert}}
overall: {method: mean, themes: [t], label: {fr: Global, en: Overall}}
"""


def small_grid(items: str) -> Any:
    text = LEVELS_YAML + "themes:\n  - id: t\n    label: {fr: Test, en: Test}\n    items:\n" + items
    return parse_grid(yamlfile.load(text), QN)


# budget gives 0..75, rssi 25 more: maximum 100, so the score is the number of points
BOUNDARY_GRID = """
      - question: cyber_budget
        points: {moins_2000: 24, de_2000_a_10000: 25, de_10000_a_50000: 49, de_50000_a_200000: 50, plus_200000: 75}
        action: {fr: a, en: a}
      - question: rssi
        points: {interne: 25}
        action: {fr: b, en: b}
"""


@pytest.mark.parametrize(
    ("answers", "score", "level"),
    [
        ({}, 0, "debutant"),
        ({"cyber_budget": "moins_2000"}, 24, "debutant"),
        ({"cyber_budget": "de_2000_a_10000"}, 25, "intermediaire"),
        ({"cyber_budget": "de_10000_a_50000"}, 49, "intermediaire"),
        ({"cyber_budget": "de_50000_a_200000"}, 50, "avance"),
        ({"cyber_budget": "de_10000_a_50000", "rssi": "interne"}, 74, "avance"),
        ({"cyber_budget": "plus_200000"}, 75, "expert"),
        ({"cyber_budget": "plus_200000", "rssi": "interne"}, 100, "expert"),
    ],
)
def test_level_applies_from_its_lower_bound_exactly(answers: dict[str, Any], score: int, level: str) -> None:
    theme = score_answers(answers, small_grid(BOUNDARY_GRID)).themes["t"]
    assert (theme.score, theme.level.id) == (score, level)


@pytest.mark.parametrize(
    ("points", "score", "level"), [(49, 25, "intermediaire"), (48, 24, "debutant"), (149, 75, "expert")]
)
def test_score_halves_round_up_before_the_level_is_chosen(points: int, score: int, level: str) -> None:
    grid = small_grid(
        f"""
      - question: cyber_budget
        points: {{moins_2000: {points}, plus_200000: 200}}
        action: {{fr: a, en: a}}
"""
    )
    theme = score_answers({"cyber_budget": "moins_2000"}, grid).themes["t"]
    assert (theme.score, theme.level.id) == (score, level)  # 49/200 = 24.5 % → 25


def test_real_grid_levels_are_named_in_the_yaml() -> None:
    grid = load_grid()
    assert [(lv.id, lv.min, lv.label.fr, lv.label.en) for lv in grid.levels] == [
        ("debutant", 0, "Débutant", "Beginner"),
        ("intermediaire", 25, "Intermédiaire", "Intermediate"),
        ("avance", 50, "Avancé", "Advanced"),
        ("expert", 75, "Expert", "Expert"),
    ]
    assert grid.overall_themes == ("donnees", "ia", "cyber")


def test_empty_answers_score_zero_and_beginner() -> None:
    scores = score_answers({})
    assert scores.overall == 0
    assert scores.overall_level.id == "debutant"
    for theme in scores.themes.values():
        assert (theme.score, theme.level.id, theme.what_counted) == (0, "debutant", ())
        assert len(theme.what_would_raise_most) == 3


def test_best_answers_are_valid_and_score_100_everywhere() -> None:
    answers = best_answers()
    result = validate_answers(QN, answers, partial=True)
    assert result.ok, result.errors
    assert not result.dropped  # every best answer is relevant
    scores = score_answers(result.cleaned)
    assert scores.overall == 100
    assert scores.overall_level.id == "expert"
    for theme in scores.themes.values():
        assert theme.score == 100
        assert theme.what_would_raise_most == ()


def test_real_grid_example_ia_charter_alone_reaches_intermediate() -> None:
    theme = score_answers({"ia_charte_ethique": "adopte"}).themes["ia"]
    assert (theme.score, theme.level.id) == (25, "intermediaire")


def test_overall_is_the_rounded_mean_of_the_three_theme_scores() -> None:
    answers = {"ia_charte_ethique": "adopte", "rssi": "interne", "strategie_donnees": "en_cours"}
    scores = score_answers(answers)
    donnees, ia, cyber = (scores.themes[t].score for t in ("donnees", "ia", "cyber"))
    assert (donnees, ia, cyber) == (7, 25, 10)
    assert scores.overall == 14  # (7 + 25 + 10) / 3 = 14.0


def test_multiple_choice_points_are_summed_then_capped() -> None:
    answers = {
        "ia_usage": "deploye",
        "ia_domaines": ["administration", "eau", "energie", "mobilite", "securite", "autre"],
    }
    item = next(c for c in score_answers(answers).themes["ia"].what_counted if c.id == "ia_domaines")
    assert (item.points, item.max_points, item.capped) == (15, 15, True)  # 6 × 3 = 18, capped at 15
    assert [a.code for a in item.answer] == ["administration", "eau", "energie", "mobilite", "securite", "autre"]


def test_whole_grid_rows_are_summed_then_capped() -> None:
    rows = dict.fromkeys(QN.question("projets_donnees_domaines").item_ids, "realise")
    item = next(
        c
        for c in score_answers({"projets_donnees_domaines": rows}).themes["donnees"].what_counted
        if c.id == "projets_donnees_domaines"
    )
    assert (item.points, item.capped) == (10, True)  # 8 rows × 2 = 16, capped at 10
    assert item.answer[0].code == "gestion_interne:realise"


def test_what_counted_gives_points_and_the_answer_in_french_and_english() -> None:
    theme = score_answers({"cyber_mesures": {"mfa": "en_cours"}}).themes["cyber"]
    (item,) = theme.what_counted
    assert item.id == "cyber_mesures.mfa"
    assert item.points == 5
    assert item.label.fr == "Authentification multifacteur pour les accès sensibles"
    assert item.label.en == "Multi-factor authentication for sensitive access"
    assert (item.answer[0].code, item.answer[0].label.fr, item.answer[0].label.en) == (
        "en_cours",
        "En cours de mise en place",
        "Being set up",
    )


def test_what_would_raise_most_lists_the_largest_unearned_items_with_an_action() -> None:
    answers = {"cyber_mesures": {"sauvegardes_hors_ligne": "en_place", "mfa": "en_cours"}}
    theme = score_answers(answers).themes["cyber"]
    top = theme.what_would_raise_most
    assert [s.id for s in top] == ["cyber_formation", "cyber_risque", "cyber_mesures.plan_reponse_incident"]
    assert [s.points for s in top] == [15, 10, 10]
    assert top[0].action.fr.startswith("Sensibiliser") and top[0].action.en.startswith("Train")
    assert top[0].score_gain == 15.0


def test_dont_know_and_no_earn_nothing() -> None:
    scores = score_answers({"rssi": "nsp", "cyber_assurance": "non", "cyber_formation": ["nsp"]})
    assert scores.themes["cyber"].score == 0


def test_opinion_questions_are_not_scored() -> None:
    assert score_answers({"maturite_donnees": "avancee", "cyber_menace": "tres_menacee"}).overall == 0


def test_unknown_code_in_answers_is_an_error() -> None:
    with pytest.raises(DiagnosticError, match="rssi"):
        score_answers({"rssi": "oui"})


def test_to_dict_has_both_languages() -> None:
    data = score_answers({"rssi": "interne"}).to_dict()
    cyber = next(t for t in data["themes"] if t["id"] == "cyber")
    assert cyber["label"] == {"fr": "Cybersécurité", "en": "Cybersecurity"}
    assert cyber["level"]["label"] == {"fr": "Débutant", "en": "Beginner"}
    assert cyber["what_would_raise_most"][0]["action"]["en"]


# ---- grid validation against the questionnaire, with the line


def _broken_copy(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = GRID_FILE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "maturity_grid.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new.strip() in row)
    return path, line


def test_grid_with_an_unknown_question_is_an_error_at_its_line(tmp_path: Path) -> None:
    path, line = _broken_copy(tmp_path, "question: pilotage_donnees", "question: pilotage_des_donnees")
    with pytest.raises(DiagnosticError, match="pilotage_des_donnees") as exc:
        load_grid(path)
    assert exc.value.location == f"{path}:{line}"


def test_grid_with_an_unknown_code_is_an_error_at_its_line(tmp_path: Path) -> None:
    path, line = _broken_copy(tmp_path, "points: {regulierement: 10", "points: {souvent: 10")
    with pytest.raises(DiagnosticError, match="souvent") as exc:
        load_grid(path)
    assert exc.value.location == f"{path}:{line}"


def test_grid_with_an_unknown_grid_row_is_an_error(tmp_path: Path) -> None:
    path, line = _broken_copy(tmp_path, "item: pca_pra", "item: pca")
    with pytest.raises(DiagnosticError, match="pca") as exc:
        load_grid(path)
    assert exc.value.location == f"{path}:{line}"


def test_grid_locations_name_the_data_file_relative_to_the_checkout() -> None:
    assert display_path(GRID_FILE) == "data/maturity_grid.yaml"
    data = load_yaml(GRID_FILE, "grille")
    data["themes"][0]["items"][0]["question"] = "nope"
    with pytest.raises(DiagnosticError) as exc:
        parse_grid(data, QN, "data/maturity_grid.yaml")
    assert exc.value.location == f"data/maturity_grid.yaml:{data['themes'][0]['items'][0].line_of('question')}"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("      - {question: commentaire, points: {x: 1}, action: {fr: a, en: a}}\n", "type long_text"),
        ("      - {question: rssi, points: {interne: -1}, action: {fr: a, en: a}}\n", "entier positif"),
        ("      - {question: rssi, points: {interne: 1}, action: {fr: a}}\n", "fr, en"),
        ("      - {question: rssi, points: {interne: 1}, cap: 1, action: {fr: a, en: a}}\n", "cap"),
        ("      - {question: rssi, pts: {interne: 1}, action: {fr: a, en: a}}\n", "clé"),
        ("      - {question: cyber_assurance, points: {yes: 1}, action: {fr: a, en: a}}\n", "guillemets"),
    ],
)
def test_grid_mistakes_are_reported(items: str, message: str) -> None:
    with pytest.raises(DiagnosticError, match=message):
        small_grid(items)


def test_levels_must_start_at_zero_and_increase() -> None:
    data = yamlfile.load(LEVELS_YAML + "themes: [{id: t, label: {fr: T, en: T}, items: []}]")
    data["levels"][2]["min"] = 25
    with pytest.raises(DiagnosticError, match="croître"):
        parse_grid(data, QN)
