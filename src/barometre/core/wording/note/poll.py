"""What the note's "Regard des Français" chapter says (:mod:`barometre.core.report.poll` builds it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from barometre.core.wording import lang_key

_HEAD: Mapping[str, Sequence[str]] = {
    "fr": ["Les Français…", "Estimation", "Intervalle à 95 %", "Chiffre publié", "Côté collectivités (même édition)"],
    "en": ["The French…", "Estimate", "95% interval", "Published figure", "Authorities (same edition)"],
}
_TEXT: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "title": "Regard des Français",
        "intro": (
            "Chaque note met les chiffres des collectivités en regard de l'opinion des Français. Sondage auprès de "
            "{n} personnes de 18 ans ou plus résidant en France métropolitaine, constitué selon la méthode des quotas "
            "(sexe × âge, région, taille de la commune, catégorie socioprofessionnelle) et redressé sur les marges du "
            "recensement de l'Insee ; les intervalles de confiance à 95 % tiennent compte du redressement. "
            "Base : ensemble des personnes interrogées ({n})."
        ),
        "caption": "Opinion des Français et pratiques des collectivités, {y}",
        "base": "ensemble des personnes interrogées ({n}), en pourcentage ; collectivités : champ de chaque indicateur",
        "source": "{src} ; estimations : Baromètre, sondage {y}{sim}",
        "sim": " (données simulées)",
        "simulated": (
            "Données simulées : ce sondage est simulé pour la démonstration, ses réponses sont ajustées aux chiffres "
            "publiés ; ce ne sont pas les réponses de l'institut."
        ),
        "deff": "effet de plan {d}",
    },
    "en": {
        "title": "The French view",
        "intro": (
            "Every note sets the authorities' figures beside the opinion of the French. Poll of {n} people aged 18 or "
            "over living in metropolitan France, drawn by quotas (sex × age, region, size of commune, occupation) and "
            "weighted to INSEE census margins; the 95% confidence intervals account for the weighting. "
            "Base: all people interviewed ({n})."
        ),
        "caption": "Opinion of the French and practices of local authorities, {y}",
        "base": "all people interviewed ({n}), in percent; authorities: scope of each indicator",
        "source": "{src}; estimates: Baromètre, {y} poll{sim}",
        "sim": " (simulated data)",
        "simulated": (
            "Simulated data: this poll is simulated for the demonstration, its answers fitted to the published "
            "figures; they are not the institute's answers."
        ),
        "deff": "design effect {d}",
    },
}


def head(lang: str) -> list[str]:
    """The head of the chapter's table."""
    return list(_HEAD[lang_key(lang)])


def strings(lang: str) -> Mapping[str, str]:
    """Title, introduction, caption, base, source and simulated-data notice (``str.format`` fields:
    ``n`` respondents, ``y`` year, ``src`` source, ``sim`` simulated mark, ``d`` design effect)."""
    return _TEXT[lang_key(lang)]
