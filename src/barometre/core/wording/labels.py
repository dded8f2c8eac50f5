"""Human labels of breakdown values (strata, kinds of authority, régions, published groupings).

One function for every surface: the note, the explorer, the API pages.
"""

from __future__ import annotations

from collections.abc import Mapping

from barometre.core.indicators.catalogue import Catalogue, Indicator
from barometre.core.registry.model import (
    KIND_LABELS,
    KIND_LABELS_EN,
    STRATUM_LABELS,
    STRATUM_LABELS_EN,
    TYPE_LABELS,
    TYPE_LABELS_EN,
    Kind,
    Stratum,
)

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
        return stratum_name(domain, lang)
    if b.attribute == "kind":
        try:
            k = Kind(domain)
        except ValueError:
            return domain
        return kind_label(k, lang)
    if b.attribute == "region":
        return regions.get(domain, domain)
    return domain


def stratum_label(stratum: Stratum, lang: str = "fr") -> str:
    """The name of a sampling stratum (``core.registry``)."""
    return (STRATUM_LABELS_EN if lang == "en" else STRATUM_LABELS)[stratum]


def stratum_name(code: str, lang: str = "fr") -> str:
    """The name of the stratum coded ``code``; the code itself when it names none."""
    try:
        return stratum_label(Stratum(code), lang)
    except ValueError:
        return code


def kind_label(kind: Kind, lang: str = "fr") -> str:
    """The name of a kind of authority (commune, EPCI, département…)."""
    return (KIND_LABELS_EN if lang == "en" else KIND_LABELS)[kind]


def type_label(authority_type: str, lang: str = "fr") -> str:
    """The name of an authority's legal type (``AuthorityType``); the code itself when unknown."""
    return (TYPE_LABELS_EN if lang == "en" else TYPE_LABELS).get(authority_type, authority_type)


#: Wording of the disclosure reason codes (``core.stats.disclosure``) and of the imprecise mark.
REASON_LABELS: Mapping[str, Mapping[str, str]] = {
    "confidentiality": {
        "fr": "secret statistique (trop peu de répondants)",
        "en": "statistical confidentiality (too few respondents)",
    },
    "complementary": {
        "fr": "secret statistique (masquée pour protéger une autre cellule)",
        "en": "statistical confidentiality (withheld to protect another cell)",
    },
    "precision": {
        "fr": "trop imprécise pour être diffusée",
        "en": "too imprecise to be published",
    },
}
IMPRECISE_LABEL: Mapping[str, str] = {
    "fr": "imprécis — à interpréter avec prudence",
    "en": "imprecise — interpret with caution",
}


def reason_label(code: str | None, lang: str = "fr") -> str:
    """Wording of a hidden cell's reason code in ``lang`` ("" for a shown cell)."""
    if not code:
        return ""
    labels = REASON_LABELS.get(code)
    if labels is None:
        return REASON_LABELS["confidentiality"]["en" if lang == "en" else "fr"]
    return labels["en" if lang == "en" else "fr"]


def imprecise_label(lang: str = "fr") -> str:
    return IMPRECISE_LABEL["en" if lang == "en" else "fr"]


#: The interval method of every published estimate (``core.indicators.compute.INTERVAL_METHOD``)
#: and the assumption it rests on: every methodology text quotes these words.
INTERVAL_METHOD_TEXT: Mapping[str, str] = {
    "fr": (
        "intervalles de confiance à 95 % de Korn–Graubard (Clopper–Pearson sur la taille d'échantillon "
        "effective, à partir de la variance par linéarisation du plan stratifié et calé)"
    ),
    "en": (
        "95% Korn–Graubard confidence intervals (Clopper–Pearson on the effective sample size, from the "
        "linearisation variance of the stratified, calibrated design)"
    ),
}
MAR_ASSUMPTION_TEXT: Mapping[str, str] = {
    "fr": (
        "Ils ne couvrent que l'erreur d'échantillonnage, sous l'hypothèse que la réponse est aléatoire "
        "au sein des classes de pondération (ce qu'une enquête à participation volontaire ne peut garantir)."
    ),
    "en": (
        "They cover sampling error only, under the assumption that response is at random within the "
        "weighting classes (which a voluntary survey cannot guarantee)."
    ),
}


def interval_method_text(lang: str = "fr") -> str:
    """The interval method and its assumption, in one paragraph (every methodology text)."""
    key = "en" if lang == "en" else "fr"
    method = INTERVAL_METHOD_TEXT[key]
    return f"{method[0].upper()}{method[1:]}. {MAR_ASSUMPTION_TEXT[key]}"


PERIOD_LABELS: Mapping[str, Mapping[str, str]] = {
    "current": {"fr": "situation à la date de l'enquête", "en": "situation on the survey date"},
    "12_months": {"fr": "au cours des 12 derniers mois", "en": "in the last 12 months"},
    "ever": {"fr": "à un moment quelconque", "en": "at any time"},
}


def plain_definition(ind: Indicator, cat: Catalogue, edition: int | None = None, lang: str = "fr") -> str:
    """The indicator in plain words (universe, question, period), never its expression."""
    key = "en" if lang == "en" else "fr"
    if ind.description is not None:
        return ind.description.get(key)
    universe = cat.universes[ind.universe].label.get(key)
    period = PERIOD_LABELS[ind.period][key]
    among = ind.among_label.get(key) if ind.among_label is not None else None
    if key == "fr":
        lowered = universe if universe[1:2].isupper() else universe[:1].lower() + universe[1:]
        base = f"Part des collectivités (champ : {lowered}"
        base += f", parmi {among})" if among else ")"
        return f"{base} qui répondent : « {ind.label.fr} » — {period}."
    lowered = universe if universe[1:2].isupper() else universe[:1].lower() + universe[1:]
    base = f"Share of authorities (coverage: {lowered}"
    base += f", among {among})" if among else ")"
    return f"{base} answering: “{ind.label.en}” — {period}."


def definition_pair(ind: Indicator, cat: Catalogue, edition: int | None = None) -> dict[str, str]:
    """``{fr, en}`` plain definition (the API, the open data, ``indicators compute``)."""
    return {"fr": plain_definition(ind, cat, edition, "fr"), "en": plain_definition(ind, cat, edition, "en")}
