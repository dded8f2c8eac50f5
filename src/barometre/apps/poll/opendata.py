"""Open data of a published poll: its own files, apart from the authorities' ones."""

from __future__ import annotations

from pathlib import Path

from barometre.apps.poll import estimates
from barometre.apps.poll.models import PollState
from barometre.apps.poll.services import get
from barometre.core import opendata
from barometre.core.errors import PollError
from barometre.core.poll import load_margins, load_poll_catalogue
from barometre.core.poll.weighting import POLL_DISCLOSURE


def export_poll(year: int, directory: Path) -> opendata.ExportSummary:
    edition = get(year)
    if edition.state != PollState.PUBLISHED:
        raise PollError(f"sondage {year} : seuls les sondages publiés sont exportés (état : {edition.state})")
    cat = load_poll_catalogue()
    labels = {i.id: i.label["fr"] for i in cat.indicators}
    rows = []
    for row in estimates.load(edition):
        fields = estimates.record(row)
        indicator = fields.pop("indicator")
        rows.append({"indicator": indicator, "label": labels.get(indicator, indicator), **fields})
    indicators = []
    for i in cat.for_edition(year):
        pub = i.published_value(year)
        indicators.append(
            {
                "indicator": i.id,
                "label_fr": i.label["fr"],
                "label_en": i.label["en"],
                "question": i.question,
                "codes": "|".join(i.codes),
                "published": None if pub is None else pub.value,
            }
        )
    sources = [{"title": "Sondage : " + cat.source(year, "fr")}] if cat.source(year, "fr") else []
    sources += [
        {"title": f"Marge {m.label['fr']} : {m.source['publisher']}, {m.source['title']}", "path": str(m.source["url"])}
        for m in load_margins().margins
    ]
    computed = (edition.estimates_computed_at or edition.created_at).date().isoformat()
    return opendata.export_poll(
        directory,
        edition={"year": year, "simulated": edition.simulated, "computed_at": computed},
        estimates=rows,
        indicators=indicators,
        min_n=POLL_DISCLOSURE.min_respondents,
        sources=sources,
        methodology=(
            "Échantillon par quotas (sexe × âge, région, taille de commune, catégorie socioprofessionnelle) redressé "
            "par calage itératif (raking) sur les marges du recensement ; intervalles de confiance à 95 % et effets "
            "de plan par linéarisation du redressement."
        ),
    )
