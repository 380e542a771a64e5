"""The command line in the office's language: --lang, BOARD_LANG, the register's language, help
from the catalog, one way to name the register, and a monthly cycle without dead ends."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from board.cli import cli, main
from tests.conftest import copy_content

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lang_option_puts_every_line_in_chinese(
    capsys: pytest.CaptureFixture[str], scratch: Path
) -> None:
    (scratch / "reports" / "2020-09.yaml").write_text(
        "month: 2020-09\nprojects:\n  a: {percent: 150, progress: 主体封顶}\n  b: {percent: 60, progress: 主体施工}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--lang", "zh-CN", "check", str(scratch))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{scratch}/reports/2020-09.yaml:3:16: 实际进度（projects.a.percent）: 应为0到100之间的整数，现为150",
        "未通过：1个错误，0个警告",
    ]


def test_lang_en_and_counts_that_read_right(
    capsys: pytest.CaptureFixture[str], scratch: Path
) -> None:
    code, out, _ = run(capsys, "--lang", "en", "check", str(scratch))
    # two warnings: behind plan without a reason, and no record to check commitments against
    assert code == 0 and out.startswith("ok: 2 projects, 2 months, 2 warnings in ")
    code, out, _ = run(capsys, "--lang", "zh-CN", "check", str(scratch))
    assert code == 0 and out.startswith("检查通过：2个项目，2个月，2个警告，用时")


def test_the_register_language_is_the_default_and_board_lang_overrides_it(
    capsys: pytest.CaptureFixture[str], scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOARD_LANG")
    assert run(capsys, "check", str(scratch))[1].startswith("检查通过：")  # zh-CN by default
    board = scratch / "board.yaml"
    board.write_text(board.read_text(encoding="utf-8") + "language: en\n", encoding="utf-8")
    assert run(capsys, "check", str(scratch))[1].startswith("ok: ")
    assert run(capsys, "check", "--content", str(scratch))[1].startswith("ok: ")
    monkeypatch.setenv("BOARD_LANG", "zh-CN")
    assert run(capsys, "check", str(scratch))[1].startswith("检查通过：")
    assert run(capsys, "--lang", "en", "check", str(scratch))[1].startswith("ok: ")
    assert run(capsys, "check", "--lang", "en", str(scratch))[1].startswith("ok: ")


def test_help_of_every_command_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "zh-CN", "--help")
    assert code == 0
    assert out.startswith("用法: board [选项] 命令 [参数]...")
    assert "生成全县重点项目公示" in out and "显示本帮助并退出。" in out
    for name in cli.commands:
        code, out, _ = run(capsys, "--lang", "zh-CN", name, "--help")
        assert code == 0
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        assert lines[0].startswith(f"用法: board {name} ")
        # every line of help but the usage and the option names says something in Chinese
        for line in lines[1:]:
            if line in ("选项:", "命令:"):
                continue
            described = re.sub(
                r"^(-\S+,? ?)+(\[[^\]]*\]|[A-Z-]+|INTEGER|TEXT|PATH|FILE)?\s*", "", line
            )
            assert not described or CJK.search(described), (name, line)
    code, out, _ = run(capsys, "--lang", "en", "import", "--help")
    assert "Import workbooks (made by board template" in out


def test_every_placeholder_and_word_of_every_subcommand_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each option's placeholder of every command and subcommand (board archive verify too) in
    Chinese (--port 端口, --out 文件夹) or a format the office types (YYYY-MM, [text|md|docx]),
    never click's TEXT or INTEGER; the register is 登记材料 in every help, as in the manual."""
    paths = [[name] for name in cli.commands]
    paths += [
        [name, sub]
        for name, command in cli.commands.items()
        if isinstance(command, click.Group)
        for sub in command.commands
    ]
    assert ["archive", "verify"] in paths
    for path in paths:
        code, out, _ = run(capsys, "--lang", "zh-CN", *path, "--help")
        assert code == 0
        assert "登记册所在" not in out, path
        for line in out.splitlines():
            found = re.match(r"\s+(?:-\w, )?--[a-z-]+ (\S+)", line)
            if found:
                shown = found.group(1)
                assert CJK.search(shown) or shown in ("YYYY-MM", "[text|md|docx]"), (path, line)


