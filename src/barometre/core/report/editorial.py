"""What the note's authors write themselves: an editorial, lessons per chapter, example boxes and
recommendations with footnotes, read from one Markdown file with a front matter.

The file::

    ---
    edition: 2025
    lang: fr
    title: Éditorial
    signature: L'équipe du Baromètre
    ---

    The editorial's opening prose (required), before any heading.

    ## Ce qu'il faut retenir {lessons=ia}
    Lessons of the chapter ``ia`` (chapters: see ``selection.CHAPTERS``).

    ## Exemples {examples=ia}
    - issygpt
    - montpellier-convention-ia

    ## Recommandations {recommendations}
    1. Adopter une stratégie numérique responsable[^reen].

    [^reen]: Loi n° 2021-1485 du 15 novembre 2021 (REEN), <https://www.legifrance.gouv.fr/…>.

Sections are level-2 headings ending in ``{kind}`` or ``{kind=chapter}``: ``editorial`` (continues
the editorial), ``lessons=<chapter>``, ``examples=<chapter>`` (a list of example ids of
``data/project_examples.yaml``, the projects catalogue's examples: each box shows the territory, the
project, what it does and its source), ``recommendations``. Footnotes ``[^id]`` are numbered in the
order they are called. Raw HTML is not allowed (shown as text). Any problem raises a one-line
:class:`ReportError` naming the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barometre.core.errors import BarometreError, ReportError
from barometre.core.paths import DATA_DIR
from barometre.core.wording.note import typography
from barometre.core.wording.note.sentences import territory_name
from barometre.core.yamlfile import display_path
from barometre.core.yamlfile import load as yaml_load

EDITORIALS_DIR = DATA_DIR / "editorials"
KINDS = ("editorial", "lessons", "examples", "recommendations")
_HEADING = re.compile(r"^##\s+(?P<title>.*?)\s*\{(?P<kind>[a-z]+)(?:=(?P<arg>[a-z0-9_-]+))?\}\s*$")
_FOOTDEF = re.compile(r"^\[\^(?P<id>[A-Za-z0-9_-]+)\]:\s*(?P<text>.*)$")
_FOOTREF = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")
_ITEM = re.compile(r"^\s*[-*]\s+(?P<id>[a-z0-9_-]+)\s*$")


@dataclass(frozen=True)
class ExampleBox:
    """A territorial example as the note shows it: territory, project, what it does, source."""

    key: str
    territory: str
    title: str
    summary: str
    source_title: str
    source_publisher: str
    source_date: str
    source_url: str


@dataclass(frozen=True)
class Block:
    """A titled piece of the authors' text, rendered to HTML (escaped, typography applied)."""

    title: str
    html: str


@dataclass(frozen=True)
class Footnote:
    number: int
    id: str
    html: str


@dataclass(frozen=True)
class Editorial:
    edition: int
    lang: str
    title: str
    signature: str
    #: The opening prose and any ``{editorial}`` sections.
    opening: str
    sections: tuple[Block, ...] = ()
    lessons: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    examples: dict[str, tuple[ExampleBox, ...]] = field(default_factory=dict)
    examples_titles: dict[str, str] = field(default_factory=dict)
    recommendations: Block | None = None
    footnotes: tuple[Footnote, ...] = ()

    def chapters(self) -> set[str]:
        return set(self.lessons) | set(self.examples)


def default_path(edition: int, lang: str) -> Path | None:
    """``data/editorials/editorial-<edition>-<lang>.md`` when the project ships one."""
    path = EDITORIALS_DIR / f"editorial-{edition}-{lang}.md"
    return path if path.is_file() else None


