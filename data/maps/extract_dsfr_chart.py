"""Extract the régions' outlines of ``@gouvfr/dsfr-chart`` (MIT) into ``regions.json``.

Usage (see README.md)::

    cd "$(mktemp -d)" && npm pack @gouvfr/dsfr-chart@2.0.4 && tar xzf gouvfr-dsfr-chart-2.0.4.tgz
    python data/maps/extract_dsfr_chart.py package/dist/MapChartReg/MapChartReg.js > data/maps/regions.json
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


if __name__ == "__main__":
    main(sys.argv[1])
