from __future__ import annotations

import pytest

from barometre.core.errors import RegistryError
from barometre.core.registry import AuthorityType, Kind, Stratum, stratum_for
from barometre.core.registry.strata import commune_stratum


@pytest.mark.parametrize(
    ("population", "stratum"),
    [
        (0, Stratum.COMMUNES_LT_3500),
        (3_499, Stratum.COMMUNES_LT_3500),
        (3_500, Stratum.COMMUNES_3500_9999),
        (9_999, Stratum.COMMUNES_3500_9999),
        (10_000, Stratum.COMMUNES_10000_24999),
        (24_999, Stratum.COMMUNES_10000_24999),
        (25_000, Stratum.COMMUNES_25000_99999),
        (99_999, Stratum.COMMUNES_25000_99999),
        (100_000, Stratum.COMMUNES_GE_100000),
    ],
)
def test_commune_strata_bounds_are_inclusive_below(population: int, stratum: Stratum) -> None:
    assert commune_stratum(population) is stratum


def test_negative_population_has_no_stratum() -> None:
    with pytest.raises(RegistryError):
        commune_stratum(-1)


def test_epci_stratum_follows_the_type_not_the_population() -> None:
    assert stratum_for(Kind.EPCI, AuthorityType.CC, 200_000) is Stratum.EPCI_CC
    assert stratum_for(Kind.EPCI, AuthorityType.METRO, 10) is Stratum.EPCI_METRO
    with pytest.raises(RegistryError):
        stratum_for(Kind.EPCI, "SAN", 1)


def test_special_authorities_strata() -> None:
    assert stratum_for(Kind.METROPOLE_LYON, AuthorityType.METROPOLE_LYON, 1) is Stratum.EPCI_METRO
    assert stratum_for(Kind.COLLECTIVITE_UNIQUE, AuthorityType.CEA, 1) is Stratum.DEPARTEMENTS
    assert stratum_for(Kind.COLLECTIVITE_UNIQUE, AuthorityType.MAYOTTE, 1) is Stratum.DEPARTEMENTS
    assert stratum_for(Kind.COLLECTIVITE_UNIQUE, AuthorityType.CORSE, 1) is Stratum.REGIONS
    assert stratum_for(Kind.COLLECTIVITE_UNIQUE, AuthorityType.CTU, 1) is Stratum.REGIONS
    assert stratum_for(Kind.COMMUNE, AuthorityType.VILLE_DE_PARIS, 2_100_000) is Stratum.COMMUNES_GE_100000
