"""The estimated time of a questionnaire grows with its questions and is announced in whole steps."""

from __future__ import annotations

from barometre.core.paths import QUESTIONNAIRES_DIR
from barometre.core.questionnaire import load_edition, loads
from barometre.core.questionnaire.effort import MINIMUM, STEP, estimated_minutes, estimated_seconds

SMALL = """
edition: 2030
version: '1'
title: {fr: T, en: T}
sections:
  - id: s
    title: {fr: S, en: S}
    questions:
QUESTIONS
"""


def _qn(n: int, kind: str = "long_text") -> object:
    lines = "".join(f"      - {{id: q{i}, type: {kind}, label: {{fr: Q{i}, en: Q{i}}}}}\n" for i in range(n))
    return loads(SMALL.replace("QUESTIONS\n", lines))


def test_minutes_round_up_to_the_step_and_never_below_the_minimum() -> None:
    assert estimated_minutes(_qn(1)) == MINIMUM  # type: ignore[arg-type]
    twelve = _qn(12)  # 12 long answers of 60 s: 12 minutes, announced as 15
    assert estimated_seconds(twelve) == 12 * 60  # type: ignore[arg-type]
    assert estimated_minutes(twelve) == 15  # type: ignore[arg-type]
    assert estimated_minutes(_qn(30)) % STEP == 0  # type: ignore[arg-type]


def test_a_longer_questionnaire_takes_longer() -> None:
    short, long = load_edition(2023, QUESTIONNAIRES_DIR), load_edition(2026, QUESTIONNAIRES_DIR)
    assert estimated_seconds(long) > estimated_seconds(short)
    assert estimated_minutes(long) >= estimated_minutes(short)
    assert 10 <= estimated_minutes(long) <= 60
