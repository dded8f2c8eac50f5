from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from pyxform.xls2xform import convert

from barometre.core.questionnaire import Question, Questionnaire, load_edition, validate_answers
from barometre.core.questionnaire.diff import diff
from barometre.core.questionnaire.expressions import to_source
from barometre.core.questionnaire.schema import QuestionnaireInvalid
from barometre.core.questionnaire.xlsform import XLSFormRefused, export_xlsform, import_xlsform


def _signature(q: Question) -> tuple[object, ...]:
    def expr(e: object) -> str:
        return to_source(e) if e is not None else ""  # type: ignore[arg-type]

    return (
        q.id,
        q.type,
        q.label,
        q.help,
        q.required,
        q.choices,
        q.choice_list,
        q.items,
        q.min,
        q.max,
        q.unit,
        q.max_length,
        q.same_as,
        q.changes,
        q.feeds,
        q.constraint_message,
        q.section,
        expr(q.relevant),
        expr(q.constraint),
        expr(q.calculation),
    )


def _same_meaning(a: Questionnaire, b: Questionnaire) -> None:
    assert (a.edition, a.title, a.version, a.opens, a.closes) == (b.edition, b.title, b.version, b.opens, b.closes)
    assert [(s.id, s.title) for s in a.sections] == [(s.id, s.title) for s in b.sections]
    assert [_signature(q) for q in a.questions] == [_signature(q) for q in b.questions]
    assert a.choice_lists == b.choice_lists


@pytest.mark.parametrize("edition", [2022, 2023, 2024, 2025])
def test_export_is_accepted_by_pyxform(tmp_path: Path, edition: int) -> None:
    out = tmp_path / "form.xlsx"
    export_xlsform(load_edition(edition), out)
    result = convert(xlsform=str(out), validate=False)
    assert "<h:html" in result.xform
    assert 'lang="French (fr)"' in result.xform and 'lang="English (en)"' in result.xform


@pytest.mark.parametrize("edition", [2022, 2023, 2024, 2025])
def test_yaml_xlsform_yaml_round_trip_keeps_the_meaning(tmp_path: Path, edition: int) -> None:
    original = load_edition(edition)
    out = tmp_path / "form.xlsx"
    export_xlsform(original, out)
    result = import_xlsform(out)
    assert result.warnings == []
    _same_meaning(original, result.questionnaire)
    changes = diff(original, result.questionnaire)
    assert not changes.added and not changes.removed and not changes.changed


def test_round_trip_gives_the_same_validation_results(tmp_path: Path) -> None:
    original = load_edition(2025)
    export_xlsform(original, tmp_path / "f.xlsx")
    back = import_xlsform(tmp_path / "f.xlsx").questionnaire
    answers = {"cyber_attaque": "oui_12m", "cyber_attaque_consequences": ["services_bloques"], "nb_agents": 3}
    assert validate_answers(original, answers) == validate_answers(back, answers)


