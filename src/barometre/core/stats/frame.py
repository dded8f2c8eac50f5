"""Data-frame layer: variables by name (numeric or factor), designs and adjustments from
R-like specifications, and R-like requests (the ``expected`` rows of the reference cases).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from barometre.core.errors import StatsError
from barometre.core.stats.adjust import calibrate, poststratify, rake, trim_weights
from barometre.core.stats.design import BoolArray, FloatArray, IntArray, SurveyDesign, design_from_arrays, parse_terms
from barometre.core.stats.estimators import AnyDesign, confint, svymean, svyratio, svytotal
from barometre.core.stats.proportions import svyciprop
from barometre.core.stats.quantiles import svyquantile
from barometre.core.stats.replicates import as_svrepdesign

#: Largest case file read (bytes).
MAX_CASE_BYTES = 10 * 1024 * 1024
#: Largest data file read (bytes).
MAX_DATA_BYTES = 200 * 1024 * 1024
#: Deepest JSON nesting of a case file (real cases nest 4 levels).
MAX_CASE_DEPTH = 32
STATISTICS = ("mean", "total", "proportion_ci", "quantile", "ratio")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV where the empty field is NA (R's ``na.strings = ""``)."""
    if path.exists() and not path.is_file():
        raise StatsError(f"fichier de données attendu, pas un dossier : {path}")
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise StatsError(f"fichier de données introuvable : {path}") from exc
    except OSError as exc:
        raise StatsError(f"fichier de données illisible : {path} ({_one_line(exc)})") from exc
    if size > MAX_DATA_BYTES:
        raise StatsError(f"fichier de données trop gros : {path} ({size} octets, au plus {MAX_DATA_BYTES})")
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise StatsError(f"fichier de données introuvable : {path}") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError, ValueError) as exc:
        raise StatsError(f"fichier de données illisible : {path} ({_one_line(exc)})") from exc


@dataclass(frozen=True)
class Factor:
    codes: IntArray  # -1 = missing
    levels: list[str]


class Frame:
    """Variables of a data frame by name, typed as R would (character → factor)."""

    def __init__(self, df: pd.DataFrame, factors: Sequence[str] = ()) -> None:
        self.df = df
        self.factors = set(factors)

    @property
    def n(self) -> int:
        return len(self.df)

    def column(self, name: str) -> pd.Series[Any]:
        if name not in self.df.columns:
            raise StatsError(f"colonne absente des données : {name!r}")
        return self.df[name]

    def is_factor(self, name: str) -> bool:
        col = self.column(name)
        return name in self.factors or not pd.api.types.is_numeric_dtype(col)

    def numeric(self, name: str) -> FloatArray:
        col = self.column(name)
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            raise StatsError(f"la colonne {name!r} n'est pas numérique")
        return np.asarray(col.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)

    def factor(self, name: str) -> Factor:
        col = self.column(name)
        missing = col.isna().to_numpy()
        values = np.array([_as_label(v) for v in col.to_numpy()], dtype=object)
        levels = sorted({str(v) for v, m in zip(values, missing, strict=True) if not m}, key=_level_key(col))
        index = {lv: i for i, lv in enumerate(levels)}
        codes = np.array([-1 if m else index[str(v)] for v, m in zip(values, missing, strict=True)], dtype=np.int64)
        return Factor(codes, levels)

    def indicators(self, name: str) -> tuple[FloatArray, list[str]]:
        f = self.factor(name)
        x = (f.codes[:, None] == np.arange(len(f.levels))[None, :]).astype(np.float64)
        x[f.codes < 0] = np.nan
        return x, f.levels

    def model_matrix(self, formula: str) -> tuple[FloatArray, list[str]]:
        """R's ``model.matrix(~a + b)`` with treatment contrasts and an intercept."""
        cols = [np.ones(self.n)]
        names = ["(Intercept)"]
        for term in parse_terms(formula):
            if self.is_factor(term):
                f = self.factor(term)
                if (f.codes < 0).any():
                    raise StatsError(f"valeurs manquantes dans la variable de calage {term!r}")
                for i, lv in enumerate(f.levels[1:], start=1):
                    cols.append((f.codes == i).astype(np.float64))
                    names.append(f"{term}{lv}")
            else:
                v = self.numeric(term)
                if np.isnan(v).any():
                    raise StatsError(f"valeurs manquantes dans la variable de calage {term!r}")
                cols.append(v)
                names.append(term)
        return np.stack(cols, axis=1), names


def _as_label(v: object) -> object:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _level_key(col: pd.Series[Any]) -> Any:
    if pd.api.types.is_numeric_dtype(col):
        return lambda s: float(s)
    return lambda s: s


