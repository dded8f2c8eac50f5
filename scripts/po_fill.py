"""Fill the translations of a .po file from the reviewed YAML mapping {French msgid: English msgstr}.

Usage: python scripts/po_fill.py locale/en/LC_MESSAGES/django.po locale/en/translations.yaml

- A singular entry takes the YAML string of its msgid.
- A plural entry (msgid_plural) takes a YAML list with one string per plural form (two in English:
  [singular, plural]), keyed by its singular msgid.
- Entries already translated (and not fuzzy) are left alone.
- A fuzzy entry is a guess by msgmerge, and msgfmt ignores it: when the YAML has its msgid, the
  translation is replaced by the YAML's and the "fuzzy" flag and "#|" previous-msgid comments are
  dropped; otherwise it is left as it is and listed.
- Prints what is still untranslated or fuzzy, then the YAML keys that no entry uses (stale).
- Rewraps the file with msgcat (GNU gettext) when it is installed, as makemessages does, so that the
  next makemessages run shows no spurious diff.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

from barometre.core import yamlfile

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')
_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)")


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    # keyword ("msgid", "msgstr[0]"...) -> raw quoted lines, in file order
    fields: dict[str, list[str]] = field(default_factory=dict)

    def text(self, keyword: str) -> str | None:
        lines = self.fields.get(keyword)
        return None if lines is None else "".join(ast.literal_eval(ln) for ln in lines)

    @property
    def msgstr_keys(self) -> list[str]:
        return [k for k in self.fields if k.startswith("msgstr")]

    @property
    def fuzzy(self) -> bool:
        return any(ln.startswith("#,") and "fuzzy" in _flags(ln) for ln in self.comments)


def _flags(comment: str) -> list[str]:
    return [f.strip() for f in comment[2:].split(",") if f.strip()]


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"' + escaped + '"'


def parse(src: str) -> list[Entry | str]:
    """Split a .po file into entries; obsolete (#~) and free lines are kept as plain strings."""
    items: list[Entry | str] = []
    for block in re.split(r"\n\s*\n", src.strip("\n")):
        lines = block.split("\n")
        if all(ln.startswith("#") for ln in lines):
            items.append(block)
            continue
        entry = Entry()
        current: list[str] | None = None
        for ln in lines:
            m = _KEYWORD.match(ln)
            if ln.startswith("#"):
                entry.comments.append(ln)
            elif m:
                current = entry.fields.setdefault(m.group(1), [])
                current.append(m.group(2))
            elif ln.startswith('"') and current is not None:
                current.append(ln)
            else:
                raise SystemExit(f"po_fill: cannot parse line: {ln!r}")
        items.append(entry)
    return items


def serialize(items: list[Entry | str]) -> str:
    blocks = []
    for item in items:
        if isinstance(item, str):
            blocks.append(item)
            continue
        lines = list(item.comments)
        for keyword, quoted in item.fields.items():
            lines.append(f"{keyword} {quoted[0]}")
            lines.extend(quoted[1:])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _drop_fuzzy(entry: Entry) -> None:
    comments = []
    for ln in entry.comments:
        if ln.startswith("#|"):
            continue
        if ln.startswith("#,"):
            flags = [f for f in _flags(ln) if f != "fuzzy"]
            if not flags:
                continue
            ln = "#, " + ", ".join(flags)
        comments.append(ln)
    entry.comments = comments


def fill(items: list[Entry | str], mapping: dict[str, object]) -> tuple[list[str], list[str]]:
    """Fill `items` in place; return (still untranslated msgids, YAML keys no entry uses)."""
    nplurals = 2
    missing: list[str] = []
    used: set[str] = set()
    for item in items:
        if not isinstance(item, Entry):
            continue
        msgid = item.text("msgid")
        if msgid == "":
            m = _PLURAL_FORMS.search(item.text("msgstr") or "")
            nplurals = int(m.group(1)) if m else nplurals
            continue
        if msgid is None:
            continue
        if "msgctxt" in item.fields:
            raise SystemExit(f"po_fill: msgctxt is not supported (msgid {msgid!r})")
        used.add(msgid)
        plural = "msgid_plural" in item.fields
        translated = all(item.text(k) for k in item.msgstr_keys)
        if translated and not item.fuzzy:
            continue
        value = mapping.get(msgid)
        if value is None:
            missing.append(("fuzzy: " if item.fuzzy else "") + msgid)
            continue
        if plural:
            if not (
                isinstance(value, list) and len(value) == nplurals and all(isinstance(v, str) and v for v in value)
            ):
                raise SystemExit(f"po_fill: {msgid!r} is plural: the YAML needs a list of {nplurals} strings")
            forms = {f"msgstr[{i}]": [_quote(v)] for i, v in enumerate(value)}
        else:
            if not (isinstance(value, str) and value):
                raise SystemExit(f"po_fill: {msgid!r} needs a non-empty string in the YAML")
            forms = {"msgstr": [_quote(value)]}
        item.fields = {k: v for k, v in item.fields.items() if not k.startswith("msgstr")} | forms
        _drop_fuzzy(item)
    return missing, [k for k in mapping if k not in used]


def main(po_path: str, mapping_path: str) -> None:
    with open(mapping_path, encoding="utf-8") as fh:
        mapping: dict[str, object] = yamlfile.load(fh.read(), mapping_path) or {}
    with open(po_path, encoding="utf-8") as fh:
        items = parse(fh.read())
    missing, unused = fill(items, mapping)
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write(serialize(items))
    if shutil.which("msgcat"):
        subprocess.run(["msgcat", "-o", po_path, po_path], check=True)
    for m in missing:
        print("untranslated:", m[:80])
    for k in unused:
        print("not in the catalogue:", k[:80])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
