"""Nothing outside the register is read: projects/, reports/, assets/ and templates/ must be real
folders inside it. A symbolic link, a FIFO or a link loop is an error naming it, exit 1, and
nothing from elsewhere reaches the output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from board.cli import main
from board.errors import ContentError
from board.validate import check
from tests.test_output_safety import tree

HINT = "(copy the files into a real folder inside the register, and remove the link or file)"


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        check(root)
    return [p.text("en") for p in exc.value.problems if p.severity == "error"]


@pytest.mark.parametrize("folder", ["projects", "reports", "assets", "templates"])
def test_a_folder_that_is_a_symlink_is_refused(
    scratch: Path, tmp_path: Path, folder: str, capsys
) -> None:
    elsewhere = tmp_path / "elsewhere"
    if (scratch / folder).is_dir():
        shutil.move(scratch / folder, elsewhere)
    else:
        elsewhere.mkdir()
        (elsewhere / "secret.png").write_bytes(b"\x89PNG secret")
    (scratch / folder).symlink_to(elsewhere)
    # (with projects/ unread, the reports also name projects that have no file)
    assert (
        f"{scratch / folder}: a symbolic link to {elsewhere}, not a real folder inside the "
        f"register; it is not read {HINT}"
    ) in errors_of(scratch)
    out = tmp_path / "output"
    before = tree(scratch)
    assert main(["build", str(scratch), "--out", str(out)]) == 1
    assert f"{scratch / folder}: a symbolic link to {elsewhere}" in capsys.readouterr().err
    assert not out.exists()
    assert tree(scratch) == before


def test_a_symlink_to_a_folder_inside_the_register_is_refused_too(scratch: Path) -> None:
    (scratch / "images").mkdir()
    (scratch / "assets").symlink_to("images")
    assert errors_of(scratch) == [
        f"{scratch / 'assets'}: a symbolic link to images, not a real folder inside the register; "
        f"it is not read {HINT}"
    ]


def test_a_folder_that_is_a_link_loop_is_refused(scratch: Path) -> None:
    (scratch / "assets").symlink_to("assets")
    assert errors_of(scratch) == [
        f"{scratch / 'assets'}: a symbolic link to assets, not a real folder inside the register; "
        f"it is not read {HINT}"
    ]


def test_a_fifo_where_a_folder_belongs_is_refused(scratch: Path) -> None:
    os.mkfifo(scratch / "assets")
    assert errors_of(scratch) == [
        f"{scratch / 'assets'}: expected a folder inside the register, found a named pipe (FIFO); "
        f"it is not read {HINT}"
    ]


def test_a_fifo_or_a_loop_among_the_reports_is_refused_without_hanging(scratch: Path) -> None:
    os.mkfifo(scratch / "reports" / "2020-10.yaml")
    (scratch / "reports" / "2020-11.yaml").symlink_to("2020-11.yaml")
    assert errors_of(scratch) == [
        f"{scratch / 'reports' / '2020-10.yaml'}: expected a regular file, found a named pipe "
        "(FIFO); it is not read",
        f"{scratch / 'reports' / '2020-11.yaml'}: expected a regular file, found a symbolic link "
        "loop; it is not read",
    ]


def test_the_messages_read_in_chinese(scratch: Path) -> None:
    os.mkfifo(scratch / "assets")
    with pytest.raises(ContentError) as exc:
        check(scratch)
    assert exc.value.problems[0].text("zh-CN") == (
        f"{scratch / 'assets'}: 应为登记册里的文件夹，现为一个命名管道（FIFO）；不予读取"
        "（把文件复制到登记册里的真实文件夹中，再删除这个链接或文件）"
    )
