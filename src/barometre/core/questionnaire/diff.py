"""Compare two editions: added, removed, reworded and remapped questions."""

from __future__ import annotations

from dataclasses import dataclass, field

from barometre.core.questionnaire.expressions import to_source
from barometre.core.questionnaire.schema import Question, Questionnaire

__all__ = ["EditionDiff", "QuestionChange", "diff"]


@dataclass(frozen=True, slots=True)
class QuestionChange:
    """One question present in both editions (maybe under another id)."""

    old_id: str
    new_id: str
    #: What differs: wording, choices, filter, type, unit, bounds, required.
    detected: tuple[str, ...]
    #: What the new edition declares in ``changes``.
    declared: tuple[str, ...]

    @property
    def remapped(self) -> bool:
        return self.old_id != self.new_id

    @property
    def undeclared(self) -> tuple[str, ...]:
        """Detected changes that ``changes`` does not mention (a break in the series nobody flagged)."""
        return tuple(k for k in self.detected if k not in self.declared)

    @property
    def breaks_series(self) -> bool:
        """Whether reports should flag a possible break in the series."""
        return bool(self.detected or self.declared)


@dataclass(slots=True)
class EditionDiff:
    old: int
    new: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[QuestionChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def reworded(self) -> list[QuestionChange]:
        return [c for c in self.changed if "wording" in c.detected]

    @property
    def remapped(self) -> list[QuestionChange]:
        return [c for c in self.changed if c.remapped]

    def as_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "added": self.added,
            "removed": self.removed,
            "changed": [
                {
                    "old_id": c.old_id,
                    "new_id": c.new_id,
                    "remapped": c.remapped,
                    "detected": list(c.detected),
                    "declared": list(c.declared),
                    "undeclared": list(c.undeclared),
                }
                for c in self.changed
            ],
            "unchanged": self.unchanged,
        }


def _expr(q: Question) -> str:
    return to_source(q.relevant) if q.relevant is not None else ""


def _detect(a: Question, b: Question) -> tuple[str, ...]:
    kinds: list[str] = []
    if a.label != b.label or a.help != b.help:
        kinds.append("wording")
    if a.choices != b.choices or a.items != b.items:
        kinds.append("choices")
    if _expr(a) != _expr(b):
        kinds.append("filter")
    if a.type is not b.type:
        kinds.append("type")
    if a.unit != b.unit:
        kinds.append("unit")
    if (a.min, a.max) != (b.min, b.max):
        kinds.append("bounds")
    if a.required != b.required:
        kinds.append("required")
    return tuple(kinds)


def diff(old: Questionnaire, new: Questionnaire) -> EditionDiff:
    """What changed from ``old`` to ``new`` (matching by id, or by ``same_as`` in ``new``)."""
    result = EditionDiff(old.edition, new.edition)
    matched_old: set[str] = set()
    for q in new.questions:
        previous = old.get(q.id)
        if previous is None and q.same_as:
            previous = old.get(q.same_as)
        if previous is None:
            result.added.append(q.id)
            continue
        matched_old.add(previous.id)
        detected = _detect(previous, q)
        if detected or previous.id != q.id:
            result.changed.append(QuestionChange(previous.id, q.id, detected, q.changes))
        else:
            result.unchanged.append(q.id)
    result.removed = [q.id for q in old.questions if q.id not in matched_old]
    return result
