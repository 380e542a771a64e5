"""One register per output and per record (issue 19).

A register's identity is its board.yaml's `id:` (board init writes one), or for an older register
one derived from its real path; the output's manifest and the record carry it. A second county
built into the first's output or record is refused with both names; an `--out` inside another
board's output or record, and a record (`archive:`) inside an output or the register, too. Every
refusal: one line, exit 1, the other county's output and record hashed before and after.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from board.build import build
from board.cli import main
from board.published import archive_dir, register_id
from tests.conftest import BOARD_YAML, NO_PDF, project_yaml, write_files
from tests.test_output_safety import tree

STAGES = ",".join(NO_PDF)


def county(root: Path, title: str, ident: str | None = None) -> Path:
    """A small register: one project, August and September."""
    head = f"id: {ident}\n" if ident else ""
    return write_files(
        root,
        {
            "board.yaml": head + BOARD_YAML.replace("全县", title),
            "projects/a.yaml": project_yaml("a", order=1),
            "reports/2020-08.yaml": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体施工}\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n",
        },
    )


def refused(capsys: pytest.CaptureFixture[str], args: list[str], *watch: Path) -> str:
    before = [tree(w) for w in watch]
    code = main(["build", *args, "--stages", STAGES])
    err = capsys.readouterr().err
    assert code == 1, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert [tree(w) for w in watch] == before
    return lines[0]


def test_a_second_county_without_out_is_refused_with_both_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In the office's folder: the first county builds into output/; the second county's
    `board build --content 东坪县` (no --out) would have published into it."""
    monkeypatch.chdir(tmp_path)
    county(tmp_path / "content", "西河县", "11111111-aaaa")
    county(tmp_path / "东坪县", "东坪县", "22222222-bbbb")
    assert main(["build", "--content", "content", "--stages", STAGES]) == 0
    capsys.readouterr()
    out, record = tmp_path / "output", archive_dir(tmp_path / "output")
    line = refused(capsys, ["--content", "东坪县"], out, record)
    assert line == (
        f"failed: the output folder {out} belongs to another register, '西河县重点项目建设进度公示' "
        "(id 11111111-aaaa); the register '东坪县重点项目建设进度公示' (id 22222222-bbbb) is not "
        "built there; every register has its own output folder: give another --out"
    )
    assert main(["--lang", "zh-CN", "build", "--content", "东坪县", "--stages", STAGES]) == 1
    assert capsys.readouterr().err == (
        f"失败：输出文件夹{out}是另一个登记册“西河县重点项目建设进度公示”（编号11111111-aaaa）的，"
        "不能把登记册“东坪县重点项目建设进度公示”（编号22222222-bbbb）生成到那里；每个登记册用自己的"
        "输出文件夹，请另选 --out，例如 --out 本县名称-输出\n"
    )
    # its own output: fine
    assert main(["build", "--content", "东坪县", "--out", "东坪县-输出", "--stages", STAGES]) == 0


def test_registers_without_an_id_are_told_apart_by_their_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two older registers (no `id:`), the same title: the derived ids differ."""
    first = county(tmp_path / "a" / "content", "全县")
    second = county(tmp_path / "b" / "content", "全县")
    out = tmp_path / "output"
    build(first, out, stages=NO_PDF)
    line = refused(capsys, [str(second), "--out", str(out)], out, archive_dir(out))
    assert line.startswith(f"failed: the output folder {out} belongs to another register, ")
    assert register_id(first).id in line and register_id(second).id in line


def test_a_moved_register_is_told_how_to_keep_its_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An older register (no id) moved to another folder: its derived id changed; the message
    says the line to add, and with it the build carries every month as published."""
    first = county(tmp_path / "old" / "content", "全县")
    out = tmp_path / "output"
    build(first, out, stages=NO_PDF)
    stored = json.loads((out / ".board-build.json").read_text(encoding="utf-8"))["register"]["id"]
    moved = tmp_path / "new" / "content"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    line = refused(capsys, [str(moved), "--out", str(out)], out, archive_dir(out))
    assert line.endswith(
        f"if it is this register, moved to another folder, add the line id: {stored} "
        f"to {moved / 'board.yaml'}"
    )
    board = moved / "board.yaml"
    board.write_text(f"id: {stored}\n" + board.read_text(encoding="utf-8"), encoding="utf-8")
    before = {n: h for n, h in tree(out).items() if n.startswith("site/data/board-2020-08")}
    assert main(["build", str(moved), "--out", str(out), "--stages", STAGES, "--force"]) == 0
    after = {n: h for n, h in tree(out).items() if n.startswith("site/data/board-2020-08")}
    assert after == before


