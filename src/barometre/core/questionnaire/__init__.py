"""Questionnaires of the barometer: YAML format, expressions, answer validation, XLSForm.

See ``README.md`` in this package for the analysts' manual of the YAML format.
"""

from __future__ import annotations

from barometre.core.questionnaire.loader import available_editions, check_file, load, load_edition, loads
from barometre.core.questionnaire.schema import (
    Choice,
    GridItem,
    Issue,
    QType,
    Question,
    Questionnaire,
    QuestionnaireInvalid,
    Section,
    Text,
)
from barometre.core.questionnaire.validate import (
    AnswerError,
    ValidationResult,
    clean_value,
    coerce_form,
    coerce_form_value,
    form_field_name,
    relevance,
    validate_answers,
    visible_questions,
)

__all__ = [
    "AnswerError",
    "Choice",
    "GridItem",
    "Issue",
    "QType",
    "Question",
    "Questionnaire",
    "QuestionnaireInvalid",
    "Section",
    "Text",
    "ValidationResult",
    "available_editions",
    "check_file",
    "clean_value",
    "coerce_form",
    "coerce_form_value",
    "form_field_name",
    "load",
    "load_edition",
    "loads",
    "relevance",
    "validate_answers",
    "visible_questions",
]
