"""What the charts and maps say, in French or English (:mod:`barometre.core.charts` draws them)."""

from __future__ import annotations

from barometre.core.wording import pick
from barometre.core.wording.numbers import format_percent


def not_published(lang: str, *, feminine: bool = False) -> str:
    """A value withheld (grey on a map); ``feminine`` agrees with « estimation »."""
    return pick(lang, "non publiée" if feminine else "non publié", "not published")


def named_value(name: str, value: str, lang: str) -> str:
    """« Bretagne : 42 % » / "Brittany: 42%" (an area's ``<title>``)."""
    return pick(lang, f"{name} : {value}", f"{name}: {value}")


def cv_text(cv: float | None, lang: str) -> str:
    """The coefficient of variation of a model-based estimate."""
    if cv is None:
        return pick(lang, "CV n.d.", "CV n/a")
    return f"CV {format_percent(100 * cv, 0, lang)}"


def area_unavailable(name: str, lang: str) -> str:
    return pick(lang, f"{name} : n.d.", f"{name}: n/a")


def small_area_title(
    name: str, estimate: float, cv: float | None, direct: float | None, n: int | None, lang: str
) -> str:
    """An area of a small-area map: the model-based estimate with its CV, the direct one beside it (with
    its respondent count only when the direct estimate is published)."""
    shown_direct = format_percent(direct, 0, lang) if direct is not None else not_published(lang, feminine=True)
    model = pick(lang, "estimation par modèle", "model-based estimate")
    sep = pick(lang, " : ", ": ")
    count = "" if n is None else f" ({n} {pick(lang, 'répondant', 'respondent')}{'s' if n > 1 else ''})"
    return (
        f"{name}{sep}{format_percent(estimate, 0, lang)} ({model}, {cv_text(cv, lang)}) ; "
        f"{pick(lang, 'estimation directe', 'direct estimate')}{sep}{shown_direct}{count}"
    )


def small_area_legend(lang: str) -> str:
    return pick(
        lang,
        "Estimation par modèle (Fay–Herriot) ; hachuré : CV au-dessus de 30 %",
        "Model-based estimate (Fay–Herriot); hatched: CV above 30%",
    )
