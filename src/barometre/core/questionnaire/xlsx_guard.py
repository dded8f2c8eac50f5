"""Checks of an ``.xlsx`` file made before any spreadsheet library reads it.

An ``.xlsx`` is a zip of XML files. Read naively, a 1 MB file can hold a 1 GiB cell
(the library decompresses for minutes and gigabytes) and one corrupted member ends in
a parser traceback. :func:`check_xlsx` refuses, with one message naming the file and
the member, before anything is read:

- a file larger than :data:`MAX_FILE_BYTES`, or that is not a zip;
- members whose declared uncompressed sizes add up to more than :data:`MAX_UNCOMPRESSED_BYTES`
  (the zip reader never decompresses past a member's declared size, so this bounds the work);
- a member whose data does not decompress or fails its checksum;
- an XML member (worksheets, shared strings, workbook…) that is not well-formed or declares a
  DOCTYPE (no entity can expand), or any cell text
  longer than :data:`MAX_CELL_CHARS` (Excel's own limit), found by a streaming parse that
  keeps no text in memory.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import IO
from xml.parsers import expat

from barometre.core.errors import QuestionnaireError

#: Largest ``.xlsx`` accepted (bytes).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Largest total of the members' uncompressed sizes (bytes).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: Longest text of one cell (characters): Excel's limit.
MAX_CELL_CHARS = 32_767
#: Most members in the archive.
MAX_MEMBERS = 2_000
_CHUNK = 1 << 16


class XLSXRejected(QuestionnaireError):
    """The file is not a readable, reasonably sized ``.xlsx`` (exit 2: it cannot be read)."""


def _scan_xml(stream: IO[bytes], where: str) -> None:
    """Stream-parse one member: refuse a DTD (so no entity can expand), bad XML or a too long text."""
    parser = expat.ParserCreate()
    length = 0

    def start(_name: str, _attrs: object) -> None:
        nonlocal length
        length = 0

    def text(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > MAX_CELL_CHARS:
            raise XLSXRejected(f"{where} : une cellule dépasse {MAX_CELL_CHARS} caractères")

    def doctype(*_args: object) -> None:
        raise XLSXRejected(f"{where} : déclaration DOCTYPE refusée (membre corrompu ou piégé)")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XLSXRejected(
            f"{where} : XML invalide ligne {exc.lineno} ({expat.ErrorString(exc.code)}) : membre corrompu"
        ) from None


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def check_xlsx(path: Path) -> None:
    """Refuse ``path`` (:class:`XLSXRejected`, one line) unless it is safe to hand to a reader."""
    fname = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise XLSXRejected(f"{fname} : fichier introuvable") from None
    if not path.is_file():
        raise XLSXRejected(f"{fname} : fichier attendu, pas un dossier")
    if size > MAX_FILE_BYTES:
        raise XLSXRejected(f"{fname} : fichier trop gros ({size} octets, au plus {MAX_FILE_BYTES})")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XLSXRejected(f"{fname} : classeur XLSX illisible (pas une archive zip : {exc})") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise XLSXRejected(f"{fname} : {len(members)} membres dans l'archive (au plus {MAX_MEMBERS})")
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise XLSXRejected(f"{fname} : {total} octets une fois décompressé (au plus {MAX_UNCOMPRESSED_BYTES})")
        for member in members:
            where = f"{fname}:{member.filename}"
            if member.is_dir():
                continue
            try:
                if _is_xml(member.filename):
                    with archive.open(member) as stream:
                        _scan_xml(stream, where)
                with archive.open(member) as stream:  # checksum (the scan may stop at the root's end)
                    while stream.read(_CHUNK):
                        pass
            except XLSXRejected:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
                raise XLSXRejected(f"{where} : membre corrompu ({exc})") from None
