"""Fill empty msgstr entries of a .po file from a YAML mapping {msgid: msgstr}.

Usage: python scripts/po_fill.py locale/en/LC_MESSAGES/django.po translations.yaml
Entries already translated are left alone; msgids not in the mapping are listed.
"""

from __future__ import annotations

import ast
import re
import sys

import yaml


def _unquote(lines: list[str]) -> str:
    parts = []
    for ln in lines:
        m = re.match(r'^(?:msgid |msgstr )?(".*")$', ln)
        assert m, ln
        parts.append(ast.literal_eval(m.group(1)))
    return "".join(parts)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path: str, mapping_path: str) -> None:
    with open(mapping_path, encoding="utf-8") as fh:
        mapping: dict[str, str] = yaml.safe_load(fh) or {}
    with open(po_path, encoding="utf-8") as fh:
        src = fh.read().split("\n")
    out: list[str] = []
    i = 0
    missing = []
    while i < len(src):
        line = src[i]
        if line.startswith("msgid "):
            block = [line]
            i += 1
            while i < len(src) and src[i].startswith('"'):
                block.append(src[i])
                i += 1
            msgid = _unquote(block)
            out.extend(block)
            if i < len(src) and src[i].startswith("msgstr "):
                sblock = [src[i]]
                i += 1
                while i < len(src) and src[i].startswith('"'):
                    sblock.append(src[i])
                    i += 1
                current = _unquote(sblock)
                if msgid and not current:
                    if msgid in mapping:
                        out.append("msgstr " + _quote(mapping[msgid]))
                        # drop fuzzy flags are handled by makemessages; nothing to do
                        continue
                    missing.append(msgid)
                out.extend(sblock)
            continue
        out.append(line)
        i += 1
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))
    for m in missing:
        print("untranslated:", m[:80])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
