"""Name search ignoring case, accents, hyphens/apostrophes and "saint"/"st" spelling."""

from __future__ import annotations

import re
import unicodedata

from barometre.core.registry.model import Authority, Frame, Kind

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Spelling variants folded onto one form (applied to whole words).
_WORD_FOLDS = {"saint": "st", "sainte": "ste", "saints": "sts", "saintes": "stes"}


def normalize(text: str) -> str:
    """``"Sainte-Marie-aux-Mines"`` → ``"ste marie aux mines"``; ``"L'Île-d'Yeu"`` → ``"l ile d yeu"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", ascii_text).split()
    return " ".join(_WORD_FOLDS.get(w, w) for w in words)


def rank(query: str, qwords: list[str], name: str) -> int | None:
    """0 exact, 1 prefix, 2 every query word starts a word of the name, 3 substring."""
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    words = name.split()
    if all(any(w.startswith(q) for w in words) for q in qwords):
        return 2
    if query in name:
        return 3
    return None


def search(
    frame: Frame,
    text: str,
    *,
    kind: Kind | None = None,
    limit: int | None = 20,
) -> list[Authority]:
    """Authorities whose name matches ``text``, best first.

    Rank: exact name, then name starting with the text, then every word of the
    text starting a word of the name, then substring; ties broken by larger
    population, then name. A text that is a code (INSEE, SIREN, alias) puts that
    authority first.
    """
    query = normalize(text)
    if not query:
        return []
    qwords = query.split()
    scored: list[tuple[int, int, str, Authority]] = []
    by_code = frame.find(text)
    for name, a in frame.search_index():
        if kind is not None and a.kind is not kind:
            continue
        r = rank(query, qwords, name)
        if r is None:
            continue
        scored.append((r, -a.population_municipale, name, a))
    scored.sort(key=lambda t: (t[0], t[1], t[2], t[3].code))
    result = [t[3] for t in scored]
    if by_code is not None and (kind is None or by_code.kind is kind):
        result = [by_code, *[a for a in result if a.code != by_code.code]]
    return result[:limit] if limit is not None else result
