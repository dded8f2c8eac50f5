"""The files of the note: HTML (self-contained, accessible, reproducible), PDF and figures."""

from __future__ import annotations

import csv
import itertools
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from barometre.core.indicators.catalogue import THEMES
from barometre.core.report import render_html
from barometre.core.report.synthetic import synthetic_input

from .conftest import Built, norm, parse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("note")]  # builds the note once per session (one worker)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_output_folder_has_html_pdf_and_figures(note_fr: Built) -> None:
    out = note_fr.result.out_dir
    assert (out / "index.html").is_file() and (out / "note.pdf").is_file()
    assert (out / "note.pdf").read_bytes().startswith(b"%PDF")
    assert set(note_fr.result.timings) >= {"figures", "html", "pdf", "total"}


def test_every_chart_has_svg_png_and_csv_in_figures(note_fr: Built) -> None:
    figs = note_fr.result.out_dir / "figures"
    imgs = [e for e in parse(note_fr.html).elements if e.tag == "img"]
    assert len(imgs) >= 10
    for img in imgs:
        stem = Path(img.attrs["src"]).stem
        for ext in ("svg", "png", "csv"):
            f = figs / f"{stem}.{ext}"
            assert f.is_file() and f.stat().st_size > 0, f
        svg = (figs / f"{stem}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg
        assert len((figs / f"{stem}.csv").read_text(encoding="utf-8").splitlines()) >= 2


def test_every_chart_has_a_title_alt_text_and_a_data_table(note_fr: Built) -> None:
    els = parse(note_fr.html).elements
    figures = [e for e in els if e.tag == "figure"]
    captions = [e for e in els if e.tag == "figcaption"]
    imgs = [e for e in els if e.tag == "img"]
    assert len(figures) == len(captions) == len(imgs) >= 10
    assert all(c.text.strip() for c in captions)
    for img in imgs:
        alt = img.attrs.get("alt", "")
        assert len(alt) > 30 and "%" in alt, alt  # states the key result
    assert note_fr.html.count('<details class="chart-data">') == len(imgs)


def test_every_chart_and_table_states_coverage_source_and_reading(note_fr: Built) -> None:
    html = note_fr.html
    n_blocks = html.count('<dl class="notes">')
    assert n_blocks >= html.count('<figure class="chart"')
    for word in ("Champ", "Source", "Lecture", "Intervalle"):
        assert html.count(f"<dt>{word}\u00a0:</dt>") >= html.count('<figure class="chart"'), word


def test_html_works_offline(note_fr: Built) -> None:
    html = note_fr.html
    # nothing is loaded from the network; links a reader follows (the authors' sources) are allowed
    assert not re.search(r"""src=["']https?://|<link[^>]+href=["']https?://""", html)
    assert "url(http" not in html
    for ref in re.findall(r"""(?:src|href)="([^"#]+)\"""", html):
        if re.match(r"https://", ref) and re.search(rf'<a href="{re.escape(ref)}">', html):
            continue
        assert (note_fr.result.out_dir / ref).exists(), ref
    for font in re.findall(r'url\("(fonts/[^"]+)"\)', html):
        assert (note_fr.result.out_dir / font).is_file(), font


def test_building_twice_gives_the_same_html_and_svg(note_fr: Built, tmp_path: Path) -> None:
    html, _ = render_html(note_fr.data, tmp_path)  # the same input, editorial included
    assert html == note_fr.html
    a = sorted((note_fr.result.out_dir / "figures").glob("*.svg"))
    b = sorted((tmp_path / "figures").glob("*.svg"))
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))


def test_chapters_cover_the_themes_and_mutualisation_has_at_least_three_indicators(note_fr: Built) -> None:
    for t in THEMES.values():
        if t.fr.startswith(("Numérique", "Protection")):
            continue
        assert f">{t.fr}</h2>" in note_fr.html
    text = norm(" ".join(parse(note_fr.html).text))
    assert "Numérique responsable et RGPD" in text
    assert "ne comporte pas encore d'indicateur de mutualisation" not in text
    chapter = note_fr.html.split(">Mutualisation</h2>")[1].split("</h2>")[0]
    shown = {i for i in ("dpo_shared", "rssi_shared", "it_shared_body", "hosting_shared_body") if f'"{i}"' in chapter}
    assert len(shown) >= 3, shown


