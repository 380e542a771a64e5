"""Bounded work for any workbook: a sheet whose used range or unpacked size is beyond the limits
is refused before openpyxl loads it; formula cells are named as formulas; hidden sheets and rows
are said. The workbooks are real files, crafted as an attacker or a careless copy would."""

from __future__ import annotations

import re
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from board.cli import main
from board.xlsx import WorkbookError, import_workbook
from board.xlsx.layout import SHEET_PROJECTS, SHEET_REPORT
from tests.conftest import ROOT
from tests.test_output_safety import tree
from tests.test_xlsx import blank_register, filled_template, save

LIMIT_HINT = (
    "delete the cells outside the table (select the extra rows and columns, delete them), "
    "or make the workbook again with board template"
)


def refused_cheaply(workbook: Path, content: Path) -> list[str]:
    """The problems of importing `workbook`, checking that it took little memory."""
    before = tree(content)
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as exc:
            import_workbook(workbook, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert tree(content) == before
    return [str(p) for p in exc.value.problems]


def test_a_cell_at_xfd1048576_is_refused_before_loading(tmp_path: Path, capsys) -> None:
    wb = filled_template()
    wb["报告"]["XFD1048576"] = "x"
    workbook = save(wb, tmp_path / "huge.xlsx")
    assert workbook.stat().st_size < 100_000
    content = blank_register(tmp_path)
    assert refused_cheaply(workbook, content) == [
        "报告: the sheet's used range is 1048576 rows by 16384 columns, more than the limit of "
        f"20000 rows and 60 columns; it was not read ({LIMIT_HINT})"
    ]
    assert main(["import", str(workbook), "--content", str(content)]) == 1
    assert "报告: the sheet's used range is 1048576 rows" in capsys.readouterr().err


def test_a_row_beyond_20000_is_refused_even_when_the_dimension_says_otherwise(
    tmp_path: Path,
) -> None:
    wb = filled_template()
    wb["项目"]["A20001"] = "late"
    workbook = save(wb, tmp_path / "long.xlsx")
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if b"A20001" in data:
                data = data.replace(b'<dimension ref="A1:M20001"/>', b'<dimension ref="A1:M3"/>')
                assert b'<dimension ref="A1:M3"/>' in data
            dst.writestr(info, data)
    assert refused_cheaply(lying, blank_register(tmp_path)) == [
        "项目: the sheet's used range is 20001 rows by 13 columns, more than the limit of "
        f"20000 rows and 60 columns; it was not read ({LIMIT_HINT})"
    ]


def test_a_sheet_that_unpacks_beyond_50_mb_is_refused_unread(tmp_path: Path) -> None:
    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet6.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><!--" + b" " * (60 << 20) + b"-->")
            dst.writestr(info, data)
    assert bomb.stat().st_size < 1_000_000
    assert refused_cheaply(bomb, blank_register(tmp_path)) == [
        f"bomb.xlsx: the workbook unpacks to 60 MB, more than the limit of 50 MB; it was not read "
        f"({LIMIT_HINT})"
    ]


def test_a_formula_without_a_value_is_named_as_a_formula(tmp_path: Path) -> None:
    wb = filled_template()
    wb["报告"]["D3"] = "=SUM(60,5)"
    workbook = save(wb, tmp_path / "formula.xlsx")
    problems = refused_cheaply(workbook, blank_register(tmp_path))
    assert (
        "报告!D3: the cell holds a formula without a stored value (open and save the workbook "
        "in Excel or WPS once, or copy the cells and paste them as values)"
    ) in problems


def test_hidden_sheets_and_rows_are_reported(tmp_path: Path) -> None:
    wb = filled_template()
    wb["责任清单"].sheet_state = "hidden"
    wb["报告"].row_dimensions[3].hidden = True
    workbook = save(wb, tmp_path / "hidden.xlsx")
    result = import_workbook(workbook, blank_register(tmp_path))
    warnings = [str(w) for w in result.warnings]
    assert (
        "责任清单: warning: this sheet is hidden; its data is imported like any other" in warnings
    )
    assert "报告: warning: rows 3 are hidden; their data is imported like any other" in warnings
    assert len(result.created) == 3


def test_the_limits_read_in_chinese() -> None:
    from board.i18n import Msg

    assert Msg(
        "msg.xlsx.too_large", rows=1048576, columns=16384, max_rows=20000, max_columns=60
    ).text("zh-CN") == ("工作表用到1048576行16384列，超过20000行60列的上限；未读取")


# -- hostile workbooks (issues 19 and 21): each one line, exit 1, nothing written ------------------


def _part(sheet: str) -> str:
    """The part holding the template's sheet `sheet` (its place among the sheets may change)."""
    import io

    import openpyxl

    from board.xlsx.template import template_workbook

    names = openpyxl.load_workbook(io.BytesIO(template_workbook())).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


REPORT_PART = _part(SHEET_REPORT)
PROJECTS_PART = _part(SHEET_PROJECTS)
DAMAGED_HINT = (
    "open it in Excel or WPS and save it again as .xlsx, or make the workbook again with board "
    "template"
)


def rewritten(
    workbook: Path, out: Path, change: Any, extra: tuple[tuple[str, bytes], ...] = ()
) -> Path:
    """A copy of `workbook` with each part passed through `change(name, data)`."""
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
        for name, data in extra:
            dst.writestr(name, data)
    return out


def patched_sizes(
    workbook: Path, out: Path, part: str, central: int | None, local: int | None
) -> Path:
    """A copy whose zip records other uncompressed sizes for `part`: in the central directory,
    in the local header, or both (the data stays what it is)."""
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as z:
        info = z.getinfo(part)
    if local is not None:
        assert data[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
        struct.pack_into("<I", data, info.header_offset + 22, local)
    if central is not None:
        at = data.find(b"PK\x01\x02")
        while at >= 0:
            length = struct.unpack_from("<H", data, at + 28)[0]
            if data[at + 46 : at + 46 + length] == part.encode():
                struct.pack_into("<I", data, at + 24, central)
            at = data.find(b"PK\x01\x02", at + 1)
    out.write_bytes(bytes(data))
    return out


def refused_in_one_line(capsys: Any, workbook: Path, content: Path) -> str:
    """`board import` refuses the workbook with exit 1, one problem line, nothing written."""
    before = tree(content)
    assert main(["import", str(workbook), "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 2 and lines[1].startswith("failed: 1 error in the workbook"), lines
    assert tree(content) == before
    return lines[0]


def test_a_part_larger_than_its_recorded_size_is_refused_as_damaged(tmp_path: Path, capsys) -> None:
    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    lying = patched_sizes(workbook, tmp_path / "lying.xlsx", REPORT_PART, central=100, local=100)
    assert refused_in_one_line(capsys, lying, blank_register(tmp_path)) == (
        f"lying.xlsx: the workbook is damaged or tampered with ({REPORT_PART}: its data disagrees "
        f"with the sizes or checksum the zip records); it was not read ({DAMAGED_HINT})"
    )


def test_a_local_header_that_disagrees_with_the_central_directory_is_refused(
    tmp_path: Path, capsys
) -> None:
    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    lying = patched_sizes(workbook, tmp_path / "lying.xlsx", REPORT_PART, central=None, local=7)
    assert refused_in_one_line(capsys, lying, blank_register(tmp_path)) == (
        f"lying.xlsx: the workbook is damaged or tampered with ({REPORT_PART}: its data disagrees "
        f"with the sizes or checksum the zip records); it was not read ({DAMAGED_HINT})"
    )


def test_a_central_directory_claiming_gigabytes_is_refused_unread(tmp_path: Path, capsys) -> None:
    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    lying = patched_sizes(workbook, tmp_path / "lying.xlsx", REPORT_PART, 4_000_000_000, None)
    assert refused_in_one_line(capsys, lying, blank_register(tmp_path)).startswith(
        "lying.xlsx: the workbook unpacks to 3815 MB, more than the limit of 50 MB; it was not read"
    )


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)


def test_a_billion_laughs_sheet_is_refused(tmp_path: Path, capsys) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name != REPORT_PART:
            return data
        cell = b'<row r="9"><c r="B9" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        return LAUGHS + data.replace(b"</sheetData>", cell + b"</sheetData>")

    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    laughs = rewritten(workbook, tmp_path / "laughs.xlsx", change)
    assert refused_in_one_line(capsys, laughs, blank_register(tmp_path)) == (
        f"laughs.xlsx: the workbook is damaged or tampered with ({REPORT_PART} (报告): it declares "
        "a DTD or entities, which can expand to gigabytes or read files of this computer; no "
        f"workbook needs them); it was not read ({DAMAGED_HINT})"
    )


def test_an_external_entity_is_refused_and_nothing_is_read_from_the_computer(
    tmp_path: Path, capsys
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-canary", encoding="utf-8")

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet3.xml":
            return data
        doctype = b'<!DOCTYPE w [<!ENTITY x SYSTEM "file://%s">]>' % str(secret).encode()
        return doctype + data.replace(b"<t>", b"<t>&x;", 1)

    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    xxe = rewritten(workbook, tmp_path / "xxe.xlsx", change)
    content = blank_register(tmp_path)
    assert "it declares a DTD or entities" in refused_in_one_line(capsys, xxe, content)
    assert not any(
        b"the-secret-canary" in p.read_bytes() for p in content.rglob("*") if p.is_file()
    )


def test_an_unbound_namespace_prefix_is_refused_at_its_line_and_column(
    tmp_path: Path, capsys
) -> None:
    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"<sheetData>", b"<sheetData><x:row/>") if name == REPORT_PART else data

    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    bad = rewritten(workbook, tmp_path / "prefix.xlsx", change)
    with zipfile.ZipFile(bad) as z:
        column = z.read(REPORT_PART).index(b"<x:row/>") + 1
    assert refused_in_one_line(capsys, bad, blank_register(tmp_path)) == (
        f"prefix.xlsx: the workbook is damaged or tampered with ({REPORT_PART} (报告): line 1, "
        f"column {column} is not well-formed XML: unbound prefix); it was not read ({DAMAGED_HINT})"
    )


def _with_shared_strings(name: str, data: bytes) -> bytes:
    """The template's workbook, declaring a shared-string table (Excel's way of storing text)."""
    if name == REPORT_PART:
        return data.replace(
            b'<c r="A3"', b'<c r="B9" t="s"><v>0</v></c><c r="C9" t="s"><v>7</v></c><c r="A3"', 1
        )
    if name == "[Content_Types].xml":
        return data.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    return data


def test_a_shared_string_index_beyond_the_table_is_refused_naming_the_cell(
    tmp_path: Path, capsys
) -> None:
    wb = filled_template()
    wb["报告"]["A3"] = "beiqu-wushui"
    workbook = save(wb, tmp_path / "plain.xlsx")
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si></sst>'
    bad = rewritten(
        workbook,
        tmp_path / "strings.xlsx",
        _with_shared_strings,
        (("xl/sharedStrings.xml", strings),),
    )
    assert refused_in_one_line(capsys, bad, blank_register(tmp_path)) == (
        "报告!C9: the cell refers to shared text number 7, but the workbook has 1; the file is "
        f"damaged ({DAMAGED_HINT})"
    )


def _rows_without_r(count: int) -> bytes:
    return b"".join(
        b"<row><c><v>%d</v></c><c><v>1</v></c></row>" % (i % 1000) for i in range(count)
    )


def test_300000_rows_without_r_are_refused_in_little_time_and_memory(tmp_path: Path) -> None:
    """OOXML makes `r=` optional: the rows are counted as openpyxl counts them, not by `r=`."""
    rows = _rows_without_r(300_000)

    def change(name: str, data: bytes) -> bytes:
        if name != PROJECTS_PART:
            return data
        data = re.sub(rb"<dimension [^>]*/>", b"", data)
        return re.sub(
            rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows + b"</sheetData>", data, flags=re.S
        )

    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    long = rewritten(workbook, tmp_path / "long.xlsx", change)
    assert long.stat().st_size < 1_000_000
    with zipfile.ZipFile(long) as z:
        assert b' r="' not in z.read(PROJECTS_PART)
    content = blank_register(tmp_path)
    expected = [
        "项目: the sheet's used range is 20001 rows by 2 columns, more than the limit of "
        f"20000 rows and 60 columns; it was not read ({LIMIT_HINT})"
    ]
    started = time.process_time()
    with pytest.raises(WorkbookError) as exc:
        import_workbook(long, content)
    seconds = time.process_time() - started
    assert [str(p) for p in exc.value.problems] == expected
    assert seconds < 2, f"{seconds:.1f} s of CPU"  # openpyxl alone took 46 s and 1.1 GB
    assert refused_cheaply(long, content) == expected  # and in under 40 MB


def test_8000_hidden_rows_are_reported_in_one_pass(tmp_path: Path) -> None:
    """An autofilter hides rows: telling which costs one pass, not one per hidden row."""
    from board.xlsx.reading import read_workbook

    wb = filled_template()
    ws = wb["报告"]
    for row in range(3, 8003):
        ws.row_dimensions[row].hidden = True
        ws.cell(row, 2, "x")
        ws.cell(row, 3, 50)
    workbook = save(wb, tmp_path / "hidden.xlsx")
    problems: list = []
    started = time.process_time()
    read_workbook(workbook, None, problems)
    seconds = time.process_time() - started
    assert [str(p) for p in problems if "hidden" in str(p)] == [
        "报告: warning: rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 … (8000) are hidden; their data is "
        "imported like any other"
    ]
    assert seconds < 3, f"{seconds:.1f} s of CPU"  # one _last_row per hidden row took 11-20 s


def test_the_import_uses_no_private_openpyxl_api_and_parses_xml_with_defusedxml() -> None:
    import openpyxl.xml

    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "board").rglob("*.py"))
    assert "._cells" not in source
    assert "xml.etree" not in source and "from xml.dom" not in source
    assert openpyxl.xml.DEFUSEDXML, "defusedxml is installed, so openpyxl uses it too"


def test_the_hostile_workbook_messages_read_in_chinese() -> None:
    from board.i18n import Msg

    assert Msg("msg.xlsx.damaged", part="xl/workbook.xml", reason=Msg("msg.xlsx.reason_dtd")).text(
        "zh-CN"
    ) == (
        "工作簿已损坏或被改造过（xl/workbook.xml：声明了DTD或实体，这可以展开成海量数据或读取本机"
        "文件，工作簿从不需要）；未读取"
    )
    assert Msg("msg.xlsx.bad_shared_string", index=7, count=1).text("zh-CN") == (
        "单元格引用第7个共享文本，但工作簿只有1个；文件已损坏"
    )