def _workbook(
    path: Path,
    survey: list[list[object]],
    choices: list[list[object]] | None = None,
    settings: list[list[object]] | None = None,
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey:
        ws.append(row)
    if choices is not None:
        c = wb.create_sheet("choices")
        for row in choices:
            c.append(row)
    if settings is not None:
        s = wb.create_sheet("settings")
        for row in settings:
            s.append(row)
    wb.save(str(path))
    return path


def test_import_legacy_single_language_form_without_settings(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "legacy.xlsx",
        [
            ["type", "name", "label:English", "hint:English", "required", "relevant", "constraint"],
            ["start", "start", "", "", "", "", ""],
            ["select one from yesno", "has-ai", "Do you use AI?", "", "yes", "", ""],
            ["select multiple from uses", "ai_uses", "What for?", "Tick all", "", "${has-ai} = 'yes'", ""],
            ["integer", "staff", "Number of staff", "", "", "", ". >= 0"],
            ["text", "comment", "Comment", "", "", "", ""],
            ["note", "thanks", "Thank you", "", "", "", ""],
        ],
        [
            ["list name", "name", "label:English"],
            ["yesno", "yes", "Yes"],
            ["yesno", "no", "No"],
            ["uses", "admin", "Administration"],
            ["uses", "users", "Relations with users"],
        ],
    )
    result = import_xlsform(path)
    qn = result.questionnaire
    assert [q.id for q in qn.questions] == ["has_ai", "ai_uses", "staff", "comment"]
    q = qn.question("has_ai")
    assert q.label.fr == q.label.en == "Do you use AI?"
    assert q.untranslated == ("fr",)
    assert qn.question("ai_uses").relevant is not None
    assert to_source(qn.question("ai_uses").relevant) == "${has_ai} = 'yes'"  # type: ignore[arg-type]
    assert any("settings" in w for w in result.warnings)
    assert any("une seule langue" in w for w in result.warnings)
    assert any("note 'thanks' ignorée" in w for w in result.warnings)
    assert "untranslated:" in result.yaml
    assert (
        validate_answers(qn, {"has_ai": "yes", "ai_uses": ["admin"], "staff": -1}).errors["staff"][0].code
        == "constraint"
    )


def test_unsupported_features_are_refused_row_by_row(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "bad.xlsx",
        [
            ["type", "name", "label", "media::image", "choice_filter"],
            ["begin repeat", "members", "Members", "", ""],
            ["begin repeat", "inner", "Nested", "", ""],
            ["text", "member_name", "Name", "", ""],
            ["end repeat", "", "", "", ""],
            ["geopoint", "where", "Where?", "", ""],
            ["select_one_from_file cities.csv", "city", "City", "", ""],
            ["note", "pic", "Look", "cat.png", ""],
            ["select_one l", "filtered", "Filtered", "", "x = 1"],
            ["begin_loop over l", "lp", "Loop", "", ""],
        ],
        [["list_name", "name", "label"], ["l", "a", "A"]],
    )
    with pytest.raises(XLSFormRefused) as info:
        import_xlsform(path)
    rows = sorted({m.split(":")[2] for m in info.value.messages}, key=int)
    assert rows == ["3", "6", "7", "8", "9", "10"]
    assert all(m.startswith("bad.xlsx:survey:") for m in info.value.messages)
    assert any("répétition dans une répétition" in m for m in info.value.messages)
    assert any("médias" in m for m in info.value.messages)
    assert any("choix externes" in m for m in info.value.messages)


def test_import_reports_bad_expressions_and_missing_lists_with_their_row(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "expr.xlsx",
        [
            ["type", "name", "label::French (fr)", "relevant"],
            ["integer", "a", "A", ""],
            ["integer", "b", "B", "${a} > "],
            ["select_one nolist", "c", "C", ""],
            ["integer", "d", "D", "jr:choice-name(${a}, '${a}')"],
        ],
        [["list_name", "name", "label::French (fr)"]],
        [["form_title", "version"], ["Test 2023", "3"]],
    )
    with pytest.raises(XLSFormRefused) as info:
        import_xlsform(path)
    messages = info.value.messages
    assert any(m.startswith("expr.xlsx:survey:3: relevant : expression incomplète") for m in messages)
    assert any(m.startswith("expr.xlsx:survey:4: liste de choix 'nolist'") for m in messages)
    assert any(m.startswith("expr.xlsx:survey:5: relevant") for m in messages)


def test_import_reports_type_errors_found_by_the_loader_on_the_right_row(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "types.xlsx",
        [
            ["type", "name", "label::French (fr)", "label::English (en)", "relevant"],
            ["integer", "a", "A", "A", ""],
            ["text", "b", "B", "B", "${a} = 'x'"],
        ],
        settings=[["form_title", "version", "barometre_edition"], ["Test", "1", 2024]],
    )
    with pytest.raises(XLSFormRefused) as info:
        import_xlsform(path)
    (message,) = info.value.messages
    assert message.startswith("types.xlsx:survey:3: ") and "entre un nombre et un texte" in message


def test_not_an_xlsx_file_is_refused_cleanly(tmp_path: Path) -> None:
    from barometre.core.questionnaire.xlsx_guard import XLSXRejected

    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    with pytest.raises(XLSXRejected) as info:  # cannot be read: exit 2, not a content refusal
        import_xlsform(path)
    assert "illisible" in str(info.value) and "x.xlsx" in str(info.value)


REPEAT_FORM = """
edition: 2026
title: {fr: Projets, en: Projects}
version: "2026.1"
sections:
  - id: projets_s
    title: {fr: Projets, en: Projects}
    questions:
      - id: a_des_projets
        type: yes_no
        label: {fr: Des projets ?, en: Any projects?}
      - id: projets
        type: repeat
        label: {fr: Vos projets data / IA, en: Your data / AI projects}
        relevant: "${a_des_projets} = 'oui'"
        max_repeat: 5
        fields:
          - id: titre
            type: text
            label: {fr: Titre, en: Title}
            required: true
            max_length: 200
          - id: domaine
            type: select_one
            label: {fr: Domaine, en: Domain}
            choices:
              - {code: eau, label: {fr: Eau, en: Water}}
              - {code: energie, label: {fr: Énergie, en: Energy}}
          - id: publication
            type: yes_no
            label: {fr: Publier ?, en: Publish?}
"""


def test_a_repeat_group_survives_export_pyxform_and_import(tmp_path: Path) -> None:
    from pyxform.xls2xform import convert

    from barometre.core.questionnaire import loads

    qn = loads(REPEAT_FORM)
    path = tmp_path / "repeat.xlsx"
    export_xlsform(qn, path)
    xml = convert(xlsform=str(path)).xform
    assert re.search(r'<repeat nodeset="/[a-z_0-9]+/projets_s/projets">', xml)
    back = import_xlsform(path).questionnaire.question("projets")
    original = qn.question("projets")
    assert back.type.value == "repeat" and back.max_repeat == 5
    assert to_source(back.relevant) == to_source(original.relevant)  # type: ignore[arg-type]
    shape = [(f.id, f.type, f.codes, f.required, f.max_length, f.label) for f in back.fields]
    assert shape == [(f.id, f.type, f.codes, f.required, f.max_length, f.label) for f in original.fields]


def test_repeat_entries_are_cleaned_field_by_field_and_errors_name_the_entry() -> None:
    from barometre.core.questionnaire import loads
    from barometre.core.questionnaire.validate import coerce_form

    qn = loads(REPEAT_FORM)
    ok = validate_answers(qn, {"a_des_projets": "oui", "projets": [{"titre": " Fuites ", "domaine": "eau"}, {}]})
    assert ok.cleaned["projets"] == [{"titre": "Fuites", "domaine": "eau"}]
    bad = validate_answers(qn, {"a_des_projets": "oui", "projets": [{"titre": "A"}, {"domaine": "eau"}]})
    assert [(e.code, e.item) for e in bad.errors["projets"]] == [("required", "2.titre")]
    too_many = validate_answers(qn, {"a_des_projets": "oui", "projets": [{"titre": str(i)} for i in range(6)]})
    assert too_many.errors["projets"][0].code == "max"
    hidden = validate_answers(qn, {"a_des_projets": "non", "projets": [{"titre": "A"}]})
    assert "projets" not in hidden.cleaned and "projets" in hidden.dropped
    form = {"a_des_projets": "oui", "projets.1.titre": "A", "projets.3.titre": "C", "projets.3.domaine": "eau"}
    assert coerce_form(qn, form)["projets"] == [{"titre": "A"}, {"titre": "C", "domaine": "eau"}]


def test_a_repeat_field_with_its_own_condition_or_an_unknown_type_is_refused() -> None:
    from barometre.core.questionnaire import loads

    bad = REPEAT_FORM.replace(
        "            max_length: 200\n", '            max_length: 200\n            relevant: "true()"\n'
    )
    with pytest.raises(QuestionnaireInvalid, match="interdit dans un groupe repeat"):
        loads(bad)
    with pytest.raises(QuestionnaireInvalid, match="type 'date' interdit"):
        loads(
            REPEAT_FORM.replace(
                "type: text\n            label: {fr: Titre", "type: date\n            label: {fr: Titre"
            )
        )


def test_control_characters_in_an_imported_form_are_refused_with_sheet_row_and_column(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "ctl.xlsx",
        [
            ["type", "name", "label::French (fr)", "hint::French (fr)"],
            ["text", "comment", "Commentaire\x9b31m", "Sur deux\nlignes"],
            ["integer", "staff\x7f", "Agents", ""],
        ],
    )
    with pytest.raises(XLSFormRefused) as info:
        import_xlsform(path)
    messages = info.value.messages
    assert "ctl.xlsx:survey:2: colonne 'label' : caractère de contrôle interdit (U+009B)" in messages
    assert "ctl.xlsx:survey:3: colonne 'name' : caractère de contrôle interdit (U+007F)" in messages
    assert not any("hint" in m for m in messages)  # line breaks in a text are fine
