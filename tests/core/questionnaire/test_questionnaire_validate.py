from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.core.questionnaire import (
    Questionnaire,
    coerce_form,
    coerce_form_value,
    load_edition,
    loads,
    relevance,
    validate_answers,
    visible_questions,
)

SMALL = """\
edition: 2025
version: "1"
title: {fr: T, en: T}
sections:
  - id: profil
    title: {fr: Profil, en: Profile}
    questions:
      - id: agents
        type: integer
        label: {fr: Agents, en: Staff}
        required: true
        min: 0
        max: 1000
      - id: agents_it
        type: integer
        label: {fr: Agents informatique, en: IT staff}
        required: true
        relevant: ${agents} > 10
        constraint: . <= ${agents}
        constraint_message: {fr: "Pas plus que le total.", en: "Not more than the total."}
      - id: budget
        type: money
        label: {fr: Budget, en: Budget}
      - id: part
        type: percentage
        label: {fr: Part, en: Share}
      - id: note
        type: scale
        label: {fr: Note, en: Score}
      - id: jour
        type: date
        label: {fr: Jour, en: Day}
  - id: cyber
    title: {fr: Cyber, en: Cyber}
    relevant: ${agents} > 0
    questions:
      - id: attaque
        type: yes_no
        label: {fr: Attaque, en: Attack}
        required: true
      - id: consequences
        type: select_multiple
        label: {fr: Conséquences, en: Consequences}
        relevant: ${attaque} = 'oui'
        required: true
        choices:
          - {code: blocage, label: {fr: Blocage, en: Blocked}}
          - {code: fuite, label: {fr: Fuite, en: Leak}}
          - {code: nsp, label: {fr: NSP, en: DK}, exclusive: true}
      - id: mesures
        type: grid
        label: {fr: Mesures, en: Measures}
        required: true
        choices:
          - {code: oui, label: {fr: Oui, en: "Yes"}}
          - {code: non, label: {fr: Non, en: "No"}}
        items:
          - {id: mfa, label: {fr: MFA, en: MFA}}
          - {id: sauvegardes, label: {fr: Sauvegardes, en: Backups}}
      - id: commentaire
        type: text
        label: {fr: Commentaire, en: Comment}
        max_length: 10
"""


@pytest.fixture(scope="module")
def qn() -> Questionnaire:
    return loads(SMALL)


FULL = {
    "agents": 20,
    "agents_it": 2,
    "attaque": "oui",
    "consequences": ["fuite", "blocage"],
    "mesures": {"mfa": "oui", "sauvegardes": "non"},
}


def test_a_complete_valid_answer_set_is_clean(qn: Questionnaire) -> None:
    result = validate_answers(qn, FULL)
    assert result.ok, result.errors
    assert result.cleaned["consequences"] == ["blocage", "fuite"]  # choice order
    assert result.cleaned["mesures"] == {"mfa": "oui", "sauvegardes": "non"}


def test_answers_to_questions_that_are_not_relevant_are_dropped(qn: Questionnaire) -> None:
    result = validate_answers(qn, {**FULL, "agents": 5, "agents_it": 3, "attaque": "non"})
    assert result.ok, result.errors
    assert "agents_it" not in result.cleaned and "consequences" not in result.cleaned
    assert sorted(result.dropped) == ["agents_it", "consequences"]


def test_required_applies_only_when_relevant(qn: Questionnaire) -> None:
    result = validate_answers(qn, {"agents": 5, "attaque": "non", "mesures": {"mfa": "oui", "sauvegardes": "oui"}})
    assert result.ok, result.errors
    result = validate_answers(qn, {"agents": 50, "attaque": "oui", "mesures": {"mfa": "oui", "sauvegardes": "oui"}})
    assert {e.code for errs in result.errors.values() for e in errs} == {"required"}
    assert set(result.errors) == {"agents_it", "consequences"}


def test_section_relevance_hides_a_whole_section(qn: Questionnaire) -> None:
    result = validate_answers(qn, {"agents": 0, "attaque": "oui"})
    assert result.ok, result.errors
    assert result.relevant["attaque"] is False
    assert result.dropped == ["attaque"]


