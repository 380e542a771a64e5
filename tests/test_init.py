"""`board init`: a new county's register, and the manual's section for it run as written (issue 19).

The section “新建一个县（区）的公示” of docs/zh-CN/使用手册.md is run in an office that already
publishes the example county into output/: every `board` command of it in order, doing between
them what the section asks the clerk to do (its YAML blocks are written where their first line
says; the report is filled in). The first county's output and record are hashed before and after.
"""

from __future__ import annotations

import re
import shlex
import uuid
from pathlib import Path

import pytest

from board.build import build
from board.cli import main
from board.published import archive_dir
from tests.conftest import NO_PDF, copy_content
from tests.test_month_zh import NEW_COUNTY, Clerk, fill_report_yaml, manual_section
from tests.test_output_safety import tree


def test_init_makes_an_empty_register_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "东坪县"
    assert main(["--lang", "zh-CN", "init", str(folder)]) == 0
    out = capsys.readouterr().out
    text = (folder / "board.yaml").read_text(encoding="utf-8")
    ident = re.search(r"^id: (\S+)$", text, flags=re.M)
    assert ident is not None
    assert uuid.UUID(ident.group(1)).version == 4
    assert out == (
        f"已新建登记册{folder}：board.yaml（编号{ident.group(1)}）、projects/、reports/。"
        f"下一步：在{folder}/board.yaml中填写标题、发布单位、监督电话和通报设置，"
        "然后按使用手册“新建一个县（区）的公示”一节继续\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["board.yaml", "projects", "reports"]
    assert list((folder / "projects").iterdir()) == list((folder / "reports").iterdir()) == []
    # the example's settings with their comments, and the bulletin's 文号 and 主送 to fill in
    example = (Path(__file__).parents[1] / "content" / "board.yaml").read_text(encoding="utf-8")
    for line in (
        "# 一楼大厅大屏",
        "# 上墙展板（印刷用）",
        "  seconds_per_page: 15",
        "  bleed: 3mm",
    ):
        assert line in text and line in example
    assert "\n  number:\n" in text and "\n  recipients:\n" in text
    # what is left to fill in, named by check
    assert main(["--lang", "zh-CN", "check", "--content", str(folder)]) == 1
    said = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1].split(":")[0] for line in said[:-1]] == [
        "标题（title）",
        "发布单位（issuer）",
        "监督电话（hotline）",
        "发文字号（bulletin.number）",
        "主送机关（bulletin.recipients）",
    ]
    # a second register gets another id
    assert main(["init", str(tmp_path / "南山区")]) == 0
    assert (tmp_path / "南山区" / "board.yaml").read_text("utf-8") != text


def test_init_never_touches_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")
    before = tree(content)
    assert main(["init", str(content)]) == 1
    assert capsys.readouterr().err == (
        f"failed: {content} is not empty (it holds board.yaml); board init makes a register only "
        "in a new or empty folder and never changes existing files\n"
    )
    assert tree(content) == before
    (tmp_path / "a-file").write_text("x")
    assert main(["init", str(tmp_path / "a-file")]) == 1
    assert "exists and is not a folder" in capsys.readouterr().err


def write_blocks(section: str, before: str, office: Path) -> None:
    """The section's YAML blocks before the command `before`: each is written where its first
    line says (a new file), or its lines fill in the empty ones of board.yaml."""
    text = section[: section.index(before)]
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        first, *lines = block.splitlines()
        target = office / first.lstrip("# ").split("（")[0]
        if target.name == "board.yaml":
            content = target.read_text(encoding="utf-8")
            for line in lines:
                key = line.split(":", 1)[0]
                content = re.sub(rf"^{re.escape(key)}:$", line, content, count=1, flags=re.M)
            target.write_text(content, encoding="utf-8")
        elif not target.exists():
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_new_county_section_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOARD_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    copy_content(tmp_path / "content")
    build(tmp_path / "content", tmp_path / "output", stages=NO_PDF)  # the first county's
    first = tree(tmp_path / "output"), tree(archive_dir(tmp_path / "output"))
    section = manual_section(NEW_COUNTY)
    commands = [
        line.strip()
        for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)
        for line in block.splitlines()
        if line.strip()
    ]
    assert commands[0] == "board init 东坪县"
    for command in commands:
        args = shlex.split(command)
        if args[1] in ("build", "serve", "archive"):
            assert "--out" in args, command  # every command that writes names its output
        write_blocks(section, command, tmp_path)
        code, lines = Clerk(tmp_path, capsys).run(command)
        assert code == 0, (command, lines)
        if args[1] == "new-month":  # the clerk fills the report in an editor
            report = tmp_path / "东坪县" / "reports" / f"{args[2]}.yaml"
            fill_report_yaml(report)
            report.write_text(
                report.read_text(encoding="utf-8").replace("percent: 0", "percent: 15"), "utf-8"
            )
    out = tmp_path / "东坪县-输出"
    assert (out / "print" / "panel-2020-10.pdf").is_file()
    page = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "东坪县工业园区标准化厂房" in page and "东坪县重点项目建设进度公示" in page
    assert (tmp_path / "东坪县-公示记录-2020-10.zip").is_file()
    # the first county untouched, and the second refused its output without --out
    assert (tree(tmp_path / "output"), tree(archive_dir(tmp_path / "output"))) == first
    code, lines = Clerk(tmp_path, capsys).run("board build --content 东坪县")
    assert code == 1
    assert lines[-1].startswith(f"失败：输出文件夹{tmp_path / 'output'}是另一个登记册")
    assert (tree(tmp_path / "output"), tree(archive_dir(tmp_path / "output"))) == first
