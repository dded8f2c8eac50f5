"""The note's département map (model-based estimates, Fay–Herriot) and its methodology annex text.

The map colours every geographic département by its model-based estimate (``core.sae``: EBLUP where
the département has at least the disclosure minimum of respondents, synthetic estimate elsewhere),
hatches those whose CV is above 30 %, and says "estimation par modèle" in its title, legend and
table, with the direct estimate beside it when it is published. Outlines:
``data/maps/departements.json`` (@gouvfr/dsfr-chart, MIT).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.colors import Normalize
from matplotlib.patches import PathPatch, Rectangle

from barometre.core.paths import DATA_DIR
from barometre.core.report import figures as fg
from barometre.core.report.model import SmallAreaMap
from barometre.core.stats import DisclosureRule
from barometre.core.wording.numbers import format_number, format_percent

DEPARTEMENTS_PATH = DATA_DIR / "maps" / "departements.json"
MAX_CV = 0.3


@functools.lru_cache(maxsize=1)
def load_departements(path: Path = DEPARTEMENTS_PATH) -> dict[str, fg.RegionShape]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, fg.RegionShape] = {}
    for code, r in raw["departements"].items():
        a, b, c, d = (float(v) for v in str(r["viewbox"]).split())
        out[code] = fg.RegionShape(
            code, code, (a, b, c, d), bool(r.get("inset")), tuple(fg.svg_path(p) for p in r["paths"])
        )
    return out


def departement_map(
    out_dir: Path,
    chart_id: str,
    title: str,
    values: Mapping[str, tuple[str, float, float | None, float | None, int, str]],
    *,
    lang: str,
    legend: str,
    text_svg_dir: Path | None = None,
) -> fg.ChartFiles:
    """Départements coloured by model-based estimate; hatched where CV > 30 %.

    ``values``: code → (name, estimate, cv, direct or None, n, method)."""
    fg.setup_style()
    shapes = load_departements()
    norm = Normalize(0, 100)
    fig = plt.figure(figsize=(7.2, 6.0))
    main = fig.add_axes((0.2, 0.12, 0.78, 0.86))

    def draw(ax: Any, s: fg.RegionShape) -> None:
        v = values.get(s.code)
        for p in s.paths:
            face = fg.ND_MAP if v is None else fg.MAP_CMAP(norm(v[1]))
            hatch = "////" if v is not None and (v[2] is None or v[2] > MAX_CV) else None
            ax.add_patch(PathPatch(p, facecolor=face, edgecolor="white", linewidth=0.4, hatch=hatch))
        ax.set_xlim(s.viewbox[0], s.viewbox[0] + s.viewbox[2])
        ax.set_ylim(s.viewbox[1] + s.viewbox[3], s.viewbox[1])
        ax.set_aspect("equal")
        ax.axis("off")

    for s in shapes.values():
        if not s.inset:
            draw(main, s)
    main.set_xlim(0, 1010)
    main.set_ylim(1010, 0)
    for i, s in enumerate(sorted((s for s in shapes.values() if s.inset), key=lambda r: r.code)):
        ax = fig.add_axes((0.02, 0.84 - i * 0.16, 0.13, 0.12))
        draw(ax, s)
        ax.set_title(values[s.code][0] if s.code in values else s.code, fontsize=7, color="#3A3A3A", pad=1)
    cax = fig.add_axes((0.45, 0.07, 0.4, 0.022))
    cb = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=fg.MAP_CMAP), cax=cax, orientation="horizontal")
    cb.ax.xaxis.set_major_formatter(fg._pct_formatter(lang))
    cb.ax.tick_params(labelsize=7)
    cb.outline.set_visible(False)
    fig.patches.append(
        Rectangle(
            (0.02, 0.025), 0.03, 0.02, transform=fig.transFigure, facecolor=fg.MAP_CMAP(0.5), hatch="////",
            edgecolor="white", linewidth=0.5,
        )
    )  # fmt: skip
    fig.text(0.06, 0.029, legend, fontsize=7, color=fg.GREY, ha="left")
    rows = [[code, *values[code]] for code in sorted(values)]
    header = ["departement", "name", "estimate_model", "cv", "direct", "n", "method"]
    return fg._save(fig, out_dir, chart_id, title, header, rows, text_svg_dir=text_svg_dir)


def _strings(lang: str) -> dict[str, str]:
    if lang == "fr":
        return {
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
        }
    return {
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
    }


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


def annex_section(b: Any) -> dict[str, Any] | None:
    """Title, paragraphs and map figure of the annex's small-area section (None without data).

    ``b``: the note builder (its language, edition, catalogue, chart queue and notes helpers)."""
    from barometre.core.report.blocks import FigureBlock, Table
    from barometre.core.wording.note import text as tx

    maps: tuple[SmallAreaMap, ...] = b.d.small_areas
    if not maps:
        return None
    m = maps[0]
    lang = b.lang
    s = _strings(lang)
    ind = next((i for i in b.cat.indicators if i.id == m.indicator), None)
    label = tx.indicator_label(ind, lang, short=True) if ind is not None else m.indicator
    title = s["map_title"].format(label=label, year=b.year)
    values = {a.area: (a.name, a.estimate, a.cv, a.direct, a.n, a.method) for a in m.areas}
    cid = b.chart_id(f"{m.indicator}_departements_model")
    files = b.plot(departement_map, b.fig_dir, cid, title, values, lang=lang, legend=s["legend"])

    def cv_text(cv: float | None) -> str:
        return "—" if cv is None else format_percent(100 * cv, 0, lang)

    rows: list[list[Any]] = [
        [
            (f"{a.name} ({a.area})",),
            (format_percent(a.estimate, 0, lang),),
            (cv_text(a.cv),),
            (s["nd"] if a.direct is None else format_percent(a.direct, 0, lang),),
            ("—" if a.n is None else format_number(a.n, 0, lang),),
            (s.get(a.method, a.method),),
        ]
        for a in m.areas
    ]
    table = Table(cid, title, s["head"].split("|"), rows, numeric={1, 2, 3, 4})
    hi = max(m.areas, key=lambda a: (a.estimate, a.name))
    lo = min(m.areas, key=lambda a: (a.estimate, a.name))
    sep = " : " if lang == "fr" else ": "
    alt = (
        f"{s['alt']}{sep}{title}. {s['high']}{sep}{hi.name} ({format_percent(hi.estimate, 0, lang)}) ; "
        f"{s['low']}{sep}{lo.name} ({format_percent(lo.estimate, 0, lang)})."
    )
    if lang != "fr":
        alt = alt.replace(" ; ", "; ")
    first = next((a for a in m.areas if a.direct is not None), m.areas[0])
    est, cv = format_percent(first.estimate, 0, lang), cv_text(first.cv)
    direct = None if first.direct is None else format_percent(first.direct, 0, lang)
    if lang == "fr":
        text = f"{first.name} : {est} selon le modèle (CV {cv})" + (
            f", {direct} en estimation directe." if direct else "."
        )
    else:
        text = f"{first.name}: {est} according to the model (CV {cv})" + (
            f", {direct} as a direct estimate." if direct else "."
        )
    lecture: tuple[str, ...] = (text,)
    figure = FigureBlock(cid, title, alt, files, s["champ"], b.source_line(), lecture, s["interval"], table)
    rule_min = DisclosureRule().min_respondents
    return {"title": s["title"], "paragraphs": annex_paragraphs(m, label, rule_min, lang), "figure": figure}
