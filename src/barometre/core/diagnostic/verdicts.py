"""What the obligations engine decides, in codes and parameters: no sentence is written here.

:mod:`barometre.core.diagnostic.obligations` evaluates the decision tables into these values;
:mod:`barometre.core.wording.obligations` words them in French or English.

- :class:`Text`: a text of the table (title, reason, category, question…) in both languages;
- evidence: the facts a certain verdict rests on (:class:`PopulationEvidence`, :class:`AgentsEvidence`…);
- doubts: why a condition is unknown (:class:`PopulationUnknown`, :class:`BasisStraddles`…);
- :class:`Question`: what would settle a doubt, by code (``agents``, ``uses_ai``, ``population``, ``adoption``…);
- reasons: why the verdict is what it is (:class:`RowReason`, the table's own reason with its evidence;
  :class:`CategoryUnknown`, :class:`ToBeDetermined`, :class:`BillInScope`, :class:`BillOther`,
  :class:`NotYetInForce`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from barometre.core.wording import pick

Basis = Literal["totale", "municipale"]
#: Whose population a condition counts: the authority's, or its largest member commune's.
PopulationKey = Literal["population", "max_member_population"]
Op = Literal["gt", "gte", "lt", "lte"]
AiKey = Literal["uses_ai", "uses_high_risk_ai"]


@dataclass(frozen=True, slots=True)
class Text:
    """A text of the decision tables in French and English (the same text twice when not translated)."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        return pick(lang, self.fr, self.en)


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True, slots=True)
class PopulationEvidence:
    """One INSEE population: the one the rule counts, or one of both when the source names neither."""

    basis: Basis
    value: int


@dataclass(frozen=True, slots=True)
class OtherPopulationUnknown:
    """The population ``basis`` is known (``value``), the other one is not."""

    basis: Basis
    value: int


@dataclass(frozen=True, slots=True)
class PopulationFigures:
    """The INSEE populations known (at least one), when the source does not say which one counts."""

    municipale: int | None
    totale: int | None


@dataclass(frozen=True, slots=True)
class AgentsEvidence:
    """The number of agents (full-time equivalents)."""

    value: float


Evidence = PopulationEvidence | OtherPopulationUnknown | PopulationFigures | AgentsEvidence

# --------------------------------------------------------------------------- doubts


@dataclass(frozen=True, slots=True)
class PopulationUnknown:
    """Neither INSEE population is known; the threshold is ``op threshold`` in population ``basis``."""

    key: PopulationKey
    basis: Basis
    op: Op
    threshold: float


@dataclass(frozen=True, slots=True)
class BasisStraddles:
    """Only the other population is known (``known``) and the one the rule counts (``basis``), at most
    ``margin`` above the municipale, may lie on either side of the threshold; ``missing`` would settle it."""

    known: OtherPopulationUnknown | PopulationFigures
    key: PopulationKey
    basis: Basis
    missing: Basis
    op: Op
    threshold: float
    margin: float


@dataclass(frozen=True, slots=True)
class BasisUnstated:
    """Both populations are known and lie on either side of the threshold, and the source does not say
    which one the rule counts (``basis`` by default)."""

    known: PopulationFigures
    basis: Basis
    op: Op
    threshold: float


@dataclass(frozen=True, slots=True)
class AgentsUnknown:
    """The number of agents is not given; the rule has a threshold of ``threshold`` agents."""

    threshold: float


@dataclass(frozen=True, slots=True)
class AiUseUnknown:
    """Whether the authority uses AI (``uses_ai``) or high-risk AI (``uses_high_risk_ai``) is unknown."""

    key: AiKey


Doubt = PopulationUnknown | BasisStraddles | BasisUnstated | AgentsUnknown | AiUseUnknown

# --------------------------------------------------------------------------- questions

QuestionCode = Literal["agents", "uses_ai", "uses_high_risk_ai", "population", "population_basis", "adoption", "table"]


@dataclass(frozen=True, slots=True)
class Question:
    """What would settle a doubt.

    ``agents``, ``uses_ai``, ``uses_high_risk_ai``: the answer to that condition; ``population``: the
    population ``basis`` (INSEE) of ``key``'s authority; ``population_basis``: which population the text
    counts; ``adoption``: whether a bill has been adopted; ``table``: the question of a row of the table
    (``text``).
    """

    code: QuestionCode
    key: PopulationKey | None = None
    basis: Basis | None = None
    text: Text | None = None


# --------------------------------------------------------------------------- reasons


@dataclass(frozen=True, slots=True)
class RowReason:
    """The reason a row of the table gives, with the facts its conditions rested on."""

    text: Text
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class CategoryUnknown:
    """Same status in every case, but the category (e.g. NIS2 essential / important) depends on ``doubts``;
    ``cases``: (reason, category) of every row that may apply."""

    cases: tuple[tuple[Text, Text | None], ...]
    doubts: tuple[Doubt, ...]


@dataclass(frozen=True, slots=True)
class ToBeDetermined:
    """Rows of different statuses may apply: ``doubts`` decide; ``applies_if``: the reason of the first one
    that would make the obligation apply, if any."""

    doubts: tuple[Doubt, ...]
    applies_if: Text | None


@dataclass(frozen=True, slots=True)
class BillInScope:
    """The authority is within the scope of a bill (``legal_status``): ``then`` says why, ``category``
    (the alternatives, empty when none) what it would be."""

    category: tuple[Text, ...]
    then: Reason
    legal_status: Text


@dataclass(frozen=True, slots=True)
class BillOther:
    """A verdict ``depends`` (``then``) under a bill (``legal_status``)."""

    then: Reason
    legal_status: Text


@dataclass(frozen=True, slots=True)
class NotYetInForce:
    """The rule is in force from ``since``; ``then``: the reason of its verdict from that day."""

    since: date
    then: Reason


Reason = RowReason | CategoryUnknown | ToBeDetermined | BillInScope | BillOther | NotYetInForce

__all__ = [
    "AgentsEvidence",
    "AgentsUnknown",
    "AiKey",
    "AiUseUnknown",
    "Basis",
    "BasisStraddles",
    "BasisUnstated",
    "BillInScope",
    "BillOther",
    "CategoryUnknown",
    "Doubt",
    "Evidence",
    "NotYetInForce",
    "Op",
    "OtherPopulationUnknown",
    "PopulationEvidence",
    "PopulationFigures",
    "PopulationKey",
    "PopulationUnknown",
    "Question",
    "QuestionCode",
    "Reason",
    "RowReason",
    "Text",
    "ToBeDetermined",
]
