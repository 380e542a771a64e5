"""The clerk's manual (docs/zh-CN/使用手册.md) in one piece, and every command the docs name real.

The manual is run as written by tests/test_month_zh.py and tests/test_init.py; here: each section
once, every `board …` the manual, the README, docs/cli.md and the Chinese docs mention is a
command of `board --help` with options it has, the manual's table of commands has every
command, what the manual says the example county warns is what `board check` says, and
`board --help` in Chinese describes every command.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from board.build import BuildResult
from board.cli import cli, main
from board.validate import check
from tests.conftest import CONTENT, ROOT

MANUAL = ROOT / "docs" / "zh-CN" / "使用手册.md"
DOCS = [
    MANUAL,
    ROOT / "README.md",
    ROOT / "docs" / "cli.md",
    *sorted((ROOT / "docs" / "zh-CN").glob("*.md")),
]
GLOBAL = {"--lang", "--verbose", "-v", "--version", "--help", "-h"}


def test_every_section_of_the_manual_once() -> None:
    headings = re.findall(r"^## (.+)$", MANUAL.read_text(encoding="utf-8"), flags=re.M)
    assert len(headings) == len(set(headings)), headings
    # the month in its order, then the occasional tasks, then the reference
    steps = [h for h in headings if h.startswith("第")]
    assert [s[:3] for s in steps] == [
        "第一步",
        "第二步",
        "第三步",
        "第四步",
        "第五步",
        "第六步",
        "第七步",
    ]
    assert headings[: len(steps)] == steps
    assert headings[-2:] == ["常用命令一览", "提示信息的语言"]
    # the sections the tool's own messages send the clerk to
    for named in ("更正已发布的月份", "撤回已发布的月份", "新建一个县（区）的公示"):
        assert named in headings


def _commands(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> dict[tuple[str, ...], click.Command]:
    found: dict[tuple[str, ...], click.Command] = {}
    for name, command in group.commands.items():
        found[(*prefix, name)] = command
        if isinstance(command, click.Group):
            found.update(_commands(command, (*prefix, name)))
    return found


COMMANDS = _commands()


def _options(command: click.Command) -> set[str]:
    return {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts}


def mentions(text: str) -> list[str]:
    """Every `board …` of a text: each line of its sh blocks, each inline code span."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        found += [line.split("#")[0].strip() for line in block.splitlines()]
    found += re.findall(r"`(board [^`\n]*)`", text)
    return [m for m in found if m.startswith("board ")]


def _resolve(words: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The command a mention names (`archive export`), and the words after it."""
    if "--lang" in words:  # the global option and its value
        at = words.index("--lang")
        del words[at : at + 2]
    name: tuple[str, ...] = ()
    while words and (*name, words[0]) in COMMANDS:
        name = (*name, words.pop(0))
    return name, words


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_the_docs_mention_exists_with_its_options(doc: Path) -> None:
    wrong = []
    for mention in mentions(doc.read_text(encoding="utf-8")):
        name, rest = _resolve(shlex.split(mention.replace("\\|", "|"))[1:])
        if not name:
            if rest and not rest[0].startswith("-") and not rest[0].isupper():  # COMMAND
                wrong.append(f"{mention}: no command {rest[0]}")
            continue
        have = _options(COMMANDS[name]) | GLOBAL
        for word in rest:
            option = re.match(r"\[?(--?[a-z][a-z-]*)", word)
            if option and option.group(1) not in have:
                wrong.append(f"{mention}: board {' '.join(name)} has no {option.group(1)}")
    assert wrong == [], doc


def test_the_manual_s_table_has_every_command() -> None:
    text = MANUAL.read_text(encoding="utf-8")
    table = text[text.index("## 常用命令一览") :]
    table = table[: table.index("\n## ")]
    listed = {_resolve(shlex.split(m)[1:])[0] for m in mentions(table)}
    every = {name for name, command in COMMANDS.items() if not isinstance(command, click.Group)}
    assert every - listed == set()


def test_board_help_in_chinese_describes_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["archive", "--help"]):
        assert main(["--lang", "zh-CN", *args]) == 0
        out = capsys.readouterr().out
        listing = out[out.index("命令:") :].splitlines()[1:]
        group = cli if args[0] == "--help" else COMMANDS[("archive",)]
        assert isinstance(group, click.Group)
        for name in group.commands:
            line = next(line for line in listing if line.split()[0] == name)
            described = line.split(None, 1)[1]
            assert re.search(r"[\u4e00-\u9fff]", described) and "..." not in described, line


def test_the_example_county_warns_what_the_manual_says(example_build: BuildResult) -> None:
    """第四步: after setup.sh (the example built once), `board check` on the example county
    ends with the count the manual quotes, one warning per bullet, each naming its file and
    project; before any build, one more: no record of published months."""
    text = MANUAL.read_text(encoding="utf-8")
    quoted = re.search(r"最后一行是“(检查通过：16个项目，4个月，(\d+)个警告)……”", text)
    assert quoted
    bullets = text[text.index("<!-- manual:example-warnings -->") :].split("\n\n")[0]
    bullets_list = [line for line in bullets.splitlines() if line.startswith("- ")]
    _, warnings = check(CONTENT, out=example_build.out_dir)
    assert len(warnings) == int(quoted.group(2)) == len(bullets_list)
    ids = sorted(p.stem for p in (CONTENT / "projects").glob("*.yaml"))
    unmatched = list(bullets_list)
    for warning in warnings:
        said = warning.text("zh-CN")
        named = [i for i in ids if re.search(rf"(?<![a-z0-9-]){re.escape(i)}(?![a-z0-9-])", said)]
        file = Path(warning.pos.file).name
        bullet = next(
            b for b in unmatched if f"`{file}`" in b and any(f"`{i}`" in b for i in named)
        )
        unmatched.remove(bullet)
    assert unmatched == []
    _, before = check(CONTENT, out=example_build.out_dir.parent / "never-built")
    assert len(before) == len(warnings) + 1
    assert "没有已发布月份的记录，无法核对承诺" in before[-1].text("zh-CN")
    assert "没有已发布月份的记录，无法核对承诺" in text
    assert (
        main(["--lang", "zh-CN", "check", str(CONTENT), "--out", str(example_build.out_dir)]) == 0
    )
