"""Build the note: figures (SVG/PNG/CSV), ``index.html`` (self-contained) and ``note.pdf``.

``build_report(data, out_dir)`` writes::

    out_dir/index.html        one page, CSS inline, figures and fonts beside it, works offline
    out_dir/note.pdf          the same note, A4, page numbers, table of contents (WeasyPrint)
    out_dir/figures/*.svg|png|csv
    out_dir/fonts/Marianne-*.woff2|woff

Every number of the note comes from the rows (or the catalogue's published values) and carries
``data-indicator``, ``data-breakdown``, ``data-domain``, ``data-edition`` and ``data-kind``.
Building twice gives the same HTML (no build timestamp; SVGs without date, fixed hash salt).

The parts: :mod:`.selection` (which rows), :mod:`.charts` (figures), :mod:`.tables` (tables and the
annex), :mod:`.chapters` (key figures and chapters), :mod:`.context` (what they share); their words come
from :mod:`barometre.core.wording.note`. This module renders the template and the PDF.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jinja2
import markupsafe

from barometre.core.errors import ReportError
from barometre.core.report import chapters as chapters_
from barometre.core.report import figures as fg
from barometre.core.report import tables
from barometre.core.report.charts import draw_charts
from barometre.core.report.context import NoteContext
from barometre.core.report.model import ReportInput
from barometre.core.report.poll import poll_chapter
from barometre.core.report.selection import HEADLINE
from barometre.core.wording.note import sentences, typography
from barometre.core.wording.note import text as tx
from barometre.core.wording.note.text import Num
from barometre.core.wording.numbers import format_number

__all__ = ["HEADLINE", "BuildResult", "build_report", "draw_charts", "render_html", "write_pdf"]

TEMPLATES = Path(__file__).parent / "templates"
FONT_WEIGHTS = ("Regular", "Medium", "Bold")

T = TypeVar("T")


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    html: Path
    pdf: Path | None
    figures: tuple[Path, ...]
    #: Seconds per stage: prepare, figures, html, pdf (and total).
    timings: Mapping[str, float]


def _timed(timings: dict[str, float], stage: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    try:
        return fn()
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


def _copy_fonts(out_dir: Path) -> bool:
    src = fg.dsfr_fonts_dir()
    if src is None:
        return False
    dst = out_dir / "fonts"
    dst.mkdir(parents=True, exist_ok=True)
    for w in FONT_WEIGHTS:
        for ext in ("woff2", "woff"):
            f = src / f"Marianne-{w}.{ext}"
            if f.exists():
                shutil.copyfile(f, dst / f.name)
    return True


def _env(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["num"] = lambda x: isinstance(x, Num)
    env.filters["typo"] = lambda v: typography.typo(str(v), lang)
    env.filters["date_text"] = lambda v: tx.format_date(str(v), lang)
    env.filters["css_string"] = lambda v: markupsafe.Markup(  # noqa: S704 - escaped CSS string
        '"' + str(v).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'
    )
    return env


def render_html(
    data: ReportInput,
    out_dir: Path,
    timings: dict[str, float] | None = None,
    *,
    workers: int | None = None,
    text_svg_dir: Path | None = None,
) -> tuple[str, list[Path]]:
    """Figures and the HTML text of the note (figures written under ``out_dir/figures``)."""
    timings = timings if timings is not None else {}
    b = NoteContext(data, out_dir)
    b.text_svg_dir = text_svg_dir
    key = _timed(timings, "prepare", lambda: chapters_.key_figures(b))
    chapters = _timed(timings, "prepare", lambda: chapters_.chapters(b))
    annex = _timed(timings, "prepare", lambda: tables.annex(b))  # before the drawing: it queues the département map
    _timed(timings, "figures", lambda: draw_charts(b.jobs, workers))
    poll = _timed(timings, "prepare", lambda: poll_chapter(data))
    fonts = _timed(timings, "prepare", lambda: _copy_fonts(out_dir))
    s = b.s
    e = data.edition
    title = f"{s['title']} — {s['subtitle']} {e.year}"
    if e.simulated:
        title = f"[{s['simulated_banner'].split(' — ')[0]}] {title}"
    subject = f"{s['subtitle']} {e.year}" + (f" — {s['simulated_banner']}" if e.simulated else "")
    keywords = s["keywords"] + (", données simulées, simulated data" if e.simulated else "")
    css = markupsafe.Markup((TEMPLATES / "note.css").read_text(encoding="utf-8"))  # noqa: S704 - our file

    def render() -> str:
        return (
            _env(data.lang)
            .get_template("note.html.j2")
            .render(
                s=s,
                lang=data.lang,
                e=e,
                doc_title=title,
                subject=subject,
                keywords=keywords,
                css=css,
                fonts=fonts,
                key_figures=key,
                key_champ=b.champ([k.indicator for k in key]) if key else "",
                key_lecture=next(
                    (
                        tx.lecture(k.indicator, r, None, data.lang, b.ulabel(k.indicator))
                        for k in key
                        if (r := b.ix.get(k.indicator.id)) is not None and r.shown
                    ),
                    None,
                ),
                chapters=chapters,
                key_interval=sentences.caption("cards", data.lang),
                editorial=data.editorial,
                editorial_elsewhere=sorted(data.editorial.chapters() - {c.id for c in chapters})
                if data.editorial
                else [],
                es=sentences.editorial_strings(data.lang),
                poll=poll,
                annex=annex,
                disclosure=data.disclosure_rule,
                n_respondents=format_number(e.n_respondents, 0, data.lang),
                n_units=format_number(e.n_units, 0, data.lang) if e.n_units else "",
                source_line=b.source_line(),
                weights_text=s["weighting_steps"],
            )
        )

    html = _timed(timings, "html", render)
    figs = sorted(p for p in b.fig_dir.iterdir()) if b.fig_dir.exists() else []
    return html, figs


def write_pdf(html: str, base_dir: Path, pdf_path: Path, svg_dir: Path | None = None) -> None:
    """``note.pdf`` from the note's HTML with WeasyPrint (A4, page numbers, table of contents), tagged PDF/UA-1.

    ``svg_dir``: where the charts drawn with real text (``svg.fonttype = none``) are; the PDF uses
    them instead of ``figures/*.svg`` (same charts, text set in the document's Marianne, faster).
    """
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # the figures' data tables are folded away on screen and hidden in print: leaving them out of the
    # PDF's document gives the same pages with half the elements to style and lay out
    html = re.sub(r'<details class="chart-data">.*?</details>\n?', "", html, flags=re.S)
    if svg_dir is not None:
        uri = svg_dir.resolve().as_uri()
        html = re.sub(r'(<img src=")figures/([^"/]+\.svg")', lambda m: f"{m.group(1)}{uri}/{m.group(2)}", html)
    try:
        # PDF/UA-1: tagged structure (headings, tables, figures with their alternative text, reading
        # order), document language and title, XMP metadata — an accessible public publication (RGAA).
        HTML(string=html, base_url=str(base_dir.resolve()) + "/").write_pdf(str(pdf_path), pdf_variant="pdf/ua-1")
    except Exception as exc:
        raise ReportError(f"génération du PDF impossible ({type(exc).__name__}: {exc})") from exc


def build_report(data: ReportInput, out_dir: Path, *, pdf: bool = True, workers: int | None = None) -> BuildResult:
    """Write the note into ``out_dir`` (created; existing ``figures/`` replaced). See the module doc."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"dossier de sortie impossible à créer : {out_dir} ({exc.strerror})") from None
    fig_dir = out_dir / "figures"
    if fig_dir.exists():
        shutil.rmtree(fig_dir)
    # each chart is drawn once (one SVG with its text as text, a PNG, a CSV); the PDF reuses the SVGs
    html, figs = render_html(data, out_dir, timings, workers=workers)
    html_path = out_dir / "index.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path: Path | None = None
    if pdf:
        pdf_path = out_dir / "note.pdf"
        target = pdf_path
        _timed(timings, "pdf", lambda: write_pdf(html, out_dir, target))
    timings["total"] = time.perf_counter() - t0
    return BuildResult(out_dir, html_path, pdf_path, tuple(figs), timings)
