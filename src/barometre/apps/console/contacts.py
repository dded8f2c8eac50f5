"""Contacts per authority, imported from CSV (``authority,email,name,role``): all or nothing.

Every error names ``file:line:column`` (the header is line 1, columns count from 1) and the reason;
nothing is stored unless every row is valid.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from barometre.apps.console.models import Contact
from barometre.apps.editions.models import Edition
from barometre.apps.registry.models import Authority
from barometre.core.errors import BarometreError

COLUMNS = ("authority", "email", "name", "role")
REQUIRED = ("authority", "email")
MAX_ERRORS = 20


class ContactsInvalid(BarometreError):
    """The contacts file has errors (each ``file:line:column: reason``)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        more = f" (et {len(errors) - 1} autre(s) erreur(s))" if len(errors) > 1 else ""
        super().__init__(errors[0] + more)


@dataclass(frozen=True)
class ImportSummary:
    edition: int
    rows: int
    created: int
    updated: int
    unchanged: int
    authorities: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def import_contacts(edition: Edition, text: str, *, source: str) -> ImportSummary:
    """Validate every row of ``text`` (CSV, comma or semicolon), then store them in one transaction."""
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors: list[str] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ContactsInvalid([f"{source}:1:1: fichier vide (en-tête attendu : {','.join(COLUMNS)})"]) from None
    for i, name in enumerate(header, start=1):
        if name not in COLUMNS:
            errors.append(f"{source}:1:{i}: colonne inconnue « {name} » (attendues : {', '.join(COLUMNS)})")
    for name in REQUIRED:
        if name not in header:
            errors.append(f"{source}:1:{len(header) + 1}: colonne « {name} » manquante")
    if errors:
        raise ContactsInvalid(errors)
    col = {name: header.index(name) for name in COLUMNS if name in header}
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                f"{source}:{line}:{min(len(cells), len(header)) + 1}: {len(cells)} colonnes au lieu de {len(header)}"
            )
            continue
        rows.append((line, {name: cells[i].strip() for name, i in col.items()}))
    codes = {r["authority"] for _, r in rows}
    known = dict(Authority.objects.filter(code__in=codes).values_list("code", "pk"))
    seen: dict[tuple[str, str], int] = {}
    for line, r in rows:
        if not r["authority"]:
            errors.append(f"{source}:{line}:{col['authority'] + 1}: code de collectivité vide")
        elif r["authority"] not in known:
            errors.append(f"{source}:{line}:{col['authority'] + 1}: collectivité inconnue « {r['authority']} »")
        try:
            validate_email(r["email"])
        except ValidationError:
            errors.append(f"{source}:{line}:{col['email'] + 1}: adresse e-mail invalide « {r['email']} »")
        for name, limit in (("name", 150), ("role", 150)):
            if len(r.get(name, "")) > limit:
                errors.append(f"{source}:{line}:{col[name] + 1}: {name} trop long (plus de {limit} caractères)")
        key = (r["authority"], r["email"].lower())
        if key in seen:
            errors.append(
                f"{source}:{line}:{col['email'] + 1}: contact en double (déjà ligne {seen[key]}) pour {r['authority']}"
            )
        seen.setdefault(key, line)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ContactsInvalid(errors)
    if not rows:
        raise ContactsInvalid([f"{source}:2:1: aucun contact dans le fichier"])
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            (c.authority_id, c.email.lower()): c
            for c in Contact.objects.filter(edition=edition, authority__in=known.values())
        }
        new: list[Contact] = []
        for _, r in rows:
            pk = known[r["authority"]]
            email = r["email"].lower()
            current = existing.get((pk, email))
            name, role = r.get("name", ""), r.get("role", "")
            if current is None:
                new.append(Contact(edition=edition, authority_id=pk, email=email, name=name, role=role))
                created += 1
            elif (current.name, current.role) != (name, role):
                current.name, current.role = name, role
                current.save(update_fields=["name", "role"])
                updated += 1
            else:
                unchanged += 1
        Contact.objects.bulk_create(new, batch_size=1000)
    return ImportSummary(edition.year, len(rows), created, updated, unchanged, len(known))


def import_file(edition: Edition, path: Path) -> ImportSummary:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BarometreError(f"{path}: fichier introuvable") from None
    except UnicodeDecodeError as exc:
        raise BarometreError(f"{path}:1:1: encodage non UTF-8 ({exc.reason})") from None
    return import_contacts(edition, text, source=str(path))
