"""One note per language, built once for the whole package of tests (synthetic input, real catalogue)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from html.parser import HTMLParser

import pytest

from barometre.core.report import BuildResult, ReportInput, build_report
from barometre.core.report.editorial import default_path, load_editorial
from barometre.core.report.synthetic import synthetic_input


@dataclass
class Built:
    data: ReportInput
    result: BuildResult
    html: str


def _build(tmp_path_factory: pytest.TempPathFactory, lang: str, *, pdf: bool = True) -> Built:
    data = synthetic_input(lang)
    path = default_path(data.edition.year, lang)  # the editorial the project ships for the edition
    if path is not None:
        data = replace(data, editorial=load_editorial(path, edition=data.edition.year, lang=lang))
    out = tmp_path_factory.mktemp(f"note_{lang}")
    result = build_report(data, out, pdf=pdf)
    return Built(data, result, result.html.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def note_fr(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "fr")


@pytest.fixture(scope="session")
def note_en(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "en", pdf=False)  # the PDF is the same code path as the French one


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Collector(HTMLParser):
    """Elements of interest with their full text: [data-indicator], figure, img, figcaption, [data-card]."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.elements: list[Element] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        if tag in ("style", "script"):
            self._skip += 1
        if tag in ("img", "meta", "link", "br", "hr", "input"):
            self.elements.append(el)
            return
        self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                el = self.stack.pop(i)
                self.elements.append(el)
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        for el in self.stack:
            el.text += data


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    return c


def norm(s: str) -> str:
    """Whitespace-normalised text (NBSP and narrow NBSP as spaces)."""
    return " ".join(s.replace("\u00a0", " ").replace("\u202f", " ").split())
