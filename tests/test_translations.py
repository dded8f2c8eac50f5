"""The English catalogue (locale/en/LC_MESSAGES/django.po) is complete, valid and up to date.

To fix a failure: regenerate the catalogue, add the missing pairs to locale/en/translations.yaml
(the reviewed source) and merge them with scripts/po_fill.py:

    DJANGO_SETTINGS_MODULE=barometre.web.settings .venv/bin/python -c "import django, os; django.setup();
      from django.core.management import call_command; os.chdir('src/barometre');
      call_command('makemessages', locale=['en'], no_location=True, ignore_patterns=['static/*', 'core/report/*'])"
    .venv/bin/python scripts/po_fill.py locale/en/LC_MESSAGES/django.po locale/en/translations.yaml
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from barometre.core import yamlfile

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = PROJECT_ROOT / "locale"
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
YAML = LOCALE_DIR / "en" / "translations.yaml"
SOURCE_ROOT = PROJECT_ROOT / "src" / "barometre"
# The arguments the catalogue is regenerated with (see the module docstring).
MAKEMESSAGES_IGNORE = ["static/*", "core/report/*"]
# The files makemessages reads for the "django" domain.
SOURCE_SUFFIXES = {".html", ".txt", ".py"}

_FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.fields.get("msgctxt"), self.fields["msgid"], self.fields.get("msgid_plural"))

    @property
    def msgstrs(self) -> list[str]:
        return [v for k, v in self.fields.items() if k.startswith("msgstr")]


def _entries(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""); obsolete (#~) entries are comments."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, current = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif m := _FIELD.match(line):
                current = m.group(1)
                entry.fields[current] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and current:
                entry.fields[current] += ast.literal_eval(line)
            else:
                raise AssertionError(f"{path}: cannot parse {line!r}")
        if "msgid" in entry.fields:
            entries.append(entry)
    return entries


def _messages(path: Path) -> list[Entry]:
    return [e for e in _entries(path) if e.fields["msgid"]]


def _require_gettext() -> None:
    missing = [t for t in ("msgfmt", "xgettext", "msgmerge", "msgattrib") if shutil.which(t) is None]
    if missing:
        pytest.fail(f"GNU gettext is required ({', '.join(missing)} not found): run scripts/install-system-deps.sh")


def test_header_declares_utf8_and_english_plural_forms() -> None:
    header = next(e for e in _entries(PO) if e.fields["msgid"] == "")
    assert "fuzzy" not in header.flags
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.fields["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.fields["msgstr"]


def test_every_message_is_translated_in_every_plural_form_and_none_is_fuzzy() -> None:
    messages = _messages(PO)
    assert messages
    fuzzy = [e.fields["msgid"] for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries are ignored by msgfmt: review them: {fuzzy}"
    untranslated = [e.fields["msgid"] for e in messages if not e.msgstrs or not all(e.msgstrs)]
    assert not untranslated, f"untranslated: {untranslated}"
    plural = [e for e in messages if "msgid_plural" in e.fields]
    assert all(len(e.msgstrs) == 2 for e in plural), "English has two plural forms"


def test_catalogue_translations_come_from_the_reviewed_yaml() -> None:
    reviewed = yamlfile.load_file(YAML)
    differing = []
    for e in _messages(PO):
        expected = reviewed.get(e.fields["msgid"])
        actual: str | list[str] = e.msgstrs if "msgid_plural" in e.fields else e.msgstrs[0]
        if expected != actual:
            differing.append((e.fields["msgid"], actual, expected))
    assert not differing, f"(msgid, in django.po, in translations.yaml): {differing}"


def test_template_translate_literals_are_in_the_catalogue() -> None:
    # A cheap guard that does not need gettext; the makemessages test below is the full check.
    msgids = {e.fields["msgid"] for e in _messages(PO)}
    literal = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")
    missing = []
    for template in SOURCE_ROOT.rglob("*.html"):
        for m in literal.finditer(template.read_text(encoding="utf-8")):
            text = (m.group(1) or m.group(2) or "").replace("%", "%%")
            if text not in msgids:
                missing.append((template.relative_to(SOURCE_ROOT).as_posix(), text))
    assert not missing, f"not in django.po: {missing}"


def test_catalogue_is_up_to_date_with_the_sources(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """makemessages run on a copy of the sources and of the locale dir yields the same msgids."""
    _require_gettext()
    sources = tmp_path / "src" / "barometre"
    for path in SOURCE_ROOT.rglob("*"):
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            target = sources / path.relative_to(SOURCE_ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["en"], no_location=True, ignore_patterns=MAKEMESSAGES_IGNORE, verbosity=0)
    fresh = {e.key for e in _messages(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    current = {e.key for e in _messages(PO)}
    assert not fresh - current, f"in the sources, not in django.po: {sorted(fresh - current, key=str)}"
    assert not current - fresh, f"in django.po, no longer in the sources: {sorted(current - fresh, key=str)}"


def test_msgfmt_check_passes_and_the_compiled_catalogue_translates(tmp_path: Path) -> None:
    _require_gettext()
    mo = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(mo), str(PO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
    with mo.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    assert catalogue.gettext("Accueil") == "Home"
    assert catalogue.ngettext("%(n)s résultat", "%(n)s résultats", 1) == "%(n)s result"
    assert catalogue.ngettext("%(n)s résultat", "%(n)s résultats", 3) == "%(n)s results"


def test_po_fill_fills_plural_forms_and_replaces_fuzzy_guesses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("po_fill", PROJECT_ROOT / "scripts" / "po_fill.py")
    assert spec and spec.loader
    po_fill = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "po_fill", po_fill)  # dataclasses look their module up there
    spec.loader.exec_module(po_fill)
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, fuzzy, python-format\n#| msgid "Résultats"\nmsgid "%(n)s résultat"\nmsgid_plural "%(n)s résultats"\n'
        'msgstr[0] "Results"\nmsgstr[1] "Results"\n\n'
        'msgid "Accueil"\nmsgstr "Home"\n\n'
        'msgid "Inconnu"\nmsgstr ""\n',
        encoding="utf-8",
    )
    mapping = tmp_path / "translations.yaml"
    mapping.write_text('"%(n)s résultat": ["%(n)s result", "%(n)s results"]\n"Accueil": "Ignored"\n', encoding="utf-8")
    po_fill.main(str(po), str(mapping))
    entries = {e.fields["msgid"]: e for e in _messages(po)}
    plural = entries["%(n)s résultat"]
    assert plural.msgstrs == ["%(n)s result", "%(n)s results"] and plural.flags == {"python-format"}
    assert "#|" not in po.read_text(encoding="utf-8")
    assert entries["Accueil"].msgstrs == ["Home"]  # reviewed translations are left alone
    assert entries["Inconnu"].msgstrs == [""]
