"""Human labels of breakdown values (strata, kinds, régions, published groupings)."""

from __future__ import annotations

from barometre.core.indicators.catalogue import Catalogue
from barometre.core.registry.model import KIND_LABELS, KIND_LABELS_EN, STRATUM_LABELS, STRATUM_LABELS_EN, Kind, Stratum

#: Région names by INSEE code (territories, not councils).
REGION_NAMES = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}


def domain_label(catalogue: Catalogue, breakdown: str, value: str, lang: str = "fr") -> str:
    if breakdown == "ensemble":
        return "Ensemble des collectivités" if lang == "fr" else "All authorities"
    if breakdown == "strate":
        try:
            return (STRATUM_LABELS_EN if lang == "en" else STRATUM_LABELS)[Stratum(value)]
        except ValueError:
            return value
    if breakdown == "type":
        try:
            return (KIND_LABELS_EN if lang == "en" else KIND_LABELS)[Kind(value)]
        except ValueError:
            return value
    if breakdown == "region":
        return REGION_NAMES.get(value, value)
    b = catalogue.breakdowns.get(breakdown)
    if b is not None:
        for d in b.domains:
            if d.value == value:
                return d.label.get(lang)
    return value
