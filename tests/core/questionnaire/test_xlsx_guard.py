"""An .xlsx is checked before any reader opens it: sizes, checksums, XML, cell length."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.fuzz_corpus import XLSX, _base_xlsx, _big_cell, _rewrite

from barometre.core.questionnaire.xlsform import import_xlsform
from barometre.core.questionnaire.xlsx_guard import MAX_CELL_CHARS, XLSXRejected, check_xlsx


def test_a_plain_workbook_passes_and_imports(tmp_path: Path) -> None:
    _base_xlsx(tmp_path / "ok.xlsx")
    check_xlsx(tmp_path / "ok.xlsx")
    assert "commentaire" in import_xlsform(tmp_path / "ok.xlsx").yaml


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("corrupted_sheet_xml", "XML invalide"),
        ("corrupted_deflate", "membre corrompu"),
        ("not_a_zip", "illisible"),
        ("cell_of_1_mb", f"dépasse {MAX_CELL_CHARS}"),
        ("cell_of_60_mb", "décompressé"),
        ("entity_expansion", "DOCTYPE"),
    ],
)
def test_a_hostile_workbook_is_refused_naming_file_and_member(tmp_path: Path, name: str, expected: str) -> None:
    build = dict(XLSX)[name]
    path = Path(build(tmp_path)[2])
    with pytest.raises(XLSXRejected) as info:
        import_xlsform(path)
    message = str(info.value)
    assert expected in message and path.name in message and "\n" not in message
    assert not (tmp_path / "out.yaml").exists()


def test_a_cell_at_excels_limit_is_accepted(tmp_path: Path) -> None:
    path = _rewrite(tmp_path, "limit", _big_cell(MAX_CELL_CHARS))
    check_xlsx(path)
