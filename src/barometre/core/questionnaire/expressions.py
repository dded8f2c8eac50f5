"""The expression language of questionnaires (``relevant``, ``constraint``, ``calculation``).

A small subset of the XLSForm/XPath syntax, parsed by a real tokenizer and a
recursive-descent parser into a typed AST (never ``eval``)::

    ${question}            value of another question (``${grid.item}`` for one grid item)
    .                      the current question's value (constraints only)
    'text' "text" 12 3.5   literals
    = != < <= > >=         comparisons
    and or not(x)          logic
    + - * div mod          arithmetic (unary minus too)
    selected(${q}, 'code') count-selected(${q}) if(c, a, b)
    string-length(s) regex(s, 'pattern') true() false() today()

Precedence, lowest first: ``or``, ``and``, ``= !=``, ``< <= > >=``, ``+ -``,
``* div mod``, unary ``-``.

Evaluation follows XPath where it matters for skip logic: an unanswered (or
not relevant) question has the value ``None``, which compares equal to ``''``
and makes ordering comparisons false and arithmetic yield ``None``.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Union

__all__ = [
    "Binary",
    "Call",
    "Current",
    "ExprType",
    "Expression",
    "ExpressionError",
    "Literal",
    "Node",
    "Ref",
    "RefInfo",
    "Unary",
    "check",
    "evaluate",
    "parse",
    "references",
    "to_source",
    "truthy",
]


class ExpressionError(Exception):
    """A syntax or type error at ``offset`` (0-based) in the expression text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | int | float
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Ref:
    name: str
    item: str | None = None
    pos: int = 0

    @property
    def key(self) -> str:
        return self.name if self.item is None else f"{self.name}.{self.item}"


@dataclass(frozen=True, slots=True)
class Current:
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Node
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int = 0