def test_a_usage_error_in_chinese(capsys: pytest.CaptureFixture[str], scratch: Path) -> None:
    code, _, err = run(capsys, "--lang", "zh-CN", "build", str(scratch), "--month", "2020-13")
    assert code == 2
    assert err.splitlines()[-1] == "错误：'--month'的值无效：应为月份（如2020-10），现为2020-13"
    code, _, err = run(capsys, "--lang", "zh-CN", "nonsense")
    assert code == 2 and err.splitlines()[-1] == "错误：没有'nonsense'这个命令。"


def test_one_way_to_name_the_register(
    capsys: pytest.CaptureFixture[str], scratch: Path, tmp_path: Path
) -> None:
    """--content on every command; the old argument still works where it was."""
    for args in (
        ["check"],
        ["status"],
        ["diff"],
        ["export", "--out", str(tmp_path / "e.xlsx")],
        ["build", "--out", str(tmp_path / "out")],
        ["template", "--out", str(tmp_path / "t.xlsx")],
        ["new-month", "2020-10"],
    ):
        code, _, err = run(capsys, *args, "--content", str(scratch))
        assert code == 0, (args, err)
    assert run(capsys, "status", str(scratch))[0] == 0
    code, _, err = run(capsys, "--lang", "zh-CN", "check", str(scratch), "--content", "elsewhere")
    assert code == 2 and "登记材料写了两个不同的位置" in err


def test_a_month_typed_the_office_way(capsys: pytest.CaptureFixture[str], scratch: Path) -> None:
    code, out, err = run(capsys, "status", str(scratch), "--month", "2020年8月")
    assert code == 0, err
    assert out.splitlines()[0].endswith("2020-08")


# -- a monthly cycle without dead ends ---------------------------------------------------------


