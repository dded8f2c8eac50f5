from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from barometre.core.paths import DOMAIN_DIR
from barometre.core.questionnaire import QType, QuestionnaireInvalid, available_editions, check_file, load, load_edition

EDITIONS = [2022, 2023, 2024, 2025]

SIMPLE = """\
- id: s
  title: {fr: S, en: S}
  questions:
    - id: agents
      type: integer
      label: {fr: Agents, en: Staff}
    - id: kind
      type: select_one
      label: {fr: Type, en: Kind}
      choices:
        - {code: a, label: {fr: A, en: A}}
        - {code: b, label: {fr: B, en: B}}
"""


def issues(path: Path) -> list[str]:
    return [str(i) for i in check_file(path)]


# ---------------------------------------------------------------- shipped editions


@pytest.mark.parametrize("edition", EDITIONS)
def test_shipped_editions_validate(edition: int) -> None:
    qn = load_edition(edition)
    assert qn.edition == edition
    assert len(qn) >= 10


def test_all_editions_present() -> None:
    assert set(EDITIONS) <= set(available_editions())


def test_2025_has_the_expected_sections_and_size() -> None:
    qn = load_edition(2025)
    assert {"collectivite", "donnees", "rgpd", "ia", "cyber", "numerique_responsable"} <= {s.id for s in qn.sections}
    assert 40 <= len(qn) <= 70
    types = {q.type for q in qn.questions}
    assert {QType.GRID, QType.SELECT_MULTIPLE, QType.YES_NO, QType.INTEGER, QType.CALCULATE} <= types


def test_same_as_names_a_question_of_an_earlier_edition() -> None:
    seen: set[str] = set()
    for edition in EDITIONS:
        qn = load_edition(edition)
        for q in qn.questions:
            if q.same_as:
                assert q.same_as in seen, (edition, q.id, q.same_as)
        seen |= {q.id for q in qn.questions}


def _figures() -> list[dict[str, str]]:
    path = DOMAIN_DIR / "published-figures.csv"
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_feeds_name_published_figures_of_the_same_edition() -> None:
    figures = _figures()
    for edition in EDITIONS:
        known = {r["figure"] for r in figures if int(r["edition"]) == edition}
        for q in load_edition(edition).questions:
            for fid in q.feeds:
                assert fid in known, (edition, q.id, fid)


def test_every_published_survey_figure_is_fed_by_a_question() -> None:
    figures = _figures()
    for edition in EDITIONS:
        fed = {f for q in load_edition(edition).questions for f in q.feeds}
        wanted = {r["figure"] for r in figures if int(r["edition"]) == edition and r["theme"] != "citizens"}
        assert wanted <= fed, (edition, sorted(wanted - fed))


# ---------------------------------------------------------------- broken files


def test_valid_fixture_loads(write_yaml: Callable[..., Path]) -> None:
    qn = load(write_yaml(SIMPLE))
    assert [q.id for q in qn.questions] == ["agents", "kind"]
    assert qn.question("kind").codes == ("a", "b")