Node = Union[Literal, Ref, Current, Unary, Binary, Call]  # noqa: UP007 (runtime alias)


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression with its source text."""

    source: str
    root: Node

    def __str__(self) -> str:
        return self.source


# --------------------------------------------------------------------------- tokenizer

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{(?P<refbody>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch in "'\"":
                raise ExpressionError("chaîne de caractères non terminée", pos)
            if text.startswith("${", pos):
                raise ExpressionError("référence ${...} non fermée", pos)
            raise ExpressionError(f"caractère inattendu {ch!r}", pos)
        kind = m.lastgroup or ""
        if kind == "refbody":  # pragma: no cover - lastgroup is the outer group
            kind = "ref"
        if kind != "ws":
            if kind == "ref":
                body = m.group("refbody").strip()
                parts = body.split(".")
                if not 1 <= len(parts) <= 2 or not all(_IDENT_RE.fullmatch(p) for p in parts):
                    raise ExpressionError(f"référence invalide ${{{body}}}", pos)
                tokens.append(_Token("ref", body, pos))
            else:
                tokens.append(_Token(kind, m.group(kind), pos))
        pos = m.end()
    tokens.append(_Token("eof", "", len(text)))
    return tokens


# --------------------------------------------------------------------------- parser

_FUNCTIONS: dict[str, tuple[int, int]] = {
    # name: (min args, max args)
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "if": (3, 3),
    "string-length": (1, 1),
    "regex": (2, 2),
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
}
_KEYWORD_OPS = {"and", "or", "div", "mod"}


#: Longest expression accepted (characters); questionnaire expressions are a few dozen.
MAX_EXPRESSION_LENGTH = 4000
#: Deepest expression tree accepted (chained operators included), checked without recursion.
MAX_EXPRESSION_DEPTH = 150
#: Most parentheses, calls and signs nested in one another (each costs the parser a dozen frames).
MAX_EXPRESSION_NESTING = 32


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_EXPRESSION_LENGTH:
            raise ExpressionError(
                f"expression trop longue ({len(text)} caractères, au plus {MAX_EXPRESSION_LENGTH})", 0
            )
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def _enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_EXPRESSION_NESTING:
            raise ExpressionError(
                f"expression trop imbriquée (plus de {MAX_EXPRESSION_NESTING} parenthèses, appels ou signes emboîtés)",
                pos,
            )

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def next(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        tok = self.peek()
        return (tok.kind == "op" and tok.text in ops) or (tok.kind == "name" and tok.text in ops)

    def parse(self) -> Node:
        if self.peek().kind == "eof":
            raise ExpressionError("expression vide", 0)
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "eof":
            raise ExpressionError(f"élément inattendu {tok.text!r}", tok.pos)
        return node

    def _binary(self, sub: Callable[[], Node], ops: tuple[str, ...]) -> Node:
        left = sub()
        while self.at_op(*ops):
            tok = self.next()
            right = sub()
            left = Binary(tok.text, left, right, tok.pos)
        return left

    def parse_or(self) -> Node:
        return self._binary(self.parse_and, ("or",))

    def parse_and(self) -> Node:
        return self._binary(self.parse_equality, ("and",))

    def parse_equality(self) -> Node:
        return self._binary(self.parse_relational, ("=", "!="))

    def parse_relational(self) -> Node:
        return self._binary(self.parse_additive, ("<", "<=", ">", ">="))

    def parse_additive(self) -> Node:
        return self._binary(self.parse_multiplicative, ("+", "-"))

    def parse_multiplicative(self) -> Node:
        return self._binary(self.parse_unary, ("*", "div", "mod"))

    def parse_unary(self) -> Node:
        if self.at_op("-"):
            tok = self.next()
            self._enter(tok.pos)
            operand = self.parse_unary()
            self.depth -= 1
            return Unary("-", operand, tok.pos)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.next()
        if tok.kind == "number":
            value: int | float = float(tok.text) if "." in tok.text else int(tok.text)
            return Literal(value, tok.pos)
        if tok.kind == "string":
            return Literal(tok.text[1:-1], tok.pos)
        if tok.kind == "ref":
            name, _, item = tok.text.partition(".")
            return Ref(name, item or None, tok.pos)
        if tok.kind == "dot":
            return Current(tok.pos)
        if tok.kind == "lparen":
            self._enter(tok.pos)
            node = self.parse_or()
            self.expect("rparen", "')' attendu")
            self.depth -= 1
            return node
        if tok.kind == "name":
            if tok.text in _KEYWORD_OPS:
                raise ExpressionError(f"opérande manquant avant {tok.text!r}", tok.pos)
            if self.peek().kind != "lparen":
                raise ExpressionError(
                    f"nom inconnu {tok.text!r} (une référence s'écrit ${{{tok.text}}})",
                    tok.pos,
                )
            if tok.text not in _FUNCTIONS:
                raise ExpressionError(f"fonction inconnue {tok.text}()", tok.pos)
            self.next()
            self._enter(tok.pos)
            args: list[Node] = []
            if self.peek().kind != "rparen":
                args.append(self.parse_or())
                while self.peek().kind == "comma":
                    self.next()
                    args.append(self.parse_or())
            self.expect("rparen", "')' ou ',' attendu")
            self.depth -= 1
            lo, hi = _FUNCTIONS[tok.text]
            if not lo <= len(args) <= hi:
                expected = str(lo) if lo == hi else f"{lo} à {hi}"
                raise ExpressionError(
                    f"{tok.text}() attend {expected} argument(s), {len(args)} donné(s)",
                    tok.pos,
                )
            return Call(tok.text, tuple(args), tok.pos)
        if tok.kind == "eof":
            raise ExpressionError("expression incomplète", tok.pos)
        raise ExpressionError(f"élément inattendu {tok.text!r}", tok.pos)

    def expect(self, kind: str, message: str) -> _Token:
        tok = self.peek()
        if tok.kind != kind:
            raise ExpressionError(message, tok.pos)
        return self.next()


def parse(text: str) -> Expression:
    """Parse ``text``; raise :class:`ExpressionError` with the offset of the problem.

    Bounded: at most :data:`MAX_EXPRESSION_LENGTH` characters and a tree at most
    :data:`MAX_EXPRESSION_DEPTH` deep (checked without recursion), so that the checker
    and the evaluator, which recurse, never exhaust the stack.
    """
    root = _Parser(text).parse()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(
                f"expression trop imbriquée (plus de {MAX_EXPRESSION_DEPTH} niveaux)", getattr(node, "pos", 0)
            )
        stack.extend((child, depth + 1) for child in _children(node))
    return Expression(text, root)


# --------------------------------------------------------------------------- traversal


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in _children(node):
        yield from walk(child)


def references(expr: Expression | Node) -> list[Ref]:
    """Every ``${...}`` reference of the expression, in source order."""
    root = expr.root if isinstance(expr, Expression) else expr
    return [n for n in walk(root) if isinstance(n, Ref)]


def uses_current(expr: Expression) -> bool:
    return any(isinstance(n, Current) for n in walk(expr.root))


# --------------------------------------------------------------------------- type checker


class ExprType(enum.Enum):
    NUMBER = "nombre"
    STRING = "texte"
    BOOL = "booléen"
    MULTI = "choix multiple"
    DATE = "date"
    GRID = "grille"


@dataclass(frozen=True, slots=True)
class RefInfo:
    """What the checker needs to know about a referenced value."""

    type: ExprType
    codes: frozenset[str] | None = None


#: Resolve a reference; return a RefInfo or an error message.
Resolver = Callable[[Ref], Union[RefInfo, str]]  # noqa: UP007


def check(expr: Expression, resolve: Resolver, current: RefInfo | None) -> ExprType:
    """Type-check ``expr``; ``current`` is the type of ``.`` (None: ``.`` not allowed)."""
    return _Checker(resolve, current).check(expr.root).type


class _Checker:
    def __init__(self, resolve: Resolver, current: RefInfo | None) -> None:
        self.resolve = resolve
        self.current = current

    def check(self, node: Node) -> RefInfo:
        if isinstance(node, Literal):
            return RefInfo(ExprType.STRING if isinstance(node.value, str) else ExprType.NUMBER)
        if isinstance(node, Ref):
            info = self.resolve(node)
            if isinstance(info, str):
                raise ExpressionError(info, node.pos)
            return info
        if isinstance(node, Current):
            if self.current is None:
                raise ExpressionError("« . » (valeur courante) n'est permis que dans une contrainte", node.pos)
            return self.current
        if isinstance(node, Unary):
            self.expect(node.operand, ExprType.NUMBER, "le « - » unaire")
            return RefInfo(ExprType.NUMBER)
        if isinstance(node, Binary):
            return self.check_binary(node)
        return self.check_call(node)

    def expect(self, node: Node, wanted: ExprType, what: str) -> RefInfo:
        info = self.check(node)
        if info.type is not wanted:
            raise ExpressionError(
                f"{what} attend un {wanted.value}, pas un {info.type.value}",
                node.pos,
            )
        return info

    def check_binary(self, node: Binary) -> RefInfo:
        op = node.op
        if op in ("and", "or"):
            self.expect(node.left, ExprType.BOOL, f"« {op} »")
            self.expect(node.right, ExprType.BOOL, f"« {op} »")
            return RefInfo(ExprType.BOOL)
        if op in ("+", "-", "*", "div", "mod"):
            self.expect(node.left, ExprType.NUMBER, f"« {op} »")
            self.expect(node.right, ExprType.NUMBER, f"« {op} »")
            return RefInfo(ExprType.NUMBER)
        left = self.check(node.left)
        right = self.check(node.right)
        for info in (left, right):
            if info.type is ExprType.MULTI:
                raise ExpressionError(
                    "une question à choix multiple ne se compare pas : utiliser selected(${q}, 'code')",
                    node.pos,
                )
            if info.type is ExprType.GRID:
                raise ExpressionError("une grille ne se compare pas : utiliser ${grille.item}", node.pos)
        lt, rt = left.type, right.type
        compatible = lt is rt or {lt, rt} == {ExprType.DATE, ExprType.STRING}
        if not compatible:
            raise ExpressionError(f"comparaison « {op} » entre un {lt.value} et un {rt.value}", node.pos)
        if op in ("<", "<=", ">", ">=") and lt not in (ExprType.NUMBER, ExprType.DATE, ExprType.STRING):
            raise ExpressionError(f"« {op} » ne s'applique pas à un {lt.value}", node.pos)
        self.check_codes(left, node.right)
        self.check_codes(right, node.left)
        return RefInfo(ExprType.BOOL)

    def check_codes(self, info: RefInfo, other: Node) -> None:
        if (
            info.codes is not None
            and isinstance(other, Literal)
            and isinstance(other.value, str)
            and other.value != ""
            and other.value not in info.codes
        ):
            raise ExpressionError(
                f"code {other.value!r} inconnu (codes permis : {', '.join(sorted(info.codes))})",
                other.pos,
            )

    def check_call(self, node: Call) -> RefInfo:
        name, args = node.name, node.args
        if name == "selected":
            info = self.check(args[0])
            if info.type not in (ExprType.MULTI, ExprType.STRING):
                raise ExpressionError(f"selected() attend une question à choix, pas un {info.type.value}", node.pos)
            self.expect(args[1], ExprType.STRING, "selected()")
            self.check_codes(info, args[1])
            return RefInfo(ExprType.BOOL)
        if name == "count-selected":
            self.expect(args[0], ExprType.MULTI, "count-selected()")
            return RefInfo(ExprType.NUMBER)
        if name == "not":
            self.expect(args[0], ExprType.BOOL, "not()")
            return RefInfo(ExprType.BOOL)
        if name == "if":
            self.expect(args[0], ExprType.BOOL, "if()")
            a, b = self.check(args[1]), self.check(args[2])
            if a.type is not b.type:
                raise ExpressionError(
                    f"les deux branches de if() doivent avoir le même type ({a.type.value} / {b.type.value})",
                    node.pos,
                )
            return RefInfo(a.type)
        if name == "string-length":
            self.expect(args[0], ExprType.STRING, "string-length()")
            return RefInfo(ExprType.NUMBER)
        if name == "regex":
            self.expect(args[0], ExprType.STRING, "regex()")
            pattern = args[1]
            if not (isinstance(pattern, Literal) and isinstance(pattern.value, str)):
                raise ExpressionError("le motif de regex() doit être une chaîne littérale", pattern.pos)
            try:
                re.compile(pattern.value)
            except re.error as exc:
                raise ExpressionError(f"motif de regex() invalide : {exc}", pattern.pos) from None
            return RefInfo(ExprType.BOOL)
        if name in ("true", "false"):
            return RefInfo(ExprType.BOOL)
        if name == "today":
            return RefInfo(ExprType.DATE)
        raise ExpressionError(f"fonction inconnue {name}()", node.pos)  # pragma: no cover


# --------------------------------------------------------------------------- evaluator

Value = object


def truthy(value: Value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == value and value != 0  # NaN is false
    if isinstance(value, (str, list, dict, tuple)):
        return len(value) > 0
    return True


def _is_empty(value: Value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: Value) -> float | int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _equal(a: Value, b: Value) -> bool:
    if _is_empty(a) or _is_empty(b):
        return _is_empty(a) and _is_empty(b)
    if isinstance(a, date):
        a = a.isoformat()
    if isinstance(b, date):
        b = b.isoformat()
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        na, nb = _number(a), _number(b)
        return na is not None and nb is not None and na == nb
    return a == b


def _order(op: str, a: Value, b: Value) -> bool:
    if _is_empty(a) or _is_empty(b):
        return False
    if isinstance(a, date):
        a = a.isoformat()
    if isinstance(b, date):
        b = b.isoformat()
    if isinstance(a, str) and isinstance(b, str):
        return _compare(op, (a > b) - (a < b))
    na, nb = _number(a), _number(b)
    if na is None or nb is None:
        return False
    return _compare(op, (na > nb) - (na < nb))


def _compare(op: str, sign: int) -> bool:
    if op == "<":
        return sign < 0
    if op == "<=":
        return sign <= 0
    if op == ">":
        return sign > 0
    return sign >= 0


def _arith(op: str, a: Value, b: Value) -> float | int | None:
    x, y = _number(a), _number(b)
    if x is None or y is None or _is_empty(a) or _is_empty(b):
        return None
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        return None
    if op == "div":
        return x / y
    result = math.fmod(x, y)
    return int(result) if isinstance(x, int) and isinstance(y, int) else result


def evaluate(expr: Expression | Node, values: Mapping[str, Value], current: Value = None) -> Value:
    """Evaluate with ``values`` (question id → cleaned value, missing = unanswered)."""
    root = expr.root if isinstance(expr, Expression) else expr
    return _eval(root, values, current)


def _eval(node: Node, values: Mapping[str, Value], current: Value) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        value = values.get(node.name)
        if node.item is not None:
            return value.get(node.item) if isinstance(value, dict) else None
        return value
    if isinstance(node, Current):
        return current
    if isinstance(node, Unary):
        operand = _number(_eval(node.operand, values, current))
        return None if operand is None else -operand
    if isinstance(node, Binary):
        op = node.op
        if op == "and":
            return truthy(_eval(node.left, values, current)) and truthy(_eval(node.right, values, current))
        if op == "or":
            return truthy(_eval(node.left, values, current)) or truthy(_eval(node.right, values, current))
        left = _eval(node.left, values, current)
        right = _eval(node.right, values, current)
        if op == "=":
            return _equal(left, right)
        if op == "!=":
            return not _equal(left, right)
        if op in ("<", "<=", ">", ">="):
            return _order(op, left, right)
        return _arith(op, left, right)
    name, args = node.name, node.args
    if name == "selected":
        value = _eval(args[0], values, current)
        code = _eval(args[1], values, current)
        if isinstance(value, list):
            return code in value
        return value is not None and value == code
    if name == "count-selected":
        value = _eval(args[0], values, current)
        return len(value) if isinstance(value, list) else 0
    if name == "not":
        return not truthy(_eval(args[0], values, current))
    if name == "if":
        branch = args[1] if truthy(_eval(args[0], values, current)) else args[2]
        return _eval(branch, values, current)
    if name == "string-length":
        value = _eval(args[0], values, current)
        return len(value) if isinstance(value, str) else 0
    if name == "regex":
        value = _eval(args[0], values, current)
        pattern = _eval(args[1], values, current)
        return isinstance(value, str) and isinstance(pattern, str) and re.search(pattern, value) is not None
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "today":
        return date.today().isoformat()
    raise ExpressionError(f"fonction inconnue {name}()", node.pos)  # pragma: no cover


# --------------------------------------------------------------------------- printer

_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}


def _quote(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


def to_source(expr: Expression | Node, ref_name: Callable[[Ref], str] | None = None) -> str:
    """Canonical text of an expression; ``ref_name`` renames references (XLSForm export)."""
    root = expr.root if isinstance(expr, Expression) else expr
    return _print(root, ref_name or (lambda r: r.key))


def _print(node: Node, ref_name: Callable[[Ref], str], parent: int = 0, right: bool = False) -> str:
    if isinstance(node, Literal):
        if isinstance(node.value, str):
            return _quote(node.value)
        return repr(node.value)
    if isinstance(node, Ref):
        return "${" + ref_name(node) + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Unary):
        return "-" + _print(node.operand, ref_name, 7)
    if isinstance(node, Binary):
        prec = _PRECEDENCE[node.op]
        text = f"{_print(node.left, ref_name, prec)} {node.op} {_print(node.right, ref_name, prec, True)}"
        if prec < parent or (right and prec == parent):
            return f"({text})"
        return text
    return f"{node.name}({', '.join(_print(a, ref_name) for a in node.args)})"
