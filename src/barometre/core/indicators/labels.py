"""Human labels of breakdown values (strata, kinds of authority, régions, published groupings).

One function for every surface: the note, the explorer, the API pages.
"""

from __future__ import annotations

from collections.abc import Mapping

from barometre.core.indicators.catalogue import Catalogue
from barometre.core.registry.model import KIND_LABELS, KIND_LABELS_EN, STRATUM_LABELS, STRATUM_LABELS_EN, Kind, Stratum

#: Région names by INSEE code (territories, not councils).
REGION_NAMES: Mapping[str, str] = {
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
ALL_AUTHORITIES = {"fr": "Ensemble des collectivités", "en": "All authorities"}


def domain_label(
    cat: Catalogue,
    breakdown: str,
    domain: str,
    lang: str = "fr",
    regions: Mapping[str, str] = REGION_NAMES,
    all_label: str | None = None,
) -> str:
    """Label of ``domain`` (a value of ``breakdown``) in ``lang``; the value itself when unknown."""
    b = cat.breakdowns.get(breakdown)
    if b is None:
        return domain
    if b.is_all:
        return all_label or ALL_AUTHORITIES["en" if lang == "en" else "fr"]
    for d in b.domains:
        if d.value == domain:
            return d.label.get(lang)
    if b.attribute == "stratum":
        try:
            s = Stratum(domain)
        except ValueError:
            return domain
        return (STRATUM_LABELS_EN if lang == "en" else STRATUM_LABELS)[s]
    if b.attribute == "kind":
        try:
            k = Kind(domain)
        except ValueError:
            return domain
        return (KIND_LABELS_EN if lang == "en" else KIND_LABELS)[k]
    if b.attribute == "region":
        return regions.get(domain, domain)
    return domain