def build_design(frame: Frame, spec: Mapping[str, Any], lonely_psu: str = "fail") -> SurveyDesign:
    """Design from an R-like spec: ``ids``, ``strata``, ``weights``, ``fpc``, ``nest``."""
    ids = [frame.column(v).to_numpy() for v in parse_terms(spec.get("ids"))]
    strata = [frame.column(v).to_numpy() for v in parse_terms(spec.get("strata"))]
    fpc = [frame.numeric(v) for v in parse_terms(spec.get("fpc"))]
    w_name = spec.get("weights")
    weights = None
    if w_name:
        weights = frame.numeric(str(w_name).lstrip("~").strip())
    return design_from_arrays(
        weights=weights,
        strata=strata or None,
        clusters=ids or None,
        fpc=fpc or None,
        nest=bool(spec.get("nest", False)),
        lonely_psu=str(spec.get("lonely_psu", lonely_psu)),
        n=frame.n,
    )


def _margin(
    frame: Frame, variables: Sequence[str], population: Sequence[Mapping[str, Any]]
) -> tuple[IntArray, FloatArray]:
    facs = [frame.factor(v) for v in variables]
    for v, f in zip(variables, facs, strict=True):
        if (f.codes < 0).any():
            raise StatsError(f"valeurs manquantes dans la variable de post-stratification {v!r}")
    keys = [
        tuple(f.levels[c] for f, c in zip(facs, row, strict=True)) for row in zip(*[f.codes for f in facs], strict=True)
    ]
    pop_keys: dict[tuple[str, ...], float] = {}
    for row in population:
        key = tuple(str(_as_label(row[v])) for v in variables)
        if "Freq" not in row:
            raise StatsError("marge de population sans colonne Freq")
        pop_keys[key] = float(row["Freq"])
    labels = sorted(pop_keys)
    index = {k: i for i, k in enumerate(labels)}
    missing = sorted({k for k in keys if k not in index})
    if missing:
        raise StatsError(f"les marges de population ne couvrent pas les catégories de l'échantillon : {missing[:3]}")
    groups = np.array([index[k] for k in keys], dtype=np.int64)
    return groups, np.array([pop_keys[k] for k in labels])


def apply_adjustment(design: AnyDesign, frame: Frame, adj: Mapping[str, Any]) -> AnyDesign:
    """Apply an adjustment given as in the reference cases (``poststratify``, ``rake``,
    ``calibrate_linear``/``calibrate_raking``, ``trim``)."""
    kind = str(adj.get("type"))
    if kind == "poststratify":
        g, p = _margin(frame, list(adj["strata"]), adj["population"])
        return poststratify(design, g, p)
    if kind == "rake":
        margins = [_margin(frame, list(m["variables"]), m["population"]) for m in adj["margins"]]
        ctrl = adj.get("control") or {}
        return rake(design, margins, maxit=int(ctrl.get("maxit", 10)), epsilon=float(ctrl.get("epsilon", 1)))
    if kind.startswith("calibrate"):
        mm, names = frame.model_matrix(str(adj["formula"]))
        popmap = {str(k): float(v) for k, v in dict(adj["population"]).items()}
        absent = [nm for nm in names if nm not in popmap]
        if absent:
            raise StatsError(f"totaux de population manquants pour : {', '.join(absent)}")
        pop = np.array([popmap[nm] for nm in names])
        calfun = str(adj.get("calfun") or kind.removeprefix("calibrate_") or "linear")
        b = adj.get("bounds") or ["-Inf", "Inf"]
        bounds = (float(str(b[0]).replace("Inf", "inf")), float(str(b[1]).replace("Inf", "inf")))
        return calibrate(
            design,
            mm,
            pop,
            calfun=calfun,
            bounds=bounds,
            maxit=int(adj.get("maxit", 50)),
            epsilon=float(adj.get("epsilon", 1e-7)),
        )
    if kind == "trim":
        if adj.get("after"):
            design = apply_adjustment(design, frame, adj["after"])
        lower = adj.get("lower")
        upper = adj.get("upper")
        return trim_weights(
            design,
            lower=-np.inf if lower is None else float(lower),
            upper=np.inf if upper is None else float(upper),
            strict=bool(adj.get("strict", False)),
        )
    raise StatsError(f"ajustement inconnu : {kind!r}")


def _num(v: float) -> float | None:
    f = float(v)
    return f if np.isfinite(f) else None


def _row(
    req: Mapping[str, Any],
    idx: int,
    level: str | None,
    dom: str | None,
    est: float,
    se: float,
    lo: float,
    hi: float,
    df: float | None,
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "request_index": idx,
        "statistic": req["statistic"],
        "variable": req["variable"],
        "level_of_factor": level,
        "domain_value": dom,
        "estimate": _num(est),
        "se": _num(se),
        "ci_low": _num(lo),
        "ci_high": _num(hi),
        "ci_level": float(req.get("level") or 0.95),
        "df": None if df is None or not np.isfinite(df) else df,
    }
    if req.get("denominator") is not None:
        out["denominator"] = req["denominator"]
    if req.get("ci_method") is not None:
        out["ci_method"] = req["ci_method"]
    for k, v in extra.items():
        out[k] = _num(v) if isinstance(v, float) else v
    return out


