"""Internal papers are never in the published tree (issue 19): the sign-off sheet goes to 内部/,
outside print/ and site/, which the office uploads as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.build import build
from tests.conftest import write_files

STAGES = ("data", "word", "site")
OCTOBER = "month: 2020-10\nprojects:\n  a: {percent: 80, progress: 内部装修}\n  b: {percent: 70, progress: 主体封顶}\n"


def published_tree(out: Path) -> list[str]:
    """What the office uploads: print/ and site/ (docs/site.md, docs/zh-CN/网站发布.md)."""
    return sorted(
        str(p.relative_to(out))
        for folder in ("print", "site")
        for p in (out / folder).rglob("*")
        if p.is_file()
    )


def test_the_sign_off_sheet_is_an_office_paper_outside_print_and_site(
    scratch: Path, tmp_path: Path
) -> None:
    out = tmp_path / "output"
    result = build(scratch, out, stages=STAGES)
    assert "内部/审阅-2020-09.docx" in result.files
    assert (out / "内部" / "审阅-2020-09.docx").is_file()
    public = published_tree(out)
    assert public and not [n for n in public if "审阅" in n or "内部" in n]
    for page in (out / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "审阅-" not in text and "内部/" not in text, page
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "内部/" in readme  # the output says what is not to be uploaded


def test_a_sign_off_sheet_an_older_record_keeps_in_print_is_moved_out(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record made before issue 19 holds September's sheet as print/审阅-2020-09.docx: the
    month is carried byte for byte, and that one file lands in 内部/, not print/."""
    from board import build as build_module
    from board.render import word

    out = tmp_path / "output"
    with monkeypatch.context() as old_layout:  # the layout before issue 19
        old_layout.setattr(word, "review_name", lambda month: f"print/审阅-{month}.docx")
        old_layout.setattr(build_module, "internal_out_of_print", lambda files: files)
        build(scratch, out, stages=STAGES)
    assert (out / "print" / "审阅-2020-09.docx").is_file()
    september = (out / "print" / "审阅-2020-09.docx").read_bytes()
    write_files(scratch, {"reports/2020-10.yaml": OCTOBER})
    build(scratch, out, stages=STAGES)
    assert not [n for n in published_tree(out) if "审阅" in n]
    assert (out / "内部" / "审阅-2020-09.docx").read_bytes() == september
    assert (out / "内部" / "审阅-2020-10.docx").is_file()
