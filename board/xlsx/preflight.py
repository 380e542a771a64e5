"""The workbook preflight: every part of the zip read as a stream before openpyxl loads anything.

openpyxl builds every cell of a sheet in memory, trusts the zip's sizes and (without
defusedxml) the XML's entity declarations. A workbook is a file sent in by a unit, so before
openpyxl sees it, one streaming pass over the zip

- refuses a workbook whose parts are declared to unpack to more than `LIMIT_BYTES` (zipfile
  never unpacks more than a part's declared size: a part that holds more, or whose local header,
  checksum or compressed data disagree with the central directory, is a damaged zip, refused);
- parses every XML part with defusedxml's expat reader (no DTD, no entity, no external
  reference: no billion laughs, no XXE), namespaces checked (an unbound prefix is refused with
  its part, line and column), keeping no tree (a SAX pass: memory stays flat);
- walks each sheet's rows and cells the way openpyxl's reader does, counting rows and columns
  whether or not they carry `r=` (OOXML makes it optional), and stops at the first row or
  column beyond `LIMIT_ROWS`/`LIMIT_COLUMNS`: 300,000 rows in a 274 KB file cost what 20,001
  rows cost;
- records per sheet what the import needs and openpyxl only has in private API: the last row
  and column holding a value, the hidden rows, the formula cells without a stored value, and
  checks every shared-string index against the shared-string table.

What openpyxl loads afterwards has been read in full once already, so it cannot be surprised.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from ..i18n import Msg, Said
from .layout import CellProblem

LIMIT_ROWS = 20_000
LIMIT_COLUMNS = 60
LIMIT_BYTES = 50 * 1024 * 1024  # the whole workbook, unpacked
LIMIT_FORMULAS = 1000  # formula cells without a value named per sheet (the rest are the same fix)
_CHUNK = 1 << 16

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK_TYPES = (  # the order openpyxl looks for them in (reader/excel.py)
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_COORDINATE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)\Z")
_DIMENSION = re.compile(
    r"\$?([A-Za-z]{0,3})\$?([0-9]{0,9})(?::\$?([A-Za-z]{0,3})\$?([0-9]{0,9}))?\Z"
)
# what zipfile and its decompressors raise for a damaged or lying archive
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    RuntimeError,  # an encrypted part
    NotImplementedError,  # an unknown compression method
    OSError,
    struct.error,
)
# expat's words for what is wrong with a part's XML, and the office's
_EXPAT_ZH = {
    "unbound prefix": "使用了未声明的命名空间前缀",
    "not well-formed (invalid token)": "有无效的字符",
    "mismatched tag": "标签不配对",
    "no element found": "内容不完整",
    "junk after document element": "根元素之后还有内容",
    "undefined entity": "使用了未定义的实体",
    "syntax error": "语法错误",
    "unclosed token": "有未结束的标记",
    "duplicate attribute": "属性重复",
}


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetFacts:
    """What one sheet holds, as its XML says (and as openpyxl will read it)."""

    part: str
    name: str
    last_row: int = 0  # the last row with a value in a cell (0: no value at all)
    last_column: int = 0
    hidden_rows: list[int] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)  # cells: a formula without a stored value


@dataclass
class Preflight:
    """What the zip says before any sheet is loaded."""

    sheets: dict[str, str] = field(default_factory=dict)  # xl/worksheets/sheet1.xml → 报告
    hidden: list[str] = field(default_factory=list)  # hidden sheets
    facts: dict[str, SheetFacts] = field(default_factory=dict)  # by sheet name

    @property
    def formulas(self) -> dict[str, list[str]]:
        return {name: f.formulas for name, f in self.facts.items() if f.formulas}


class _Refused(Exception):
    """The pass stops: the workbook is refused for `problem`."""

    def __init__(self, problem: CellProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Damaged(Exception):
    """A part is not what OOXML allows (a bad reference, a bad shared-string index)."""

    def __init__(self, reason: Msg, where: str = "") -> None:
        super().__init__(reason.key)
        self.reason = reason
        self.where = where


def _hint() -> Msg:
    return Msg("msg.xlsx.damaged_hint")


# -- SAX handlers: one per kind of part ------------------------------------------------------


class _Collect(ContentHandler):
    """A part read only for being well-formed and harmless; `on_start` sees each element."""

    def __init__(self, on_start: Callable[[str, str, Any], None] | None = None) -> None:
        super().__init__()
        self.on_start = on_start

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        if self.on_start is not None:
            self.on_start(name[0] or "", name[1], attrs)


class _SharedStrings(ContentHandler):
    """The shared-string table: how many strings, and which are empty (as openpyxl reads them:
    the text of `<t>` in `<si>` and its rich-text runs, phonetic runs left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.empty = bytearray()  # one byte per string: 1 when it is ""
        self._text = False
        self._phonetic = 0
        self._filled = False
        self._in_si = False

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        uri, local = name
        if uri != MAIN:
            return
        if local == "si":
            self._in_si, self._filled = True, False
        elif local == "rPh":
            self._phonetic += 1
        elif local == "t" and self._in_si and not self._phonetic:
            self._text = True

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        uri, local = name
        if uri != MAIN:
            return
        if local == "si":
            self.empty.append(0 if self._filled else 1)
            self._in_si = False
        elif local == "rPh":
            self._phonetic -= 1
        elif local == "t":
            self._text = False

    def characters(self, content: str) -> None:
        if self._text and content:
            self._filled = True


class _Sheet(ContentHandler):
    """A worksheet, walked as openpyxl's reader walks it (worksheet/_reader.py): a row without
    `r=` is the row after the one before, a cell without `r=` the column after the one before."""

    def __init__(self, facts: SheetFacts, shared: bytearray | None, where: str) -> None:
        super().__init__()
        self.facts = facts
        self.shared = shared
        self.where = where  # the file name, for a refusal
        self.rows = 0  # the used range: every row and cell named, with a value or not
        self.columns = 0
        self.row = 0
        self.column = 0
        self._cell: tuple[int, int, str] | None = None  # row, column, type of the open cell
        self._value: list[str] | None = None  # the text of <v> (or of <is>) being read
        self._inline: list[str] | None = None
        self._has_value = False
        self._formula = False
        self._phonetic = 0
        self._in_t = False

    def _bound(self) -> None:
        if self.rows > LIMIT_ROWS or self.columns > LIMIT_COLUMNS:
            raise _Refused(
                CellProblem(
                    self.facts.name,
                    "",
                    Msg(
                        "msg.xlsx.too_large",
                        rows=self.rows,
                        columns=self.columns,
                        max_rows=LIMIT_ROWS,
                        max_columns=LIMIT_COLUMNS,
                    ),
                    Msg("msg.xlsx.limit_hint"),
                )
            )

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        uri, local = name
        if uri != MAIN:
            return
        if local == "c":
            ref = attrs.get((None, "r"))
            if ref:
                found = _COORDINATE.match(ref)
                if found is None or int(found.group(2)) < 1:
                    raise _Damaged(Msg("msg.xlsx.reason_ref", ref=ref))
                row, self.column = int(found.group(2)), column_number(found.group(1))
            else:
                self.column += 1
                row = self.row
            self.rows = max(self.rows, row)
            self.columns = max(self.columns, self.column)
            self._bound()
            self._cell = (row, self.column, attrs.get((None, "t"), "n"))
            self._value = self._inline = None
            self._has_value = self._formula = False
        elif local == "row":
            ref = attrs.get((None, "r"))
            if ref is None:
                self.row += 1
            else:
                try:
                    number = float(ref)
                except ValueError:
                    number = 0.5
                if not number.is_integer() or number < 1:
                    raise _Damaged(Msg("msg.xlsx.reason_row", ref=ref))
                self.row = int(number)
            self.column = 0
            self.rows = max(self.rows, self.row)
            self._bound()
            if attrs.get((None, "hidden")) in ("1", "true"):
                self.facts.hidden_rows.append(self.row)
        elif self._cell is not None:
            if local == "v" and self._value is None:
                self._value = []
            elif local == "f":
                self._formula = True
            elif local == "is":
                self._inline = []
            elif local == "rPh":
                self._phonetic += 1
            elif local == "t" and self._inline is not None and not self._phonetic:
                self._in_t = True
        elif local == "dimension":
            found = _DIMENSION.match(attrs.get((None, "ref"), ""))
            if found:
                for letters, digits in (found.group(1, 2), found.group(3, 4)):
                    if letters:
                        self.columns = max(self.columns, column_number(letters))
                    if digits:
                        self.rows = max(self.rows, int(digits))
                self._bound()

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        uri, local = name
        if uri != MAIN or self._cell is None:
            return
        if local == "v" and self._value is not None:
            self._has_value = True
        elif local == "rPh":
            self._phonetic -= 1
        elif local == "t":
            self._in_t = False
        elif local == "c":
            self._close_cell()

    def characters(self, content: str) -> None:
        if self._in_t and self._inline is not None:
            self._inline.append(content)
        elif self._value is not None and not self._has_value:
            self._value.append(content)

    def _close_cell(self) -> None:
        assert self._cell is not None
        row, column, kind = self._cell
        self._cell = None
        if kind == "inlineStr":
            filled = "".join(self._inline or []) != ""
        else:
            text = "".join(self._value) if self._value is not None else ""
            filled = text != ""
            if filled and kind == "s":
                filled = self._shared(text, row, column)
        if filled:
            self.facts.last_row = max(self.facts.last_row, row)
            self.facts.last_column = max(self.facts.last_column, column)
        elif self._formula and len(self.facts.formulas) < LIMIT_FORMULAS:
            self.facts.formulas.append(f"{column_letters(column)}{row}")

    def _shared(self, text: str, row: int, column: int) -> bool:
        """Whether the shared string the cell names is not empty; a bad index is refused."""
        count = len(self.shared) if self.shared is not None else 0
        try:
            index = int(text)
        except ValueError:
            index = -1
        if not 0 <= index < count:
            raise _Refused(
                CellProblem(
                    f"{self.facts.name}!{column_letters(column)}{row}",
                    "",
                    Msg("msg.xlsx.bad_shared_string", index=text.strip()[:20], count=count),
                    _hint(),
                )
            )
        assert self.shared is not None
        return not self.shared[index]


# -- the pass --------------------------------------------------------------------------------


def _parse(stream: IO[bytes], handler: ContentHandler) -> None:
    """Feed the part to defusedxml's expat reader: no DTD, no entities, namespaces checked."""
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    while chunk := stream.read(_CHUNK):
        parser.feed(chunk)
    parser.close()


def _xml_reason(exc: Exception) -> Msg:
    if isinstance(exc, DefusedXmlException):
        return Msg("msg.xlsx.reason_dtd")
    assert isinstance(exc, SAXParseException)
    detail = exc.getMessage()
    return Msg(
        "msg.xlsx.reason_xml",
        line=exc.getLineNumber(),
        column=(exc.getColumnNumber() or 0) + 1,
        detail=Said(_EXPAT_ZH.get(detail, "格式错误"), detail),
    )


def _resolve(base_part: str, target: str) -> str:
    """A relationship's target as openpyxl resolves it (packaging/relationship.py)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def preflight(path: Path, problems: list[CellProblem]) -> Preflight | None:
    """Read the whole workbook as a stream; refuse it (None, with the problem recorded) when it
    is too large, damaged or hostile. An archive that is no zip at all is left to openpyxl,
    which says what is wrong with it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, struct.error, EOFError):
        return Preflight()
    with archive:
        try:
            return _preflight(archive, path)
        except _Refused as refusal:
            problems.append(refusal.problem)
            return None


