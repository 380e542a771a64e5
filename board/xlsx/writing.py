"""Writing workbooks byte for byte the same for the same content."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, datetime

import openpyxl

from ..model import Month

# -- writing workbooks ------------------------------------------------------------------------


def _fixed_time(month: Month | None) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    if month is not None:
        return datetime(month.year, month.month, month.last_day.day)
    return datetime(2000, 1, 1)


def workbook_bytes(wb: openpyxl.Workbook, when: datetime) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content and `when`."""
    wb.properties.creator = "board"
    wb.properties.lastModifiedBy = "board"
    wb.properties.created = when
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                # board never writes formulas into cells: text from the register that starts
                # with '=' (openpyxl would store it as a formula) stays text, never runs
                if cell.data_type == "f":
                    cell.data_type = "s"
    raw = io.BytesIO()
    wb.save(raw)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()
