"""``barometre diagnostic``: legal obligations and cyber action plan; ``barometre csirt``: regional CSIRT.

The code → :class:`AuthorityProfile` lookup goes through :func:`resolve_profile`,
which reads the registry (``barometre.core.registry.load_snapshot``) defensively:
tests monkeypatch it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
import yaml

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, run_guarded
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.errors import BarometreError, DiagnosticError, NotFound

HELP = "Diagnostic personnel d'une collectivité : obligations légales, plan d'action cyber."

_STATUS_FR = {"applies": "s'applique", "does_not_apply": "ne s'applique pas", "depends": "à préciser"}
#: Registry ``type`` values → flags of the profile (see barometre.core.registry.model.AuthorityType).
_DEP_POWERS_TYPES = {"VDP", "CDC", "CTU", "MAYOTTE", "CEA", "MET69"}
_REG_POWERS_TYPES = {"CDC", "CTU", "MAYOTTE"}


def _get(obj: Any, *names: str) -> Any:
    """First attribute or key among ``names`` present on ``obj`` (registry records, dicts)."""
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def _str_value(v: Any) -> str | None:
    if v is None:
        return None
    return str(getattr(v, "value", v))


def _int(v: Any) -> int | None:
    return None if v is None else int(v)


def profile_from_record(record: Any, members: list[Any] | None = None) -> AuthorityProfile:
    """Build a profile from a registry record (attributes or mapping keys, several spellings accepted)."""
    kind = _str_value(_get(record, "kind"))
    rtype = _str_value(_get(record, "type", "epci_type"))
    if kind is None:
        raise DiagnosticError("enregistrement du registre sans « kind »")
    if rtype == "CEA":
        kind = "departement"  # the Collectivité européenne d'Alsace counts as a département
    epci_type = rtype if kind == "epci" else None
    max_member = max_member_tot = None
    if members:
        pops = [_int(_get(m, "population_municipale", "population")) for m in members]
        known = [p for p in pops if p is not None]
        max_member = max(known) if known else None
        tots = [_int(_get(m, "population_totale", "populationTotale")) for m in members]
        known_t = [p for p in tots if p is not None]
        max_member_tot = max(known_t) if known_t and len(known_t) == len(tots) else None
    ptot = _get(record, "population_totale", "populationTotale", "source_population_totale")
    return AuthorityProfile(
        code=str(_get(record, "code")),
        name=str(_get(record, "name", "nom")),
        kind=kind,  # type: ignore[arg-type]  # validated by AuthorityProfile
        population_municipale=_int(_get(record, "population_municipale", "population")),
        population_totale=_int(ptot),
        agents=_get(record, "agents"),
        epci_type=epci_type,  # type: ignore[arg-type]
        departement=_str_value(_get(record, "departement")),
        region=_str_value(_get(record, "region")),
        max_member_population=max_member,
        max_member_population_totale=max_member_tot,
        has_departement_powers=rtype in _DEP_POWERS_TYPES and kind != "departement",
        has_region_powers=rtype in _REG_POWERS_TYPES,
    )


def resolve_profile(code: str) -> AuthorityProfile:
    """The profile of the authority named by ``code`` (INSEE code, SIREN, alias), from the registry."""
    try:
        from barometre.core.registry import load_snapshot
    except ImportError:
        raise DiagnosticError(
            "le registre des collectivités n'est pas disponible : impossible de retrouver « " + code + " »"
        ) from None
    frame = load_snapshot()
    getter = getattr(frame, "get", None)
    if getter is None:
        raise DiagnosticError("registre : recherche par code indisponible")
    try:
        record = getter(code)
    except KeyError:
        record = None
    if record is None:
        raise NotFound(f"code inconnu dans le registre : « {code} »")
    members: list[Any] | None = None
    if _str_value(_get(record, "kind")) in ("epci", "metropole_lyon") and hasattr(frame, "members"):
        members = list(frame.members(str(_get(record, "code"))))
    return profile_from_record(record, members)


def _parse_date(value: str | None) -> date:
    if value is None:
        from barometre.core.diagnostic.csirt import PARIS

        return datetime.now(PARIS).date()  # today in France, not in the server's time zone
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DiagnosticError(f"date invalide « {value} » (attendu AAAA-MM-JJ)") from None


def _parse_moment(value: str | None) -> datetime:
    from barometre.core.diagnostic.csirt import PARIS

    if value is None:
        return datetime.now(PARIS)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise DiagnosticError(f"date et heure invalides « {value} » (attendu AAAA-MM-JJTHH:MM)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _load_answers(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DiagnosticError(f"fichier de réponses illisible : {exc}", location=str(path)) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DiagnosticError(f"fichier de réponses invalide : {exc}", location=str(path)) from None
    if not isinstance(data, dict):
        raise DiagnosticError(
            "le fichier de réponses doit associer un code de question à une réponse", location=str(path)
        )
    return data


def _print_obligations(report: dict[str, Any]) -> None:
    a = report["authority"]
    console.print(f"[bold]{a['name']}[/bold] ({a['code']}) — obligations au {report['at']}", highlight=False)
    for o in report["obligations"]:
        status = _STATUS_FR[o["status"]]
        cat = f" — {o['category']}" if o.get("category") else ""
        console.print(f"\n[bold]{o['title']}[/bold] : {status}{cat}", highlight=False)
        console.print(f"  {o['reason']}", highlight=False)
        for q in o.get("questions") or ():
            console.print(f"  ? {q}", highlight=False)
        since = f", depuis le {o['since']}" if o.get("since") else ""
        console.print(f"  Référence : {o['reference']} ({o['legal_status']}{since})", highlight=False)
        console.print(f"  Texte : {o['url']}", highlight=False)
        if o.get("uncertain"):
            for n in o.get("notes") or ():
                console.print(f"  ⚠ {n}", highlight=False)


def _print_csirt(report: dict[str, Any]) -> None:
    from barometre.core.diagnostic.csirt import fallback_text

    c = report["csirt"]
    if c is not None:
        console.print(f"[bold]{c['name']}[/bold] ({c['region']})", highlight=False)
        phone = c["phone"] or f"téléphone non communiqué ({c.get('phone_note') or 'non trouvé dans les sources'})"
        console.print(f"  Téléphone : {phone}", highlight=False)
        if c.get("email"):
            console.print(f"  Courriel : {c['email']}", highlight=False)
        console.print(f"  Site : {c['website'] or 'non communiqué'}", highlight=False)
        console.print(f"  Horaires : {c['hours']}", highlight=False)
    opened = {True: "oui", False: "non", None: "inconnu"}[report["open"]]
    console.print(f"\nOuvert maintenant ({report['at']}) : {opened} — {report['status']}", highlight=False)
    if report.get("next_opening"):
        console.print(f"Prochaine ouverture : {report['next_opening']}", highlight=False)
    if report["open"] is not True:
        console.print("\nEn attendant ou en dehors des horaires :", highlight=False)
        for line in fallback_text(report["fallback"]):
            console.print(f"  • {line}", highlight=False)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="diagnostic")

    @sub.command("obligations")
    def obligations(
        code: str = typer.Argument(..., help="Code de la collectivité (INSEE, SIREN...)."),
        agents: float | None = typer.Option(None, "--agents", min=0, help="Nombre d'agents (ETP)."),
        at: str | None = typer.Option(None, "--at", help="Date d'évaluation AAAA-MM-JJ (défaut : aujourd'hui)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Obligations légales (numérique, données, IA, cyber) de la collectivité à une date."""

        def run() -> None:
            from barometre.core.diagnostic.obligations import obligations_report

            when = _parse_date(at)
            profile = resolve_profile(code)
            if agents is not None:
                profile = profile.with_agents(agents)
            report = obligations_report(profile, when)
            if fmt is OutputFormat.json:
                print_json(report)
            else:
                _print_obligations(report)

        run_guarded(run)

    @sub.command("plan")
    def plan(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        answers: Path = typer.Option(..., "--answers", help="Réponses cyber (YAML ou JSON : code → réponse)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Plan d'action cyber à partir des réponses de la collectivité."""

        def run() -> None:
            from barometre.core.diagnostic.action_plan import action_plan_report

            report = action_plan_report(_load_answers(answers), resolve_profile(code))
            if fmt is OutputFormat.json:
                print_json(report)
                return
            for act in report["actions"]:
                console.print(f"[bold]{act['rank']}. {act['title']}[/bold]", highlight=False)
                console.print(f"  Pourquoi : {act['why']}", highlight=False)
                console.print(f"  Premier pas : {act['first_step']}", highlight=False)
                measures = ", ".join(str(m["number"]) for m in act["anssi_measures"])
                console.print(f"  Mesures ANSSI : {measures}", highlight=False)
                for r in act["resources"]:
                    console.print(f"  → {r['title']} : {r['url']}", highlight=False)
            if not report["actions"]:
                console.print("Aucune action prioritaire d'après les réponses.", highlight=False)

        run_guarded(run)

    @app.command("csirt")
    def csirt(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        at: str | None = typer.Option(
            None, "--at", help="Moment AAAA-MM-JJTHH:MM (heure de Paris si sans fuseau ; défaut : maintenant)."
        ),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """CSIRT régional de la collectivité : coordonnées, ouvert maintenant ?, recours sinon."""

        def run() -> None:
            from barometre.core.diagnostic.csirt import csirt_report

            moment = _parse_moment(at)
            profile = resolve_profile(code)
            report = csirt_report(profile.region, moment)
            report["authority"] = {"code": profile.code, "name": profile.name, "region": profile.region}
            if fmt is OutputFormat.json:
                print_json(report)
            else:
                _print_csirt(report)

        run_guarded(run)


__all__ = ["BarometreError", "profile_from_record", "register", "resolve_profile"]