@pytest.fixture
def half_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example county right after `board new-month 2020-10`, nothing filled in yet."""
    content = copy_content(tmp_path / "content")
    assert main(["--lang", "zh-CN", "new-month", "2020-10", "--content", str(content)]) == 0
    capsys.readouterr()
    return content


NOTICE = (
    "reports/2020-10.yaml: 警告：这一期报告还在填写中：16个项目还没有填写具体进度，暂不计入"
    "（填写完后运行board check；要生成2020-10的公示，须先填写完）"
)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["diff"],
        ["template", "--from", "{content}", "--out", "{tmp}/t.xlsx"],
        ["export", "--out", "{tmp}/e.xlsx"],
        ["build", "--month", "2020-09", "--out", "{tmp}/out"],
    ],
)
def test_a_report_being_filled_in_does_not_stop_the_months_before(
    args: list[str], half_filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp = half_filled.parent
    argv = [a.format(content=half_filled, tmp=tmp) for a in args]
    if "--from" not in argv:
        argv += ["--content", str(half_filled)]
    code, out, err = run(capsys, "--lang", "zh-CN", *argv)
    assert code == 0, err
    notices = [line for line in err.splitlines() if "还在填写中" in line]
    assert [line.replace(f"{half_filled}/", "") for line in notices] == [NOTICE]  # said once
    if args[0] == "status":
        assert out.splitlines()[0].endswith("进度排名 2020-09")
    if args[0] == "diff":
        assert "2020-08 → 2020-09" in out.splitlines()[0]


def test_building_the_month_being_filled_in_names_what_is_missing(
    half_filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = half_filled.parent / "out"
    code, _, err = run(capsys, "--lang", "zh-CN", "build", str(half_filled), "--out", str(out))
    assert code == 1 and not out.exists()
    lines = [line.replace(f"{half_filled}/", "") for line in err.splitlines()]
    assert len(lines) == 16 + 2
    assert lines[0] == (
        "reports/2020-10.yaml:10:14: 具体进度（projects.beiqu-wushui.progress）: 应为文字，现为空"
        "（请填写）"
    )
    assert lines[-2:] == [
        "reports/2020-10.yaml还在填写中：上面列出的16个项目还没有填写具体进度；"
        "填写完再生成，或用--month 2020-09生成上个月",
        "失败：16个错误，0个警告；未写入任何文件",
    ]


def test_a_real_error_in_the_new_report_still_stops_everything(
    half_filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = half_filled / "reports" / "2020-10.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("percent: 74", "percent: 740", 1),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--lang", "zh-CN", "status", "--content", str(half_filled))
    assert code == 1
    assert "应为0到100之间的整数，现为740" in err and "还在填写中" not in err


SETUP = Path(__file__).resolve().parents[1] / "setup.sh"


def setup_functions(*names: str) -> str:
    """The shell functions `names` of setup.sh, as written there (to run them alone)."""
    setup = SETUP.read_text(encoding="utf-8")
    found = [re.search(rf"^{name}\(\) \{{.*?^\}}\n", setup, flags=re.S | re.M) for name in names]
    assert all(found), names
    return "".join(match.group() for match in found if match)


def test_setup_is_quiet_unless_a_step_fails(tmp_path: Path) -> None:
    """setup.sh's `quietly`: the packaging tools' output goes to .setup.log, shown on failure."""
    setup = SETUP.read_text(encoding="utf-8")
    script = f"LOG={tmp_path}/log\n{setup_functions('quietly')}\n"
    ok = subprocess.run(
        ["bash", "-c", script + "quietly echo 'WARNING: setuptools chatter'; echo done"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "done\n", "")
    failed = subprocess.run(
        ["bash", "-c", script + "quietly sh -c 'echo pip said why; exit 3'; echo not reached"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1 and failed.stdout == ""
    assert "setup: failed: sh -c" in failed.stderr and "pip said why" in failed.stderr
    for command in (
        "apt-get install",
        "pip install -q --upgrade pip",
        "pip install -q --require-hashes -r requirements/test.txt",
        "pip install -q --no-deps --no-build-isolation -e .",
        "npm ci",
    ):
        line = next(line for line in setup.splitlines() if command in line)
        assert line.strip().startswith("quietly "), line


def test_setup_makes_the_venv_with_debians_python_or_leaves_no_trace(tmp_path: Path) -> None:
    """setup.sh's `debian_python`: the venv from Debian's own interpreter when it can make one
    (bench/results.md: faster than a self-built one); when it cannot (python3-venv missing, too
    old), no half-made .venv is left for the fallback to trip on, and an existing one is kept."""
    assert "SYSTEM_PYTHON=/usr/bin/python3\n" in SETUP.read_text(encoding="utf-8")
    functions = setup_functions("python_new_enough", "debian_python")

    def attempt(folder: Path, interpreter: str | Path) -> int:
        folder.mkdir(exist_ok=True)
        script = f"LOG=log\nSYSTEM_PYTHON={interpreter}\n{functions}debian_python"
        return subprocess.run(["bash", "-c", script], cwd=folder, check=False).returncode

    def fake(name: str, body: str) -> Path:
        path = tmp_path / name
        path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
        path.chmod(0o755)
        return path

    made = tmp_path / "made"
    # this Python, making its venv without pip (pip's own install is 6 s of nothing tested here)
    assert attempt(made, fake("python.sh", f'exec {sys.executable} "$@" --without-pip\n')) == 0
    base = subprocess.run(
        [made / ".venv" / "bin" / "python", "-c", "import sys; print(sys.base_prefix)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert base.stdout.strip() == sys.base_prefix
    # Debian's python3 without python3-venv: it starts the folder, then fails
    broken = fake(
        "broken.sh",
        'case "$*" in *venv*) mkdir -p .venv/bin; echo "ensurepip is not available"; exit 1;;'
        " esac\nexit 0\n",
    )
    assert attempt(tmp_path / "failed", broken) == 1
    assert not (tmp_path / "failed" / ".venv").exists()
    assert "ensurepip is not available" in (tmp_path / "failed" / "log").read_text("utf-8")
    # older than 3.11: not used, nothing made
    assert attempt(tmp_path / "old", fake("old.sh", "exit 1\n")) == 1
    assert not (tmp_path / "old" / ".venv").exists()
    # someone's own .venv, even one without bin/python, is never touched
    theirs = tmp_path / "kept" / ".venv" / "theirs"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("x", encoding="utf-8")
    assert attempt(tmp_path / "kept", broken) == 1 and theirs.exists()


def test_setup_names_a_python_too_old_for_board_before_installing(tmp_path: Path) -> None:
    """setup.sh's `python_too_old`: an interpreter older than 3.11 (UOS and Kylin may ship
    older ones) or none at all is named in Chinese before anything is installed; 3.11 and newer
    pass in silence. The steps after it say how to go on."""
    setup = SETUP.read_text(encoding="utf-8")
    functions = setup_functions("python_new_enough", "python_too_old")

    def too_old(interpreter: str | Path) -> tuple[int, str]:
        script = f"{functions}python_too_old {interpreter}"
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
        assert done.stdout == ""
        return done.returncode, done.stderr

    assert too_old(sys.executable) == (1, "")  # this Python (3.11 or newer): not too old
    old = tmp_path / "python3"  # this Python, saying it is 3.7: it runs setup's own checks
    old.write_text(
        f"#!/bin/sh\nexec {sys.executable} -c 'import sys; code = sys.argv[1]; "
        f'sys.version_info = (3, 7, 3, "final", 0); exec(code)\' "$2"\n',
        encoding="utf-8",
    )
    old.chmod(0o755)
    assert too_old(old) == (
        0,
        f"setup: board 需要 Python 3.11 或更新的版本，{old} 是 Python 3.7。\n",
    )
    code, said = too_old(tmp_path / "missing")
    assert code == 0 and said.startswith("setup: 运行不了 Python（") and "PYTHON=" in said
    # what follows each: install a newer one and name it, or make .venv again
    assert "PYTHON=/usr/bin/python3.11 ./setup.sh" in setup
    assert "删除 .venv，再运行 ./setup.sh" in setup
    # the office's FAQ quotes the same words and gives the same way on
    faq = (Path(__file__).resolve().parents[1] / "docs/zh-CN/常见问题.md").read_text("utf-8")
    assert "提示“board 需要 Python 3.11 或更新的版本”" in faq
    assert "PYTHON=/usr/bin/python3.11 ./setup.sh" in faq and "“.venv 是用这个旧版本建的”" in faq


def test_every_failure_of_a_command_reads_in_chinese(
    capsys: pytest.CaptureFixture[str], scratch: Path, tmp_path: Path
) -> None:
    """The errors that are not about a file's content: months, existing files, order."""
    from tests.test_messages_zh import english_words

    (tmp_path / "t.xlsx").write_bytes(b"x")
    cases = {
        ("build", "--month", "2020-11", "--out", str(tmp_path / "o")): (
            "失败：没有2020-11的报告（现有报告：2020-08, 2020-09）"
        ),
        ("new-month", "2020-07"): "失败：新月份应在最新一期报告2020-09之后，现为2020-07",
        ("new-month", "2020-09"): f"失败：{scratch}/reports/2020-09.yaml已存在；不会覆盖已有文件",
        ("diff", "2020-09", "2020-08"): "失败：起始月份应早于结束月份，现为2020-09和2020-08",
        ("diff", "2020-07", "2020-09"): "失败：没有2020-07的报告（现有报告：2020-08, 2020-09）",
        ("template", "--out", str(tmp_path / "t.xlsx")): (
            f"失败：{tmp_path}/t.xlsx已存在；请用--out另选文件名，或加--force替换它"
        ),
        ("import", str(tmp_path / "无.xlsx")): f"{tmp_path}/无.xlsx: 找不到这个文件",
        ("status", "--month", "2020-07"): "失败：没有2020-07的报告（现有报告：2020-08, 2020-09）",
    }
    for args, expected in cases.items():
        if args[0] == "new-month" and args[1] == "2020-09":
            (scratch / "reports" / "2020-09.yaml").touch()
        code, out, err = run(capsys, "--lang", "zh-CN", *args, "--content", str(scratch))
        assert code == 1, args
        assert expected in err.splitlines(), (args, err)
        for line in (out + err).splitlines():
            assert english_words(line, str(tmp_path) + " ".join(args)) == [], line
