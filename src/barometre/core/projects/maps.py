"""The catalogue's map: how many published projects each région's authorities carry."""

from __future__ import annotations

from collections.abc import Callable

from barometre.core.charts import MAP_CLASSES, NOT_AVAILABLE, choropleth

#: Upper bounds of the count classes (0 is drawn apart, in grey).
COUNT_BOUNDS = (2, 5, 10, 20)


def count_class(count: int) -> int:
    """0 → -1 (no project); then the index of the first bound the count does not exceed (last: above all)."""
    if count <= 0:
        return -1
    for i, bound in enumerate(COUNT_BOUNDS):
        if count <= bound:
            return i
    return len(COUNT_BOUNDS)


def count_map(
    counts: dict[str, int],
    *,
    title: str,
    desc: str,
    count_label: Callable[[int], str],
    none_label: str,
    lang: str = "fr",
    width: int = 640,
) -> str:
    """Choropleth of project counts by région: five classes and a grey "none". Wording comes from the caller."""

    def fill(code: str) -> str:
        k = count_class(counts.get(code, 0))
        return NOT_AVAILABLE if k < 0 else MAP_CLASSES[k]

    def shown(code: str) -> str:
        n = counts.get(code, 0)
        return count_label(n) if n else none_label

    lows = (1, *(b + 1 for b in COUNT_BOUNDS))
    legend = [
        (MAP_CLASSES[i], f"{lows[i]} – {COUNT_BOUNDS[i]}" if i < len(COUNT_BOUNDS) else f"{lows[i]} +")
        for i in range(len(MAP_CLASSES))
    ]
    return choropleth(
        fill, shown, [*legend, (NOT_AVAILABLE, none_label)], title=title, desc=desc, lang=lang, width=width
    )
