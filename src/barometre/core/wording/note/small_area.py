"""What the note's département map and its annex section say (:mod:`barometre.core.report.small_area`
draws the map and lays the section out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from barometre.core.wording import lang_key
from barometre.core.wording.numbers import format_number

if TYPE_CHECKING:
    from barometre.core.report.model import SmallAreaMap

_STRINGS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "title": "Estimations par département : modèle de Fay–Herriot",
        "map_title": "{label} : estimation par modèle par département ({year})",
        "legend": "Estimation par modèle ; hachuré : CV au-dessus de 30 %",
        "interval": (
            "CV : racine de l'erreur quadratique moyenne estimée (Prasad–Rao) divisée par l'estimation ; "
            "hachuré au-dessus de 30 %."
        ),
        "alt": "Carte des départements, estimation par modèle",
        "high": "Valeur la plus élevée",
        "low": "la plus basse",
        "head": "Département|Estimation par modèle|CV|Estimation directe|Répondants|Méthode",
        "eblup": "modèle et réponses",
        "synthetic": "modèle seul",
        "nd": "non publiée",
        "champ": "toutes les aires géographiques, y compris les départements d'outre-mer et ceux sans répondant",
    },
    "en": {
        "title": "Estimates by département: Fay–Herriot model",
        "map_title": "{label}: model-based estimate by département ({year})",
        "legend": "Model-based estimate; hatched: CV above 30%",
        "interval": "CV: square root of the estimated mean squared error (Prasad–Rao) over the estimate; "
        "hatched above 30%.",
        "alt": "Map of the départements, model-based estimate",
        "high": "Highest value",
        "low": "lowest",
        "head": "Département|Model-based estimate|CV|Direct estimate|Respondents|Method",
        "eblup": "model and answers",
        "synthetic": "model only",
        "nd": "not published",
        "champ": "every geographic area, overseas départements and those without respondents included",
    },
}


def strings(lang: str) -> Mapping[str, str]:
    """Titles, legend, table head and method names of the département map."""
    return _STRINGS[lang_key(lang)]


def alt_text(title: str, high: tuple[str, str], low: tuple[str, str], lang: str) -> str:
    """The map's alternative text: its title, the highest and the lowest area (name, formatted value)."""
    s = strings(lang)
    sep = " : " if lang == "fr" else ": "
    alt = f"{s['alt']}{sep}{title}. {s['high']}{sep}{high[0]} ({high[1]}) ; {s['low']}{sep}{low[0]} ({low[1]})."
    return alt if lang == "fr" else alt.replace(" ; ", "; ")


def lecture(name: str, estimate: str, cv: str, direct: str | None, lang: str) -> str:
    """How to read one area: its model-based estimate and CV, its direct estimate when published."""
    if lang == "fr":
        return f"{name} : {estimate} selon le modèle (CV {cv})" + (
            f", {direct} en estimation directe." if direct else "."
        )
    return f"{name}: {estimate} according to the model (CV {cv})" + (
        f", {direct} as a direct estimate." if direct else "."
    )


def annex_paragraphs(m: SmallAreaMap, label: str, rule_min: int, lang: str) -> list[str]:
    """The methodology annex's description of the model and of its checks (in ``lang``)."""
    fr = lang == "fr"
    n_direct = sum(a.direct is not None for a in m.areas)
    n_eblup = sum(a.method == "eblup" for a in m.areas)
    refvar = format_number(m.refvar, 1, lang)
    sd = format_number(m.std_residual_sd, 2, lang)
    if fr:
        out = [
            "Avec quelques répondants par département, l'estimation directe est masquée ou très imprécise. "
            "Les départements sont donc aussi estimés par un modèle au niveau des aires (Fay et Herriot, 1979) : "
            "l'estimation directe de chaque département est rapprochée d'une prédiction par régression sur des "
            "caractéristiques connues pour les 101 départements (population, part des communes de moins de "
            "1 000 habitants, nombre de communes par intercommunalité), d'autant plus que l'estimation directe "
            "est imprécise (meilleur prédicteur linéaire sans biais empirique, EBLUP). La variance entre "
            "départements est estimée par maximum de vraisemblance restreint et l'erreur quadratique moyenne "
            "par la formule de Prasad et Rao ; les calculs reproduisent ceux du paquet R sae.",
            "Les variances d'échantillonnage des départements de moins de 10 répondants sont lissées par une "
            "fonction de variance généralisée (effet de plan national × p(1 − p) / n) : la variance directe d'une "
            "proportion sur deux ou trois répondants est nulle dès qu'ils répondent de même.",
            f"Secret statistique : un département de moins de {rule_min} répondants reçoit l'estimation "
            "synthétique du modèle, qui n'utilise pas ses propres réponses ; l'EBLUP, dont on pourrait déduire "
            "l'estimation directe, n'est publié qu'au-delà de ce seuil.",
            f"Contrôles du modèle ({label}) : variance entre départements {refvar} points² "
            + ("(estimation négative ramenée à 0 : les covariables expliquent les écarts entre départements) ; "
               if m.refvar_truncated else "; ")
            + f"écart type des résidus standardisés {sd} (attendu : 1) ; {m.areas_fitted} départements avec "
            f"répondants dans l'ajustement, {n_eblup} estimés par EBLUP, {n_direct} avec une estimation directe "
            f"publiable, dont {m.contradictions} contredite par le modèle au seuil de 5 %.",
        ]  # fmt: skip
    else:
        out = [
            "With a handful of respondents per département, the direct estimate is withheld or very imprecise. "
            "Départements are therefore also estimated with an area-level model (Fay and Herriot, 1979): each "
            "département's direct estimate is drawn towards a regression prediction on characteristics known for "
            "all 101 départements (population, share of communes under 1,000 inhabitants, communes per "
            "inter-municipal body), the more so as the direct estimate is imprecise (empirical best linear "
            "unbiased predictor, EBLUP). The between-département variance is estimated by restricted maximum "
            "likelihood and the mean squared error by the Prasad–Rao formula; the computations reproduce the R "
            "package sae.",
            "Sampling variances of départements with fewer than 10 respondents are smoothed by a generalised "
            "variance function (national design effect × p(1 − p) / n): the direct variance of a proportion on "
            "two or three respondents is zero as soon as they answer alike.",
            f"Statistical confidentiality: a département with fewer than {rule_min} respondents gets the model's "
            "synthetic estimate, which does not use its own answers; the EBLUP, from which the direct estimate "
            "could be recovered, is published only above that threshold.",
            f"Model checks ({label}): between-département variance {refvar} squared points "
            + ("(negative estimate set to 0: the covariates explain the differences between départements); "
               if m.refvar_truncated else "; ")
            + f"standard deviation of the standardised residuals {sd} (expected: 1); {m.areas_fitted} "
            f"départements with respondents in the fit, {n_eblup} estimated by EBLUP, {n_direct} with a "
            f"publishable direct estimate, of which {m.contradictions} contradicted by the model at the 5% level.",
        ]  # fmt: skip
    return out
