"""The areas of small-area estimation and their covariates, from the registry alone.

Areas are *geographic* territories, not councils: the 101 départements (96 metropolitan, Corse as
2A and 2B, and the five overseas départements 971–974, 976), whatever the authority that runs them
(Ville de Paris, Collectivité européenne d'Alsace, collectivités uniques…), and the 18 régions. A
respondent belongs to the area of its ``departement`` / ``region`` attribute in the frame (a
commune's, an EPCI's seat's, a council's own); régions' councils have no département.

Covariates (known for every area, so the model also predicts areas without respondents), computed
from the communes of the frame:

* ``log_population``: log of the area's municipal population;
* ``share_small_communes``: share of its communes under 1,000 inhabitants (rural fabric: the
  barometer's indicators fall sharply with the size of the authority);
* ``log_communes_per_epci``: log of the mean number of communes per EPCI seated in the area
  (fragmentation: many small communes grouped in large intercommunalités).

They are centred and scaled over the areas of the level (the fit is unchanged, the coefficients
are comparable). Régions, being only 18, use the first two only (p = 3 with the intercept), so
that the model keeps enough degrees of freedom.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from barometre.core.errors import StatsError
from barometre.core.weighting.units import FrameArrays
from barometre.core.wording.labels import REGION_NAMES

Level = Literal["departement", "region"]
LEVELS: tuple[Level, ...] = ("departement", "region")
SMALL_COMMUNE = 1000

#: Names of the 101 geographic départements (COG), by code.
DEPARTEMENT_NAMES: Mapping[str, str] = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes", "09": "Ariège", "10": "Aube", "11": "Aude",
    "12": "Aveyron", "13": "Bouches-du-Rhône", "14": "Calvados", "15": "Cantal", "16": "Charente",
    "17": "Charente-Maritime", "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse",
    "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs", "26": "Drôme",
    "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard", "31": "Haute-Garonne", "32": "Gers",
    "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine", "36": "Indre", "37": "Indre-et-Loire",
    "38": "Isère", "39": "Jura", "40": "Landes", "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire",
    "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot", "47": "Lot-et-Garonne", "48": "Lozère",
    "49": "Maine-et-Loire", "50": "Manche", "51": "Marne", "52": "Haute-Marne", "53": "Mayenne",
    "54": "Meurthe-et-Moselle", "55": "Meuse", "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord",
    "60": "Oise", "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin", "69": "Rhône",
    "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie",
    "75": "Paris", "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres",
    "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse", "85": "Vendée",
    "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort",
    "91": "Essonne", "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}  # fmt: skip


@dataclass(frozen=True)
class AreaCovariates:
    """The areas of one level, in code order, and their design matrix (intercept first)."""

    level: Level
    codes: tuple[str, ...]
    names: tuple[str, ...]
    covariate_names: tuple[str, ...]
    #: raw covariates [areas, k] (before scaling), for the analyst's view
    raw: npt.NDArray[np.float64]
    #: design matrix [areas, 1 + k]: intercept and centred, scaled covariates
    x: npt.NDArray[np.float64]

    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}


def area_names(level: Level) -> Mapping[str, str]:
    return DEPARTEMENT_NAMES if level == "departement" else REGION_NAMES


def area_covariates(frame: FrameArrays, level: Level) -> AreaCovariates:
    """Covariates of every area of ``level`` (module doc); StatsError if an area has no commune."""
    if level not in LEVELS:
        raise StatsError(f"niveau {level!r} inconnu (departement ou region)")
    names = area_names(level)
    codes = tuple(sorted(names))
    communes = frame.kind == "commune"
    epcis = frame.kind == "epci"
    key = frame.departement if level == "departement" else frame.region
    raw = np.zeros((len(codes), 3))
    for i, code in enumerate(codes):
        in_area = key == code
        pop = frame.population[communes & in_area]
        if pop.size == 0:
            raise StatsError(f"aucune commune du {level} {code} dans la base de sondage")
        n_epci = int((epcis & in_area).sum())
        raw[i] = (
            np.log(max(float(pop.sum()), 1.0)),
            float(np.mean(pop < SMALL_COMMUNE)),
            np.log(pop.size / max(n_epci, 1)),
        )
    cov_names: tuple[str, ...] = ("log_population", "share_small_communes", "log_communes_per_epci")
    if level == "region":
        raw, cov_names = raw[:, :2], cov_names[:2]
    sd = raw.std(axis=0)
    scaled = (raw - raw.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    x = np.column_stack([np.ones(len(codes)), scaled])
    return AreaCovariates(level, codes, tuple(names[c] for c in codes), cov_names, raw, x)
