"""Hostile inputs for every importer and parser, shared by the test suite (in-process, short)
and ``make bench`` (each file in its own process, timed, memory capped).

Each entry is ``(name, build)`` where ``build(folder)`` writes the input and returns the
``barometre`` arguments that read it; every one must end with exit 1 or 2, one message per
problem and no traceback.
"""

from __future__ import annotations

import json
import shutil
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

CORPUS: list[tuple[str, Build]] = STATS + EXPRESSIONS
