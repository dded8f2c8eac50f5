"""Hostile inputs for every importer and parser, shared by the test suite (in-process, short)
and ``make bench`` (each file in its own process, timed, memory capped).

Each entry is ``(name, build)`` where ``build(folder)`` writes the input and returns the
``barometre`` arguments that read it; every one must end with exit 1 or 2, one message per
problem and no traceback.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from barometre.core.paths import REFERENCE_DIR

Build = Callable[[Path], list[str]]

BASE_CASE = "apiclus1_cluster.json"


def _case(folder: Path, name: str, mutate: Callable[[dict[str, object]], object] | None = None) -> Path:
    shutil.copy(REFERENCE_DIR / "survey" / "apiclus1.csv", folder / "apiclus1.csv")
    case = json.loads((REFERENCE_DIR / "survey" / BASE_CASE).read_text(encoding="utf-8"))
    if mutate is not None:
        mutate(case)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def _stats(name: str, mutate: Callable[[dict[str, object]], object]) -> tuple[str, Build]:
    return name, lambda folder: ["stats", "estimate", str(_case(folder, name, mutate))]


def _raw(name: str, content: bytes) -> tuple[str, Build]:
    def build(folder: Path) -> list[str]:
        path = folder / f"{name}.json"
        path.write_bytes(content)
        return ["stats", "estimate", str(path)]

    return name, build


def _first_request(key: str, value: object) -> Callable[[dict[str, object]], object]:
    def mutate(case: dict[str, object]) -> None:
        requests = case["requests"]
        assert isinstance(requests, list)
        requests[0][key] = value

    return mutate


def _quantile(value: object) -> Callable[[dict[str, object]], object]:
    def mutate(case: dict[str, object]) -> None:
        case["requests"] = [{"statistic": "quantile", "variable": "api00", "quantiles": value, "level": 0.95}]

    return mutate


def _folder_as_data(folder: Path) -> list[str]:
    (folder / "dossier").mkdir(exist_ok=True)
    return ["stats", "estimate", str(_case(folder, "folder_as_data", lambda c: c.update(data="dossier")))]


STATS: list[tuple[str, Build]] = [
    _stats("design_as_string", lambda c: c.update(design="ids=dnum")),
    _stats("requests_as_string", lambda c: c.update(requests="mean api00")),
    _stats("level_text", _first_request("level", "abc")),
    _stats("level_seven", _first_request("level", 7)),
    _stats("level_boolean", _first_request("level", True)),
    _stats("unknown_statistic", _first_request("statistic", "median")),
    _stats("variable_number", _first_request("variable", 12)),
    _stats("missing_column", _first_request("variable", "absente")),
    _stats("quantile_two", _quantile([2.0])),
    _stats("quantile_negative", _quantile([-1])),
    _stats("quantile_text", _quantile("0.5")),
    _stats("adjustment_junk", lambda c: c.update(adjustment={"type": "rake", "margins": 3})),
    _stats("replicates_junk", lambda c: c.update(replicates={"type": ["x"]})),
    ("folder_as_data", _folder_as_data),
    _raw(
        "nan_level",
        b'{"data": "apiclus1.csv", "design": {}, "requests": [{"statistic": "mean", '
        b'"variable": "api00", "level": NaN}]}',
    ),
    _raw(
        "nan_quantile",
        b'{"data": "apiclus1.csv", "design": {}, "requests": [{"statistic": "quantile", '
        b'"variable": "api00", "quantiles": [NaN]}]}',
    ),
    _raw("invalid_utf8", b'{"data": "\xff\xfe.csv", "design": {}}'),
    _raw("deep_json", b"[" * 100_000 + b"]" * 100_000),
    _raw("not_json", b"data: apiclus1.csv\n"),
    _raw("empty", b""),
]


QUESTIONNAIRE = """edition: 2026
version: '2026.fuzz'
title: {{fr: Fuzz, en: Fuzz}}
sections:
  - id: s
    title: {{fr: S, en: S}}
    questions:
      - id: a
        type: integer
        label: {{fr: A, en: A}}
      - id: b
        type: integer
        label: {{fr: B, en: B}}
        relevant: "{expression}"