def test_bad_yaml_is_located(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("edition: 2025\ntitle: {fr: a, en: b\nsections: []\n", raw=True)
    (msg,) = issues(path)
    assert msg.startswith(f"{path}:3:")
    assert "YAML invalide" in msg


def test_unknown_key_is_located_with_a_suggestion(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(SIMPLE.replace("      type: integer\n", "      type: integer\n      requried: true\n"))
    (msg,) = issues(path)
    assert msg == f"{path}:10:9: question 'agents' : clé inconnue 'requried' (vouliez-vous dire 'required' ?)"


def test_unknown_top_level_key(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("edition: 2025\nversion: '1'\ntitle: {fr: a, en: b}\nlang: fr\nsections: []\n", raw=True)
    msgs = issues(path)
    assert any(m.startswith(f"{path}:4:1: questionnaire : clé inconnue 'lang'") for m in msgs)


def test_unknown_type(write_yaml: Callable[..., Path]) -> None:
    (msg,) = issues(write_yaml(SIMPLE.replace("type: integer", "type: entier")))
    assert ":9:15: " in msg and "type 'entier' inconnu" in msg


def test_missing_english_label(write_yaml: Callable[..., Path]) -> None:
    (msg,) = issues(write_yaml(SIMPLE.replace("{fr: Agents, en: Staff}", "{fr: Agents}")))
    assert ":10:16: " in msg and "clé obligatoire 'en' manquante" in msg


def test_duplicate_question_id(write_yaml: Callable[..., Path]) -> None:
    (msg,) = issues(write_yaml(SIMPLE.replace("id: kind", "id: agents")))
    assert ":11:13: " in msg and "id 'agents' déjà utilisé (ligne 8)" in msg


def test_duplicate_key(write_yaml: Callable[..., Path]) -> None:
    (msg,) = issues(write_yaml(SIMPLE.replace("      type: integer\n", "      type: integer\n      type: decimal\n")))
    assert ":10:9: " in msg and "en double" in msg


def test_unknown_reference_is_located_at_the_reference(write_yaml: Callable[..., Path]) -> None:
    text = (
        SIMPLE
        + "    - id: c\n      type: text\n      label: {fr: C, en: C}\n      relevant: ${kind} = 'a' and ${agnts} > 2\n"
    )
    (msg,) = issues(write_yaml(text))
    # line 20 of the file; the reference starts at column 37
    assert msg.endswith("relevant : question inconnue ${agnts} (vouliez-vous dire ${agents} ?)")
    assert ":20:37: " in msg


def test_quoted_expression_columns_account_for_the_quote(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + '    - id: c\n      type: text\n      label: {fr: C, en: C}\n      relevant: "${nope} = 1"\n'
    (msg,) = issues(write_yaml(text))
    assert ":20:20: " in msg


def test_reference_to_a_later_question_in_relevant(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE.replace(
        "      label: {fr: Agents, en: Staff}\n",
        "      label: {fr: Agents, en: Staff}\n      relevant: ${kind} = 'a'\n",
    )
    (msg,) = issues(write_yaml(text))
    assert "${kind} est posée plus loin" in msg


def test_self_reference_in_relevant(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE.replace(
        "      label: {fr: Agents, en: Staff}\n",
        "      label: {fr: Agents, en: Staff}\n      relevant: ${agents} > 1\n",
    )
    (msg,) = issues(write_yaml(text))
    assert "sa propre réponse" in msg


def test_type_mismatch(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + "    - id: c\n      type: text\n      label: {fr: C, en: C}\n      relevant: ${agents} = 'dix'\n"
    (msg,) = issues(write_yaml(text))
    assert "comparaison « = » entre un nombre et un texte" in msg


def test_unknown_choice_code_in_expression(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + "    - id: c\n      type: text\n      label: {fr: C, en: C}\n      relevant: ${kind} = 'z'\n"
    (msg,) = issues(write_yaml(text))
    assert "code 'z' inconnu" in msg and ":20:29: " in msg


def test_relevant_must_be_boolean(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + "    - id: c\n      type: text\n      label: {fr: C, en: C}\n      relevant: ${agents} + 1\n"
    (msg,) = issues(write_yaml(text))
    assert "relevant doit donner un booléen" in msg


def test_current_value_not_allowed_in_relevant(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + "    - id: c\n      type: integer\n      label: {fr: C, en: C}\n      relevant: . > 1\n"
    (msg,) = issues(write_yaml(text))
    assert "n'est permis que dans une contrainte" in msg


def test_syntax_error_is_located(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + "    - id: c\n      type: integer\n      label: {fr: C, en: C}\n      constraint: . > (1 + 2\n"
    (msg,) = issues(write_yaml(text))
    assert "')' attendu" in msg and ":20:31: " in msg


def test_cycle_between_calculations(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE + (
        "    - id: c1\n      type: calculate\n      label: {fr: C, en: C}\n      calculation: ${c2} + 1\n"
        "    - id: c2\n      type: calculate\n      label: {fr: C, en: C}\n      calculation: ${c1} * 2\n"
    )
    (msg,) = issues(write_yaml(text))
    assert "dépendance circulaire : c1 → c2 → c1" in msg and ":20:22: " in msg


def test_choices_forbidden_on_numbers_and_required_on_selects(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE.replace(
        "      choices:\n        - {code: a, label: {fr: A, en: A}}\n        - {code: b, label: {fr: B, en: B}}\n", ""
    )
    (msg,) = issues(write_yaml(text))
    assert "'choices' obligatoire pour le type select_one" in msg


def test_unknown_choice_list(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE.replace(
        "      choices:\n        - {code: a, label: {fr: A, en: A}}\n        - {code: b, label: {fr: B, en: B}}\n",
        "      choices: etats\n",
    )
    (msg,) = issues(write_yaml(text))
    assert "liste de choix 'etats' inconnue" in msg


def test_min_above_max(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE.replace(
        "      label: {fr: Agents, en: Staff}\n", "      label: {fr: Agents, en: Staff}\n      min: 10\n      max: 1\n"
    )
    (msg,) = issues(write_yaml(text))
    assert "min (10) supérieur à max (1)" in msg


def test_every_error_is_reported_not_only_the_first(write_yaml: Callable[..., Path]) -> None:
    text = SIMPLE.replace("type: integer", "type: entier").replace("{code: b,", "{code: a,")
    msgs = issues(write_yaml(text))
    assert len(msgs) == 2


def test_load_raises_with_all_issues(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(SIMPLE.replace("type: integer", "type: entier"))
    with pytest.raises(QuestionnaireInvalid) as info:
        load(path)
    assert info.value.location is not None and info.value.location.startswith(str(path))
    assert len(info.value.issues) == 1


def test_empty_file(write_yaml: Callable[..., Path]) -> None:
    (msg,) = issues(write_yaml("", raw=True))
    assert "fichier vide" in msg


def test_unquoted_yes_no_labels_get_a_hint(write_yaml: Callable[..., Path]) -> None:
    (msg,) = issues(
        write_yaml(SIMPLE.replace("{code: b, label: {fr: B, en: B}}", "{code: b, label: {fr: Non, en: No}}"))
    )
    assert "lu comme un booléen" in msg
