"""Benchmark of the questionnaire core: load + validate a synthetic 300-question file,
and validate one full answer set. Target: each well under 50 ms."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from barometre.core.questionnaire import loads, validate_answers

N_QUESTIONS = 300


def synthetic_yaml(n: int = N_QUESTIONS) -> str:
    """A questionnaire of ``n`` questions cycling through the types, with skip logic and constraints."""
    lines = [
        "edition: 2025",
        'version: "bench"',
        "title: {fr: Banc d'essai, en: Benchmark}",
        "choice_lists:",
        "  etat:",
        "    - {code: oui, label: {fr: Oui, en: 'Yes'}}",
        "    - {code: non, label: {fr: Non, en: 'No'}}",
        "    - {code: nsp, label: {fr: NSP, en: DK}, exclusive: true}",
        "sections:",
    ]
    per_section = 30
    for i in range(n):
        if i % per_section == 0:
            lines += [f"  - id: s{i // per_section}", "    title: {fr: Section, en: Section}", "    questions:"]
        kind = i % 6
        lines += [f"      - id: q{i}", f"        label: {{fr: Question {i}, en: Question {i}}}"]
        if kind == 0:
            lines += ["        type: integer", "        required: true", "        min: 0", "        max: 100000"]
        elif kind == 1:
            lines += ["        type: select_one", "        choices: etat", f"        relevant: ${{q{i - 1}}} > 10"]
        elif kind == 2:
            lines += [
                "        type: select_multiple",
                "        choices: etat",
                f"        relevant: ${{q{i - 1}}} = 'oui' or ${{q{i - 2}}} > 50",
                "        constraint: count-selected(.) <= 2",
            ]
        elif kind == 3:
            lines += ["        type: money", f"        constraint: . <= ${{q{i - 3}}} * 1000"]
        elif kind == 4:
            lines += [
                "        type: grid",
                "        choices: etat",
                "        items:",
                "          - {id: a, label: {fr: A, en: A}}",
                "          - {id: b, label: {fr: B, en: B}}",
            ]
        else:
            lines += ["        type: text", "        max_length: 200", f"        relevant: ${{q{i - 1}.a}} = 'oui'"]
    return "\n".join(lines) + "\n"


def synthetic_answers(n: int = N_QUESTIONS, seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    answers: dict[str, object] = {}
    for i in range(n):
        kind = i % 6
        if kind == 0:
            answers[f"q{i}"] = rng.randint(0, 100)
        elif kind == 1:
            answers[f"q{i}"] = rng.choice(["oui", "non"])
        elif kind == 2:
            answers[f"q{i}"] = ["oui", "non"]
        elif kind == 3:
            answers[f"q{i}"] = rng.uniform(0, 5000)
        elif kind == 4:
            answers[f"q{i}"] = {"a": "oui", "b": "non"}
        else:
            answers[f"q{i}"] = "réponse libre"
    return answers


def _best_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def run(with_r: bool = False) -> None:  # with_r: unused (no R counterpart)
    text = synthetic_yaml()
    qn = loads(text, "synthetic.yaml")
    answers = synthetic_answers()
    load_ms = _best_ms(lambda: loads(text, "synthetic.yaml"))
    validate_ms = _best_ms(lambda: validate_answers(qn, answers))
    print(f"questionnaire: load+validate schema of {len(qn)} questions: {load_ms:.1f} ms (target < 50 ms)")
    print(
        f"questionnaire: validate one answer set ({len(answers)} answers, {len(qn)} questions): "
        f"{validate_ms:.1f} ms (target < 50 ms)"
    )


if __name__ == "__main__":
    run()
