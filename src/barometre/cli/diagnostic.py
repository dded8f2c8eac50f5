"""``barometre diagnostic``: legal obligations and cyber action plan; ``barometre csirt``: regional CSIRT.

The code → :class:`AuthorityProfile` lookup is
:func:`barometre.core.diagnostic.from_registry.resolve_profile`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, run_guarded, safe
from barometre.core.diagnostic import from_registry
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.errors import BarometreError, DiagnosticError

HELP = "Diagnostic personnel d'une collectivité : obligations légales, scores de maturité, plan d'action cyber."

_STATUS_FR = {"applies": "s'applique", "does_not_apply": "ne s'applique pas", "depends": "à préciser"}


def resolve_profile(code: str) -> AuthorityProfile:
    """The profile of the authority named by ``code`` (INSEE code, SIREN, alias), from the registry."""
    return from_registry.resolve_profile(code)


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
    from barometre.core import yamlfile

    try:
        text = yamlfile.read_text(path, str(path))
    except OSError as exc:
        raise DiagnosticError(f"fichier de réponses illisible : {exc}", location=str(path)) from None
    except yamlfile.YamlError as exc:
        raise DiagnosticError(f"fichier de réponses invalide : {exc.message}", location=exc.location) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yamlfile.load(text, str(path))
    except json.JSONDecodeError as exc:
        raise DiagnosticError(f"fichier de réponses invalide : {exc}", location=str(path)) from None
    except yamlfile.YamlError as exc:
        raise DiagnosticError(f"fichier de réponses invalide : {exc.message}", location=exc.location) from None
    if not isinstance(data, dict):
        raise DiagnosticError(
            "le fichier de réponses doit associer un code de question à une réponse", location=str(path)
        )
    return data


def _validated_answers(answers: dict[str, Any], edition: int, source: str) -> dict[str, Any]:
    """The answers as ``validate_answers`` cleans them (partial: unanswered questions are fine)."""
    from barometre.core.questionnaire import load_edition, validate_answers

    result = validate_answers(load_edition(edition), answers, partial=True)
    if not result.ok:
        problems = "; ".join(f"{qid} : {errs[0].fr}" for qid, errs in result.errors.items())
        raise DiagnosticError(f"réponses invalides pour l'édition {edition} — {problems}", location=source)
    return dict(result.cleaned)


def _txt(value: Any) -> str:
    """A text that may be {fr, en} (raw scores) or already localised (diagnostic report), made safe
    for rich markup (escaped, control characters visible)."""
    return safe(value["fr"] if isinstance(value, dict) else value)


def _print_scores(report: dict[str, Any]) -> None:
    from barometre.core.wording.numbers import format_number

    o = report["overall"]
    console.print(
        f"[bold]{_txt(o['label'])} : {o['score']}/100 — {_txt(o['level']['label'])}[/bold] "
        f"(moyenne de {len(o['themes'])} thèmes)",
        highlight=False,
    )
    for t in report["themes"]:
        console.print(
            f"\n[bold]{_txt(t['label'])} : {t['score']}/100 — {_txt(t['level']['label'])}[/bold] "
            f"({t['points']} points sur {t['max_points']})",
            highlight=False,
        )
        for c in t["what_counted"]:
            answer = ", ".join(f"{_txt(a['label'])} ({a['points']})" for a in c["answer"])
            cap = f", plafonné à {c['points']}" if c["capped"] else ""
            console.print(f"  + {c['points']} : {_txt(c['label'])} — {answer}{cap}", highlight=False)
        if t["what_would_raise_most"]:
            console.print("  Ce qui ferait le plus progresser :", highlight=False)
        for s in t["what_would_raise_most"]:
            gain = format_number(s["score_gain"], 1 if s["score_gain"] % 1 else 0)
            console.print(f"  → {_txt(s['action'])} (jusqu'à +{gain} points)", highlight=False)
    bounds = ", ".join(f"{_txt(lv['label'])} à partir de {lv['min']}" for lv in report["levels"])
    console.print(f"\nNiveaux : {bounds}.", highlight=False)


def _print_obligations(report: dict[str, Any]) -> None:
    a = report["authority"]
    console.print(
        f"[bold]{safe(a['name'])}[/bold] ({safe(a['code'])}) — obligations au {report['at']}", highlight=False
    )
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


def _print_csirt(report: dict[str, Any], lang: str = "fr") -> None:
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
        for line in fallback_text(report["fallback"], lang):
            console.print(f"  • {line}", highlight=False)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="diagnostic")

    @sub.command("obligations")
    def obligations(
        code: str = typer.Argument(..., help="Code de la collectivité (INSEE, SIREN...)."),
        agents: float | None = typer.Option(None, "--agents", min=0, help="Nombre d'agents (ETP)."),
        at: str | None = typer.Option(None, "--at", help="Date d'évaluation AAAA-MM-JJ (défaut : aujourd'hui)."),
        lang: str = typer.Option("fr", "--lang", help="Langue des textes : fr ou en."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Obligations légales (numérique, données, IA, cyber) de la collectivité à une date."""

        def run() -> None:
            from barometre.core.diagnostic.obligations import obligations_report

            when = _parse_date(at)
            profile = resolve_profile(code)
            if agents is not None:
                profile = profile.with_agents(agents)
            report = obligations_report(profile, when, lang=lang)
            if fmt is OutputFormat.json:
                print_json(report)
            else:
                _print_obligations(report)

        run_guarded(run)

    @sub.command("plan")
    def plan(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        answers: Path = typer.Option(
            ..., "--answers", help="Réponses au questionnaire (YAML ou JSON : id de question → réponse)."
        ),
        under_attack: bool = typer.Option(
            False, "--under-attack", help="La collectivité subit une cyberattaque en ce moment."
        ),
        lang: str = typer.Option("fr", "--lang", help="Langue des textes : fr ou en."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Plan d'action cyber à partir des réponses de la collectivité."""

        def run() -> None:
            from barometre.core.diagnostic.action_plan import action_plan_report

            report = action_plan_report(
                _load_answers(answers), resolve_profile(code), under_attack=True if under_attack else None, lang=lang
            )
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
            for act in report["to_check"]:
                console.print(f"[bold]À vérifier : {act['title']}[/bold] — {act['reason']}", highlight=False)

        run_guarded(run)

    @sub.command("scores")
    def scores(
        answers: Path = typer.Option(
            ..., "--answers", help="Réponses au questionnaire (YAML ou JSON : id de question → réponse)."
        ),
        edition: int | None = typer.Option(
            None, "--edition", help="Édition du questionnaire (défaut : celle de la grille de maturité)."
        ),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Scores de maturité (données, IA, cybersécurité, global) d'un jeu de réponses, sans base de données."""

        def run() -> None:
            from barometre.core.diagnostic.scores import load_grid, score_answers

            grid = load_grid()
            if edition is not None and edition != grid.edition:
                raise DiagnosticError(f"la grille de maturité porte sur l'édition {grid.edition}, pas sur {edition}")
            cleaned = _validated_answers(_load_answers(answers), grid.edition, str(answers))
            report = score_answers(cleaned, grid).to_dict()
            if fmt is OutputFormat.json:
                print_json(report)
            else:
                _print_scores(report)

        run_guarded(run)

    @sub.command("show")
    def show(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        edition: int = typer.Option(..., "--edition", help="Édition à laquelle la collectivité a répondu."),
        under_attack: bool = typer.Option(False, "--under-attack", help="Cyberattaque en cours : CSIRT d'abord."),
        lang: str = typer.Option("fr", "--lang", help="fr ou en."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Diagnostic complet d'une collectivité qui a répondu : scores, pairs, plan cyber, obligations, CSIRT."""

        def run() -> None:
            from barometre.cli.common import setup_django

            setup_django()
            from barometre.apps.diagnostic.respondent import diagnostic_for
            from barometre.apps.registry.queries import require_authority

            authority = require_authority(code)
            report = diagnostic_for(authority.code, edition, lang=lang, under_attack=True if under_attack else None)
            if fmt is OutputFormat.json:
                print_json(report)
                return
            if report["simulated"]:
                console.print("[bold]Données simulées[/bold]", highlight=False)
            for block in report["blocks"]:
                console.print(f"\n[bold]{block['title']}[/bold]", highlight=False)
                if block["id"] == "scores":
                    _print_scores(block["data"])
                    for group, pos in (block["data"].get("peers") or {}).items():
                        if pos["shown"]:
                            console.print(
                                f"  Position ({group}) : {pos['percentile']:.0f}e centile sur {pos['n_peers']} pairs",
                                highlight=False,
                            )
                        else:
                            console.print(f"  Position ({group}) : non publiée — {pos['reason']}", highlight=False)
                elif block["id"] == "action_plan":
                    for act in block["data"]["actions"]:
                        console.print(f"  {act['rank']}. {act['title']} — {act['first_step']}", highlight=False)
                elif block["id"] == "obligations":
                    _print_obligations(block["data"])
                else:
                    _print_csirt(block["data"], lang)

        run_guarded(run)

    @app.command("csirt")
    def csirt(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        at: str | None = typer.Option(
            None, "--at", help="Moment AAAA-MM-JJTHH:MM (heure de Paris si sans fuseau ; défaut : maintenant)."
        ),
        lang: str = typer.Option("fr", "--lang", help="Langue des textes : fr ou en."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """CSIRT régional de la collectivité : coordonnées, ouvert maintenant ?, recours sinon."""

        def run() -> None:
            from barometre.core.diagnostic.csirt import csirt_report

            moment = _parse_moment(at)
            profile = resolve_profile(code)
            report = csirt_report(profile.region, moment, lang=lang)
            report["authority"] = {"code": profile.code, "name": profile.name, "region": profile.region}
            if fmt is OutputFormat.json:
                print_json(report)
            else:
                _print_csirt(report, lang)

        run_guarded(run)


__all__ = ["BarometreError", "register", "resolve_profile"]