class _Md:
    """Markdown to HTML (CommonMark, no raw HTML), French typography on the text, footnote calls."""

    def __init__(self, lang: str) -> None:
        from markdown_it import MarkdownIt

        self.md = MarkdownIt("commonmark", {"html": False, "typographer": False})
        self.lang = lang
        self.calls: list[str] = []
        self.n_calls = 0

    def _typo(self, tokens: list[Any]) -> None:
        for tok in tokens:
            if tok.type == "text":
                tok.content = typography.typo(tok.content, self.lang)
            if tok.children:
                self._typo(tok.children)

    def _calls(self, html: str) -> str:
        def call(m: re.Match[str]) -> str:
            fid = m.group(1)
            if fid not in self.calls:
                self.calls.append(fid)
            n = self.calls.index(fid) + 1
            self.n_calls += 1
            return f'<sup class="fn-call"><a href="#fn-{fid}" id="fnref-{self.n_calls}">{n}</a></sup>'

        return _FOOTREF.sub(call, html)

    def block(self, text: str) -> str:
        tokens = self.md.parse(text)
        self._typo(tokens)
        return self._calls(str(self.md.renderer.render(tokens, self.md.options, {})))

    def inline(self, text: str) -> str:
        tokens = self.md.parseInline(text)
        self._typo(tokens)
        return str(self.md.renderer.render(tokens, self.md.options, {}))


