"""The in-memory model of one questionnaire edition (built by :mod:`.loader`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from barometre.core.errors import QuestionnaireError
from barometre.core.questionnaire.expressions import Expression, ExprType
from barometre.core.wording import pick

__all__ = [
    "CHANGE_KINDS",
    "UNITS",
    "Choice",
    "GridItem",
    "Issue",
    "QType",
    "Question",
    "Questionnaire",
    "QuestionnaireInvalid",
    "Section",
    "Text",
]


class QType(enum.StrEnum):
    """Question types. The value is the ``type:`` written in the YAML file."""

    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    PERCENTAGE = "percentage"
    SCALE = "scale"
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    GRID = "grid"
    CALCULATE = "calculate"
    #: A repeatable group of simple fields (one entry per project…): the answer is a list of mappings.
    REPEAT = "repeat"

    @property
    def has_choices(self) -> bool:
        return self in (QType.SELECT_ONE, QType.SELECT_MULTIPLE, QType.YES_NO, QType.GRID)

    @property
    def is_numeric(self) -> bool:
        return self in (QType.INTEGER, QType.DECIMAL, QType.MONEY, QType.PERCENTAGE, QType.SCALE)

    @property
    def expr_type(self) -> ExprType:
        if self.is_numeric or self is QType.CALCULATE:
            return ExprType.NUMBER
        if self is QType.SELECT_MULTIPLE:
            return ExprType.MULTI
        if self is QType.DATE:
            return ExprType.DATE
        if self is QType.GRID:
            return ExprType.GRID
        return ExprType.STRING


#: What may have changed since the earlier edition (``changes:``).
CHANGE_KINDS = ("wording", "choices", "filter", "type", "unit", "bounds", "required")
#: Units of numeric questions.
UNITS = ("euros", "agents", "percent", "inhabitants", "hours", "days", "months", "years", "count")

#: Types a field of a ``repeat`` group may have.
REPEAT_FIELD_TYPES = ("text", "long_text", "select_one", "select_multiple", "yes_no", "integer")
#: Entries of a repeat group when ``max_repeat`` is not given.
DEFAULT_MAX_REPEAT = 10

#: The fixed choices of a ``yes_no`` question.
YES_NO_CODES = ("oui", "non", "nsp")
#: Survey kinds: the authorities' barometer, or the poll of French adults.
SURVEY_KINDS = ("authorities", "people")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in French and English."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        return pick(lang, self.fr, self.en)


@dataclass(frozen=True, slots=True)
class Issue:
    """One located problem of a questionnaire file."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class QuestionnaireInvalid(QuestionnaireError):
    """A questionnaire file has one or more problems, each in :attr:`issues`."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = issues[0]
        more = f" (et {len(issues) - 1} autre(s) erreur(s))" if len(issues) > 1 else ""
        super().__init__(first.message + more, location=f"{first.file}:{first.line}:{first.column}")


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label: Text
    #: Excludes every other choice of a multiple choice ("je ne sais pas", "non concerné").
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class GridItem:
    id: str
    label: Text


@dataclass(slots=True)
class Question:
    id: str
    type: QType
    label: Text
    section: str
    index: int  # position in the whole questionnaire (0-based)
    help: Text | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    #: Name of the shared list in ``choice_lists`` (None: choices written inline).
    choice_list: str | None = None
    items: tuple[GridItem, ...] = ()
    #: ``repeat`` only: the fields of one entry, and how many entries at most.
    fields: tuple[Question, ...] = ()
    max_repeat: int | None = None
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text | None = None
    calculation: Expression | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    max_length: int | None = None
    same_as: str | None = None
    changes: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    #: Languages whose texts were copied from the other language (import of a single-language form).
    untranslated: tuple[str, ...] = ()
    line: int = 0
    column: int = 0

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)

    @property
    def exclusive_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.choices if c.exclusive)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def choice(self, code: str) -> Choice | None:
        for c in self.choices:
            if c.code == code:
                return c
        return None


@dataclass(slots=True)
class Section:
    id: str
    title: Text
    description: Text | None = None
    relevant: Expression | None = None
    questions: list[Question] = field(default_factory=list)
    line: int = 0
    column: int = 0


@dataclass(slots=True)
class Questionnaire:
    edition: int
    title: Text
    version: str
    opens: date | None
    closes: date | None
    sections: list[Section]
    choice_lists: dict[str, tuple[Choice, ...]] = field(default_factory=dict)
    source: str = "<questionnaire>"
    #: Who answers: ``authorities`` (the barometer) or ``people`` (the citizens' poll).
    kind: str = "authorities"
    #: Question ids in an order where every question comes after what its
    #: relevance and calculation depend on (computed by the loader).
    eval_order: tuple[str, ...] = ()
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False)
    _section_of: dict[str, Section] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._by_id = {}
        self._section_of = {}
        for s in self.sections:
            for q in s.questions:
                self._by_id[q.id] = q
                self._section_of[q.id] = s

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, qid: str) -> Question:
        try:
            return self._by_id[qid]
        except KeyError:
            raise QuestionnaireError(f"question inconnue : {qid!r} (édition {self.edition})") from None

    def get(self, qid: str) -> Question | None:
        return self._by_id.get(qid)

    def section(self, sid: str) -> Section:
        for s in self.sections:
            if s.id == sid:
                return s
        raise QuestionnaireError(f"section inconnue : {sid!r} (édition {self.edition})")

    def section_of(self, qid: str) -> Section:
        return self._section_of[qid]

    def __contains__(self, qid: object) -> bool:
        return qid in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)