def test_partial_skips_required_for_autosave(qn: Questionnaire) -> None:
    result = validate_answers(qn, {"agents": 50}, partial=True)
    assert result.ok
    assert validate_answers(qn, {"agents": 50}).errors.keys() == {"agents_it", "attaque", "mesures"}


def test_partial_still_checks_types_and_constraints(qn: Questionnaire) -> None:
    result = validate_answers(qn, {"agents": 50, "agents_it": 60}, partial=True)
    (error,) = result.errors["agents_it"]
    assert error.code == "constraint"
    assert error.fr == "Pas plus que le total." and error.en == "Not more than the total."


def test_constraint_referring_to_an_unanswered_question_is_not_checked(qn: Questionnaire) -> None:
    qn2 = loads(SMALL.replace("        relevant: ${agents} > 10\n", ""))
    assert validate_answers(qn2, {"agents_it": 3}, partial=True).ok


def test_bounds_and_types(qn: Questionnaire) -> None:
    result = validate_answers(
        qn,
        {"agents": 1001, "budget": "beaucoup", "part": 120.0, "note": 6, "jour": "31/12/2024", "commentaire": "x" * 11},
        partial=True,
    )
    codes = {qid: [e.code for e in errs] for qid, errs in result.errors.items()}
    assert codes == {
        "agents": ["max"],
        "budget": ["type"],
        "part": ["max"],
        "note": ["max"],
        "jour": ["type"],
    }
    # agents is invalid, so the cyber section (relevant: ${agents} > 0) is hidden
    assert "commentaire" in result.dropped
    other = validate_answers(qn, {"agents": 3, "commentaire": "x" * 11}, partial=True)
    assert other.errors["commentaire"][0].code == "length"
    assert result.errors["agents"][0].fr == "La valeur doit être inférieure ou égale à 1\u202f000."
    assert result.errors["agents"][0].en == "The value must be at most 1,000."


def test_value_representation_is_normalised(qn: Questionnaire) -> None:
    result = validate_answers(
        qn, {"agents": 12.0, "agents_it": 1, "budget": 1500, "jour": date(2025, 1, 2)}, partial=True
    )
    assert result.ok
    assert result.cleaned["agents"] == 12 and isinstance(result.cleaned["agents"], int)
    assert result.cleaned["budget"] == 1500.0 and isinstance(result.cleaned["budget"], float)
    assert result.cleaned["jour"] == "2025-01-02"


def test_booleans_are_not_numbers(qn: Questionnaire) -> None:
    result = validate_answers(qn, {"agents": True}, partial=True)
    assert result.errors["agents"][0].code == "type"


def test_exclusive_choice_cannot_be_combined(qn: Questionnaire) -> None:
    result = validate_answers(qn, {**FULL, "consequences": ["nsp", "fuite"]})
    assert result.errors["consequences"][0].code == "exclusive"


def test_unknown_choice_and_unknown_question(qn: Questionnaire) -> None:
    result = validate_answers(qn, {**FULL, "attaque": "peut-etre", "bogus": 1})
    assert result.errors["attaque"][0].code == "choice"
    assert result.errors["bogus"][0].code == "unknown_question"


def test_grid_requires_every_row_and_rejects_unknown_rows(qn: Questionnaire) -> None:
    result = validate_answers(qn, {**FULL, "mesures": {"mfa": "oui"}})
    (error,) = result.errors["mesures"]
    assert (error.code, error.item) == ("required", "sauvegardes")
    result = validate_answers(qn, {**FULL, "mesures": {"mfa": "oui", "sauvegardes": "non", "x": "oui"}})
    assert result.errors["mesures"][0].code == "item"


def test_validating_one_section_ignores_the_others_but_uses_their_answers(qn: Questionnaire) -> None:
    result = validate_answers(qn, {"agents": 50, "attaque": "oui"}, sections=["cyber"])
    assert set(result.errors) == {"consequences", "mesures"}
    assert set(result.cleaned) == {"attaque"}


def test_visible_questions_of_a_section(qn: Questionnaire) -> None:
    assert [q.id for q in visible_questions(qn, {"agents": 50, "attaque": "non"}, "cyber")] == [
        "attaque",
        "mesures",
        "commentaire",
    ]
    assert visible_questions(qn, {"agents": 0}, "cyber") == []
    assert relevance(qn, {"agents": 50})["agents_it"] is True


