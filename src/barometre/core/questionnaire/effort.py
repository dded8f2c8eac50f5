"""How long a questionnaire takes to answer: an estimate in minutes, computed from its questions.

One pure function shared by the portal's landing page and the console's e-mails. Each question
counts the seconds a respondent typically needs for its type (reading the label, choosing or
typing); skip logic is ignored (every question counted: an upper estimate), calculated fields
count nothing. The total is rounded up to the next ``STEP`` minutes, never below ``MINIMUM``.
"""

from __future__ import annotations

import math

from barometre.core.questionnaire.schema import QType, Question, Questionnaire

#: Seconds to answer one question of each type (a grid counts per row, a repeat per field of one entry).
SECONDS: dict[QType, int] = {
    QType.YES_NO: 10,
    QType.SELECT_ONE: 15,
    QType.SCALE: 15,
    QType.SELECT_MULTIPLE: 25,
    QType.INTEGER: 20,
    QType.DECIMAL: 20,
    QType.MONEY: 25,
    QType.PERCENTAGE: 20,
    QType.DATE: 15,
    QType.TEXT: 30,
    QType.LONG_TEXT: 60,
    QType.CALCULATE: 0,
}
#: Seconds per row of a grid.
GRID_ROW_SECONDS = 10
#: Minutes are rounded up to a multiple of this.
STEP = 5
#: Shortest estimate announced.
MINIMUM = 5


def question_seconds(q: Question) -> int:
    if q.type is QType.GRID:
        return GRID_ROW_SECONDS * max(1, len(q.items))
    if q.type is QType.REPEAT:
        return sum(question_seconds(f) for f in q.fields)
    return SECONDS.get(q.type, 20)


def estimated_seconds(qn: Questionnaire) -> int:
    return sum(question_seconds(q) for s in qn.sections for q in s.questions)


def estimated_minutes(qn: Questionnaire) -> int:
    """Minutes announced to respondents: the seconds of every question, rounded up to ``STEP``."""
    minutes = estimated_seconds(qn) / 60
    return max(MINIMUM, math.ceil(minutes / STEP) * STEP)