def load_editorial(path: Path, *, edition: int | None = None, lang: str | None = None) -> Editorial:
    """Read and check ``path`` (see the module doc); ``edition``/``lang``: what the note expects."""
    from barometre.core.projects import catalogue as projects
    from barometre.core.report.selection import CHAPTERS

    where = display_path(path)

    def fail(message: str, line: int | None = None) -> ReportError:
        return ReportError(message, location=f"{where}:{line}" if line else where)

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail("fichier d'éditorial introuvable") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"fichier d'éditorial illisible ({exc})") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise fail("en-tête attendu : le fichier commence par une ligne « --- »", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise fail("en-tête non fermé : ligne « --- » attendue après l'en-tête", len(lines))
    try:
        # one blank line in front: the reader's line numbers are the file's
        meta = yaml_load("\n" + "\n".join(lines[1:end]), where)
    except BarometreError as exc:
        raise ReportError(exc.message, location=exc.location or where) from None
    if not isinstance(meta, dict):
        raise fail("en-tête : table attendue (edition, lang, title)", 2)

    def meta_line(key: str) -> int:
        return next((i + 1 for i in range(1, end) if lines[i].startswith(f"{key}:")), 2)

    for key in ("edition", "lang", "title"):
        if key not in meta or not str(meta[key]).strip():
            raise fail(f"en-tête : « {key} » manquant", 2)
    try:
        year = int(meta["edition"])
    except (TypeError, ValueError):
        raise fail(
            f"en-tête : « edition » doit être une année, pas {meta['edition']!r}", meta_line("edition")
        ) from None
    language = str(meta["lang"])
    if language not in ("fr", "en"):
        raise fail(f"en-tête : langue inconnue {language!r} (fr ou en)", meta_line("lang"))
    if edition is not None and year != edition:
        raise fail(f"éditorial de l'édition {year}, la note est celle de {edition}", meta_line("edition"))
    if lang is not None and language != lang:
        raise fail(f"éditorial en {language!r}, la note est en {lang!r}", meta_line("lang"))

    chapter_ids = {c[0] for c in CHAPTERS}
    known_examples = {e.key: e for e in projects.examples()}
    sources = projects.sources()
    md = _Md(language)

    # body: split into (kind, arg, title, first line, text lines); footnote definitions aside
    parts: list[tuple[str, str | None, str, int, list[str]]] = [("opening", None, "", end + 2, [])]
    notes: dict[str, tuple[int, str]] = {}
    for i in range(end + 1, len(lines)):
        raw, lineno = lines[i], i + 1
        fd = _FOOTDEF.match(raw)
        if fd:
            if fd.group("id") in notes:
                raise fail(f"note [^{fd.group('id')}] définie deux fois", lineno)
            if not fd.group("text").strip():
                raise fail(f"note [^{fd.group('id')}] vide", lineno)
            notes[fd.group("id")] = (lineno, fd.group("text").strip())
            continue
        if raw.startswith("#"):
            h = _HEADING.match(raw)
            if not raw.startswith("## ") or h is None:
                raise fail("titre attendu de la forme « ## Titre {type} » ou « ## Titre {type=chapitre} »", lineno)
            kind, arg = h.group("kind"), h.group("arg")
            if kind not in KINDS:
                raise fail(f"type de section inconnu {{{kind}}} (types : {', '.join(KINDS)})", lineno)
            if kind in ("lessons", "examples"):
                if arg is None or arg not in chapter_ids:
                    raise fail(f"{{{kind}=…}} : chapitre attendu parmi {', '.join(sorted(chapter_ids))}", lineno)
            elif arg is not None:
                raise fail(f"{{{kind}}} ne prend pas de chapitre", lineno)
            if not h.group("title"):
                raise fail("titre de section vide", lineno)
            parts.append((kind, arg, h.group("title"), lineno, []))
            continue
        parts[-1][4].append(raw)

    opening = "\n".join(parts[0][4]).strip()
    first = next((i for i, ln in enumerate(parts[0][4]) if ln.strip()), None)
    if first is None or re.match(r"\s*([-*+>|]|\d+[.)])", parts[0][4][first]):
        line = end + 2 + (first or 0) if first is not None else end + 2
        raise fail("l'éditorial commence par un paragraphe de texte, avant tout titre", line)

    sections: list[Block] = []
    lessons: dict[str, list[Block]] = {}
    examples: dict[str, list[ExampleBox]] = {}
    examples_titles: dict[str, str] = {}
    recommendations: Block | None = None
    opening_html = md.block(opening)
    for kind, arg, title, lineno, body in parts[1:]:
        content = "\n".join(body).strip()
        if kind != "examples" and not content:
            raise fail(f"section « {title} » vide", lineno)
        if kind == "editorial":
            sections.append(Block(md.inline(title), md.block(content)))
        elif kind == "lessons":
            assert arg is not None
            lessons.setdefault(arg, []).append(Block(md.inline(title), md.block(content)))
        elif kind == "recommendations":
            if recommendations is not None:
                raise fail("une seule section {recommendations}", lineno)
            recommendations = Block(md.inline(title), md.block(content))
        else:
            assert arg is not None
            boxes: list[ExampleBox] = []
            for j, ln in enumerate(body):
                if not ln.strip():
                    continue
                item = _ITEM.match(ln)
                if item is None:
                    raise fail("exemples : une ligne « - identifiant » par exemple attendue", lineno + 1 + j)
                ex = known_examples.get(item.group("id"))
                if ex is None:
                    raise fail(
                        f"exemple inconnu « {item.group('id')} » (voir data/project_examples.yaml)", lineno + 1 + j
                    )
                src = sources[ex.source]
                boxes.append(
                    ExampleBox(
                        ex.key,
                        territory_name(ex.territory, language),
                        ex.title[language],
                        ex.summary[language],
                        src.title[language],
                        src.publisher,
                        src.date,
                        src.url,
                    )
                )
            if not boxes:
                raise fail(f"section « {title} » sans exemple", lineno)
            examples.setdefault(arg, []).extend(boxes)
            examples_titles[arg] = title

    for fid in md.calls:
        if fid not in notes:
            call_line = next((i + 1 for i, ln in enumerate(lines) if f"[^{fid}]" in ln), None)
            raise fail(f"appel de note [^{fid}] sans définition « [^{fid}]: … »", call_line)
    for fid, (lineno, _t) in notes.items():
        if fid not in md.calls:
            raise fail(f"note [^{fid}] définie mais jamais appelée", lineno)
    footnotes = tuple(Footnote(n, fid, md.inline(notes[fid][1])) for n, fid in enumerate(md.calls, start=1))
    return Editorial(
        edition=year,
        lang=language,
        title=str(meta["title"]).strip(),
        signature=str(meta.get("signature", "") or "").strip(),
        opening=opening_html,
        sections=tuple(sections),
        lessons={k: tuple(v) for k, v in lessons.items()},
        examples={k: tuple(v) for k, v in examples.items()},
        examples_titles=examples_titles,
        recommendations=recommendations,
        footnotes=footnotes,
    )
