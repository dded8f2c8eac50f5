"""The input of every diagnostic rule: a small, registry-independent profile.

The registry (``barometre.core.registry``) and the questionnaire are built
separately; the CLI adapts their records to :class:`AuthorityProfile`.

Population conventions (INSEE, see ``data/domain/facts.md`` §5.1):
``population_municipale`` (PMUN) is what geo.api / decoupage-administratif
give for communes; ``population_totale`` (PTOT = PMUN + population comptée à
part) is the legal reference of most regulatory thresholds. PTOT ≥ PMUN always.
``max_member_population`` (EPCI only) is the **population municipale** of the
largest member commune; ``max_member_population_totale`` its population totale
when known.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, get_args

from barometre.core.errors import DiagnosticError

AuthorityKind = Literal["commune", "epci", "departement", "region", "collectivite_unique", "metropole_lyon"]
EpciType = Literal["CC", "CA", "CU", "METRO"]

AUTHORITY_KINDS: tuple[str, ...] = get_args(AuthorityKind)
EPCI_TYPES: tuple[str, ...] = get_args(EpciType)


@dataclass(frozen=True)
class AuthorityProfile:
    """What the diagnostic rules need to know about one authority.

    Single-authority territories are described with a ``kind`` plus flags:
    Martinique, Guyane, Corse, Mayotte → ``collectivite_unique`` with
    ``has_region_powers`` and/or ``has_departement_powers``; the Collectivité
    européenne d'Alsace → ``departement`` (it counts as one); Paris →
    ``commune`` with ``has_departement_powers=True``; Métropole de Lyon →
    ``metropole_lyon`` (département powers implied).

    ``uses_ai`` / ``uses_high_risk_ai`` come from the questionnaire (None =
    not known yet); they drive the AI Act rules.
    """

    code: str
    name: str
    kind: AuthorityKind
    population_municipale: int | None = None
    population_totale: int | None = None
    agents: float | None = None
    epci_type: EpciType | None = None
    departement: str | None = None
    region: str | None = None
    max_member_population: int | None = None
    max_member_population_totale: int | None = None
    has_departement_powers: bool = False
    has_region_powers: bool = False
    uses_ai: bool | None = None
    uses_high_risk_ai: bool | None = None

    def __post_init__(self) -> None:
        where = f"collectivité {self.code or '?'}"
        if self.kind not in AUTHORITY_KINDS:
            raise DiagnosticError(f"{where} : type « {self.kind} » inconnu (attendu : {', '.join(AUTHORITY_KINDS)})")
        if self.epci_type is not None and self.epci_type not in EPCI_TYPES:
            raise DiagnosticError(
                f"{where} : type d'EPCI « {self.epci_type} » inconnu (attendu : {', '.join(EPCI_TYPES)})"
            )
        if self.kind == "epci" and self.epci_type is None:
            raise DiagnosticError(f"{where} : un EPCI doit préciser son type (CC, CA, CU ou METRO)")
        if self.kind != "epci" and self.epci_type is not None:
            raise DiagnosticError(f"{where} : epci_type n'a de sens que pour un EPCI")
        for field in ("population_municipale", "population_totale", "max_member_population"):
            value = getattr(self, field)
            if value is not None and value < 0:
                raise DiagnosticError(f"{where} : {field} négatif ({value})")
        if self.uses_ai is False and self.uses_high_risk_ai:
            raise DiagnosticError(f"{where} : un usage d'IA à haut risque suppose un usage de l'IA (uses_ai)")
        if self.agents is not None and self.agents < 0:
            raise DiagnosticError(f"{where} : nombre d'agents négatif ({self.agents})")

    @property
    def departement_powers(self) -> bool:
        """Exercises the powers of a département (CeA, Paris, Lyon, Martinique...)."""
        return self.kind in ("departement", "metropole_lyon") or self.has_departement_powers

    @property
    def region_powers(self) -> bool:
        return self.kind == "region" or self.has_region_powers

    def with_agents(self, agents: float | None) -> AuthorityProfile:
        """A copy with the number of agents set (e.g. given on the command line)."""
        return dataclasses.replace(self, agents=agents)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
