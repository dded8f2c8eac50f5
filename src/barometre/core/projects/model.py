"""The catalogue's vocabulary: project domains, statuses, budget classes, and one project record."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Domain(enum.StrEnum):
    """Fixed list of project domains (the questionnaire's choice list uses the same codes)."""

    ENERGIE = "energie"
    EAU = "eau"
    DECHETS = "dechets"
    ENVIRONNEMENT = "environnement"
    MOBILITE = "mobilite"
    AIR_SANTE = "air_sante"
    URBANISME = "urbanisme"
    RELATION_USAGERS = "relation_usagers"
    ADMINISTRATION = "administration"
    GOUVERNANCE = "gouvernance"
    MUTUALISATION = "mutualisation"
    SECURITE = "securite"
    AUTRE = "autre"


class Status(enum.StrEnum):
    IDEE = "idee"
    EN_COURS = "en_cours"
    EXPERIMENTATION = "experimentation"
    EN_SERVICE = "en_service"
    ARRETE = "arrete"


class BudgetClass(enum.StrEnum):
    MOINS_10K = "moins_10k"
    DE_10K_A_100K = "10k_100k"
    DE_100K_A_1M = "100k_1m"
    PLUS_1M = "plus_1m"
    NSP = "nsp"


class Origin(enum.StrEnum):
    """Where a catalogue entry comes from."""

    EXAMPLE = "example"  # cited by a published note (has a source)
    RESPONDENT = "respondent"  # declared in the questionnaire, published with consent
    SIMULATED = "simulated"  # demo data ("données simulées")


@dataclass(frozen=True)
class Project:
    """One project as the catalogue knows it; texts in the language they were written in."""

    key: str
    title: str
    summary: str
    domain: Domain
    status: Status
    authority_code: str
    origin: Origin
    partners: str = ""
    shared: bool | None = None
    open_source: bool | None = None
    budget_class: BudgetClass | None = None
    source: str | None = None  # key of data/sources.yaml (examples)
    edition: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What similarity reads: the title counts twice."""
        return f"{self.title} {self.title} {self.summary}"
