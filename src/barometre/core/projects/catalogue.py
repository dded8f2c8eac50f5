"""The data files behind the catalogue: cited sources, curated examples, the OPSN directory.

Every file is read with located errors (``data/x.yaml:LINE: …``); a bad entry refuses the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from barometre.core.errors import ProjectError
from barometre.core.paths import DATA_DIR
from barometre.core.projects.model import Domain, Origin, Project, Status
from barometre.core.yamlfile import display_path, line_of, load_file

SOURCES_FILE = DATA_DIR / "sources.yaml"
EXAMPLES_FILE = DATA_DIR / "project_examples.yaml"
OPSN_FILE = DATA_DIR / "opsn.yaml"


@dataclass(frozen=True)
class Source:
    """A publication as a reader can follow it."""

    key: str
    title: dict[str, str]
    publisher: str
    date: str
    url: str


@dataclass(frozen=True)
class Example:
    """A curated example: the project in both languages, its territory and its source."""

    key: str
    authority_code: str
    territory: str
    title: dict[str, str]
    summary: dict[str, str]
    domain: Domain
    status: Status
    source: str

    def project(self, lang: str = "fr") -> Project:
        return Project(
            key=f"exemple-{self.key}",
            title=self.title[lang],
            summary=self.summary[lang],
            domain=self.domain,
            status=self.status,
            authority_code=self.authority_code,
            origin=Origin.EXAMPLE,
            source=self.source,
        )


@dataclass(frozen=True)
class Operator:
    """A public digital service operator (OPSN) and the départements it serves."""

    key: str
    name: str
    departements: tuple[str, ...]
    url: str
    offers: tuple[str, ...]


def _where(path: Path, obj: Any, key: Any = None) -> str:
    line = line_of(obj, key)
    return f"{display_path(path)}:{line}" if line else display_path(path)


def _text_pair(path: Path, entry: Any, key: str) -> dict[str, str]:
    value = entry.get(key)
    if not isinstance(value, dict) or set(value) != {"fr", "en"}:
        raise ProjectError(f"« {key} » doit avoir les clés fr et en", location=_where(path, entry, key))
    for lang in ("fr", "en"):
        if not isinstance(value[lang], str) or not value[lang].strip():
            raise ProjectError(f"« {key}.{lang} » est vide", location=_where(path, entry, key))
    return {"fr": value["fr"].strip(), "en": value["en"].strip()}


def _text(path: Path, entry: Any, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str | int) or not str(value).strip():
        raise ProjectError(f"champ « {key} » manquant ou vide", location=_where(path, entry, key))
    return str(value).strip()


def _entries(path: Path, key: str) -> list[Any]:
    data = load_file(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list | dict):
        raise ProjectError(f"clé « {key} » attendue", location=display_path(path))
    value = data[key]
    return list(value.items()) if isinstance(value, dict) else list(value)


def load_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for key, entry in _entries(path, "sources"):
        if not isinstance(entry, dict):
            raise ProjectError(f"source « {key} » : table attendue", location=display_path(path))
        sources[str(key)] = Source(
            key=str(key),
            title=_text_pair(path, entry, "title"),
            publisher=_text(path, entry, "publisher"),
            date=_text(path, entry, "date"),
            url=_text(path, entry, "url"),
        )
        if not sources[str(key)].url.startswith("https://"):
            raise ProjectError("« url » doit commencer par https://", location=_where(path, entry, "url"))
    return sources


def load_examples(path: Path = EXAMPLES_FILE, sources: dict[str, Source] | None = None) -> list[Example]:
    known = sources if sources is not None else load_sources()
    examples: list[Example] = []
    seen: set[str] = set()
    for entry in _entries(path, "examples"):
        if not isinstance(entry, dict):
            raise ProjectError("exemple : table attendue", location=display_path(path))
        key = _text(path, entry, "id")
        if key in seen:
            raise ProjectError(f"identifiant « {key} » en double", location=_where(path, entry, "id"))
        seen.add(key)
        try:
            domain = Domain(_text(path, entry, "domain"))
            status = Status(_text(path, entry, "status"))
        except ValueError as exc:
            raise ProjectError(f"valeur inconnue : {exc}", location=_where(path, entry)) from None
        source = _text(path, entry, "source")
        if source not in known:
            raise ProjectError(f"source « {source} » absente de sources.yaml", location=_where(path, entry, "source"))
        examples.append(
            Example(
                key=key,
                authority_code=_text(path, entry, "authority"),
                territory=_text(path, entry, "territory"),
                title=_text_pair(path, entry, "title"),
                summary=_text_pair(path, entry, "summary"),
                domain=domain,
                status=status,
                source=source,
            )
        )
    return examples


def load_operators(path: Path = OPSN_FILE) -> list[Operator]:
    operators: list[Operator] = []
    for entry in _entries(path, "operators"):
        if not isinstance(entry, dict):
            raise ProjectError("opérateur : table attendue", location=display_path(path))
        deps = entry.get("departements")
        if not isinstance(deps, list) or not deps or not all(isinstance(d, str) for d in deps):
            raise ProjectError("« departements » : liste de codes attendue", location=_where(path, entry))
        url = _text(path, entry, "url")
        if not url.startswith("https://"):
            raise ProjectError("« url » doit commencer par https://", location=_where(path, entry, "url"))
        operators.append(
            Operator(
                key=_text(path, entry, "id"),
                name=_text(path, entry, "name"),
                departements=tuple(deps),
                url=url,
                offers=tuple(str(o) for o in entry.get("offers") or ()),
            )
        )
    return operators


@cache
def sources() -> dict[str, Source]:
    return load_sources()


@cache
def examples() -> tuple[Example, ...]:
    return tuple(load_examples(sources=sources()))


@cache
def operators() -> tuple[Operator, ...]:
    return tuple(load_operators())


def operators_for_departement(code: str) -> list[Operator]:
    """The directory's operators serving département ``code`` (empty: none known)."""
    return [op for op in operators() if code in op.departements]
