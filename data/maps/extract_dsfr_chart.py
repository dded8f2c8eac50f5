"""Extract the régions' (or départements') outlines of ``@gouvfr/dsfr-chart`` (MIT) into JSON.

Usage (see README.md)::

    cd "$(mktemp -d)" && npm pack @gouvfr/dsfr-chart@2.0.4 && tar xzf gouvfr-dsfr-chart-2.0.4.tgz
    python data/maps/extract_dsfr_chart.py package/dist/MapChartReg/MapChartReg.js > data/maps/regions.json
    python data/maps/extract_dsfr_chart.py --departements package/dist/MapChart/MapChart.js > data/maps/departements.json
"""

from __future__ import annotations

import json
import re
import sys

#: dsfr-chart class → (INSEE région code, name)
REGIONS = {
    "FR-IDF": ("11", "Île-de-France"),
    "FR-CVL": ("24", "Centre-Val de Loire"),
    "FR-BFC": ("27", "Bourgogne-Franche-Comté"),
    "FR-NOR": ("28", "Normandie"),
    "FR-HDF": ("32", "Hauts-de-France"),
    "FR-GES": ("44", "Grand Est"),
    "FR-PDL": ("52", "Pays de la Loire"),
    "FR-BRE": ("53", "Bretagne"),
    "FR-NAQ": ("75", "Nouvelle-Aquitaine"),
    "FR-OCC": ("76", "Occitanie"),
    "FR-ARA": ("84", "Auvergne-Rhône-Alpes"),
    "FR-PAC": ("93", "Provence-Alpes-Côte d'Azur"),
    "FR-20R": ("94", "Corse"),
}
#: overseas régions (one inset each, own viewBox)
OVERSEAS = {
    "FR-971": ("01", "Guadeloupe"),
    "FR-972": ("02", "Martinique"),
    "FR-973": ("03", "Guyane"),
    "FR-974": ("04", "La Réunion"),
    "FR-976": ("06", "Mayotte"),
}

PATH = re.compile(r'class: "(FR-[A-Z0-9]+)",\s*(?:style: [^\n]*\n\s*)?d: "([^"]+)"')


def main(source: str) -> None:
    text = open(source, encoding="utf-8").read()  # noqa: SIM115
    regions: dict[str, dict[str, object]] = {}
    for m in PATH.finditer(text):
        cls, d = m.group(1), m.group(2)
        if cls in REGIONS:
            code, name = REGIONS[cls]
            regions[code] = {"name": name, "inset": None, "viewbox": "0 0 1010 1010", "paths": [d]}
        elif cls in OVERSEAS:
            code, name = OVERSEAS[cls]
            # the inset's own <svg viewBox> precedes its paths
            before = text[: m.start()]
            vb = re.findall(r'viewBox: "([0-9 .]+)"', before)[-1]
            entry = regions.setdefault(code, {"name": name, "inset": True, "viewbox": vb, "paths": []})
            paths = entry["paths"]
            assert isinstance(paths, list)
            paths.append(d)
    missing = sorted({c for c, _ in [*REGIONS.values(), *OVERSEAS.values()]} - set(regions))
    if missing:
        raise SystemExit(f"régions missing from {source}: {missing}")
    out = {
        "source": "@gouvfr/dsfr-chart 2.0.4 (npm), dist/MapChartReg/MapChartReg.js — MIT licence",
        "retrieved": "2026-11-23",
        "regions": dict(sorted(regions.items())),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def departements(source: str) -> None:
    """The 101 départements of ``MapChart.js`` (classes ``FR-01`` … ``FR-976``; région classes skipped)."""
    text = open(source, encoding="utf-8").read()  # noqa: SIM115
    out: dict[str, dict[str, object]] = {}
    for m in PATH.finditer(text):
        code = m.group(1)[3:]
        if not (code.isdigit() or code in ("2A", "2B")):
            continue  # région outlines (FR-ARA…, FR-20R) drawn over the départements
        if len(code) == 3:  # overseas: own inset, its viewBox precedes its paths
            vb = re.findall(r'viewBox: "([0-9 .]+)"', text[: m.start()])[-1]
            entry = out.setdefault(code, {"inset": True, "viewbox": vb, "paths": []})
        else:
            entry = out.setdefault(code, {"inset": None, "viewbox": "0 0 1010 1010", "paths": []})
        paths = entry["paths"]
        assert isinstance(paths, list)
        paths.append(m.group(2))
    if len(out) != 101:
        raise SystemExit(f"{len(out)} départements found in {source}, 101 expected")
    doc = {
        "source": "@gouvfr/dsfr-chart 2.0.4 (npm), dist/MapChart/MapChart.js — MIT licence",
        "retrieved": "2026-12-04",
        "departements": dict(sorted(out.items())),
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if sys.argv[1] == "--departements":
        departements(sys.argv[2])
    else:
        main(sys.argv[1])
