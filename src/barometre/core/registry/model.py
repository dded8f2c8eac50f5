"""The survey frame: legal local authorities, their kind, type and stratum.

Pure Python (no Django). See ``data/registry/README.md`` for the decisions
(special cases, strata of the special authorities, codes).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from barometre.core.errors import NotFound, RegistryError


class Kind(enum.StrEnum):
    """What sort of legal authority a unit of the frame is."""

    #: A current commune (no communes déléguées/associées, no municipal arrondissements).
    #: The Ville de Paris is a commune (type ``VDP``) that also holds the départemental powers.
    COMMUNE = "commune"
    #: An EPCI à fiscalité propre (type CC, CA, CU or METRO).
    EPCI = "epci"
    #: A conseil départemental (type ``CD``).
    DEPARTEMENT = "departement"
    #: A conseil régional (type ``CR``).
    REGION = "region"
    #: One authority that replaces several councils: Collectivité de Corse, collectivités
    #: territoriales uniques de Martinique and Guyane, Département de Mayotte, Collectivité
    #: européenne d'Alsace.
    COLLECTIVITE_UNIQUE = "collectivite_unique"
    #: The Métropole de Lyon: collectivité à statut particulier (not an EPCI) holding the
    #: intercommunal and the départemental powers on its territory.
    METROPOLE_LYON = "metropole_lyon"


KIND_LABELS: Mapping[Kind, str] = {
    Kind.COMMUNE: "Commune",
    Kind.EPCI: "EPCI à fiscalité propre",
    Kind.DEPARTEMENT: "Département",
    Kind.REGION: "Région",
    Kind.COLLECTIVITE_UNIQUE: "Collectivité unique ou à statut particulier",
    Kind.METROPOLE_LYON: "Métropole de Lyon (collectivité à statut particulier)",
}


class AuthorityType:
    """The ``type`` of an authority, finer than its kind (named constants)."""

    COMMUNE = "COM"
    VILLE_DE_PARIS = "VDP"
    CC = "CC"
    CA = "CA"
    CU = "CU"
    METRO = "METRO"
    CONSEIL_DEPARTEMENTAL = "CD"
    CONSEIL_REGIONAL = "CR"
    CORSE = "CDC"
    CTU = "CTU"
    MAYOTTE = "MAYOTTE"
    CEA = "CEA"
    METROPOLE_LYON = "MET69"

    EPCI_TYPES: tuple[str, ...] = (CC, CA, CU, METRO)
    ALL: tuple[str, ...] = (
        COMMUNE,
        VILLE_DE_PARIS,
        CC,
        CA,
        CU,
        METRO,
        CONSEIL_DEPARTEMENTAL,
        CONSEIL_REGIONAL,
        CORSE,
        CTU,
        MAYOTTE,
        CEA,
        METROPOLE_LYON,
    )


TYPE_LABELS: Mapping[str, str] = {
    AuthorityType.COMMUNE: "Commune",
    AuthorityType.VILLE_DE_PARIS: "Ville de Paris (commune exerçant les compétences départementales)",
    AuthorityType.CC: "Communauté de communes",
    AuthorityType.CA: "Communauté d'agglomération",
    AuthorityType.CU: "Communauté urbaine",
    AuthorityType.METRO: "Métropole",
    AuthorityType.CONSEIL_DEPARTEMENTAL: "Conseil départemental",
    AuthorityType.CONSEIL_REGIONAL: "Conseil régional",
    AuthorityType.CORSE: "Collectivité de Corse",
    AuthorityType.CTU: "Collectivité territoriale unique",
    AuthorityType.MAYOTTE: "Département de Mayotte (compétences départementales et régionales)",
    AuthorityType.CEA: "Collectivité européenne d'Alsace",
    AuthorityType.METROPOLE_LYON: "Métropole de Lyon",
}
TYPE_LABELS_EN: Mapping[str, str] = {
    AuthorityType.COMMUNE: "Commune",
    AuthorityType.VILLE_DE_PARIS: "City of Paris (commune with the powers of a département)",
    AuthorityType.CC: "Communauté de communes (rural grouping of communes)",
    AuthorityType.CA: "Communauté d'agglomération (urban grouping of communes)",
    AuthorityType.CU: "Communauté urbaine (large urban grouping of communes)",
    AuthorityType.METRO: "Métropole",
    AuthorityType.CONSEIL_DEPARTEMENTAL: "Département council",
    AuthorityType.CONSEIL_REGIONAL: "Regional council",
    AuthorityType.CORSE: "Collectivité de Corse (Corsica)",
    AuthorityType.CTU: "Single territorial authority (région and département)",
    AuthorityType.MAYOTTE: "Département of Mayotte (powers of a département and a région)",
    AuthorityType.CEA: "European Collectivity of Alsace",
    AuthorityType.METROPOLE_LYON: "Métropole de Lyon (special status)",
}


class Stratum(enum.StrEnum):
    """Sampling strata (named constants). See :func:`barometre.core.registry.strata.stratum_for`."""

    COMMUNES_LT_3500 = "communes_moins_3500"
    COMMUNES_3500_9999 = "communes_3500_9999"
    COMMUNES_10000_24999 = "communes_10000_24999"
    COMMUNES_25000_99999 = "communes_25000_99999"
    COMMUNES_GE_100000 = "communes_100000_plus"
    EPCI_CC = "epci_cc"
    EPCI_CA = "epci_ca"
    EPCI_CU = "epci_cu"
    #: Métropoles, with the Métropole de Lyon.
    EPCI_METRO = "epci_metropoles"
    #: Conseils départementaux, with the Collectivité européenne d'Alsace and Mayotte.
    DEPARTEMENTS = "departements"
    #: Conseils régionaux, with Corse, Martinique and Guyane.
    REGIONS = "regions"


STRATUM_LABELS: Mapping[Stratum, str] = {
    Stratum.COMMUNES_LT_3500: "Communes de moins de 3 500 habitants",
    Stratum.COMMUNES_3500_9999: "Communes de 3 500 à 9 999 habitants",
    Stratum.COMMUNES_10000_24999: "Communes de 10 000 à 24 999 habitants",
    Stratum.COMMUNES_25000_99999: "Communes de 25 000 à 99 999 habitants",
    Stratum.COMMUNES_GE_100000: "Communes de 100 000 habitants ou plus",
    Stratum.EPCI_CC: "Communautés de communes",
    Stratum.EPCI_CA: "Communautés d'agglomération",
    Stratum.EPCI_CU: "Communautés urbaines",
    Stratum.EPCI_METRO: "Métropoles (dont Métropole de Lyon)",
    Stratum.DEPARTEMENTS: "Départements (dont CEA et Mayotte)",
    Stratum.REGIONS: "Régions (dont Corse, Martinique, Guyane)",
}

STRATUM_LABELS_EN: Mapping[Stratum, str] = {
    Stratum.COMMUNES_LT_3500: "Communes under 3,500 inhabitants",
    Stratum.COMMUNES_3500_9999: "Communes of 3,500 to 9,999 inhabitants",
    Stratum.COMMUNES_10000_24999: "Communes of 10,000 to 24,999 inhabitants",
    Stratum.COMMUNES_25000_99999: "Communes of 25,000 to 99,999 inhabitants",
    Stratum.COMMUNES_GE_100000: "Communes of 100,000 inhabitants or more",
    Stratum.EPCI_CC: "Communautés de communes (rural groupings)",
    Stratum.EPCI_CA: "Communautés d'agglomération (urban groupings)",
    Stratum.EPCI_CU: "Communautés urbaines (large urban groupings)",
    Stratum.EPCI_METRO: "Métropoles (incl. Métropole de Lyon)",
    Stratum.DEPARTEMENTS: "Départements (incl. CEA and Mayotte)",
    Stratum.REGIONS: "Regions (incl. Corsica, Martinique, French Guiana)",
}
KIND_LABELS_EN: Mapping[Kind, str] = {
    Kind.COMMUNE: "Commune",
    Kind.EPCI: "Intermunicipal body (EPCI)",
    Kind.DEPARTEMENT: "Département",
    Kind.REGION: "Regional council",
    Kind.COLLECTIVITE_UNIQUE: "Single or special-status authority",
    Kind.METROPOLE_LYON: "Métropole de Lyon (special status)",
}


@dataclass(frozen=True, slots=True)
class Authority:
    """One legal authority of the frame.

    ``code``: INSEE code for a commune, SIREN for an EPCI, INSEE code of the
    "collectivité exerçant les compétences départementales" (``01D``, ``6AE``,
    ``20R``, ``69M``...) for départemental-level councils, ``REG-<code>`` for a
    conseil régional (project convention; INSEE has no code for the council).

    ``population_municipale``: INSEE population municipale of the millésime
    ``population_millesime`` (communes), or the sum over the member communes /
    the territory (every other kind). ``region`` and ``departement`` are INSEE
    codes of the territory; for an EPCI or the Métropole de Lyon they are those of
    the most populous member commune; ``departement`` is None for authorities
    spanning several départements (régions, Corse, Alsace).
    """

    code: str
    name: str
    kind: Kind
    type: str
    population_municipale: int
    population_millesime: int
    stratum: Stratum
    region: str
    departement: str | None = None
    siren: str | None = None
    #: For a commune: code of its intercommunal authority (EPCI SIREN, or ``69M``).
    epci: str | None = None
    #: INSEE codes of the départements covered (councils and special authorities).
    departements: tuple[str, ...] = ()
    #: Former INSEE codes of a commune (merged communes), from the COG.
    former_codes: tuple[str, ...] = ()
    #: EPCI only: the figures printed by the source (DGCL file), another millésime.
    source_population_municipale: int | None = None
    source_population_totale: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "siren": self.siren,
            "name": self.name,
            "kind": self.kind.value,
            "type": self.type,
            "population_municipale": self.population_municipale,
            "population_millesime": self.population_millesime,
            "stratum": self.stratum.value,
            "region": self.region,
            "departement": self.departement,
            "epci": self.epci,
            "departements": list(self.departements),
            "former_codes": list(self.former_codes),
            "source_population_municipale": self.source_population_municipale,
            "source_population_totale": self.source_population_totale,
        }


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """What the manifest says about where the frame comes from."""

    package: str
    version: str
    cog: int
    population_millesime: int
    population_label: str
    epci_population_note: str
    sha256: str
    built_at: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


class Frame:
    """The frame: every authority, indexed by code, SIREN and aliases."""

    def __init__(self, authorities: Iterable[Authority], info: SnapshotInfo) -> None:
        self.info = info
        self._items: dict[str, Authority] = {}
        self._siren: dict[str, Authority] = {}
        self._members: dict[str, list[Authority]] = {}
        self._former: dict[str, Authority] = {}
        for a in authorities:
            if a.code in self._items:
                raise RegistryError(f"code en double dans le registre : {a.code}")
            self._items[a.code] = a
            if a.siren:
                if a.siren in self._siren:
                    raise RegistryError(f"SIREN en double dans le registre : {a.siren}")
                self._siren[a.siren] = a
        for a in self._items.values():
            if a.epci is not None:
                self._members.setdefault(a.epci, []).append(a)
            for old in a.former_codes:
                if old not in self._items:
                    self._former[old] = a
        for members in self._members.values():
            members.sort(key=lambda m: m.code)
        self._aliases = _aliases(self._items)
        self._search_index: list[tuple[str, Authority]] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Authority]:
        return iter(self._items.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.find(code) is not None

    @property
    def authorities(self) -> list[Authority]:
        return list(self._items.values())

    def of_kind(self, kind: Kind) -> list[Authority]:
        return [a for a in self._items.values() if a.kind is kind]

    def find(self, code: str) -> Authority | None:
        """The authority named by ``code`` (see :meth:`get`), or None."""
        key = code.strip().upper()
        if not key:
            return None
        found = self._items.get(key) or self._siren.get(key)
        if found is not None:
            return found
        target = self._aliases.get(key)
        return self._items[target] if target is not None else None

    def get(self, code: str) -> Authority:
        """Look up by canonical code, SIREN, or alias.

        Aliases: a bare INSEE département code (``01``, ``2A``, ``75``, ``67``,
        ``972``...) gives the authority holding the départemental powers there;
        ``REG-xx``/``R:xx`` forms and ``reg:xx`` give the authority holding the
        regional powers of INSEE région ``xx``.
        """
        found = self.find(code)
        if found is None:
            raise NotFound(f"code inconnu dans le registre : « {code} »")
        return found

    def former(self, code: str) -> Authority | None:
        """The current commune that absorbed the former INSEE commune ``code``."""
        return self._former.get(code.strip().upper())

    def members(self, code: str) -> list[Authority]:
        """Member communes of an EPCI (or of the Métropole de Lyon)."""
        a = self.get(code)
        return list(self._members.get(a.code, []))

    def epci_of(self, commune: Authority) -> Authority | None:
        return self._items.get(commune.epci) if commune.epci else None

    def councils_of(self, a: Authority) -> tuple[str | None, str | None]:
        """Codes of the authorities holding the regional and the départemental powers over ``a``'s territory.

        None where ``a`` itself holds them (a région, Corse, Paris for the départemental powers...)
        or where it spans several départements (régions, CEA, Corse). A commune of the Métropole
        de Lyon has ``69M`` as its départemental authority.
        """
        reg = self._aliases.get(f"REG-{a.region}")
        if reg == a.code or a.kind is Kind.REGION:
            reg = None
        dep: str | None = None
        if a.kind is Kind.COMMUNE and a.epci == "69M":
            dep = "69M"
        elif a.departement is not None and a.kind not in (Kind.REGION, Kind.METROPOLE_LYON):
            dep = self._aliases.get(a.departement)
        if dep == a.code:
            dep = None
        return reg, dep

    def search_index(self) -> list[tuple[str, Authority]]:
        if self._search_index is None:
            from barometre.core.registry.search import normalize

            self._search_index = [(normalize(a.name), a) for a in self._items.values()]
        return self._search_index


def _aliases(items: Mapping[str, Authority]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for a in items.values():
        if a.kind is Kind.REGION or (a.kind is Kind.COLLECTIVITE_UNIQUE and a.type in REGIONAL_TYPES):
            for key in (f"REG-{a.region}", f"REG:{a.region}", f"R:{a.region}"):
                aliases.setdefault(key, a.code)
        if a.kind in DEPARTEMENTAL_KINDS or a.type in (AuthorityType.VILLE_DE_PARIS, AuthorityType.MAYOTTE):
            if a.kind is Kind.METROPOLE_LYON:
                continue
            for dep in a.departements:
                aliases.setdefault(dep, a.code)
                aliases.setdefault(f"DEP:{dep}", a.code)
    return aliases


#: Kinds/types that hold the départemental powers somewhere (for the aliases).
DEPARTEMENTAL_KINDS = (Kind.DEPARTEMENT, Kind.COLLECTIVITE_UNIQUE)
#: Single authorities that also hold the regional powers.
REGIONAL_TYPES = (AuthorityType.CORSE, AuthorityType.CTU, AuthorityType.MAYOTTE)
