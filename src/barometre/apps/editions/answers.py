"""The answers the statistics read, as plain Python data (the statistics never query the database).

:func:`edition_answer_arrays` is the adapter between the database and the weighting and
indicator cores: ``barometre.core.weighting.units.build_edition_arrays(answers=...)``
takes exactly its result.
"""

from __future__ import annotations

from collections.abc import Mapping

from barometre.apps.editions.models import Answer, Edition, ResponseStatus
from barometre.core.questionnaire import Questionnaire, validate_answers

#: Responses the statistics use: submitted or validated (started ones are work in progress).
STATISTICS_STATUSES = (ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED)


def edition_answer_arrays(edition: Edition) -> dict[str, dict[str, object]]:
    """Authority code → {question id → value} for every submitted or validated response.

    A response without any answer is still present (an empty mapping): it responded.
    """
    from barometre.apps.editions.models import Response

    out: dict[str, dict[str, object]] = {
        code: {}
        for code in Response.objects.filter(edition=edition, status__in=STATISTICS_STATUSES)
        .order_by("authority__code")
        .values_list("authority__code", flat=True)
    }
    rows = (
        Answer.objects.filter(response__edition=edition, response__status__in=STATISTICS_STATUSES)
        .order_by("response__authority__code", "question_id")
        .values_list("response__authority__code", "question_id", "value")
    )
    for code, qid, value in rows.iterator(chunk_size=5000):
        out[code][qid] = value
    return out


def cleaned(questionnaire: Questionnaire, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers the statistics and the diagnostic read: validated by the questionnaire's one
    validator, answers to questions that are not shown dropped (``required`` is not enforced)."""
    return dict(validate_answers(questionnaire, answers, partial=True).cleaned)
