"""Census margins of the adult population for weighting the poll (``data/poll/census_margins.yaml``).

The data file holds the census counts as published; this module derives the margins of the
population aged 18 or over that the raking uses, with the rules the data file states:

* sex × age: five-year groups combined into 18–24, 25–34, 35–49, 50–64, 65+; 18–24 counts the
  20–24 group and 2/5 of the 15–19 group (the table does not separate 18–19 year-olds);
* occupation: both sexes, farmers grouped with craftsmen, shopkeepers and business owners; the
  15–19 row counts for 2/5;
* région and size of commune: population of all ages, as given.

Every margin is used as shares scaled to the total of the sex × age margin (the sources are of
different years and territories, so their totals differ).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from barometre.core import yamlfile
from barometre.core.errors import PollError
from barometre.core.paths import POLL_DATA_DIR

FloatArray = npt.NDArray[np.float64]

SEXES = ("femme", "homme")
AGE_GROUPS = ("18_24", "25_34", "35_49", "50_64", "65_plus")
#: Occupation groups used for quotas and raking (farmers merged with craftsmen).
OCCUPATION_GROUPS = (
    "agriculteurs_artisans",
    "cadres",
    "prof_intermediaires",
    "employes",
    "ouvriers",
    "retraites",
    "autres_inactifs",
)
#: Occupation answered in the questionnaire → its group.
OCCUPATION_GROUP_OF = {
    "agriculteurs": "agriculteurs_artisans",
    "artisans_commercants": "agriculteurs_artisans",
    "cadres": "cadres",
    "prof_intermediaires": "prof_intermediaires",
    "employes": "employes",
    "ouvriers": "ouvriers",
    "retraites": "retraites",
    "autres_inactifs": "autres_inactifs",
}
#: The margins, in raking order (the last one is met exactly).
MARGIN_IDS = ("sexe_age", "region", "taille_commune", "profession")
#: Share of the census 15–19 group counted as 18–19 year-olds (equal spread over five ages).
SHARE_18_19 = 2.0 / 5.0

_AGE_OF_FIVE_YEAR = {
    "15_19": ("18_24", SHARE_18_19),
    "20_24": ("18_24", 1.0),
    "25_29": ("25_34", 1.0),
    "30_34": ("25_34", 1.0),
    "35_39": ("35_49", 1.0),
    "40_44": ("35_49", 1.0),
    "45_49": ("35_49", 1.0),
    "50_54": ("50_64", 1.0),
    "55_59": ("50_64", 1.0),
    "60_64": ("50_64", 1.0),
}


def age_group(age: int) -> str:
    """Age group of an adult (18 or over)."""
    if age < 18:
        raise PollError(f"âge {age} : le sondage porte sur les personnes de 18 ans ou plus")
    for bound, code in ((25, "18_24"), (35, "25_34"), (50, "35_49"), (65, "50_64")):
        if age < bound:
            return code
    return "65_plus"


def sex_age(sex: str, age: int) -> str:
    return f"{sex}_{age_group(age)}"


@dataclass(frozen=True)
class Margin:
    """One raking margin: category codes, population shares (sum 1) and targets (scaled totals)."""

    id: str
    label: dict[str, str]
    categories: tuple[str, ...]
    shares: FloatArray
    targets: FloatArray
    source: dict[str, Any]
    method: dict[str, str]

    def code_of(self, category: str) -> int:
        try:
            return self.categories.index(category)
        except ValueError:
            raise PollError(f"marge {self.id} : catégorie inconnue {category!r}") from None


@dataclass(frozen=True)
class CensusMargins:
    universe: dict[str, str]
    total: float
    margins: tuple[Margin, ...]

    def margin(self, mid: str) -> Margin:
        for m in self.margins:
            if m.id == mid:
                return m
        raise PollError(f"marge inconnue : {mid!r}")


def _counts(entry: dict[str, Any], path: Path) -> dict[str, Any]:
    counts = entry.get("counts")
    if not isinstance(counts, dict) or not counts:
        raise PollError(f"{path}: marge {entry.get('id')!r} : effectifs (counts) manquants")
    return {str(k): v for k, v in counts.items()}


def _sex_age(entry: dict[str, Any], path: Path) -> tuple[tuple[str, ...], FloatArray]:
    cats = tuple(f"{s}_{a}" for s in SEXES for a in AGE_GROUPS)
    tot = dict.fromkeys(cats, 0.0)
    for five, (men, women) in _counts(entry, path).items():
        group, share = _AGE_OF_FIVE_YEAR.get(five, ("65_plus", 1.0))
        tot[f"homme_{group}"] += share * float(men)
        tot[f"femme_{group}"] += share * float(women)
    return cats, np.array([tot[c] for c in cats])


def _occupation(entry: dict[str, Any], path: Path) -> tuple[tuple[str, ...], FloatArray]:
    columns = [str(c) for c in entry.get("columns", [])]
    if sorted(columns) != sorted(OCCUPATION_GROUP_OF):
        raise PollError(f"{path}: marge profession : colonnes attendues {', '.join(OCCUPATION_GROUP_OF)}")
    tot = dict.fromkeys(OCCUPATION_GROUPS, 0.0)
    for age, row in _counts(entry, path).items():
        share = SHARE_18_19 if age == "15_19" else 1.0
        for col, value in zip(columns, row, strict=True):
            tot[OCCUPATION_GROUP_OF[col]] += share * float(value)
    return OCCUPATION_GROUPS, np.array([tot[c] for c in OCCUPATION_GROUPS])


def _plain(entry: dict[str, Any], path: Path) -> tuple[tuple[str, ...], FloatArray]:
    counts = _counts(entry, path)
    return tuple(counts), np.array([float(v) for v in counts.values()])


def load_margins(path: Path | None = None) -> CensusMargins:
    path = path or POLL_DATA_DIR / "census_margins.yaml"
    return _load(str(path), path.stat().st_mtime)


@cache
def _load(path_text: str, mtime: float) -> CensusMargins:
    path = Path(path_text)
    doc = yamlfile.load_file(path)
    entries = {str(e.get("id")): e for e in doc.get("margins", [])}
    missing = [m for m in MARGIN_IDS if m not in entries]
    if missing:
        raise PollError(f"{path}: marges manquantes : {', '.join(missing)}")
    raw: list[tuple[dict[str, Any], tuple[str, ...], FloatArray]] = []
    for mid in MARGIN_IDS:
        entry = entries[mid]
        if not isinstance(entry.get("source"), dict) or "title" not in entry["source"]:
            raise PollError(f"{path}: marge {mid} : source manquante")
        if mid == "sexe_age":
            cats, counts = _sex_age(entry, path)
        elif mid == "profession":
            cats, counts = _occupation(entry, path)
        else:
            cats, counts = _plain(entry, path)
        if np.any(counts <= 0):
            raise PollError(f"{path}: marge {mid} : effectif nul ou négatif")
        raw.append((entry, cats, counts))
    total = float(raw[0][2].sum())
    margins = tuple(
        Margin(
            id=str(entry["id"]),
            label={k: str(v) for k, v in entry["label"].items()},
            categories=cats,
            shares=counts / counts.sum(),
            targets=total * counts / counts.sum(),
            source=dict(entry["source"]),
            method={k: str(v) for k, v in (entry.get("method") or {}).items()},
        )
        for entry, cats, counts in raw
    )
    return CensusMargins({k: str(v) for k, v in doc["universe"].items()}, total, margins)


def occupation_table(path: Path | None = None) -> tuple[tuple[str, ...], dict[str, FloatArray]]:
    """The census occupation table as published: its columns and one row of counts per age group."""
    path = path or POLL_DATA_DIR / "census_margins.yaml"
    doc = yamlfile.load_file(path)
    entry = next(e for e in doc["margins"] if e.get("id") == "profession")
    return tuple(str(c) for c in entry["columns"]), {
        str(k): np.array(v, dtype=np.float64) for k, v in entry["counts"].items()
    }
