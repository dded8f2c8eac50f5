from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.core.questionnaire import expressions as ex


def ev(text: str, values: dict[str, object] | None = None, current: object = None) -> object:
    return ex.evaluate(ex.parse(text), values or {}, current)


def test_precedence_follows_xpath() -> None:
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("1 = 1 or 1 = 2 and 1 = 2") is True
    assert ev("10 - 2 - 3") == 5
    assert ev("7 mod 3") == 1
    assert ev("7 div 2") == 3.5
    assert ev("-2 * -3") == 6


def test_references_and_current_value() -> None:
    assert ev("${a} + 1", {"a": 2}) == 3
    assert ev(". <= ${a}", {"a": 10}, 5) is True
    assert ev("${g.x} = 'oui'", {"g": {"x": "oui"}}) is True


def test_unanswered_compares_equal_to_empty_string_and_fails_orderings() -> None:
    assert ev("${a} = ''") is True
    assert ev("${a} != 'x'") is True
    assert ev("${a} > 3") is False
    assert ev("${a} < 3") is False
    assert ev("${a} + 1") is None


def test_division_by_zero_is_missing_not_a_crash() -> None:
    assert ev("1 div 0") is None
    assert ev("1 mod 0") is None


def test_functions() -> None:
    values = {"m": ["a", "b"], "s": "a", "t": "abc"}
    assert ev("selected(${m}, 'b')", values) is True
    assert ev("selected(${s}, 'a')", values) is True
    assert ev("selected(${none}, 'a')", values) is False
    assert ev("count-selected(${m})", values) == 2
    assert ev("count-selected(${none})", values) == 0
    assert ev("not(selected(${m}, 'c'))", values) is True
    assert ev("if(${s} = 'a', 1, 2)", values) == 1
    assert ev("string-length(${t})", values) == 3
    assert ev("regex(${t}, '^a.c$')", values) is True
    assert ev("true() and not(false())") is True


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("1 +", "expression incomplète", 3),
        ("(1", "')' attendu", 2),
        ("${a", "non fermée", 0),
        ("'abc", "non terminée", 0),
        ("foo(1)", "fonction inconnue foo()", 0),
        ("a = 1", "une référence s'écrit ${a}", 0),
        ("selected(${a})", "selected() attend 2 argument(s), 1 donné(s)", 0),
        ("1 # 2", "caractère inattendu '#'", 2),
        ("", "expression vide", 0),
        ("1 2", "élément inattendu '2'", 2),
        ("${a b}", "référence invalide", 0),
    ],
)
def test_syntax_errors_carry_an_offset(text: str, message: str, offset: int) -> None:
    with pytest.raises(ex.ExpressionError) as info:
        ex.parse(text)
    assert message in info.value.message
    assert info.value.offset == offset


NUM = ex.RefInfo(ex.ExprType.NUMBER)
CHOICE = ex.RefInfo(ex.ExprType.STRING, frozenset({"a", "b"}))
MULTI = ex.RefInfo(ex.ExprType.MULTI, frozenset({"a", "b"}))


def resolve(ref: ex.Ref) -> ex.RefInfo | str:
    return {"n": NUM, "c": CHOICE, "m": MULTI}.get(ref.name, f"question inconnue ${{{ref.name}}}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${n} = 'a'", "entre un nombre et un texte"),
        ("${c} = 'z'", "code 'z' inconnu"),
        ("selected(${m}, 'z')", "code 'z' inconnu"),
        ("${m} = 'a'", "ne se compare pas"),
        ("${n} and ${n} > 1", "« and » attend un booléen"),
        ("${c} + 1", "« + » attend un nombre"),
        ("count-selected(${c})", "count-selected() attend un choix multiple"),
        ("if(${n} > 1, 1, 'a')", "même type"),
        ("${x} = 1", "question inconnue ${x}"),
        ("regex(${c}, '(')", "motif de regex() invalide"),
    ],
)
def test_type_errors(text: str, message: str) -> None:
    with pytest.raises(ex.ExpressionError) as info:
        ex.check(ex.parse(text), resolve, None)
    assert message in info.value.message


def test_type_checker_returns_the_result_type() -> None:
    assert ex.check(ex.parse("${n} * 2"), resolve, None) is ex.ExprType.NUMBER
    assert ex.check(ex.parse("selected(${m}, 'a') or ${c} = 'b'"), resolve, None) is ex.ExprType.BOOL
    assert ex.check(ex.parse(". > 2"), resolve, NUM) is ex.ExprType.BOOL


# ---------------------------------------------------------------- printer round trip (property)

names = st.sampled_from(["a", "b", "c"])
leaves = st.one_of(
    st.integers(min_value=0, max_value=1000).map(lambda i: ex.Literal(i)),
    st.text(alphabet="abc xyz", max_size=5).map(lambda s: ex.Literal(s)),
    names.map(lambda n: ex.Ref(n)),
    st.just(ex.Current()),
)


def _tree(children: st.SearchStrategy[ex.Node]) -> st.SearchStrategy[ex.Node]:
    ops = st.sampled_from(["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"])
    return st.one_of(
        st.builds(lambda op, a, b: ex.Binary(op, a, b), ops, children, children),
        children.map(lambda a: ex.Unary("-", a)),
        children.map(lambda a: ex.Call("not", (a,))),
        st.builds(lambda a, b, c: ex.Call("if", (a, b, c)), children, children, children),
    )


trees = st.recursive(leaves, _tree, max_leaves=12)


def _strip(node: ex.Node) -> ex.Node:
    """The same tree without source positions."""
    if isinstance(node, ex.Literal):
        return ex.Literal(node.value)
    if isinstance(node, ex.Ref):
        return ex.Ref(node.name, node.item)
    if isinstance(node, ex.Current):
        return ex.Current()
    if isinstance(node, ex.Unary):
        return ex.Unary(node.op, _strip(node.operand))
    if isinstance(node, ex.Binary):
        return ex.Binary(node.op, _strip(node.left), _strip(node.right))
    return ex.Call(node.name, tuple(_strip(a) for a in node.args))


@given(trees)
def test_printed_expressions_parse_back_to_the_same_tree(tree: ex.Node) -> None:
    assert _strip(ex.parse(ex.to_source(tree)).root) == _strip(tree)


@given(trees, st.dictionaries(names, st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=3))))
def test_evaluation_never_crashes(tree: ex.Node, values: dict[str, object]) -> None:
    ex.evaluate(tree, values, current=values.get("a"))