def test_key_figures_page_has_six_to_eight_headlines_with_interval_and_change(note_fr: Built) -> None:
    cards = [e for e in parse(note_fr.html).elements if e.tag == "article" and "data-card" in e.attrs]
    assert 6 <= len(cards) <= 8
    for c in cards:
        assert "IC à 95" in c.text and "Évolution" in c.text


def test_margin_of_error_table_is_computed(note_fr: Built) -> None:
    text = norm(note_fr.html)
    assert "± 13,9 pts" in text  # n = 50: 1.96 * sqrt(0.25 / 50) = 13.86 points
    assert "± 3,1 pts" in text  # n = 1000
    assert "± 2,2 pts" in text  # n = 2000


def test_english_note_has_no_french_label_left(note_en: Built) -> None:
    cat = note_en.data.catalogue
    texts = set()
    for i in cat.indicators:
        texts |= {(i.label.fr, i.label.en), (i.short_label.fr, i.short_label.en)}
    texts |= {(u.label.fr, u.label.en) for u in cat.universes.values()}
    for b in cat.breakdowns.values():
        texts.add((b.label.fr, b.label.en))
        texts |= {(d.label.fr, d.label.en) for d in b.domains}
    texts |= {(t.fr, t.en) for t in THEMES.values()}
    french = {fr for fr, en in texts if fr != en}
    c = parse(note_en.html)
    visible = norm(" ".join(c.text))
    attrs = norm(" ".join(v for e in c.elements for v in e.attrs.values()))
    left = sorted(f for f in french if norm(f) in visible or norm(f) in attrs)
    assert not left, left
    assert '<html lang="en">' in note_en.html
    for word in ("Champ", "Lecture", "secret statistique", "Sommaire", "répondants"):
        assert word not in visible, word


@needs_poppler
def test_pdf_text_contains_the_key_figures_formatted_the_french_way(note_fr: Built) -> None:
    text = norm(_pdftotext(note_fr.result.out_dir / "note.pdf"))
    cards = [e for e in parse(note_fr.html).elements if e.tag == "p" and e.attrs.get("class") == "card-value"]
    assert cards
    for c in cards:
        value = norm(c.text)
        assert re.fullmatch(r"\d+ %", value), value
        assert value in text
    assert "Sommaire" in text and "Annexe méthodologique" in text


@needs_poppler
def test_pdf_has_page_numbers_toc_and_simulated_banner_on_every_page(note_fr: Built) -> None:
    pdf = note_fr.result.out_dir / "note.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages >= 10
    assert re.search(r"Title:.*Données simulées", info)
    assert re.search(r"Subject:.*Données simulées", info)
    assert re.search(r"Keywords:.*données simulées", info)
    assert "Page size:       595" in info  # A4
    for p in range(1, pages + 1):
        page = norm(_pdftotext(pdf, "-f", str(p), "-l", str(p)))
        assert "Données simulées" in page, p
        if p > 1:  # no page number on the cover
            assert f"{p} / {pages}" in page, p
    toc = norm(_pdftotext(pdf, "-f", "2", "-l", "2"))
    assert "Sommaire" in toc and re.search(r"Chiffres clés \.+ \d+", toc)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert "Marianne" in fonts


