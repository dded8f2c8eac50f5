"""Hostile inputs to the parsers and importers: one message per problem, exit 1 or 2, no traceback.

The corpus (``benchmarks/fuzz_corpus.py``) holds the cases found by faulting the tools; the
hypothesis tests below generate more. ``make bench`` replays the corpus in separate processes
with a 30 s and 500 MB limit each, and the property tests for longer.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from pathlib import Path

import pytest
from benchmarks.fuzz_corpus import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.core.errors import StatsError
from barometre.core.paths import REFERENCE_DIR
from barometre.core.questionnaire.expressions import ExpressionError, parse
from barometre.core.stats.frame import run_case

runner = CliRunner()
#: Examples per slow property (each runs estimates or opens a workbook); ``make bench`` sets 500.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


@pytest.mark.parametrize(("name", "build"), CORPUS, ids=[name for name, _ in CORPUS])
def test_every_hostile_input_is_refused_in_one_line_per_problem(name: str, build: object, tmp_path: Path) -> None:
    args = build(tmp_path)  # type: ignore[operator]
    result = runner.invoke(app, args)
    assert result.exit_code in (1, 2), (name, result.exit_code, result.output[-500:])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and "Traceback" not in result.output
    assert all(len(line) < 600 for line in lines), lines
    assert str(tmp_path) in result.stderr or "erreur" in result.stderr


# ------------------------------------------------------------------ generated inputs

EXPR_ALPHABET = st.sampled_from([*"()+-*<>=!,.' 0123456789", "${a}", "${b.c}", "if(", "div", "mod", "and", "or"])


@given(st.lists(EXPR_ALPHABET, max_size=60).map("".join))
def test_an_expression_either_parses_or_is_refused_with_its_offset(text: str) -> None:
    try:
        parse(text)
    except ExpressionError as exc:
        assert 0 <= exc.offset <= len(text)


@given(st.integers(min_value=1, max_value=50_000), st.sampled_from(["(", "-", "if(1, "]))
def test_deeply_nested_expressions_are_refused_not_crashed(depth: int, opener: str) -> None:
    text = opener * depth + "1" + (")" if opener != "-" else "") * depth
    try:
        parse(text)
    except ExpressionError as exc:
        assert "trop" in exc.message or "attendu" in exc.message or exc.offset >= 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
CASE_KEYS = ["data", "design", "adjustment", "replicates", "requests"]
REQUEST_KEYS = ["statistic", "variable", "domain", "level", "quantiles", "denominator", "na_rm", "ci_method"]


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(CASE_KEYS), JSON_VALUES), max_size=2),
    st.lists(st.tuples(st.sampled_from(REQUEST_KEYS), JSON_VALUES), max_size=3),
)
def test_a_mutated_case_file_gives_estimates_or_one_stats_error(
    tmp_path_factory: pytest.TempPathFactory,
    case_changes: list[tuple[str, object]],
    request_changes: list[tuple[str, object]],
) -> None:
    folder = tmp_path_factory.mktemp("case")
    case = json.loads((REFERENCE_DIR / "survey" / "apiclus1_cluster.json").read_text(encoding="utf-8"))
    case["data"] = str(REFERENCE_DIR / "survey" / "apiclus1.csv")
    case["requests"] = case["requests"][:1]
    for key, value in case_changes:
        case[key] = value
    if isinstance(case.get("requests"), list) and case["requests"] and isinstance(case["requests"][0], dict):
        for key, value in request_changes:
            case["requests"][0][key] = value
    path = folder / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")  # NaN written as NaN: must be refused
    try:
        with warnings.catch_warnings():
            # Degenerate designs (one cluster, zero weights) warn while computing: not the property here.
            warnings.simplefilter("ignore", RuntimeWarning)
            rows = run_case(path)
    except StatsError as exc:
        assert "\n" not in str(exc)
        return
    for row in rows:
        assert 0 < row["ci_level"] < 1
        if row.get("quantile") is not None:
            assert 0 <= row["quantile"] <= 1 and not math.isnan(row["quantile"])


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.integers(min_value=1, max_value=255)), max_size=6))
def test_a_damaged_workbook_imports_or_is_refused_in_one_message(
    tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[float, int]]
) -> None:
    from benchmarks.fuzz_corpus import _base_xlsx

    from barometre.core.errors import QuestionnaireError
    from barometre.core.questionnaire.xlsform import import_xlsform

    path = tmp_path_factory.mktemp("xlsx") / "form.xlsx"
    _base_xlsx(path)
    data = bytearray(path.read_bytes())
    for where, mask in flips:
        data[int(where * (len(data) - 1))] ^= mask
    path.write_bytes(bytes(data))
    try:
        import_xlsform(path)
    except QuestionnaireError as exc:  # XLSXRejected (unreadable) or XLSFormRefused (content)
        assert str(exc).strip() and "form.xlsx" in str(exc)
