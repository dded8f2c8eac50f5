"""Who does the same as me: TF-IDF cosine similarity between project texts, explained by shared terms.

Method: term frequency–inverse document frequency (Salton and Buckley, 1988, "Term-weighting
approaches in automatic text retrieval", Information Processing & Management 24(5)) with scikit-learn's
``TfidfVectorizer`` (smoothed idf, sublinear tf, L2-normalised rows) over words and word pairs, then
cosine similarity. Texts are folded before counting: lower case, accents removed, French function words
dropped, plural ``-s``/``-x`` removed from words of more than three letters, so that "fuites" and
"fuite", "réseau d'eau" and "reseau eau" meet. Nothing is downloaded: the model is the corpus itself.

The explanation of a match is the list of terms the two texts share, ordered by their contribution to
the score, in the surface form they take in the query ("fuites", "réseau d'eau").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from barometre.core.projects.model import Project

#: French function words (articles, prepositions, pronouns, auxiliaries) and the catalogue's filler words.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "est",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "d",
        "l",
        "j",
        "m",
        "n",
        "s",
        "t",
        "c",
        "qu",
        "jusqu",
        "lorsqu",
        "puisqu",
        "quoi",
        "dont",
        "ou",
        "comme",
        "plus",
        "moins",
        "tres",
        "sans",
        "sous",
        "entre",
        "vers",
        "chez",
        "afin",
        "ainsi",
        "aussi",
        "etre",
        "avoir",
        "ont",
        "sont",
        "fait",
        "faire",
        "etc",
        "via",
        "ete",
        "projet",
        "projets",
        "service",
        "services",
        "mise",
        "place",
        "outil",
        "outils",
        "utilisation",
        "usage",
        "usages",
        "donnee",
        "donnees",
    ]
)

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def _stem(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words of ``text``, in order."""
    return [_stem(w) for w in _TOKEN.findall(fold(text)) if w not in STOP_WORDS and len(w) > 1]


def surface_forms(text: str) -> dict[str, str]:
    """Folded term → the words as written in ``text`` (single words and adjacent pairs)."""
    kept: list[tuple[str, str, str]] = []  # (term, word as written, what joined it to the previous word)
    for raw in re.findall(r"[\w'’-]+", text):
        pieces = re.split(r"(['’])", raw)
        prefix = ""
        for piece in pieces:
            if piece in {"'", "’"}:
                prefix += piece
                continue
            toks = tokens(piece)
            if toks:
                kept.append((toks[0], piece, prefix))
                prefix = ""
            else:
                prefix = prefix if prefix else piece + prefix
    forms: dict[str, str] = {}
    for term, word, _ in kept:
        forms.setdefault(term, word)
    for (t1, w1, _), (t2, w2, joint) in itertools.pairwise(kept):
        forms.setdefault(f"{t1} {t2}", f"{w1} {joint}{w2}" if joint else f"{w1} {w2}")
    return forms


@dataclass(frozen=True)
class Match:
    """One similar project: its cosine score in [0, 1] and the terms behind it."""

    project: Project
    score: float
    shared_terms: tuple[str, ...]


class SimilarityIndex:
    """A TF-IDF index over a corpus of projects."""

    def __init__(self, projects: Sequence[Project]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: imported when used

        self.projects = list(projects)
        self._vectorizer: Any = TfidfVectorizer(
            analyzer=lambda text: _analyze(text), sublinear_tf=True, smooth_idf=True, norm="l2"
        )
        corpus = [p.text for p in self.projects] or [""]
        self._matrix: Any = self._vectorizer.fit_transform(corpus)
        self._terms: list[str] = list(self._vectorizer.get_feature_names_out())

    def similar(
        self, text: str, *, limit: int = 10, exclude: set[str] | None = None, among: set[str] | None = None
    ) -> list[Match]:
        """Projects most similar to ``text`` (score > 0), best first; ties broken by key.

        ``exclude``: project keys left out (the query's own projects); ``among``: only these keys.
        """
        if not self.projects:
            return []
        query = self._vectorizer.transform([text])
        scores = (self._matrix @ query.T).toarray().ravel()
        forms = surface_forms(text)
        order = sorted(range(len(self.projects)), key=lambda i: (-scores[i], self.projects[i].key))
        matches: list[Match] = []
        q = query.tocsr()
        q_weights = dict(zip(q.indices.tolist(), q.data.tolist(), strict=True))
        for i in order:
            project = self.projects[i]
            if (
                scores[i] <= 0
                or (exclude and project.key in exclude)
                or (among is not None and project.key not in among)
            ):
                continue
            row = self._matrix.getrow(i).tocsr()
            contributions = sorted(
                (
                    (q_weights[j] * w, self._terms[j])
                    for j, w in zip(row.indices.tolist(), row.data.tolist(), strict=True)
                    if j in q_weights
                ),
                key=lambda cw: (-cw[0], cw[1]),
            )
            shared = _display_terms([t for _, t in contributions], forms)
            matches.append(Match(project=project, score=round(float(scores[i]), 6), shared_terms=shared))
            if len(matches) >= limit:
                break
        return matches


def _analyze(text: str) -> list[str]:
    toks = tokens(text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def _display_terms(terms: list[str], forms: dict[str, str], most: int = 4) -> tuple[str, ...]:
    """Shared terms in the query's own words, best first; a shown pair hides its single words."""
    shown: list[str] = []
    for term in terms:
        words = term.split()
        if len(words) == 1 and any(term in s.split() for s in shown):
            continue
        if len(words) > 1:
            shown = [s for s in shown if s not in words]
        shown.append(term)
    return tuple(forms.get(t, t) for t in shown[:most])
