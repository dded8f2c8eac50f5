"""A tiny synthetic source package (same shape as ``@etalab/decoupage-administratif``).

Used by the tests and for offline demos: it has every special case of the real
data (Paris, Lyon, Alsace, Corse, Martinique, Guyane, Mayotte, an island without
EPCI, a COM, communes déléguées, municipal arrondissements, former codes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from barometre.core.registry.build import PACKAGE, SourceData

REGIONS: list[dict[str, Any]] = [
    {"code": "01", "nom": "Guadeloupe", "typeLiaison": 3, "zone": "drom"},
    {"code": "02", "nom": "Martinique", "typeLiaison": 3, "zone": "drom"},
    {"code": "03", "nom": "Guyane", "typeLiaison": 3, "zone": "drom"},
    {"code": "06", "nom": "Mayotte", "typeLiaison": 0, "zone": "drom"},
    {"code": "11", "nom": "Île-de-France", "typeLiaison": 1, "zone": "metro"},
    {"code": "44", "nom": "Grand Est", "typeLiaison": 2, "zone": "metro"},
    {"code": "53", "nom": "Bretagne", "typeLiaison": 0, "zone": "metro"},
    {"code": "84", "nom": "Auvergne-Rhône-Alpes", "typeLiaison": 1, "zone": "metro"},
    {"code": "94", "nom": "Corse", "typeLiaison": 0, "zone": "metro"},
    {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "typeLiaison": 0, "zone": "com"},
]
DEPARTEMENTS: list[dict[str, Any]] = [
    {"code": "01", "region": "84", "nom": "Ain", "typeLiaison": 5, "zone": "metro"},
    {"code": "29", "region": "53", "nom": "Finistère", "typeLiaison": 2, "zone": "metro"},
    {"code": "2A", "region": "94", "nom": "Corse-du-Sud", "typeLiaison": 3, "zone": "metro"},
    {"code": "2B", "region": "94", "nom": "Haute-Corse", "typeLiaison": 3, "zone": "metro"},
    {"code": "67", "region": "44", "nom": "Bas-Rhin", "typeLiaison": 2, "zone": "metro"},
    {"code": "68", "region": "44", "nom": "Haut-Rhin", "typeLiaison": 2, "zone": "metro"},
    {"code": "69", "region": "84", "nom": "Rhône", "typeLiaison": 2, "zone": "metro"},
    {"code": "75", "region": "11", "nom": "Paris", "typeLiaison": 0, "zone": "metro"},
    {"code": "92", "region": "11", "nom": "Hauts-de-Seine", "typeLiaison": 4, "zone": "metro"},
    {"code": "971", "region": "01", "nom": "Guadeloupe", "typeLiaison": 3, "zone": "drom"},
    {"code": "972", "region": "02", "nom": "Martinique", "typeLiaison": 3, "zone": "drom"},
    {"code": "973", "region": "03", "nom": "Guyane", "typeLiaison": 3, "zone": "drom"},
    {"code": "976", "region": "06", "nom": "Mayotte", "typeLiaison": 0, "zone": "drom"},
    {"code": "975", "region": "975", "nom": "Saint-Pierre-et-Miquelon", "typeLiaison": 0, "zone": "com"},
]


def _commune(code: str, nom: str, dep: str, reg: str, pop: int, siren: str, **extra: Any) -> dict[str, Any]:
    zone = "drom" if dep.startswith("97") else "metro"
    return {
        "code": code,
        "nom": nom,
        "zone": zone,
        "departement": dep,
        "region": reg,
        "type": "commune-actuelle",
        "siren": siren,
        "population": pop,
        **extra,
    }


COMMUNES: list[dict[str, Any]] = [
    _commune("01001", "L'Abergement-Clémenciat", "01", "84", 860, "210100012"),
    _commune("01002", "Saint-Étienne-du-Bois", "01", "84", 3499, "210100020"),
    _commune("01053", "Bourg-en-Bresse", "01", "84", 42_000, "210100533", anciensCodes=["01005"]),
    {
        "code": "01005",
        "nom": "Ancienne",
        "zone": "metro",
        "departement": "01",
        "region": "84",
        "type": "commune-deleguee",
        "chefLieu": "01053",
    },
    _commune("29155", "Ouessant", "29", "53", 860, "212901557"),
    _commune("29019", "Brest", "29", "53", 140_000, "212900195"),
    _commune("69123", "Lyon", "69", "84", 519_127, "216901231"),
    _commune("69202", "Sainte-Foy-lès-Lyon", "69", "84", 22_000, "216902023"),
    _commune("69264", "Villefranche-sur-Saône", "69", "84", 37_000, "216902643"),
    {
        "code": "69381",
        "nom": "Lyon 1er Arrondissement",
        "zone": "metro",
        "departement": "69",
        "region": "84",
        "type": "arrondissement-municipal",
        "commune": "69123",
        "population": 30_000,
    },
    _commune("67482", "Strasbourg", "67", "44", 290_000, "216704825"),
    _commune("68224", "Mulhouse", "68", "44", 105_000, "216802249"),
    _commune("2A004", "Ajaccio", "2A", "94", 73_000, "212000046"),
    _commune("2B033", "Bastia", "2B", "94", 48_000, "212000335"),
    _commune("75056", "Paris", "75", "11", 2_100_000, "217500016"),
    _commune("92050", "Nanterre", "92", "11", 97_000, "219200508"),
    _commune("97105", "Basse-Terre", "971", "01", 10_000, "219710530"),
    _commune("97209", "Fort-de-France", "972", "02", 74_000, "219722097"),
    _commune("97302", "Cayenne", "973", "03", 63_000, "219733029"),
    _commune("97611", "Mamoudzou", "976", "06", 71_000, "219761169"),
    {
        "code": "97502",
        "nom": "Saint-Pierre",
        "zone": "com",
        "departement": "975",
        "region": "975",
        "type": "commune-actuelle",
        "population": 5194,
    },
]


def _epci(code: str, nom: str, type_: str, members: list[str]) -> dict[str, Any]:
    by = {c["code"]: c for c in COMMUNES}
    return {
        "code": code,
        "nom": nom,
        "type": type_,
        "modeFinancement": "FPU",
        "populationTotale": 1,
        "populationMunicipale": 1,
        "membres": [
            {"code": m, "siren": by[m]["siren"], "nom": by[m]["nom"], "populationTotale": 1, "populationMunicipale": 1}
            for m in members
        ],
    }


EPCI: list[dict[str, Any]] = [
    _epci("200000001", "CC de la Dombes", "CC", ["01001", "01002"]),
    _epci("200000002", "CA du Bassin de Bourg-en-Bresse", "CA", ["01053"]),
    _epci("200000003", "Brest Métropole", "METRO", ["29019"]),
    _epci("200046977", "Métropole de Lyon", "MET69", ["69123", "69202"]),
    _epci("200000004", "CA Villefranche Beaujolais Saône", "CA", ["69264"]),
    _epci("200000005", "Eurométropole de Strasbourg", "METRO", ["67482"]),
    _epci("200000006", "CA Mulhouse Alsace Agglomération", "CA", ["68224"]),
    _epci("200000007", "CA du Pays Ajaccien", "CA", ["2A004"]),
    _epci("200000008", "CU de Bastia", "CU", ["2B033"]),
    _epci("200054781", "Métropole du Grand Paris", "METRO", ["75056", "92050"]),
    _epci("200000009", "CA Grand Sud Caraïbe", "CA", ["97105"]),
    _epci("200000010", "CA du Centre de la Martinique", "CA", ["97209"]),
    _epci("200000011", "CA du Centre Littoral", "CA", ["97302"]),
    _epci("200000012", "CA de Dembéni-Mamoudzou", "CA", ["97611"]),
]


def sample_source(version: str = "6.0.0") -> SourceData:
    return SourceData(version, COMMUNES, EPCI, DEPARTEMENTS, REGIONS)


def write_sample_package(directory: Path, *, version: str = "6.0.0", source: SourceData | None = None) -> Path:
    """Write a package directory (``package.json`` + ``data/*.json``) that :func:`read_package` accepts."""
    src = source or sample_source(version)
    (directory / "data").mkdir(parents=True, exist_ok=True)
    (directory / "package.json").write_text(json.dumps({"name": PACKAGE, "version": src.version}), encoding="utf-8")
    for name, rows in (
        ("communes", src.communes),
        ("epci", src.epci),
        ("departements", src.departements),
        ("regions", src.regions),
    ):
        (directory / "data" / f"{name}.json").write_text(json.dumps(list(rows), ensure_ascii=False), encoding="utf-8")
    return directory
