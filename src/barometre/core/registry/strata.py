"""Strata of the frame (named thresholds) and the rule that assigns them."""

from __future__ import annotations

from barometre.core.errors import RegistryError
from barometre.core.registry.model import AuthorityType, Kind, Stratum

#: Lower bounds (inclusive) of the commune strata, in inhabitants (population municipale).
COMMUNE_THRESHOLDS: tuple[tuple[int, Stratum], ...] = (
    (100_000, Stratum.COMMUNES_GE_100000),
    (25_000, Stratum.COMMUNES_25000_99999),
    (10_000, Stratum.COMMUNES_10000_24999),
    (3_500, Stratum.COMMUNES_3500_9999),
    (0, Stratum.COMMUNES_LT_3500),
)

EPCI_STRATA: dict[str, Stratum] = {
    AuthorityType.CC: Stratum.EPCI_CC,
    AuthorityType.CA: Stratum.EPCI_CA,
    AuthorityType.CU: Stratum.EPCI_CU,
    AuthorityType.METRO: Stratum.EPCI_METRO,
}

#: Where the special authorities go (documented in data/registry/README.md).
SPECIAL_STRATA: dict[str, Stratum] = {
    AuthorityType.METROPOLE_LYON: Stratum.EPCI_METRO,
    AuthorityType.CEA: Stratum.DEPARTEMENTS,
    AuthorityType.MAYOTTE: Stratum.DEPARTEMENTS,
    AuthorityType.CORSE: Stratum.REGIONS,
    AuthorityType.CTU: Stratum.REGIONS,
}

COMMUNE_STRATA: tuple[Stratum, ...] = tuple(reversed([s for _, s in COMMUNE_THRESHOLDS]))
ALL_STRATA: tuple[Stratum, ...] = tuple(Stratum)


def commune_stratum(population: int) -> Stratum:
    if population < 0:
        raise RegistryError(f"population négative : {population}")
    for bound, stratum in COMMUNE_THRESHOLDS:
        if population >= bound:
            return stratum
    raise AssertionError("unreachable")  # pragma: no cover


def stratum_for(kind: Kind, type_: str, population: int) -> Stratum:
    """The stratum of an authority from its kind, type and population municipale."""
    if kind is Kind.COMMUNE:
        return commune_stratum(population)
    if kind is Kind.EPCI:
        try:
            return EPCI_STRATA[type_]
        except KeyError:
            raise RegistryError(f"type d'EPCI inconnu : {type_}") from None
    if kind is Kind.DEPARTEMENT:
        return Stratum.DEPARTEMENTS
    if kind is Kind.REGION:
        return Stratum.REGIONS
    try:
        return SPECIAL_STRATA[type_]
    except KeyError:
        raise RegistryError(f"type inconnu pour {kind.value} : {type_}") from None
