"""Open data export: aggregates only, as CSV, Parquet and JSON with a Data Package.

The files follow data.gouv.fr's expectations (UTF-8, comma separator, dot
decimals, ISO dates) and the Frictionless Data Package / Table Schema specs
(https://specs.frictionlessdata.io/). Only aggregates leave the system: the
rows are estimates of indicators, never an authority's answers, and a cell
based on fewer respondents than the disclosure threshold is exported empty
with its reason whatever the caller passed.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from barometre.core.errors import BarometreError
from barometre.core.text import neutralise_formula

LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence version 2.0",
}

#: Field name → (Table Schema type, description).
ESTIMATE_FIELDS: dict[str, tuple[str, str]] = {
    "edition": ("integer", "Année de l'édition du baromètre"),
    "indicator": ("string", "Identifiant de l'indicateur (voir la ressource indicateurs)"),
    "theme": ("string", "Thème : data, ia, cyber, numerique_responsable, rgpd"),
    "label": ("string", "Libellé court de l'indicateur"),
    "breakdown": ("string", "Ventilation : ensemble, strate, nature, region"),
    "domain_value": ("string", "Valeur de la ventilation (code de strate, de nature ou de région)"),
    "estimate": ("number", "Estimation pondérée, en % des collectivités du champ (vide si masquée)"),
    "se": ("number", "Erreur type de l'estimation (points de %)"),
    "ci_low": ("number", "Borne basse de l'intervalle de confiance à 95 %"),
    "ci_high": ("number", "Borne haute de l'intervalle de confiance à 95 %"),
    "n": ("integer", "Nombre de répondants (non pondéré) dans la cellule (vide si masquée)"),
    "population": ("number", "Nombre pondéré de collectivités du champ dans la cellule (vide si masquée)"),
    "respondent_share": (
        "number",
        "Part des répondants de la cellule (non pondérée, base de l'Observatoire), en % (vide si masquée)",
    ),
    "suppressed": ("boolean", "Cellule masquée (secret statistique ou précision insuffisante)"),
    "reason": ("string", "Motif du masquage : confidentiality, complementary ou precision (vide si diffusée)"),
    "reason_label": ("string", "Motif du masquage en clair"),
    "imprecise": ("boolean", "Estimation imprécise — à interpréter avec prudence (normes NCHS)"),
    "simulated": ("boolean", "Vrai si l'édition est simulée (données simulées)"),
}
SMALL_AREA_FIELDS: dict[str, tuple[str, str]] = {
    "edition": ("integer", "Année de l'édition du baromètre"),
    "indicator": ("string", "Identifiant de l'indicateur"),
    "level": ("string", "Niveau géographique : departement ou region"),
    "area": ("string", "Code INSEE du département ou de la région"),
    "name": ("string", "Nom du département ou de la région"),
    "direct": ("number", "Estimation directe pondérée, en % (vide si masquée par le secret statistique)"),
    "direct_se": ("number", "Erreur type de l'estimation directe (points de %)"),
    "eblup": ("number", "Estimation par modèle (Fay–Herriot), en % : EBLUP, ou synthétique sous le seuil de secret"),
    "mse": ("number", "Erreur quadratique moyenne estimée de l'estimation par modèle (points de % au carré)"),
    "cv": ("number", "Coefficient de variation de l'estimation par modèle (racine de l'EQM / estimation)"),
    "n": ("integer", "Nombre de répondants (non pondéré) de l'aire (vide si l'estimation directe est masquée)"),
    "method": ("string", "eblup (modèle et réponses de l'aire) ou synthetic (modèle seul)"),
    "simulated": ("boolean", "Vrai si l'édition est simulée (données simulées)"),
}
INDICATOR_FIELDS: dict[str, tuple[str, str]] = {
    "indicator": ("string", "Identifiant"),
    "theme": ("string", "Thème"),
    "label_fr": ("string", "Libellé (français)"),
    "label_en": ("string", "Libellé (anglais)"),
    "definition": ("string", "Définition en clair (champ, question, période)"),
    "definition_en": ("string", "Définition en clair (anglais)"),
    "universe": ("string", "Champ (dénominateur)"),
    "unit": ("string", "Unité"),
}


@dataclass(frozen=True)
class ExportSummary:
    directory: Path
    resources: tuple[str, ...]
    rows: int
    suppressed: int


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


#: What a hidden cell never publishes.
HIDDEN_FIELDS = ("estimate", "se", "ci_low", "ci_high", "n", "population", "respondent_share", "cv")
#: What an area whose direct estimate is withheld never publishes (its model estimate stays).
SMALL_AREA_HIDDEN_FIELDS = ("direct", "direct_se", "n", "shrinkage", "std_residual", "direct_vs_model")


def enforce_disclosure(rows: Sequence[Mapping[str, Any]], min_n: int) -> list[dict[str, Any]]:
    """Blank every number of a hidden cell, and hide every cell based on fewer than ``min_n``
    respondents, whatever it says (the reason code ``confidentiality``)."""
    out = []
    for row in rows:
        r = {k: _clean(v) for k, v in row.items()}
        if int(r.get("n") or 0) < min_n and not r.get("suppressed"):
            r["suppressed"] = True
            r["reason"] = "confidentiality"
        if r.get("suppressed"):
            for k in HIDDEN_FIELDS:
                if k in r:
                    r[k] = None
            r["imprecise"] = False
        out.append(r)
    return out


def enforce_small_area_disclosure(rows: Sequence[Mapping[str, Any]], min_n: int) -> list[dict[str, Any]]:
    """Blank the direct estimate of every area with fewer than ``min_n`` respondents, and with it
    every number of a withheld direct estimate (count, standard error, shrinkage, residual); refuse
    an EBLUP on fewer than ``min_n`` (it would let the direct value, hence the answers, be recovered)."""
    out = []
    for row in rows:
        r = {k: _clean(v) for k, v in row.items()}
        n = r.get("n")
        if n is not None and int(n) < min_n and r.get("method") == "eblup":
            raise BarometreError(
                f"{r.get('indicator')} {r.get('area')} : EBLUP sur moins de {min_n} répondants, export refusé"
            )
        if n is None or int(n) < min_n or r.get("direct") is None:
            for k in SMALL_AREA_HIDDEN_FIELDS:
                if k in r:
                    r[k] = None
        out.append(r)
    return out


def _schema(fields: Mapping[str, tuple[str, str]], primary_key: Sequence[str]) -> dict[str, Any]:
    return {
        "fields": [{"name": n, "type": t, "description": d} for n, (t, d) in fields.items()],
        "primaryKey": list(primary_key),
        "missingValues": [""],
    }


_ARROW = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(), "boolean": pa.bool_()}


def _write(
    directory: Path, name: str, rows: Sequence[Mapping[str, Any]], fields: Mapping[str, tuple[str, str]]
) -> None:
    columns = list(fields)
    with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else _csv_value(r.get(c), CSV_DECIMALS.get(c)) for c in columns])
    table = pa.table({c: pa.array([r.get(c) for r in rows], type=_ARROW[fields[c][0]]) for c in columns})
    pq.write_table(table, directory / f"{name}.parquet")
    with open(directory / f"{name}.json", "w", encoding="utf-8") as fh:
        json.dump([{c: r.get(c) for c in columns} for r in rows], fh, ensure_ascii=False, indent=1, allow_nan=False)


def _iso_datetime(text: str) -> str:
    """RFC 3339 datetime, as the Data Package ``created`` property requires."""
    return text if "T" in text else f"{text}T00:00:00Z"


#: Decimals of a number in the CSV files, rounded for people (percentages and their bounds 1, standard
#: errors 2, counts and populations none); Parquet and JSON keep full precision.
CSV_DECIMALS: dict[str, int] = {
    "estimate": 1,
    "ci_low": 1,
    "ci_high": 1,
    "respondent_share": 1,
    "direct": 1,
    "eblup": 1,
    "published": 1,
    "se": 2,
    "direct_se": 2,
    "mse": 2,
    "cv": 2,
    "deff": 2,
    "n": 0,
    "population": 0,
}


def _csv_value(value: Any, decimals: int | None = None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int) and decimals is not None:
        if decimals == 0:
            return str(round(value))
        text = f"{round(float(value), decimals):.{decimals}f}"
        return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text
    if isinstance(value, float):
        return repr(round(value, 10))
    if isinstance(value, str):
        return neutralise_formula(value)  # a text cell is never a spreadsheet formula
    return str(value)


def export(
    directory: Path,
    *,
    edition: Mapping[str, Any],
    estimates: Sequence[Mapping[str, Any]],
    indicators: Sequence[Mapping[str, Any]],
    min_n: int,
    sources: Sequence[Mapping[str, str]] = (),
    methodology: str = "",
    small_areas: Sequence[Mapping[str, Any]] = (),
) -> ExportSummary:
    """Write the open data files of one edition into ``directory``.

    ``edition`` has ``year``, ``simulated`` (bool) and ``computed_at`` (ISO date). ``small_areas``:
    rows of the small-area estimates (``SMALL_AREA_FIELDS``), written as ``petits-domaines`` when given;
    a direct estimate on fewer than ``min_n`` respondents is blanked, and a model-based estimate there
    must be synthetic (see ``core.sae.estimate``), else nothing is written.
    """
    if not estimates:
        raise BarometreError(f"édition {edition.get('year')} : aucune estimation calculée, rien à exporter")
    directory.mkdir(parents=True, exist_ok=True)
    cleaned = enforce_disclosure(estimates, min_n)
    year = int(edition["year"])
    simulated = bool(edition["simulated"])
    for r in cleaned:
        r["edition"] = year
        r["simulated"] = simulated
    _write(directory, "estimations", cleaned, ESTIMATE_FIELDS)
    _write(directory, "indicateurs", indicators, INDICATOR_FIELDS)
    areas = enforce_small_area_disclosure(small_areas, min_n)
    for r in areas:
        r["edition"] = year
        r["simulated"] = simulated
    if areas:
        _write(directory, "petits-domaines", areas, SMALL_AREA_FIELDS)
    title = f"Baromètre data, IA et cybersécurité des collectivités — édition {year}"
    if simulated:
        title += " (données simulées)"
    resources = []
    for name, fields, pk, desc in (
        (
            "estimations",
            ESTIMATE_FIELDS,
            ["edition", "indicator", "breakdown", "domain_value"],
            "Estimations pondérées",
        ),
        ("indicateurs", INDICATOR_FIELDS, ["indicator"], "Catalogue des indicateurs"),
        *(
            [
                (
                    "petits-domaines",
                    SMALL_AREA_FIELDS,
                    ["edition", "indicator", "level", "area"],
                    "Estimations par département et par région (directes et par modèle de Fay–Herriot)",
                )
            ]
            if areas
            else []
        ),
    ):
        for fmt, media in (
            ("csv", "text/csv"),
            ("parquet", "application/vnd.apache.parquet"),
            ("json", "application/json"),
        ):
            res: dict[str, Any] = {
                "name": f"{name}-{fmt}",
                "path": f"{name}.{fmt}",
                "format": fmt,
                "mediatype": media,
                "title": f"{desc} ({fmt.upper()})",
                "schema": _schema(fields, pk),
            }
            if fmt == "parquet":
                # the Parquet reader gives a null integer (a hidden cell's n) back as NaN
                res["schema"]["missingValues"] = ["", "nan"]
            if fmt == "csv":
                res["encoding"] = "utf-8"
                res["dialect"] = {"delimiter": ",", "header": True}
            resources.append(res)
    package = {
        "name": f"barometre-collectivites-{year}",
        "title": title,
        "description": (
            "Estimations pondérées, avec intervalles de confiance à 95 %, des indicateurs du baromètre de la "
            "maturité des collectivités territoriales en matière de données, d'IA et de cybersécurité. "
            "Uniquement des agrégats : aucune réponse individuelle."
            + (" ATTENTION : données simulées, pas une enquête réelle." if simulated else "")
        ),
        "version": f"{year}.1",
        "created": _iso_datetime(str(edition["computed_at"])),
        "licenses": [LICENCE],
        "sources": [dict(s) for s in sources],
        "keywords": ["collectivités", "données", "intelligence artificielle", "cybersécurité", "baromètre"],
        "barometre": {
            "edition": year,
            "simulated": simulated,
            "disclosure_min_respondents": min_n,
            "methodology": methodology,
        },
        "resources": resources,
    }
    with open(directory / "datapackage.json", "w", encoding="utf-8") as fh:
        json.dump(package, fh, ensure_ascii=False, indent=2)
    return ExportSummary(
        directory=directory,
        resources=tuple(r["name"] for r in resources),
        rows=len(cleaned),
        suppressed=sum(1 for r in cleaned if r.get("suppressed")),
    )


#: The poll of French adults: its own files, apart from the authorities' estimates.
POLL_ESTIMATE_FIELDS: dict[str, tuple[str, str]] = {
    "edition": ("integer", "Année du sondage (celle de l'édition du baromètre)"),
    "indicator": ("string", "Identifiant de l'indicateur du sondage"),
    "label": ("string", "Libellé de l'indicateur"),
    "breakdown": ("string", "Ventilation : ensemble, sexe, age, region, taille_commune, profession"),
    "domain_value": ("string", "Valeur de la ventilation"),
    "estimate": ("number", "Estimation pondérée, en % des personnes de 18 ans ou plus (vide si masquée)"),
    "se": ("number", "Erreur type de l'estimation (points de %), linéarisation du redressement"),
    "ci_low": ("number", "Borne basse de l'intervalle de confiance à 95 %"),
    "ci_high": ("number", "Borne haute de l'intervalle de confiance à 95 %"),
    "n": ("integer", "Nombre de personnes interrogées (non pondéré) dans la cellule"),
    "deff": ("number", "Effet de plan (variance rapportée à celle d'un sondage aléatoire simple)"),
    "suppressed": ("boolean", "Cellule masquée par la règle de secret statistique"),
    "reason": ("string", "Motif du masquage"),
    "simulated": ("boolean", "Vrai si le sondage est simulé (données simulées)"),
}
POLL_INDICATOR_FIELDS: dict[str, tuple[str, str]] = {
    "indicator": ("string", "Identifiant"),
    "label_fr": ("string", "Libellé (français)"),
    "label_en": ("string", "Libellé (anglais)"),
    "question": ("string", "Question du questionnaire"),
    "codes": ("string", "Réponses comptées au numérateur (séparées par |)"),
    "published": ("number", "Valeur publiée par l'institut (en %), vide sinon"),
}


def export_poll(
    directory: Path,
    *,
    edition: Mapping[str, Any],
    estimates: Sequence[Mapping[str, Any]],
    indicators: Sequence[Mapping[str, Any]],
    min_n: int,
    sources: Sequence[Mapping[str, str]] = (),
    methodology: str = "",
) -> ExportSummary:
    """Write the open data files of one poll (``sondage-*`` files and their ``datapackage.json``)."""
    if not estimates:
        raise BarometreError(f"sondage {edition.get('year')} : aucune estimation calculée, rien à exporter")
    directory.mkdir(parents=True, exist_ok=True)
    cleaned = enforce_disclosure(estimates, min_n)
    year = int(edition["year"])
    simulated = bool(edition["simulated"])
    for r in cleaned:
        r["edition"] = year
        r["simulated"] = simulated
        if r.get("suppressed"):
            r["deff"] = None
    _write(directory, "sondage-estimations", cleaned, POLL_ESTIMATE_FIELDS)
    _write(directory, "sondage-indicateurs", indicators, POLL_INDICATOR_FIELDS)
    resources = []
    for name, fields, pk, desc in (
        (
            "sondage-estimations",
            POLL_ESTIMATE_FIELDS,
            ["edition", "indicator", "breakdown", "domain_value"],
            "Estimations",
        ),
        ("sondage-indicateurs", POLL_INDICATOR_FIELDS, ["indicator"], "Indicateurs du sondage"),
    ):
        for fmt, media in (
            ("csv", "text/csv"),
            ("parquet", "application/vnd.apache.parquet"),
            ("json", "application/json"),
        ):
            res: dict[str, Any] = {
                "name": f"{name}-{fmt}",
                "path": f"{name}.{fmt}",
                "format": fmt,
                "mediatype": media,
                "title": f"{desc} ({fmt.upper()})",
                "schema": _schema(fields, pk),
            }
            if fmt == "csv":
                res["encoding"] = "utf-8"
                res["dialect"] = {"delimiter": ",", "header": True}
            resources.append(res)
    title = f"Regard des Français sur les données, l'IA et la cybersécurité — sondage {year}"
    package = {
        "name": f"barometre-sondage-francais-{year}",
        "title": title + (" (données simulées)" if simulated else ""),
        "description": (
            "Estimations pondérées, avec intervalles de confiance à 95 % et effets de plan, d'un sondage auprès "
            "des personnes de 18 ans ou plus, redressé sur les marges du recensement (Insee). Uniquement des "
            "agrégats : aucune réponse individuelle."
            + (" ATTENTION : données simulées, pas un sondage réel." if simulated else "")
        ),
        "version": f"{year}.1",
        "created": _iso_datetime(str(edition["computed_at"])),
        "licenses": [LICENCE],
        "sources": [dict(s) for s in sources],
        "keywords": ["sondage", "Français", "données", "intelligence artificielle", "cybersécurité"],
        "barometre": {
            "survey": "people",
            "edition": year,
            "simulated": simulated,
            "disclosure_min_respondents": min_n,
            "methodology": methodology,
        },
        "resources": resources,
    }
    with open(directory / "datapackage.json", "w", encoding="utf-8") as fh:
        json.dump(package, fh, ensure_ascii=False, indent=2)
    return ExportSummary(
        directory=directory,
        resources=tuple(r["name"] for r in resources),
        rows=len(cleaned),
        suppressed=sum(1 for r in cleaned if r.get("suppressed")),
    )
