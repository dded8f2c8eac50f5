"""Checks that data files name questions, grid rows and choice codes that exist in a questionnaire."""

from __future__ import annotations

from collections.abc import Iterable

from barometre.core.errors import DiagnosticError
from barometre.core.questionnaire import QType, Question, Questionnaire


def check_reference(
    qn: Questionnaire,
    question_id: str,
    *,
    item: str | None,
    codes: Iterable[str],
    where: str,
    types: Iterable[QType] | None = None,
) -> Question:
    """The question named ``question_id``; unknown question, row or code → :class:`DiagnosticError` at ``where``."""
    q = qn.get(question_id)
    if q is None:
        raise DiagnosticError(f"question « {question_id} » absente du questionnaire {qn.edition}", location=where)
    allowed_types = tuple(types) if types is not None else None
    if allowed_types is not None and q.type not in allowed_types:
        expected = ", ".join(t.value for t in allowed_types)
        raise DiagnosticError(
            f"question « {question_id} » de type {q.type.value} (attendu : {expected})", location=where
        )
    if item is not None:
        if q.type is not QType.GRID:
            raise DiagnosticError(f"« {question_id} » n'est pas une grille : pas de ligne « {item} »", location=where)
        if item not in q.item_ids:
            raise DiagnosticError(
                f"ligne « {item} » absente de la grille « {question_id} » ({', '.join(q.item_ids)})", location=where
            )
    bad = [c for c in codes if c not in q.codes]
    if bad:
        raise DiagnosticError(
            f"« {question_id} » : code(s) {', '.join(bad)} absent(s) du questionnaire {qn.edition} "
            f"(codes : {', '.join(q.codes)})",
            location=where,
        )
    return q