@needs_poppler
def test_pdf_pages_are_not_blank(note_fr: Built, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "12", "-gray", str(note_fr.result.out_dir / "note.pdf"), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert pages
    for page in pages:
        data = page.read_bytes()
        # binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert header
        pixels = data[header.end() :]
        dark = sum(1 for b in pixels if b < 200)
        assert dark / len(pixels) > 0.01, page.name  # more than the banner and the page number


def test_trend_charts_show_published_values_marked_as_published(note_fr: Built) -> None:
    figs = note_fr.result.out_dir / "figures"
    trends = sorted(figs.glob("*_trend.csv"))
    assert trends
    kinds = {row["kind"] for f in trends for row in csv.DictReader(f.read_text(encoding="utf-8").splitlines())}
    assert kinds == {"estimate", "published"}
    assert "valeur publiée" in note_fr.html
    svg = next(f for f in sorted(figs.glob("*_trend.svg")))
    assert "<title>" in svg.read_text(encoding="utf-8")


def test_region_maps_cover_the_eighteen_regions(note_fr: Built) -> None:
    maps = sorted((note_fr.result.out_dir / "figures").glob("*_regions.csv"))
    assert maps
    for m in maps:
        codes = [row["region"] for row in csv.DictReader(m.read_text(encoding="utf-8").splitlines())]
        assert len(codes) == 18 and {"01", "02", "03", "04", "06", "94"} <= set(codes)


def test_a_real_edition_has_no_simulated_banner(tmp_path: Path) -> None:
    import dataclasses

    data = synthetic_input("fr")
    real = dataclasses.replace(data, edition=dataclasses.replace(data.edition, simulated=False))
    html, _ = render_html(real, tmp_path)
    assert "simul" not in norm(" ".join(parse(html).text)).lower()
    assert "Données simulées" not in html


@needs_poppler
def test_editorial_and_example_boxes_are_in_the_html_and_the_pdf(note_fr: Built) -> None:
    ed = note_fr.data.editorial
    assert ed is not None
    root = parse(note_fr.html)
    boxes = [e for e in root.elements if e.tag == "aside" and e.attrs.get("data-example")]
    assert len(boxes) >= 3
    for box in boxes:  # each box: territory, project, what it does, a source link
        assert box.attrs["data-example"] in {x.key for xs in ed.examples.values() for x in xs}
    links = re.findall(r'<aside class="example".*?</aside>', note_fr.html, flags=re.S)
    assert all(re.search(r'<a href="https://[^"]+">', b) for b in links)
    pdf_text = norm(_pdftotext(note_fr.result.out_dir / "note.pdf"))
    opening = norm(re.sub(r"<[^>]+>", "", ed.opening).split(".")[0])
    assert opening and opening in pdf_text and opening in norm(note_fr.html)
    for xs in ed.examples.values():
        for x in xs:
            assert norm(x.territory) in pdf_text
    assert ed.recommendations is not None and 'id="recommendations"' in note_fr.html


@needs_poppler
def test_pdf_shows_no_internal_reference_and_no_number_split_across_lines(note_fr: Built) -> None:
    raw = _pdftotext(note_fr.result.out_dir / "note.pdf")
    for word in ("facts.md", "seeds/", "all respondents", "unclear"):
        assert word not in raw, word
    assert not re.search(r"(?<![\d,])1[\u00a0\u202f ]pts\b", raw)
    # reading order (no -layout): a sentence whose number is cut after a digit group, "… de 3" / "500 habitants"
    text = subprocess.run(
        ["pdftotext", str(note_fr.result.out_dir / "note.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = [ln.strip() for ln in text.splitlines()]
    for a, b in itertools.pairwise(lines):
        cut = re.search(r"[^\W\d].*\s\d{1,3}$", a) and re.match(r"\d{3}(?!\d)", b)
        assert not cut, (a, b)


@needs_poppler
def test_pdf_is_tagged_with_language_title_and_alternative_text_for_every_figure(note_fr: Built) -> None:
    pdf = note_fr.result.out_dir / "note.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info) and re.search(r"Metadata Stream:\s+yes", info)
    assert re.search(r"Title:\s+\S", info)
    raw = pdf.read_bytes()
    streams = [raw]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            streams.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    n_img = len(re.findall(r"<img ", note_fr.html))
    assert sum(s.count(b"/Alt") for s in streams) >= n_img > 0
    assert any(b"/Lang" in s for s in streams)