"""


def _expression(name: str, expression: str) -> tuple[str, Build]:
    def build(folder: Path) -> list[str]:
        path = folder / f"{name}.yaml"
        path.write_text(QUESTIONNAIRE.format(expression=expression), encoding="utf-8")
        return ["questionnaire", "validate", str(path)]

    return name, build


EXPRESSIONS: list[tuple[str, Build]] = [
    _expression("nested_parentheses", "(" * 5000 + "${a}" + ")" * 5000 + " > 1"),
    _expression("many_terms", " + ".join(["${a}"] * 200_000) + " > 1"),
    _expression("many_signs", "-" * 5000 + "${a} > 1"),
    _expression("nested_calls", "if(" * 3000 + "1" + ", 1, 1)" * 3000 + " > 0"),
    _expression("chain_over_depth", " + ".join(["${a}"] * 300) + " > 1"),
]


# ------------------------------------------------------------------ XLSForm workbooks

SHEET = "xl/worksheets/sheet1.xml"
_CELL_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
)
_CELL_TAIL = b"</t></is></c></row></sheetData></worksheet>"


def _base_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    ws.append(["type", "name", "label::Français (fr)"])
    ws.append(["text", "commentaire", "Un commentaire"])
    wb.save(path)


def _rewrite(folder: Path, name: str, replace: Callable[[zipfile.ZipFile, zipfile.ZipFile, str], bool]) -> Path:
    base = folder / "base.xlsx"
    _base_xlsx(base)
    out = folder / f"{name}.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.namelist():
            if not replace(src, dst, member):
                dst.writestr(member, src.read(member))
    return out


def _big_cell(chars: int) -> Callable[[zipfile.ZipFile, zipfile.ZipFile, str], bool]:
    def replace(_src: zipfile.ZipFile, dst: zipfile.ZipFile, member: str) -> bool:
        if member != SHEET:
            return False
        with dst.open(member, "w", force_zip64=True) as fh:
            fh.write(_CELL_HEAD)
            block = b"A" * (1 << 20)
            left = chars
            while left > 0:
                fh.write(block[: min(left, len(block))])
                left -= len(block)
            fh.write(_CELL_TAIL)
        return True

    return replace


def _member(content: bytes, target: str = SHEET) -> Callable[[zipfile.ZipFile, zipfile.ZipFile, str], bool]:
    def replace(_src: zipfile.ZipFile, dst: zipfile.ZipFile, member: str) -> bool:
        if member != target:
            return False
        dst.writestr(member, content)
        return True

    return replace


def _xlsx(name: str, make: Callable[[Path], Path]) -> tuple[str, Build]:
    return name, lambda folder: ["questionnaire", "import", str(make(folder)), "--out", str(folder / "out.yaml")]


def _flipped(folder: Path) -> Path:
    path = _rewrite(folder, "flipped", _member(b"<worksheet>" + b"<row/>" * 20_000 + b"</worksheet>"))
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size, 200)):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def _not_zip(folder: Path) -> Path:
    path = folder / "not_zip.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return path


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)

XLSX: list[tuple[str, Build]] = [
    _xlsx("corrupted_sheet_xml", lambda f: _rewrite(f, "corrupted_sheet_xml", _member(b"<worksheet><sheetData><row"))),
    _xlsx("corrupted_deflate", _flipped),
    _xlsx("not_a_zip", _not_zip),
    _xlsx("cell_of_1_mb", lambda f: _rewrite(f, "cell_of_1_mb", _big_cell(1 << 20))),
    _xlsx("cell_of_60_mb", lambda f: _rewrite(f, "cell_of_60_mb", _big_cell(60 << 20))),
    _xlsx("entity_expansion", lambda f: _rewrite(f, "entity_expansion", _member(BOMB))),
]
#: Inputs too slow to build for the suite, replayed by ``make bench`` only.
HEAVY: list[tuple[str, Build]] = [
    _xlsx("cell_of_1_gib", lambda f: _rewrite(f, "cell_of_1_gib", _big_cell(1 << 30))),
]

CORPUS = STATS + EXPRESSIONS + XLSX
