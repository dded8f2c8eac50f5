"""The project's one YAML reader and writer: located, bounded, safe.

Every YAML text the project reads (questionnaires, the indicator catalogue, the
diagnostic's tables, a respondent's answer file, the translation table) goes
through this module, the only one that calls the ``yaml`` library:

- **Bounded** — a text larger than :data:`MAX_BYTES`, or nesting collections
  deeper than :data:`MAX_DEPTH`, is refused *before* the (C) composer builds a
  tree: libyaml's composer recurses once per level and a few tens of thousands
  of ``[`` overflow the C stack (a crash, not an exception). The depth is
  measured on libyaml's event stream, which is iterative, and the walk stops as
  soon as the limit is passed. Aliases (``*name``) are refused too: no data file
  needs them and they are how small texts become large trees.
- **Located** — every error is a :class:`YamlError` whose location is
  ``file:line:column`` (1-based); :func:`load` and :func:`load_file` return
  mappings and lists that remember where each key and item was written
  (:class:`YamlMap`, :class:`YamlList`, :func:`line_of`), so the readers of the
  data files can locate their own errors; :func:`compose` gives the node tree
  itself to readers that check a schema node by node.
- **One bilingual convention** — a user-facing text in a data file is either a
  plain string (the same in both languages: names, references) or a
  ``{fr: …, en: …}`` pair; :func:`localized` picks the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from barometre.core.errors import BarometreError
from barometre.core.paths import PROJECT_ROOT

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "YamlError",
    "YamlList",
    "YamlMap",
    "compose",
    "display_path",
    "dump",
    "line_of",
    "load",
    "load_file",
    "localized",
    "read_text",
    "scalar",
]

#: Largest YAML text read (bytes of UTF-8). The biggest data file is ~45 kB.
MAX_BYTES = 2_000_000
#: Deepest nesting of mappings and lists. The data files nest fewer than 10 levels.
MAX_DEPTH = 64

_CLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class YamlError(BarometreError):
    """A YAML text that cannot be read: syntax, size, depth, alias, duplicate key, encoding."""

    code = "yaml_error"

    def __init__(self, problem: str, source: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"YAML invalide : {problem}", location=f"{source}:{line}:{column}")
        self.problem = problem
        self.source = source
        self.line = line
        self.column = column


def display_path(path: Path) -> str:
    """``data/x.yaml`` for a file of the checkout, else the path as given."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _mark_error(exc: yaml.YAMLError, source: str) -> YamlError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntaxe"
        if mark is not None:
            return YamlError(problem, source, mark.line + 1, mark.column + 1)
        return YamlError(problem, source)
    return YamlError(str(exc), source)