def domains(frame: Frame, design: AnyDesign, name: str) -> list[tuple[str, BoolArray]]:
    """Domains as ``svyby`` lists them: levels with a row of nonzero weight, in level order."""
    f = frame.factor(name)
    out = []
    w = design.weights
    for i, lv in enumerate(f.levels):
        mask = f.codes == i
        if np.any(mask & (w != 0)):
            out.append((lv, mask))
    return out


def run_request(frame: Frame, design: AnyDesign, req: Mapping[str, Any], idx: int) -> list[dict[str, Any]]:
    st = str(req["statistic"])
    var = str(req["variable"])
    na_rm = bool(req.get("na_rm", True))
    level = float(req.get("level") or 0.95)
    dom_name = req.get("domain")
    parts: list[tuple[str | None, AnyDesign]]
    if dom_name:
        parts = [(lv, design.subset(mask)) for lv, mask in domains(frame, design, str(dom_name))]
        if not parts:
            raise StatsError(f"aucun domaine non vide pour {dom_name!r}")
    else:
        parts = [(None, design)]
    rows: list[dict[str, Any]] = []
    if st in ("mean", "total"):
        if frame.is_factor(var):
            x, names = frame.indicators(var)
            levels: list[str | None] = list(names)
        else:
            x, levels = frame.numeric(var)[:, None], [None]
        want_deff = bool(req.get("deff")) and not dom_name
        fn = svymean if st == "mean" else svytotal
        by_stat: list[list[dict[str, Any]]] = [[] for _ in levels]
        for dv, d in parts:
            e = fn(d, x, na_rm=na_rm, deff=want_deff)
            se = e.se
            lo, hi = confint(e.coef, se, level)
            for j, lv in enumerate(levels):
                extra: dict[str, Any] = {}
                if want_deff and e.deff is not None:
                    extra["deff"] = float(e.deff[j])
                by_stat[j].append(_row(req, idx, lv, dv, e.coef[j], se[j], lo[j], hi[j], None, **extra))
        for r in by_stat:
            rows.extend(r)
    elif st == "proportion_ci":
        y = frame.numeric(var)
        for dv, d in parts:
            res = svyciprop(d, y, str(req.get("ci_method") or "logit"), level)
            rows.append(_row(req, idx, None, dv, res.estimate, res.se, res.ci_low, res.ci_high, res.df))
    elif st == "quantile":
        y = frame.numeric(var)
        qs = [float(q) for q in req["quantiles"]]
        per_q: list[list[dict[str, Any]]] = [[] for _ in qs]
        for dv, d in parts:
            results = svyquantile(
                d,
                y,
                qs,
                level=level,
                interval_type=str(req.get("interval_type") or "mean"),
                rule=str(req.get("qrule") or "math"),
            )
            for j, q in enumerate(results):
                per_q[j].append(_row(req, idx, None, dv, q.estimate, q.se, q.ci_low, q.ci_high, q.df, quantile=qs[j]))
        for r in per_q:
            rows.extend(r)
    elif st == "ratio":
        num = frame.numeric(var)
        den = frame.numeric(str(req["denominator"]))
        for dv, d in parts:
            e = svyratio(d, num, den, na_rm=na_rm)
            lo, hi = confint(e.coef, e.se, level)
            rows.append(_row(req, idx, None, dv, e.coef[0], e.se[0], lo[0], hi[0], None))
    else:
        raise StatsError(f"statistique inconnue : {st!r}")
    return rows


def _reject_constant(name: str) -> float:
    raise ValueError(f"valeur {name} refusée (nombre fini attendu)")