def test_coercion_from_html_form_strings(qn: Questionnaire) -> None:
    data = {
        "agents": ["1 234"],
        "budget": "12 500,50 €",
        "consequences": ["blocage", "fuite"],
        "mesures.mfa": "oui",
        "note": "",
        "part": "abc",
    }
    answers = coerce_form(qn, data)
    assert answers == {
        "agents": 1234,
        "budget": 12500.5,
        "part": "abc",
        "consequences": ["blocage", "fuite"],
        "mesures": {"mfa": "oui"},
    }
    assert validate_answers(qn, answers, partial=True).errors["part"][0].code == "type"
    assert coerce_form_value(qn.question("note"), None) is None


def test_calculated_values_are_computed_not_taken_from_answers() -> None:
    qn = load_edition(2025)
    result = validate_answers(
        qn,
        {"nb_agents": 200, "agents_informatique": 10, "part_agents_informatique": 99},
        sections=["collectivite"],
        partial=True,
    )
    assert result.cleaned["part_agents_informatique"] == 5.0


def test_real_2025_skip_logic() -> None:
    qn = load_edition(2025)
    answers = {
        "cyber_attaque": "non",
        "cyber_attaque_consequences": ["services_bloques"],
        "cyber_delai_retablissement": "plus_1_an",
    }
    result = validate_answers(qn, answers, sections=["cyber"], partial=True)
    assert result.ok
    assert set(result.dropped) == {"cyber_attaque_consequences", "cyber_delai_retablissement"}
    answers = {
        "cyber_attaque": "oui_12m",
        "cyber_attaque_consequences": ["services_bloques"],
        "cyber_delai_retablissement": "plus_1_an",
    }
    result = validate_answers(qn, answers, sections=["cyber"], partial=True)
    assert result.cleaned["cyber_delai_retablissement"] == "plus_1_an"


# ---------------------------------------------------------------- property tests

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.one_of(st.text(max_size=6), st.integers()), max_size=4),
    st.dictionaries(st.text(max_size=6), st.one_of(st.text(max_size=6), st.integers(), st.none()), max_size=3),
    st.dates(),
)


def _plausible(q: object) -> st.SearchStrategy[object]:
    from barometre.core.questionnaire import QType, Question

    assert isinstance(q, Question)
    codes = list(q.codes) or ["x"]
    if q.type in (QType.SELECT_ONE, QType.YES_NO):
        return st.sampled_from(codes)
    if q.type is QType.SELECT_MULTIPLE:
        return st.lists(st.sampled_from(codes), max_size=4)
    if q.type is QType.GRID:
        return st.dictionaries(st.sampled_from(list(q.item_ids)), st.sampled_from(codes))
    if q.type in (QType.INTEGER, QType.SCALE):
        return st.integers(min_value=-5, max_value=300)
    if q.type.is_numeric:
        return st.floats(min_value=-10, max_value=1e6)
    return st.text(max_size=12)


def _answers(qn: Questionnaire) -> st.SearchStrategy[dict[str, object]]:
    ids = [q.id for q in qn.questions]
    per_question = {q.id: st.one_of(_plausible(q), garbage) for q in qn.questions}
    return st.lists(st.sampled_from([*ids, "inconnue"]), unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: per_question.get(k, garbage) for k in keys})
    )


QN_2025 = load_edition(2025)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answers(QN_2025), st.booleans())
def test_random_answer_sets_never_crash_the_validator(answers: dict[str, object], partial: bool) -> None:
    result = validate_answers(QN_2025, answers, partial=partial)
    for qid in result.cleaned:
        assert result.relevant[qid]
    for qid, errors in result.errors.items():
        assert errors and all(e.fr and e.en for e in errors)
        assert qid not in result.cleaned


@settings(max_examples=100, deadline=None)
@given(_answers(QN_2025))
def test_cleaned_answers_validate_again_unchanged(answers: dict[str, object]) -> None:
    first = validate_answers(QN_2025, answers, partial=True)
    second = validate_answers(QN_2025, first.cleaned, partial=True)
    assert second.cleaned == first.cleaned