def _event_mark(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def _check_bounds(text: str, source: str) -> None:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise YamlError(f"texte trop volumineux ({size} octets, au plus {MAX_BYTES})", source)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = _event_mark(event)
                    raise YamlError(f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", source, line, column)
            elif isinstance(event, _CLOSE):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                line, column = _event_mark(event)
                raise YamlError(f"alias *{event.anchor} non pris en charge", source, line, column)
    except yaml.YAMLError as exc:
        raise _mark_error(exc, source) from None


def compose(text: str, source: str = "<texte>") -> Node | None:
    """The node tree of ``text`` (None for an empty text); bounded, errors located in ``source``."""
    _check_bounds(text, source)
    try:
        node: Node | None = yaml.compose(text, Loader=_CLoader)
    except yaml.YAMLError as exc:
        raise _mark_error(exc, source) from None
    return node


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def scalar(node: ScalarNode) -> Any:
    """The Python value of a scalar node as ``yaml.safe_load`` gives it (its text if it does not parse)."""
    ctor: Callable[[Any, ScalarNode], Any] | None = _CONSTRUCTOR.yaml_constructors.get(node.tag)
    if ctor is None:
        return node.value
    try:
        return ctor(_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError):
        return node.value


@dataclass(frozen=True)
class Mark:
    """Where something was written: 1-based line and column."""

    line: int
    column: int


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class YamlMap(dict[Any, Any]):
    """A mapping that knows where it, each of its keys and each of its values were written."""

    mark: Mark = Mark(0, 0)
    key_marks: dict[Any, Mark]
    value_marks: dict[Any, Mark]

    @property
    def line(self) -> int:
        return self.mark.line

    def line_of(self, key: Any) -> int:
        """Line of ``key`` (the mapping's own line for a key it does not have)."""
        marks: dict[Any, Mark] = getattr(self, "key_marks", {})
        return marks.get(key, self.mark).line


class YamlList(list[Any]):
    """A list that knows where it and each of its items were written."""

    mark: Mark = Mark(0, 0)
    item_marks: list[Mark]

    @property
    def line(self) -> int:
        return self.mark.line


def _build(node: Node, source: str) -> Any:
    if isinstance(node, MappingNode):
        m = YamlMap()
        m.mark = _mark(node)
        m.key_marks = {}
        m.value_marks = {}
        for key_node, value_node in node.value:
            key = _build(key_node, source)
            if isinstance(key, list | dict):
                k = _mark(key_node)
                raise YamlError("clé composée non prise en charge", source, k.line, k.column)
            if key in m:
                k = _mark(key_node)
                raise YamlError(f"clé {key!r} en double", source, k.line, k.column)
            m[key] = _build(value_node, source)
            m.key_marks[key] = _mark(key_node)
            m.value_marks[key] = _mark(value_node)
        return m
    if isinstance(node, SequenceNode):
        s = YamlList()
        s.mark = _mark(node)
        s.item_marks = []
        for item in node.value:
            s.append(_build(item, source))
            s.item_marks.append(_mark(item))
        return s
    assert isinstance(node, ScalarNode)
    return scalar(node)


def load(text: str, source: str = "<texte>") -> Any:
    """The data of ``text`` (None if empty): scalars as ``yaml.safe_load`` gives them, mappings as
    :class:`YamlMap`, lists as :class:`YamlList`; a duplicate key is an error."""
    root = compose(text, source)
    return None if root is None else _build(root, source)


def read_text(path: Path, source: str | None = None) -> str:
    """The UTF-8 text of ``path``; a missing file raises :class:`FileNotFoundError`, a text that is not
    UTF-8 or larger than :data:`MAX_BYTES` raises :class:`YamlError` before it is read whole."""
    where = source or display_path(path)
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlError(f"fichier trop volumineux (plus de {MAX_BYTES} octets)", where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(f"le fichier n'est pas en UTF-8 ({exc.reason})", where, line) from None


def load_file(path: Path, source: str | None = None) -> Any:
    """:func:`load` of the file ``path``; errors name ``source`` (default: its path in the checkout)."""
    where = source or display_path(path)
    return load(read_text(path, where), where)


def line_of(obj: Any, key: Any = None) -> int | None:
    """Line of ``obj`` (or of its ``key``) when it came from :func:`load`, else None."""
    if isinstance(obj, YamlMap):
        return obj.line_of(key) if key is not None else obj.line
    if isinstance(obj, YamlList):
        return obj.line
    return None


def localized(value: Any, lang: str) -> Any:
    """The ``lang`` side of a ``{fr: …, en: …}`` pair (French when the pair has no ``lang`` side); any
    other value (a text the same in both languages, None) as it is."""
    if isinstance(value, Mapping) and "fr" in value and set(value) <= {"fr", "en"}:
        chosen = value.get(lang)
        return value["fr"] if chosen is None else chosen
    return value


# --------------------------------------------------------------------------- writing


class Flow(dict[str, Any]):
    """A mapping written in flow style: ``{fr: ..., en: ...}``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent lists under their key


def _repr_flow(dumper: yaml.SafeDumper, data: Flow) -> Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _repr_str(dumper: yaml.SafeDumper, data: str) -> Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(Flow, _repr_flow)
_Dumper.add_representer(str, _repr_str)


def dump(data: Any) -> str:
    """Block-style YAML of ``data`` in insertion order (multi-line strings as ``|`` blocks, :class:`Flow`
    mappings on one line)."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return text
