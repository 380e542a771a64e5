"""A county's own wording of a label (board.yaml `labels:`) shows on every output."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_content

from board.build import build
from board.cli import main

pytestmark = pytest.mark.slow

OWN = {"status.behind": "进度偏慢", "hotline": "举报电话"}


@pytest.fixture(scope="module")
def relabelled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example with two labels of its own; its September alone (the outputs checked are
    September's, each label rendered anew: a quarter of the PDFs of its four months)."""
    content = copy_content(tmp_path_factory.mktemp("labels") / "content", months=1)
    board = content / "board.yaml"
    lines = "".join(f"  {key}: {text}\n" for key, text in OWN.items())
    board.write_text(board.read_text(encoding="utf-8") + "labels:\n" + lines, encoding="utf-8")
    out = content.parent / "output"
    build(content, out)
    return content, out


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_the_own_word_of_a_status_shows_on_every_output(relabelled: tuple[Path, Path]) -> None:
    content, out = relabelled
    shown = {
        "screen": (out / "screen" / "index.html").read_text(encoding="utf-8"),
        "site": (out / "site" / "index.html").read_text(encoding="utf-8"),
        "panel": _pdf_text(out / "print" / "panel-2020-09.pdf"),
        "sheets": _pdf_text(out / "print" / "sheets-2020-09.pdf"),
        "bulletin": _pdf_text(out / "print" / "bulletin-2020-09.pdf"),
        "bulletin.docx": _docx_text(out / "print" / "bulletin-2020-09.docx"),
    }
    export = content.parent / "export.xlsx"
    assert main(["export", "--content", str(content), "--out", str(export)]) == 0
    workbook = openpyxl.load_workbook(export)
    shown["export"] = "\n".join(
        str(cell.value) for ws in workbook for row in ws.iter_rows() for cell in row if cell.value
    )
    for output, text in shown.items():
        assert "进度偏慢" in text, output
    for output in ("screen", "site", "panel"):
        assert "举报电话" in shown[output], output
