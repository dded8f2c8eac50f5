"""Flat export of an edition's answers and the reconciliation check.

One export row per stored answer of a submitted or validated response. The check
proves that the answers stored, the answers exported (written to CSV and read back)
and the answers the statistics read (:func:`edition_answer_arrays`) are the same set,
count for count.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from barometre.apps.editions.answers import STATISTICS_STATUSES, edition_answer_arrays
from barometre.apps.editions.models import Answer, Edition, ResponseStatus
from barometre.apps.editions.sources import questionnaire_for
from barometre.apps.portal.services import reopened_responses
from barometre.core.questionnaire import QType, Question
from barometre.core.text import neutralise_formula, restore_formula

EXPORT_COLUMNS = ("edition", "authority", "status", "question", "value", "updated_at")


def export_rows(edition: Edition) -> Iterator[dict[str, Any]]:
    """Rows of the flat export (values in their JSON representation)."""
    rows = (
        Answer.objects.filter(response__edition=edition, response__status__in=STATISTICS_STATUSES)
        .order_by("response__authority__code", "question_id")
        .values_list("response__authority__code", "response__status", "question_id", "value", "updated_at")
    )
    for code, status, qid, value, updated_at in rows.iterator(chunk_size=5000):
        yield {
            "edition": edition.year,
            "authority": code,
            "status": status,
            "question": qid,
            "value": value,
            "updated_at": updated_at.isoformat(),
        }


def csv_value(value: object) -> str:
    """A value in a CSV cell: text as is (never a formula: ``=…`` is written ``'=…``), numbers as
    numbers, lists and grids as JSON."""
    if isinstance(value, str):
        return neutralise_formula(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_csv(rows: Iterator[dict[str, Any]], out: io.TextIOBase | Any) -> int:
    # CRLF rows (RFC 4180): a lone CR in a text answer is quoted too, never a broken row.
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for r in rows:
        writer.writerow({**r, "value": csv_value(r["value"])})
        n += 1
    return n


#: Question types whose answers are text in the CSV (everything else is JSON).
TEXT_TYPES = frozenset({QType.SELECT_ONE, QType.YES_NO, QType.TEXT, QType.LONG_TEXT, QType.DATE})


def read_csv_value(text: str, q: Question | None) -> object:
    """Inverse of :func:`csv_value`, by question type."""
    if q is not None and q.type in TEXT_TYPES:
        return restore_formula(text)
    try:
        return json.loads(text)
    except ValueError:
        return restore_formula(text)


def _key(code: str, qid: str, value: object) -> tuple[str, str, str]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return code, qid, json.dumps(value, ensure_ascii=False, sort_keys=True)


def reconcile(edition: Edition) -> dict[str, Any]:
    """Compare stored, exported and statistics answers; ``identical`` says whether they agree."""
    stored = Counter(
        _key(code, qid, value)
        for code, qid, value in Answer.objects.filter(
            response__edition=edition, response__status__in=STATISTICS_STATUSES
        ).values_list("response__authority__code", "question_id", "value")
    )
    buffer = io.StringIO()
    write_csv(export_rows(edition), buffer)
    buffer.seek(0)
    qn = questionnaire_for(edition)
    exported = Counter(
        _key(r["authority"], r["question"], read_csv_value(r["value"], qn.get(r["question"])))
        for r in csv.DictReader(buffer)
    )
    arrays = edition_answer_arrays(edition)
    statistics = Counter(_key(code, qid, value) for code, answers in arrays.items() for qid, value in answers.items())
    in_progress = Answer.objects.filter(
        response__edition=edition, response__status__in=[ResponseStatus.INVITED, ResponseStatus.STARTED]
    ).count()

    def sample(diff: Counter[tuple[str, str, str]]) -> list[str]:
        return [f"{c} {q} = {v}" for (c, q, v) in sorted(diff)[:10]]

    return {
        "edition": edition.year,
        "responses": len(arrays),
        "saved": sum(stored.values()),
        "exported": sum(exported.values()),
        "statistics": sum(statistics.values()),
        "identical": stored == exported == statistics,
        "missing_from_export": sample(stored - exported),
        "extra_in_export": sample(exported - stored),
        "missing_from_statistics": sample(stored - statistics),
        "extra_in_statistics": sample(statistics - stored),
        "answers_of_unsubmitted_responses": in_progress,
        # Reopened and not sent again: out of the export and the statistics until then.
        "reopened": [{**r, "reopened_at": r["reopened_at"].isoformat()} for r in reopened_responses(edition)],
    }