def _json_depth_ok(text: str) -> bool:
    """Whether the nesting of ``[``/``{`` outside strings stays within :data:`MAX_CASE_DEPTH` (no recursion)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_CASE_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def read_case(path: Path) -> dict[str, Any]:
    """The case file as a checked dict; every problem is a one-line :class:`StatsError` naming the file."""
    import json

    where = str(path)
    if path.exists() and not path.is_file():
        raise StatsError("fichier de cas attendu, pas un dossier", location=where)
    try:
        size = path.stat().st_size
        if size > MAX_CASE_BYTES:
            raise StatsError(f"fichier de cas trop gros ({size} octets, au plus {MAX_CASE_BYTES})", location=where)
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise StatsError("fichier de cas introuvable", location=where) from exc
    except OSError as exc:
        raise StatsError(f"fichier de cas illisible ({_one_line(exc)})", location=where) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StatsError(f"encodage invalide (UTF-8 attendu) à l'octet {exc.start}", location=where) from None
    if not _json_depth_ok(text):
        raise StatsError(f"JSON trop imbriqué (plus de {MAX_CASE_DEPTH} niveaux)", location=where)
    try:
        case = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise StatsError(f"JSON invalide : {exc.msg}", location=f"{path}:{exc.lineno}:{exc.colno}") from exc
    except ValueError as exc:
        raise StatsError(f"JSON invalide : {exc}", location=where) from exc
    if not isinstance(case, dict) or "data" not in case or "design" not in case:
        raise StatsError("cas sans clés 'data' et 'design'", location=where)
    _check_case(case, where)
    return case


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and bool(np.isfinite(v))


def _check_case(case: Mapping[str, Any], where: str) -> None:
    """Types and ranges of a case, checked before any computation."""
    if not isinstance(case["data"], str) or not case["data"].strip():
        raise StatsError("'data' : chemin du fichier CSV attendu (texte)", location=where)
    if not isinstance(case["design"], dict):
        raise StatsError("'design' : objet attendu (ids, strata, weights, fpc, nest)", location=where)
    for key in ("ids", "strata", "weights", "fpc"):
        v = case["design"].get(key)
        if v is not None and not isinstance(v, str | list):
            raise StatsError(f"'design.{key}' : formule (texte) attendue", location=where)
    for key in ("adjustment", "replicates"):
        if case.get(key) is not None and not isinstance(case[key], dict):
            raise StatsError(f"'{key}' : objet attendu", location=where)
    requests = case.get("requests")
    if requests is None:
        return
    if not isinstance(requests, list):
        raise StatsError("'requests' : liste de requêtes attendue", location=where)
    for i, req in enumerate(requests):
        at = f"requests[{i}]"
        if not isinstance(req, dict):
            raise StatsError(f"'{at}' : objet attendu", location=where)
        if req.get("statistic") not in STATISTICS:
            raise StatsError(
                f"'{at}.statistic' : {req.get('statistic')!r} inconnue (attendu : {', '.join(STATISTICS)})",
                location=where,
            )
        if not isinstance(req.get("variable"), str):
            raise StatsError(f"'{at}.variable' : nom de colonne attendu", location=where)
        for key in ("domain", "denominator", "ci_method", "interval_type", "qrule"):
            if req.get(key) is not None and not isinstance(req[key], str):
                raise StatsError(f"'{at}.{key}' : texte attendu", location=where)
        level = req.get("level")
        if level is not None and not (_is_number(level) and 0 < level < 1):
            raise StatsError(f"'{at}.level' : niveau de confiance dans ]0, 1[ attendu, pas {level!r}", location=where)
        if req["statistic"] == "quantile":
            qs = req.get("quantiles")
            if not isinstance(qs, list) or not qs or not all(_is_number(q) and 0 <= q <= 1 for q in qs):
                raise StatsError(
                    f"'{at}.quantiles' : liste de nombres dans [0, 1] attendue, pas {qs!r}", location=where
                )
        if req["statistic"] == "ratio" and not isinstance(req.get("denominator"), str):
            raise StatsError(f"'{at}.denominator' : nom de colonne attendu pour un ratio", location=where)


def load_case(path: Path) -> tuple[Frame, AnyDesign, dict[str, Any]]:
    """Read a reference case JSON (data path relative to it) and build its final design."""
    case = read_case(path)
    frame = Frame(read_csv(path.parent / str(case["data"])))
    design: AnyDesign = build_design(frame, case["design"])
    adj = case.get("adjustment")
    reps = case.get("replicates")
    rep_first = bool(adj and adj.get("applied_to") == "replicate design")
    if adj and not rep_first:
        design = apply_adjustment(design, frame, adj)
    if reps:
        if not isinstance(design, SurveyDesign):
            raise StatsError("répliques d'un plan déjà répliqué")
        design = as_svrepdesign(design, str(reps.get("type", "auto")), mse=bool(reps.get("mse", False)))
    if adj and rep_first:
        design = apply_adjustment(design, frame, adj)
    return frame, design, case


def run_case(path: Path) -> list[dict[str, Any]]:
    """Every estimate a case file asks for. A case the checks above let through but that the
    computation cannot use (a key of the wrong type deep in an adjustment...) is still one
    :class:`StatsError` naming the file, never a traceback."""
    try:
        frame, design, case = load_case(path)
        rows: list[dict[str, Any]] = []
        for i, req in enumerate(case.get("requests") or []):
            rows.extend(run_request(frame, design, req, i))
    except StatsError as exc:
        if exc.location is None:
            exc.location = str(path)
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ZeroDivisionError) as exc:
        kind = "clé absente" if isinstance(exc, KeyError) else "valeur inutilisable"
        raise StatsError(f"cas inutilisable ({kind} : {_one_line(exc)})", location=str(path)) from None
    return rows
