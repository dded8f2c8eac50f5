"""The base of a published figure (who the publication counted), as a reader reads it.

``data/indicators.yaml`` records each published value's base as the publication states it, in a
short English form (``all respondents``, ``authorities > 3,500``…); this module words it in French
or English. An unknown base is shown as given; ``unclear`` (the publication does not say) is worded.
"""

from __future__ import annotations

from barometre.core.wording import pick

_BASES: dict[str, tuple[str, str]] = {
    "all respondents": ("ensemble des collectivités répondantes", "all responding authorities"),
    "unclear": ("base non précisée par la publication", "base not stated by the publication"),
    "authorities > 3,500": ("collectivités de plus de 3 500 habitants", "authorities over 3,500 inhabitants"),
    "authorities > 3,500 with data-use rules": (
        "collectivités de plus de 3 500 habitants ayant défini des règles d'usage des données",
        "authorities over 3,500 inhabitants with data-use rules",
    ),
    "authorities < 25,000 inhabitants": (
        "collectivités de moins de 25 000 habitants",
        "authorities under 25,000 inhabitants",
    ),
    "communes < 3,500": ("communes de moins de 3 500 habitants", "communes under 3,500 inhabitants"),
    "communes 3,500–10,000": ("communes de 3 500 à 10 000 habitants", "communes of 3,500 to 10,000 inhabitants"),
    "communes > 100,000": ("communes de plus de 100 000 habitants", "communes over 100,000 inhabitants"),
    "EPCI": ("EPCI", "EPCI"),
    "EPCI excluding métropoles": ("EPCI hors métropoles", "EPCI excluding métropoles"),
    "authorities engaged in AI": ("collectivités engagées dans l'IA", "authorities engaged in AI"),
    "authorities using AI": ("collectivités utilisant l'IA", "authorities using AI"),
    "communes engaged in AI": ("communes engagées dans l'IA", "communes engaged in AI"),
    "départements engaged in AI": ("départements engagés dans l'IA", "départements engaged in AI"),
    "départements": ("départements", "départements"),
    "métropoles and régions": ("métropoles et régions", "métropoles and régions"),
    "métropoles": ("métropoles", "métropoles"),
    "régions": ("régions", "régions"),
}


def base_label(base: str, lang: str = "fr") -> str:
    """``all respondents`` → « ensemble des collectivités répondantes » (fr) / "all responding authorities"."""
    pair = _BASES.get(base.strip())
    if pair is None:
        return base
    return pick(lang, *pair)
