"""The authors' Markdown file: where each part lands, and one-line errors naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.core.errors import ReportError
from barometre.core.projects.catalogue import examples
from barometre.core.report.editorial import default_path, load_editorial

HEAD = "---\nedition: 2025\nlang: fr\ntitle: Éditorial\n---\n\n"


def _write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "edito.md"
    path.write_text(head + body, encoding="utf-8")
    return path


def test_shipped_editorials_open_with_prose_and_cite_examples_of_the_shared_file() -> None:
    known = {e.key for e in examples()}
    for lang in ("fr", "en"):
        path = default_path(2025, lang)
        assert path is not None
        ed = load_editorial(path, edition=2025, lang=lang)
        assert ed.opening.startswith("<p>")
        boxes = [b for bs in ed.examples.values() for b in bs]
        assert len(boxes) >= 3 and {b.key for b in boxes} <= known
        assert all(b.source_url.startswith("https://") for b in boxes)
        assert ed.recommendations is not None and ed.footnotes
        # each footnote is called in the order of its number
        assert [f.number for f in ed.footnotes] == list(range(1, len(ed.footnotes) + 1))


def test_parts_land_in_their_chapters_and_footnotes_are_numbered(tmp_path: Path) -> None:
    body = (
        "Ouverture en 3 500 mots[^a].\n\n## Leçons {lessons=ia}\nTexte[^b] puis[^a].\n\n"
        "## Exemples {examples=ia}\n- issygpt\n\n## Recos {recommendations}\n1. Faire.\n\n"
        "[^a]: Note A, <https://example.org/a>.\n[^b]: Note B.\n"
    )
    ed = load_editorial(_write(tmp_path, body), edition=2025, lang="fr")
    assert "3\u202f500" in ed.opening  # digit groups kept together
    assert list(ed.lessons) == ["ia"] and ed.examples["ia"][0].territory == "Issy-les-Moulineaux"
    assert [(f.number, f.id) for f in ed.footnotes] == [(1, "a"), (2, "b")]
    assert 'href="#fn-a"' in ed.lessons["ia"][0].html and ">1</a>" in ed.lessons["ia"][0].html
    assert '<a href="https://example.org/a">' in ed.footnotes[0].html


def test_raw_html_is_shown_as_text(tmp_path: Path) -> None:
    ed = load_editorial(_write(tmp_path, "Texte <script>alert(1)</script>.\n"))
    assert "<script>" not in ed.opening and "&lt;script&gt;" in ed.opening


@pytest.mark.parametrize(
    ("head", "body", "line", "words"),
    [
        ("edition: 2025\n", "x", 1, "---"),
        (HEAD, "## Sans type\ntexte\n", 7, "## Titre {type}"),
        (HEAD, "Texte.\n\n## Leçons {lessons=nulle}\ntexte\n", 9, "chapitre"),
        (HEAD, "Texte.\n\n## Exemples {examples=ia}\n- inconnu\n", 10, "inconnu"),
        (HEAD, "Texte[^x].\n", 7, "[^x]"),
        (HEAD, "Texte.\n\n[^y]: jamais appelée\n", 9, "[^y]"),
        (HEAD, "- une liste d'abord\n", 7, "paragraphe"),
        ("---\nedition: 2024\nlang: fr\ntitle: T\n---\n", "Texte.\n", 2, "2024"),
        ("---\nedition: 2025\nlang: fr\ntitle: [T\n---\n", "Texte.\n", 5, "YAML"),
    ],
)
def test_a_malformed_file_fails_in_one_line_naming_file_and_line(
    tmp_path: Path, head: str, body: str, line: int, words: str
) -> None:
    with pytest.raises(ReportError) as exc:
        load_editorial(_write(tmp_path, body, head), edition=2025, lang="fr")
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'edito.md'}:{line}") or f"edito.md:{line}" in message
    assert words in message


def test_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"absent\.md"):
        load_editorial(tmp_path / "absent.md")