def test_the_record_of_another_register_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second county whose `archive:` names the first county's record."""
    first = county(tmp_path / "西河县", "西河县", "11111111-aaaa")
    build(first, tmp_path / "西河县-输出", stages=NO_PDF)
    record = archive_dir(tmp_path / "西河县-输出")
    second = county(tmp_path / "东坪县", "东坪县", "22222222-bbbb")
    board = second / "board.yaml"
    board.write_text(board.read_text("utf-8") + f"archive: {record}\n", encoding="utf-8")
    out = tmp_path / "东坪县-输出"
    line = refused(capsys, [str(second), "--out", str(out)], record)
    assert line == (
        f"failed: the record {record} belongs to another register, '西河县重点项目建设进度公示' "
        "(id 11111111-aaaa); the register '东坪县重点项目建设进度公示' (id 22222222-bbbb) does "
        "not use it; give another --out, or name this register's own record with archive: in "
        "board.yaml"
    )
    assert not out.exists()


def test_out_inside_another_boards_output_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out outA/nested`: outA's next build would delete it and its record."""
    first = county(tmp_path / "content", "西河县", "11111111-aaaa")
    out_a = tmp_path / "outA"
    build(first, out_a, stages=NO_PDF)
    second = county(tmp_path / "东坪县", "东坪县", "22222222-bbbb")
    nested = out_a / "nested"
    line = refused(capsys, [str(second), "--out", str(nested)], out_a, archive_dir(out_a))
    assert line == (
        f"failed: the output folder {nested} is inside the output folder {out_a}, whose next "
        "build would delete it and its record; put it elsewhere, such as --out nested"
    )
    assert not nested.exists() and not archive_dir(nested).exists()
    # deeper, and the first county's own register too
    refused(capsys, [str(first), "--out", str(out_a / "site" / "x")], out_a)


def test_out_inside_a_record_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = county(tmp_path / "content", "西河县", "11111111-aaaa")
    out = tmp_path / "output"
    build(first, out, stages=NO_PDF)
    record = archive_dir(out)
    line = refused(capsys, [str(first), "--out", str(record / "www")], record, out)
    assert line == (
        f"failed: the output folder {record / 'www'} is inside the record folder {record}; "
        "put it elsewhere"
    )
    line = refused(capsys, [str(first), "--out", str(record)], record, out)
    assert line == (
        f"failed: {record} is a record of published months, not an output folder; give another "
        "--out"
    )


@pytest.mark.parametrize("where", ["inside-output", "inside-register", "is-output"])
def test_a_record_inside_an_output_or_the_register_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    first = county(tmp_path / "西河县", "西河县", "11111111-aaaa")
    other = tmp_path / "outA"
    build(first, other, stages=NO_PDF)
    second = county(tmp_path / "东坪县", "东坪县", "22222222-bbbb")
    out = tmp_path / "东坪县-输出"
    archive = {
        "inside-output": str(other / "记录"),
        "inside-register": "公示记录",
        "is-output": str(out),
    }[where]
    board = second / "board.yaml"
    board.write_text(board.read_text("utf-8") + f"archive: {archive}\n", encoding="utf-8")
    line = refused(capsys, [str(second), "--out", str(out)], other, second)
    expected = {
        "inside-output": f"failed: the record's place {other / '记录'} is inside the output "
        f"folder {other}, which its next build replaces as a whole; put it elsewhere",
        "inside-register": f"failed: the record's place {second / '公示记录'} (archive: in "
        f"board.yaml) is in the register {second}, which a build never writes; put it outside "
        "the register",
        "is-output": f"failed: the record's place {out} overlaps the output folder {out}; "
        "choose another (by default it is beside the output)",
    }[where]
    assert line == expected
    assert not out.exists()


def test_archive_names_where_the_record_lives(tmp_path: Path) -> None:
    """`archive: ../备份盘/东坪县公示记录` (relative to the register): the record goes there,
    nothing beside the output, and the build reads it back from there."""
    register = county(tmp_path / "东坪县", "东坪县", "22222222-bbbb")
    board = register / "board.yaml"
    board.write_text(board.read_text("utf-8") + "archive: ../备份盘/东坪县公示记录\n", "utf-8")
    out = tmp_path / "www"
    build(register, out, stages=NO_PDF)
    record = tmp_path / "备份盘" / "东坪县公示记录"
    data = json.loads((record / "record.json").read_text(encoding="utf-8"))
    assert sorted(data["months"]) == ["2020-08", "2020-09"]
    assert data["register"] == {"id": "22222222-bbbb", "title": "东坪县重点项目建设进度公示"}
    assert not archive_dir(out).exists()
    shutil.rmtree(out)  # the output lost: every month comes back from the record
    build(register, out, stages=NO_PDF)
    assert (out / "site" / "data" / "board-2020-08.json").is_file()


def test_the_output_and_the_record_carry_the_register(tmp_path: Path) -> None:
    register = county(tmp_path / "东坪县", "东坪县", "22222222-bbbb")
    out = tmp_path / "output"
    build(register, out, stages=NO_PDF)
    manifest = json.loads((out / ".board-build.json").read_text(encoding="utf-8"))
    record = json.loads((archive_dir(out) / "record.json").read_text(encoding="utf-8"))
    ours = {"id": "22222222-bbbb", "title": "东坪县重点项目建设进度公示"}
    assert manifest["register"] == record["register"] == ours
    assert manifest["record"]["months"] == record["months"]  # the copy a lost record comes from
