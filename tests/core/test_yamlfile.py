"""The one YAML reader: bounded before the C composer, every error located file:line:column."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from barometre.core import yamlfile
from barometre.core.diagnostic.obligations import load_obligations
from barometre.core.errors import DiagnosticError, IndicatorError
from barometre.core.indicators.catalogue import loads as load_catalogue_text
from barometre.core.questionnaire.loader import check_text
from barometre.core.yamlfile import YamlError


def test_thirty_thousand_nested_brackets_are_refused_not_a_crash() -> None:
    # libyaml's composer recurses once per level: 30,000 "[" overflow the C stack (a segfault).
    code = (
        "from barometre.core import yamlfile\n"
        "try:\n"
        "    yamlfile.load('[' * 30000 + ']' * 30000, 'deep.yaml')\n"
        "except yamlfile.YamlError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"deep.yaml:1:{yamlfile.MAX_DEPTH + 1}: YAML invalide : imbrication trop profonde")


def test_nesting_at_the_limit_is_read() -> None:
    n = yamlfile.MAX_DEPTH
    data = yamlfile.load("[" * n + "1" + "]" * n)
    for _ in range(n - 1):
        data = data[0]
    assert data == [1]


def test_deep_block_nesting_is_refused_at_its_line() -> None:
    text = "".join(" " * i + "k:\n" for i in range(yamlfile.MAX_DEPTH + 5))
    with pytest.raises(YamlError, match="imbrication trop profonde") as exc:
        yamlfile.load(text, "block.yaml")
    deepest = yamlfile.MAX_DEPTH + 1  # the first mapping past the limit starts on that line and column
    assert exc.value.location == f"block.yaml:{deepest}:{deepest}"


def test_a_text_over_the_size_limit_is_refused_before_parsing() -> None:
    with pytest.raises(YamlError, match="trop volumineux"):
        yamlfile.load("a: " + "x" * yamlfile.MAX_BYTES, "big.yaml")


def test_a_file_over_the_size_limit_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * yamlfile.MAX_BYTES)
    with pytest.raises(YamlError, match="trop volumineux") as exc:
        yamlfile.load_file(path, "big.yaml")
    assert exc.value.location == "big.yaml:1:1"


def test_aliases_are_refused_with_their_location() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    with pytest.raises(YamlError, match="alias") as exc:
        yamlfile.load(text, "alias.yaml")
    assert exc.value.location == "alias.yaml:2:4"


def test_a_duplicate_key_is_an_error_at_the_second_key() -> None:
    with pytest.raises(YamlError, match="'a' en double") as exc:
        yamlfile.load("a: 1\nb: 2\na: 3\n", "dup.yaml")
    assert exc.value.location == "dup.yaml:3:1"


def test_a_syntax_error_names_file_line_and_column() -> None:
    with pytest.raises(YamlError) as exc:
        yamlfile.load("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    assert exc.value.location is not None
    assert exc.value.location.startswith("bad.yaml:3:")
    assert str(exc.value).startswith("bad.yaml:3:")


def test_a_file_not_in_utf8_is_located_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nb: é\n".encode("latin-1"))
    with pytest.raises(YamlError, match="UTF-8") as exc:
        yamlfile.load_file(path, "latin1.yaml")
    assert exc.value.location == "latin1.yaml:2:1"


def test_loaded_mappings_and_lists_remember_their_lines() -> None:
    data = yamlfile.load("top:\n  - x: 1\n    y: 2\n  - z\n")
    assert yamlfile.line_of(data, "top") == 1
    items = data["top"]
    assert items.line == 2
    assert [m.line for m in items.item_marks] == [2, 4]
    assert yamlfile.line_of(items[0], "y") == 3
    assert items[0].value_marks["y"].column == 8
    assert yamlfile.line_of({"plain": 1}) is None


def test_scalars_read_as_safe_load_reads_them() -> None:
    data = yamlfile.load("a: 2023-01-01\nb: 1.5\nc: yes\nd: null\ne: '07'\n")
    assert [type(v).__name__ for v in data.values()] == ["date", "float", "bool", "NoneType", "str"]


def test_localized_picks_the_language_of_a_pair_and_keeps_plain_texts() -> None:
    pair = {"fr": "Oui", "en": "Yes"}
    assert yamlfile.localized(pair, "en") == "Yes"
    assert yamlfile.localized(pair, "fr") == "Oui"
    assert yamlfile.localized({"fr": "Oui"}, "en") == "Oui"
    assert yamlfile.localized("Métropole de Lyon", "en") == "Métropole de Lyon"
    assert yamlfile.localized({"fr": "a", "other": "b"}, "en") == {"fr": "a", "other": "b"}


def test_dump_then_load_gives_the_data_back() -> None:
    data = {"title": yamlfile.Flow(fr="Titre", en="Title"), "lines": "a\nb\n", "n": [1, 2]}
    text = yamlfile.dump(data)
    assert "{fr: Titre, en: Title}" in text
    assert yamlfile.load(text) == {"title": {"fr": "Titre", "en": "Title"}, "lines": "a\nb\n", "n": [1, 2]}


def test_the_questionnaire_loader_reports_deep_nesting_as_an_issue() -> None:
    issues = check_text("edition: 2025\nsections: " + "[" * 1000 + "]" * 1000 + "\n", "q.yaml")
    assert len(issues) == 1
    # the root mapping is level 1: the bracket past the limit is the MAX_DEPTH-th, after "sections: "
    assert (issues[0].line, issues[0].column) == (2, len("sections: ") + yamlfile.MAX_DEPTH)
    assert "imbrication trop profonde" in issues[0].message


def test_the_indicator_catalogue_reports_deep_nesting_located() -> None:
    with pytest.raises(IndicatorError, match="imbrication trop profonde") as exc:
        load_catalogue_text("indicators: " + "[" * 1000, "cat.yaml")
    assert exc.value.location == f"cat.yaml:1:{len('indicators: ') + yamlfile.MAX_DEPTH}"


def test_the_obligation_tables_report_a_syntax_error_located(tmp_path: Path) -> None:
    path = tmp_path / "obligations.yaml"
    path.write_text("obligations:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DiagnosticError, match="YAML invalide") as exc:
        load_obligations(path)
    assert exc.value.location is not None
    assert exc.value.location.startswith(f"{path}:")
    assert exc.value.location.count(":") >= 2
