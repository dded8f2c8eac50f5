"""Catalogue expressions: the questionnaire's expression language plus authority attributes.

An indicator's condition is written in the questionnaire's language (same parser, checker and
evaluator: :mod:`barometre.core.questionnaire.expressions`). Frame attributes of the responding
authority are read with the reserved reference ``${authority.<attribute>}``:

=========================  ========  ==============================================
reference                  type      values
=========================  ========  ==============================================
``${authority.population}`` number   population municipale (INSEE) of the frame
``${authority.kind}``       text     ``commune``, ``epci``, ``departement``, ``region``,
                                     ``collectivite_unique``, ``metropole_lyon``
``${authority.type}``       text     ``COM``, ``VDP``, ``CC``, ``CA``, ``CU``, ``METRO``, ``CD``,
                                     ``CR``, ``CDC``, ``CTU``, ``MAYOTTE``, ``CEA``, ``MET69``
``${authority.stratum}``    text     a :class:`~barometre.core.registry.Stratum` value
``${authority.region}``     text     INSEE code of the région (``"84"``...)
``${authority.departement}`` text    INSEE code of the département (``""`` when several)
=========================  ========  ==============================================

The values come from the frame, never from the answers (the questionnaire's own
``population`` question is a declaration; the frame is the reference).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from barometre.core.questionnaire import QType, Question, Questionnaire
from barometre.core.questionnaire import expressions as ex
from barometre.core.registry import AuthorityType, Kind, Stratum
from barometre.core.weighting.units import AUTHORITY_ATTRIBUTES

AUTHORITY = "authority"

_ATTRIBUTE_INFO: dict[str, ex.RefInfo] = {
    "population": ex.RefInfo(ex.ExprType.NUMBER),
    "kind": ex.RefInfo(ex.ExprType.STRING, frozenset(k.value for k in Kind)),
    "type": ex.RefInfo(ex.ExprType.STRING, frozenset(AuthorityType.ALL)),
    "stratum": ex.RefInfo(ex.ExprType.STRING, frozenset(s.value for s in Stratum)),
    "region": ex.RefInfo(ex.ExprType.STRING),
    "departement": ex.RefInfo(ex.ExprType.STRING),
}
assert tuple(_ATTRIBUTE_INFO) == AUTHORITY_ATTRIBUTES


def attribute_info(ref: ex.Ref) -> ex.RefInfo | str:
    if ref.item is None:
        return (
            "${authority} seul n'a pas de valeur : écrire ${authority.<attribut>} "
            f"({', '.join(AUTHORITY_ATTRIBUTES)})"
        )
    info = _ATTRIBUTE_INFO.get(ref.item)
    if info is None:
        return f"attribut inconnu ${{authority.{ref.item}}} (attributs : {', '.join(AUTHORITY_ATTRIBUTES)})"
    return info


def question_info(q: Question, item: str | None) -> ex.RefInfo | str:
    if item is not None:
        if q.type is not QType.GRID:
            return f"${{{q.id}.{item}}} : {q.id!r} n'est pas une grille"
        if item not in q.item_ids:
            return f"item {item!r} inconnu dans la grille {q.id!r} (items : {', '.join(q.item_ids)})"
        return ex.RefInfo(ex.ExprType.STRING, frozenset(q.codes))
    return ex.RefInfo(q.type.expr_type, frozenset(q.codes) if q.type.has_choices else None)


def resolver(questionnaire: Questionnaire | None) -> Callable[[ex.Ref], ex.RefInfo | str]:
    """Resolve ``${authority.*}`` and (when a questionnaire is given) question references."""

    def resolve(ref: ex.Ref) -> ex.RefInfo | str:
        if ref.name == AUTHORITY:
            return attribute_info(ref)
        if questionnaire is None:
            return f"${{{ref.name}}} : seule ${{authority.<attribut>}} est permise ici (pas de réponse)"
        q = questionnaire.get(ref.name)
        if q is None:
            return f"question inconnue ${{{ref.name}}} dans le questionnaire {questionnaire.edition}"
        return question_info(q, ref.item)

    return resolve


def question_refs(expr: ex.Expression) -> list[str]:
    """Question ids referenced (``authority`` excluded), in order, without duplicates."""
    return list(dict.fromkeys(r.name for r in ex.references(expr) if r.name != AUTHORITY))


class CachedEvaluator:
    """Evaluate one expression over many units, caching by the values it reads.

    Expressions of the catalogue read few values (one or two questions, one attribute),
    so thousands of respondents fall into a handful of distinct cases.
    """

    def __init__(self, expr: ex.Expression) -> None:
        self.expr = expr
        self.refs: list[tuple[str, str | None]] = []
        for r in ex.references(expr):
            key = (r.name, r.item)
            if key not in self.refs:
                self.refs.append(key)
        self.cache: dict[tuple[object, ...], bool] = {}

    def _key(self, answers: Mapping[str, object], attributes: Mapping[str, object]) -> tuple[object, ...]:
        out: list[object] = []
        for name, item in self.refs:
            if name == AUTHORITY:
                out.append(attributes.get(item or ""))
                continue
            v = answers.get(name)
            if item is not None:
                v = v.get(item) if isinstance(v, dict) else None
            elif isinstance(v, list):
                v = tuple(v)
            elif isinstance(v, dict):
                v = tuple(sorted(v.items()))
            out.append(v)
        return tuple(out)

    def __call__(self, answers: Mapping[str, object], attributes: Mapping[str, object]) -> bool:
        key = self._key(answers, attributes)
        hit = self.cache.get(key)
        if hit is None:
            values = dict(answers)
            values[AUTHORITY] = dict(attributes)
            hit = ex.truthy(ex.evaluate(self.expr, values))
            self.cache[key] = hit
        return hit

    def many(self, answers: Sequence[Mapping[str, object]], attributes: Sequence[Mapping[str, object]]) -> list[bool]:
        return [self(a, b) for a, b in zip(answers, attributes, strict=True)]
