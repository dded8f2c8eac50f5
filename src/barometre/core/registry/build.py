"""Build the frame from the npm package ``@etalab/decoupage-administratif``.

``build_authorities`` is pure (JSON lists in, authorities out); ``fetch_package``
runs ``npm pack`` into a temporary directory (the npm registry is the only
network access the project needs for the registry).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barometre.core.errors import RegistryError
from barometre.core.registry.model import Authority, AuthorityType, Kind
from barometre.core.registry.strata import stratum_for

PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_VERSION = "6.0.0"
#: COG year of each package version we know (README of the package).
COG_BY_VERSION = {"6.0.0": 2026, "5.3.0": 2025, "4.1.0": 2024, "3.1.1": 2023}
#: Commune populations of COG year N are INSEE's populations légales of millésime N-3,
#: in force since 1 January of year N.
MILLESIME_LAG = 3

PARIS = "75056"
LYON_METROPOLE_SIREN = "200046977"
#: The source's type for the Métropole de Lyon in epci.json (a collectivité, not an EPCI).
SOURCE_TYPE_MET69 = "MET69"

#: Départemental and regional councils replaced by one special authority.
#: Codes are INSEE's "collectivités territoriales ayant les compétences départementales" codes.
SPECIAL_AUTHORITIES: tuple[dict[str, Any], ...] = (
    {
        "code": "6AE",
        "name": "Collectivité européenne d'Alsace",
        "kind": Kind.COLLECTIVITE_UNIQUE,
        "type": AuthorityType.CEA,
        "departements": ("67", "68"),
        "region": "44",
        "replaces_region": False,
    },
    {
        "code": "20R",
        "name": "Collectivité de Corse",
        "kind": Kind.COLLECTIVITE_UNIQUE,
        "type": AuthorityType.CORSE,
        "departements": ("2A", "2B"),
        "region": "94",
        "replaces_region": True,
    },
    {
        "code": "972R",
        "name": "Collectivité territoriale de Martinique",
        "kind": Kind.COLLECTIVITE_UNIQUE,
        "type": AuthorityType.CTU,
        "departements": ("972",),
        "region": "02",
        "replaces_region": True,
    },
    {
        "code": "973R",
        "name": "Collectivité territoriale de Guyane",
        "kind": Kind.COLLECTIVITE_UNIQUE,
        "type": AuthorityType.CTU,
        "departements": ("973",),
        "region": "03",
        "replaces_region": True,
    },
    {
        "code": "976D",
        "name": "Département de Mayotte",
        "kind": Kind.COLLECTIVITE_UNIQUE,
        "type": AuthorityType.MAYOTTE,
        "departements": ("976",),
        "region": "06",
        "replaces_region": True,
    },
)
#: Départements without a conseil départemental of their own.
NO_DEPARTEMENTAL_COUNCIL: dict[str, str] = {
    "75": PARIS,  # Ville de Paris holds the départemental powers
    **{dep: s["code"] for s in SPECIAL_AUTHORITIES for dep in s["departements"]},
}
#: Régions without a conseil régional of their own.
NO_REGIONAL_COUNCIL: dict[str, str] = {s["region"]: s["code"] for s in SPECIAL_AUTHORITIES if s["replaces_region"]}
#: Zones of the source inside the frame (collectivités d'outre-mer, "com", are outside).
FRAME_ZONES = ("metro", "drom")


@dataclass(frozen=True)
class SourceData:
    """The four JSON files of the package, as parsed lists."""

    version: str
    communes: Sequence[Mapping[str, Any]]
    epci: Sequence[Mapping[str, Any]]
    departements: Sequence[Mapping[str, Any]]
    regions: Sequence[Mapping[str, Any]]


def read_package(package_dir: Path) -> SourceData:
    """Read ``package.json`` and ``data/*.json`` of an unpacked package."""
    try:
        meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
        files = {
            name: json.loads((package_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))
            for name in ("communes", "epci", "departements", "regions")
        }
    except FileNotFoundError as exc:
        raise RegistryError(f"fichier manquant dans le paquet : {exc.filename}") from None
    except json.JSONDecodeError as exc:
        raise RegistryError(f"JSON invalide dans le paquet : {exc}") from None
    if meta.get("name") != PACKAGE:
        raise RegistryError(f"ce n'est pas le paquet {PACKAGE} : {meta.get('name')}", location=str(package_dir))
    return SourceData(str(meta["version"]), files["communes"], files["epci"], files["departements"], files["regions"])


#: INSEE "type de nom en clair" (TNCC, ``typeLiaison`` in the source) → linking article.
_LIAISON = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}


def liaison(unit: Mapping[str, Any]) -> str:
    """``de la `` for Guadeloupe, ``du `` for Rhône... (the name then follows without its article)."""
    tncc = unit.get("typeLiaison", 0)
    article = _LIAISON.get(tncc if isinstance(tncc, int) else 0, "de ")
    name = str(unit.get("nom", ""))
    # The COG name keeps its own article ("La Réunion"): "de La Réunion".
    if tncc in (3, 5) and name[:3].lower() in ("la ", "l'"):
        return "de "
    return article


def cog_year(version: str) -> int:
    if version in COG_BY_VERSION:
        return COG_BY_VERSION[version]
    raise RegistryError(
        f"version {version} du paquet inconnue : ajoutez son année COG dans COG_BY_VERSION "
        "(barometre/core/registry/build.py) d'après le README du paquet"
    )


def build_authorities(src: SourceData, millesime: int) -> list[Authority]:
    """The frame from the source (see data/registry/README.md for every rule)."""
    communes_src = [c for c in src.communes if c.get("type") == "commune-actuelle" and c.get("zone") in FRAME_ZONES]
    if not communes_src:
        raise RegistryError("aucune commune actuelle dans la source")
    by_code = {c["code"]: c for c in communes_src}

    # Intercommunal authority of each commune (EPCI, or the Métropole de Lyon).
    membership: dict[str, str] = {}
    for e in src.epci:
        for m in e["membres"]:
            if m["code"] not in by_code:
                raise RegistryError(f"membre {m['code']} de l'EPCI {e['code']} absent des communes actuelles")
            if m["code"] in membership:
                raise RegistryError(f"commune {m['code']} membre de deux EPCI ({membership[m['code']]}, {e['code']})")
            membership[m["code"]] = "69M" if e["type"] == SOURCE_TYPE_MET69 else e["code"]

    def pop(c: Mapping[str, Any]) -> int:
        p = c.get("population")
        if not isinstance(p, int) or p < 0:
            raise RegistryError(f"population manquante ou invalide pour la commune {c['code']}")
        return p

    out: list[Authority] = []
    for c in communes_src:
        p = pop(c)
        is_paris = c["code"] == PARIS
        type_ = AuthorityType.VILLE_DE_PARIS if is_paris else AuthorityType.COMMUNE
        out.append(
            Authority(
                code=c["code"],
                siren=c.get("siren"),
                name="Ville de Paris" if is_paris else c["nom"],
                kind=Kind.COMMUNE,
                type=type_,
                population_municipale=p,
                population_millesime=millesime,
                stratum=stratum_for(Kind.COMMUNE, type_, p),
                region=c["region"],
                departement=c["departement"],
                epci=membership.get(c["code"]),
                departements=("75",) if is_paris else (),
                former_codes=tuple(c.get("anciensCodes") or ()),
            )
        )

    # EPCI and the Métropole de Lyon: population = sum of the members' population municipale.
    for e in src.epci:
        members = [by_code[m["code"]] for m in e["membres"]]
        total = sum(pop(m) for m in members)
        biggest = max(members, key=lambda m: (pop(m), m["code"]))
        if e["type"] == SOURCE_TYPE_MET69:
            kind, type_, code, siren = Kind.METROPOLE_LYON, AuthorityType.METROPOLE_LYON, "69M", e["code"]
            deps: tuple[str, ...] = ("69",)
        else:
            if e["type"] not in AuthorityType.EPCI_TYPES:
                raise RegistryError(f"type d'EPCI inattendu dans la source : {e['type']} ({e['code']})")
            kind, type_, code, siren = Kind.EPCI, e["type"], e["code"], e["code"]
            deps = tuple(sorted({m["departement"] for m in members}))
        out.append(
            Authority(
                code=code,
                siren=siren,
                name=e["nom"],
                kind=kind,
                type=type_,
                population_municipale=total,
                population_millesime=millesime,
                stratum=stratum_for(kind, type_, total),
                region=biggest["region"],
                departement=biggest["departement"],
                departements=deps,
                source_population_municipale=e.get("populationMunicipale"),
                source_population_totale=e.get("populationTotale"),
            )
        )

    # Départemental councils.
    pop_by_dep: Counter[str] = Counter()
    pop_by_reg: Counter[str] = Counter()
    lyon_pop = 0
    for c in communes_src:
        pop_by_dep[c["departement"]] += pop(c)
        pop_by_reg[c["region"]] += pop(c)
        if membership.get(c["code"]) == "69M":
            lyon_pop += pop(c)
    frame_deps = [d for d in src.departements if d.get("zone") in FRAME_ZONES]
    for d in frame_deps:
        if d["code"] in NO_DEPARTEMENTAL_COUNCIL:
            continue
        p = pop_by_dep[d["code"]] - (lyon_pop if d["code"] == "69" else 0)
        out.append(
            Authority(
                code=f"{d['code']}D",
                name=f"Département {liaison(d)}{d['nom']}",
                kind=Kind.DEPARTEMENT,
                type=AuthorityType.CONSEIL_DEPARTEMENTAL,
                population_municipale=p,
                population_millesime=millesime,
                stratum=stratum_for(Kind.DEPARTEMENT, AuthorityType.CONSEIL_DEPARTEMENTAL, p),
                region=d["region"],
                departement=d["code"],
                departements=(d["code"],),
            )
        )
    for r in src.regions:
        if r.get("zone") not in FRAME_ZONES or r["code"] in NO_REGIONAL_COUNCIL:
            continue
        p = pop_by_reg[r["code"]]
        out.append(
            Authority(
                code=f"REG-{r['code']}",
                name=f"Région {r['nom']}",
                kind=Kind.REGION,
                type=AuthorityType.CONSEIL_REGIONAL,
                population_municipale=p,
                population_millesime=millesime,
                stratum=stratum_for(Kind.REGION, AuthorityType.CONSEIL_REGIONAL, p),
                region=r["code"],
                departements=tuple(sorted(d["code"] for d in frame_deps if d["region"] == r["code"])),
            )
        )
    dep_codes = {d["code"] for d in frame_deps}
    for s in SPECIAL_AUTHORITIES:
        missing = [d for d in s["departements"] if d not in dep_codes]
        if missing:
            raise RegistryError(f"départements {missing} de {s['name']} absents de la source")
        p = sum(pop_by_dep[d] for d in s["departements"])
        deps = tuple(s["departements"])
        out.append(
            Authority(
                code=s["code"],
                name=s["name"],
                kind=s["kind"],
                type=s["type"],
                population_municipale=p,
                population_millesime=millesime,
                stratum=stratum_for(s["kind"], s["type"], p),
                region=s["region"],
                departement=deps[0] if len(deps) == 1 else None,
                departements=deps,
            )
        )
    return out


def manifest_fields(src: SourceData, *, integrity: str | None = None) -> dict[str, Any]:
    """Source, millésime and population provenance written into the manifest."""
    cog = cog_year(src.version)
    millesime = cog - MILLESIME_LAG
    return {
        "source": {
            "package": PACKAGE,
            "version": src.version,
            "cog": cog,
            "npm_integrity": integrity,
            "url": f"https://www.npmjs.com/package/{PACKAGE}/v/{src.version}",
            "licence": "Licence Ouverte (données), MIT (code)",
        },
        "population": {
            "communes": {
                "field": "population_municipale",
                "millesime": millesime,
                "in_force": f"{cog}-01-01",
                "label": f"population municipale INSEE, millésime {millesime} (en vigueur au 1er janvier {cog})",
                "source": "INSEE, populations légales (champ « population » de communes.json)",
            },
            "epci": {
                "field": "population_municipale",
                "method": (
                    f"somme des populations municipales {millesime} des communes membres "
                    "(même millésime que les communes)"
                ),
                "source_figures": (
                    "epci.json (fichier DGCL epcicom) donne populationMunicipale/populationTotale d'un autre "
                    "millésime (pour la version 6.0.0 : populations municipales 2021, identiques à celles du paquet "
                    "4.1.0 pour 34 816 des 34 871 communes membres) ; conservées dans "
                    "source_population_municipale/source_population_totale, non utilisées pour les strates"
                ),
            },
            "councils": f"somme des populations municipales {millesime} des communes du territoire",
        },
        "built_at": dt.date.today().isoformat(),
    }


def fetch_package(version: str, dest: Path) -> tuple[Path, str | None]:
    """``npm pack`` the package into ``dest``; return the unpacked dir and npm's integrity string."""
    npm = shutil.which("npm")
    if npm is None:
        raise RegistryError("npm introuvable : installez Node.js/npm pour reconstruire le registre")
    try:
        proc = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", str(dest)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=dest,
        )
    except subprocess.TimeoutExpired:
        raise RegistryError("npm pack n'a pas répondu en 5 minutes") from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise RegistryError(f"npm pack {PACKAGE}@{version} a échoué : {last}")
    integrity: str | None = None
    filename = None
    try:
        info = json.loads(proc.stdout)
        integrity = info[0].get("integrity")
        filename = info[0].get("filename")
    except (json.JSONDecodeError, IndexError, KeyError, AttributeError):
        pass
    tgz = dest / filename if filename else next(iter(sorted(dest.glob("*.tgz"))), None)
    if tgz is None or not tgz.exists():
        raise RegistryError("archive npm introuvable après npm pack")
    with tarfile.open(tgz, "r:gz") as tar:
        tar.extractall(dest, filter="data")
    return dest / "package", integrity


def build_snapshot(directory: Path, version: str = DEFAULT_VERSION, package_dir: Path | None = None) -> Path:
    """Fetch (unless ``package_dir`` is given), build and write the snapshot into ``directory``."""
    from barometre.core.registry.snapshot import write_snapshot

    with tempfile.TemporaryDirectory(prefix="barometre-registry-") as tmp:
        integrity: str | None = None
        if package_dir is None:
            package_dir, integrity = fetch_package(version, Path(tmp))
        src = read_package(package_dir)
        if src.version != version:
            raise RegistryError(f"paquet en version {src.version}, {version} demandée")
        fields = manifest_fields(src, integrity=integrity)
        authorities = build_authorities(src, fields["population"]["communes"]["millesime"])
        write_snapshot(directory, authorities, fields)
    return directory