def _local_headers(path: Path, archive: zipfile.ZipFile) -> None:
    """Each part's local header must record the sizes and checksum its central-directory entry
    records (unless it defers them to a data descriptor, as Excel may): a zip whose two records
    disagree is read differently by different tools, and is refused."""
    with path.open("rb") as file:
        for info in archive.infolist():
            file.seek(info.header_offset)
            header = file.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                raise _Refused(_zip_damaged(path.name, info.filename))
            flags, crc, compressed, size = struct.unpack_from("<H6xIII", header, 6)
            if flags & 0x08 or 0xFFFFFFFF in (compressed, size):
                continue  # sizes in a data descriptor, or in the zip64 extra field
            if (crc, compressed, size) != (info.CRC, info.compress_size, info.file_size):
                raise _Refused(_zip_damaged(path.name, info.filename))


def _zip_damaged(file_name: str, part: str) -> CellProblem:
    return CellProblem(
        file_name,
        "",
        Msg("msg.xlsx.damaged", part=part, reason=Msg("msg.xlsx.reason_zip")),
        _hint(),
    )


def _preflight(archive: zipfile.ZipFile, path: Path) -> Preflight:
    file_name = path.name
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > LIMIT_BYTES:
        raise _Refused(
            CellProblem(
                file_name,
                "",
                Msg("msg.xlsx.too_big", mb=f"{total / 1048576:.0f}", limit=LIMIT_BYTES // 1048576),
                Msg("msg.xlsx.limit_hint"),
            )
        )
    _local_headers(path, archive)
    by_name = {info.filename: info for info in infos}  # the last of a name, as zipfile reads
    done: set[int] = set()
    found = Preflight()

    def read(info: zipfile.ZipInfo, handler: ContentHandler | None, shown: str = "") -> None:
        done.add(id(info))
        part = info.filename
        try:
            with archive.open(info) as stream:
                if handler is None:
                    while stream.read(_CHUNK):
                        pass
                else:
                    try:
                        _parse(stream, handler)
                    except (DefusedXmlException, SAXParseException) as exc:
                        raise _Refused(
                            CellProblem(
                                file_name,
                                "",
                                Msg(
                                    "msg.xlsx.damaged", part=shown or part, reason=_xml_reason(exc)
                                ),
                                _hint(),
                            )
                        ) from None
                    except _Damaged as exc:
                        raise _Refused(
                            CellProblem(
                                file_name,
                                "",
                                Msg("msg.xlsx.damaged", part=shown or part, reason=exc.reason),
                                _hint(),
                            )
                        ) from None
        except _ZIP_ERRORS:
            raise _Refused(_zip_damaged(file_name, part)) from None

    def parse_part(part: str, handler: ContentHandler) -> bool:
        info = by_name.get(part)
        if info is None or id(info) in done:
            return False
        read(info, handler)
        return True

    # the package's content types: where the workbook and the shared strings are
    overrides: dict[str, str] = {}

    def content_type(uri: str, local: str, attrs: Any) -> None:
        if local == "Override":
            part = (attrs.get((None, "PartName")) or "").lstrip("/")
            overrides[part] = attrs.get((None, "ContentType")) or ""

    parse_part("[Content_Types].xml", _Collect(content_type))
    workbook = next(
        (p for kind in WORKBOOK_TYPES for p, t in overrides.items() if t == kind),
        "xl/workbook.xml",
    )
    targets: dict[str, str] = {}

    def relationship(uri: str, local: str, attrs: Any) -> None:
        if local == "Relationship" and attrs.get((None, "TargetMode")) != "External":
            targets[attrs.get((None, "Id")) or ""] = _resolve(
                workbook, attrs.get((None, "Target")) or ""
            )

    parse_part(_rels_path(workbook), _Collect(relationship))
    order: list[tuple[str, str]] = []  # (part, sheet name)

    def sheet(uri: str, local: str, attrs: Any) -> None:
        if uri == MAIN and local == "sheet":
            part = targets.get(attrs.get((REL, "id")) or "", "")
            name = attrs.get((None, "name")) or part
            order.append((part, name))
            if attrs.get((None, "state")) in ("hidden", "veryHidden"):
                found.hidden.append(name)

    parse_part(workbook, _Collect(sheet))
    found.sheets = {part: name for part, name in order}
    strings = _SharedStrings()
    shared_part = next((p for p, t in overrides.items() if t == SHARED_STRINGS_TYPE), None)
    has_strings = shared_part is not None and parse_part(shared_part, strings)
    sheet_parts = [p for p, _ in order] + [
        info.filename
        for info in infos
        if (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"))
        or overrides.get(info.filename) == WORKSHEET_TYPE
    ]
    for part in dict.fromkeys(sheet_parts):
        info = by_name.get(part)
        if info is None or id(info) in done:
            continue
        name = found.sheets.get(part, part)
        facts = SheetFacts(part, name)
        handler = _Sheet(facts, strings.empty if has_strings else None, file_name)
        read(info, handler, shown=f"{part} ({name})" if name != part else part)
        found.facts.setdefault(name, facts)
    for info in infos:  # every other part: read whole (checksums), XML parsed harmlessly
        if id(info) in done:
            continue
        is_xml = info.filename.lower().endswith((".xml", ".rels"))
        read(info, _Collect() if is_xml else None)
    return found
