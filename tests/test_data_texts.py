"""Every bilingual text of the data files is complete in both languages: no pair missing a language,
none cut by YAML (``{en: Spend at least €2,000}`` in a flow mapping loses everything after the comma),
the same numbers in French and English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barometre.core.paths import DATA_DIR, QUESTIONNAIRES_DIR
from barometre.core.yamlfile import load_file

FILES = sorted([*DATA_DIR.glob("*.yaml"), *QUESTIONNAIRES_DIR.glob("*.yaml")])
_NUMBER = re.compile(r"\d[\d\s\u202f\u00a0.,]*\d|\d")


def _pairs(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "fr" in node or "en" in node:
            yield path, node
            return
        for key, value in node.items():
            yield from _pairs(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _pairs(value, f"{path}[{i}]")


def _numbers(text: str) -> set[int]:
    """Numbers of 10 or more, whatever the grouping ("2 000", "2,000", "2\u202f000" → 2000; decimals
    dropped); small ones are left out, as languages write them differently ("1re", "first", "24/7")."""
    out = []
    for raw in _NUMBER.findall(text):
        digits = re.sub(r"[\s\u202f\u00a0]", "", raw)
        digits = re.sub(r"[.,](\d{3})(?=\D|$)", r"\1", digits)  # thousands separators
        digits = re.split(r"[.,]", digits)[0]
        if digits.isdigit() and int(digits) >= 10:
            out.append(int(digits))
    return set(out)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_bilingual_text_has_both_languages_whole(path: Path) -> None:
    problems = []
    for where, pair in _pairs(load_file(path)):
        cut = [k for k, v in pair.items() if k not in ("fr", "en") and v is None]
        if cut:
            problems.append(f"{where}: keys without value {sorted(map(str, cut))} (a comma cut the text?)")
            continue
        fr, en = pair.get("fr"), pair.get("en")
        if not isinstance(fr, str) or not fr.strip() or not isinstance(en, str) or not en.strip():
            problems.append(f"{where}: missing or empty language")
            continue
        if _numbers(fr) != _numbers(en):  # "24 h/24, 7 j/7" and "24/7", "1re" and "first" agree
            problems.append(f"{where}: numbers differ: {fr!r} / {en!r}")
    assert problems == [], f"{path.name}: " + "; ".join(problems)


def test_the_checker_sees_a_text_cut_at_a_comma() -> None:
    cut = {"fr": "Consacrer au moins 2 000 € par an", "en": "Spend at least €2", "000 a year": None}
    assert [w for w, _ in _pairs({"a": cut})] == [".a"]
    assert _numbers("2 000 €") == _numbers("€2,000") == {2000}
    assert _numbers("€2") != _numbers("2 000 €")
