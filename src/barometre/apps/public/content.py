"""Static content of the public site loaded from ``data/`` (cited figures)."""

from __future__ import annotations

from functools import cache
from typing import Any

from barometre.core import yamlfile
from barometre.core.paths import DATA_DIR
from barometre.core.wording.numbers import format_percent


@cache
def _home_figures() -> dict[str, Any]:
    data: dict[str, Any] = yamlfile.load_file(DATA_DIR / "home_figures.yaml")
    return data


def home_figures(lang: str) -> dict[str, Any]:
    """The seed figures of the home page in ``lang`` (fr or en), with their source."""
    lang = "en" if lang.startswith("en") else "fr"
    data = _home_figures()
    figures = [
        {
            "figure": f["figure"],
            "edition": f["edition"],
            "value": format_percent(f["value_pct"], lang=lang),
            "base": f["base"][lang],
            "statement": f["statement"][lang],
        }
        for f in data["figures"]
    ]
    return {"figures": figures, "source": data["source"][lang], "source_url": data["source"]["url"]}
