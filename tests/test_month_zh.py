"""One whole month in Chinese, as a clerk does it, and the clerk's manual run as written.

`test_a_whole_month_in_chinese` is issue 14's "Done when": new month, the workbook filled in
with the office's spellings and three mistakes, the import's errors in Chinese naming the cells,
fixed, imported, reviewed, built; every line the tool printed is checked to be Chinese (see
tests/test_messages_zh.py for what may stay in Latin letters).

`test_the_manual_runs_as_written` runs every `board` command of docs/zh-CN/使用手册.md in order on
a copy of the example county, doing between them what the manual asks the clerk to do by hand.
"""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from board.cli import main
from board.xlsx import ledger
from tests.conftest import ROOT, copy_content, keep_last_reports
from tests.test_messages_zh import english_words
from tests.test_units import fill as fill_unit
from tests.test_units import on

CJK = re.compile(r"[\u4e00-\u9fff]")
MANUAL = ROOT / "docs" / "zh-CN" / "使用手册.md"


class Clerk:
    """Types commands in a folder holding `content/`, reads every line the tool prints."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.folder = folder
        self.capsys = capsys
        self.lines: list[str] = []
        self.typed: list[str] = []  # what the clerk typed: its folder and file names may be quoted

    def run(self, command: str) -> tuple[int, list[str]]:
        args = shlex.split(command)
        assert args[0] == "board"
        self.typed.append(command)
        code = main(args[1:])
        out, err = self.capsys.readouterr()
        lines = (err + out).splitlines()
        self.lines += lines
        return code, lines


def fill_report_sheet(path: Path, cells: dict[str, object] | None = None) -> None:
    """What the units do: a progress text for every project of the report sheet, and `cells`."""
    wb = openpyxl.load_workbook(path)
    ws = wb["报告"]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, 1).value and not ws.cell(row, 3).value:
            ws.cell(row, 3).value = f"{ws.cell(row, 2).value}：按计划推进"
    for where, value in (cells or {}).items():
        sheet, cell = where.split("!")
        wb[sheet][cell] = value
    wb.save(path)


def fill_report_yaml(path: Path) -> None:
    """What the clerk does by hand after `board new-month`: every 具体进度 filled in."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    progress:\n", "    progress: 按计划推进\n"), encoding="utf-8")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The office's folder: a copy of the example county, the tool in its default language."""
    monkeypatch.delenv("BOARD_LANG", raising=False)
    copy_content(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def new_office(office: Path) -> Path:
    """The office's folder with the example's last two months only. The month's workbook
    changes two projects, so the first build prints every month anew: two, not four."""
    keep_last_reports(office / "content", 2)
    return office


def assert_all_chinese(lines: list[str], quoted: str) -> None:
    """Every line: no English word; every line in Latin letters at all also has Chinese (a
    message is never all file names and keys), but for the lines of a unified diff."""
    assert lines
    for line in lines:
        assert english_words(line, quoted) == [], line
        if line.startswith(("--- ", "+++ ", "@@ ", "+", "-", " ")):
            continue  # the changes `import --update` shows first: lines of the register's files
        if re.search(r"[A-Za-z]", line):
            assert CJK.search(line), line


def test_a_whole_month_in_chinese(new_office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = new_office
    clerk = Clerk(office, capsys)
    code, lines = clerk.run("board new-month 2020-10")
    assert code == 0
    assert lines == [
        "已生成content/reports/2020-10.yaml：16个项目，实际进度和累计完成投资沿用上一期；请填写具体进度"
    ]

    code, lines = clerk.run("board template --from content --month 2020-10 --out 报表.xlsx")
    assert code == 0
    assert lines[-1] == "已写入报表.xlsx"

    book = office / "报表.xlsx"
    fill_report_sheet(
        book,
        {
            # the office's spellings
            "报告!D3": "７５％",  # beiqu-wushui
            "报告!D4": "70%",
            "报告!I4": "2020.11.30",
            "报告!I5": "2020年12月31日",
            "报告!I6": "２０２０／１２／１５",
            "项目!E2": "2020-1-5",
            "项目!J2": "14,800",
            # three mistakes
            "报告!D7": 150,
            "报告!C8": None,
            "报告!I9": "2020年11月31日",
        },
    )
    code, lines = clerk.run("board import 报表.xlsx --update")
    assert code == 1
    assert lines == [
        "报告!D7 实际进度: 应为0到100之间的整数，现为150",
        "报告!C8 具体进度: 应为文字，现为空单元格（请填写；本月未报送的项目，把实际进度也清空）",
        "报告!I9 限期赶上: 应为日期（如2020-11-30），现为2020年11月31日（2020年11月只有30天）",
        "失败：工作簿中有3个错误；未写入任何文件",
    ]

    fill_report_sheet(book, {"报告!D7": "８０", "报告!C8": "主体施工", "报告!I9": "2020年11月30日"})
    code, lines = clerk.run("board import 报表.xlsx --update")
    assert code == 0, lines
    assert re.fullmatch(r"已写入：新建0个文件，更新2个，\d+个未变，\d+个警告", lines[-1])
    report = (office / "content" / "reports" / "2020-10.yaml").read_text(encoding="utf-8")
    assert "catch_up_by: 2020-11-30\n" in report and "catch_up_by: 2020-12-31\n" in report
    assert "catch_up_by: 2020-12-15\n" in report and "percent: 75\n" in report
    assert not re.search(r"percent: \S*[％%]|\d{4}年|[０-９]", report)
    first = openpyxl.load_workbook(book)["项目"]["A2"].value
    text = (office / "content" / "projects" / f"{first}.yaml").read_text(encoding="utf-8")
    assert "start: 2020-01-05\n" in text and "investment: 14800\n" in text

    code, lines = clerk.run("board check")
    assert code == 0 and lines[-1].startswith("检查通过：16个项目，3个月，")

    code, lines = clerk.run("board diff")
    assert code == 0
    assert lines[0] == "全县重点项目建设进度公示 · 月度变化审阅 2020-09 → 2020-10"

    code, lines = clerk.run("board build --out output")
    assert code == 0, lines
    assert lines[-1].startswith("已生成2020-10：16个项目，3个月，")
    assert (office / "output" / "print" / "panel-2020-10.pdf").is_file()

    cells = " ".join(
        str(c.value)
        for ws in openpyxl.load_workbook(book).worksheets
        for row in ws.iter_rows()
        for c in row
    )
    yaml_text = " ".join(p.read_text("utf-8") for p in (office / "content").rglob("*.yaml"))
    assert_all_chinese(clerk.lines, " ".join([cells, yaml_text, str(office), *clerk.typed]))


NEW_COUNTY = "## 新建一个县（区）的公示"  # run by tests/test_init.py, on a register of its own


def manual_section(title: str | None = None) -> str:
    """The manual's text: the section headed `title`, or all but the new county's section."""
    text = MANUAL.read_text(encoding="utf-8")
    start = text.index(NEW_COUNTY)
    end = text.find("\n## ", start + 1)
    if title == NEW_COUNTY:
        return text[start:end]
    return text[:start] + text[end:]


def _manual_commands(text: str | None = None) -> list[str]:
    return [step for kind, step, _ in manual_steps(text) if kind == "run"]


STEP = re.compile(
    r"^(?P<fence> *)```sh\n(?P<sh>.*?)^(?P=fence)```"
    r"|<!-- manual:edit (?P<path>\S+) -->\n(?P<indent> *)```yaml\n(?P<yaml>.*?)^(?P=indent)```",
    flags=re.S | re.M,
)


def manual_steps(text: str | None = None) -> list[tuple[str, str, str]]:
    """The manual's steps in its order: ("run", command, "") for each line of a `sh` block, and
    ("edit", file, lines) for a YAML block marked `<!-- manual:edit FILE -->`: the lines of FILE
    around a change the clerk makes by hand, as they read after it (see `apply_edit`)."""
    steps: list[tuple[str, str, str]] = []
    for match in STEP.finditer(text or manual_section()):
        if match["sh"] is not None:
            lines = match["sh"].splitlines()
            steps += [("run", line.strip(), "") for line in lines if line.strip()]
        else:
            indent = len(match["indent"])
            lines = [line[indent:] for line in match["yaml"].splitlines()]
            steps.append(("edit", match["path"], "\n".join(lines)))
    return steps


def apply_edit(path: Path, excerpt: str) -> None:
    """What the clerk does in an editor: every line of `excerpt` is found in the file in order;
    a line not there yet is added after the one before it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = -1
    added = 0
    for line in excerpt.splitlines():
        if line in lines[at + 1 :]:
            at = lines.index(line, at + 1)
        else:
            assert at >= 0, (path, line)  # an excerpt starts at a line of the file
            at += 1
            lines.insert(at, line)
            added += 1
    assert added, (path, excerpt)  # the manual asks for a change
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_manual_names_the_whole_cycle() -> None:
    commands = _manual_commands()
    verbs = [shlex.split(c)[1] for c in commands]
    for verb in (
        "template",
        "import",
        "check",
        "status",
        "diff",
        "build",
        "export",
        "new-month",
        "archive",
    ):
        assert verb in verbs, verb
    assert all(c.startswith("board ") for c in commands)


def test_the_manual_runs_as_written(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command of the manual, in order; between them what the manual says the units and
    the clerk do by hand: the units fill in their workbooks (two send nothing, one of those
    later, after the due date), the clerk corrects a cell of September, fills in the county's
    workbook of November and the YAML report of December."""
    clock = {"now": on(1)}
    monkeypatch.setattr(ledger, "now", lambda: clock["now"])
    clerk = Clerk(office, capsys)
    issued = office / "报表-2020-10"
    inbox = office / "收到的报表"
    missing: list[str] = []
    edited: list[str] = []
    for kind, command, excerpt in manual_steps():
        if kind == "edit":  # 信息公开, 撤回: a line the clerk adds to a file of the register
            apply_edit(office / command, excerpt)
            edited.append(command)
            continue
        args = shlex.split(command)
        target = office / args[2] if len(args) > 2 else office
        if args[1] == "import" and target == inbox:  # 第三步: the units' workbooks come back
            clock["now"] = on(4)
            inbox.mkdir()
            for book in sorted(issued.glob("*.xlsx")):
                if not book.name.endswith(("商务局.xlsx", "教育局.xlsx")):
                    fill_unit(book, inbox)
        elif args[1] == "import" and target.parent == inbox:  # 补报, after the due date
            clock["now"] = on(7)
            fill_unit(issued / target.name, inbox)
        elif args[1] == "import" and target.name.startswith("更正-"):
            fill_report_sheet(target, {"报告!C3": "厂区构筑物全部完工，格栅、曝气设备安装完成"})
        elif args[1] == "import" and target.name.startswith("登记-"):
            pass  # 第三步: the office's rows of 调整记录 and 信息公开; none this month
        elif args[1] == "import":  # the county's workbook
            fill_report_sheet(target)
        code, lines = clerk.run(command)
        assert code == 0, (command, lines)
        if args[1:3] == ["status", "--missing"]:
            missing = lines
        if args[1] == "new-month":  # the YAML path: the clerk fills the report in an editor
            fill_report_yaml(office / "content" / "reports" / f"{args[2]}.yaml")
    assert len(list(issued.glob("*.xlsx"))) == 11
    assert missing == [
        "2020年10月重点项目进度尚未报送的单位（2个，截至2020年11月4日，报送截止2020年11月5日）：",
        "1. 商务局：南区电子商务产业园及快递物流分拣中心建设项目",
        "2. 教育局：县职教中心实训楼及学生公寓建设项目",
        "请以上单位于2020年11月5日前报送。",
    ]
    print_dir = office / "output" / "print"
    assert (office / "审阅-2020-10.docx").is_file()
    assert (office / "output" / "内部" / "审阅-2020-12.docx").is_file()
    public = [p for folder in ("print", "site") for p in (office / "output" / folder).rglob("*")]
    assert public and not [p for p in public if "审阅" in p.name]  # internal papers stay out
    assert (office / "公示表-2020-10.xlsx").is_file()
    assert (print_dir / "panel-2020-12.pdf").is_file()
    assert (print_dir / "bulletin-2020-09-r2.pdf").is_file()  # the correction, beside the first
    docx = Document(io.BytesIO((print_dir / "bulletin-2020-10.docx").read_bytes()))
    text = "".join(p.text for p in docx.paragraphs)
    assert "逾期报送的单位（1个）：商务局（2020年11月7日报送）。" in text
    assert "未报送的单位（1个）：教育局（县职教中心实训楼及学生公寓建设项目）。" in text
    report = (office / "content" / "reports" / "2020-09.yaml").read_text(encoding="utf-8")
    assert report.startswith("# 2020年9月重点项目进度月报")  # the correction kept its comments
    # 信息公开: the item published, no longer overdue; 撤回: August withdrawn, its files kept
    assert edited == ["content/projects/xian-yiyuan.yaml", "content/reports/2020-08.yaml"]
    assert not [line for line in clerk.lines[-40:] if "已逾期" in line]
    assert (print_dir / "bulletin-2020-08.pdf").is_file()
    august = " ".join(
        p.read_text(encoding="utf-8")
        for p in (office / "output" / "site" / "2020-08").rglob("*.html")
    )
    assert "本月公示已于2020年10月20日撤回。撤回原因：数据未经审核，以9月公示为准。" in august
    yaml_text = " ".join(p.read_text("utf-8") for p in (office / "content").rglob("*.yaml"))
    for line in clerk.lines:
        assert english_words(line, " ".join([yaml_text, str(office), *clerk.typed])) == [] or (
            # the review page's Markdown and the YAML of an --update diff quote the register
            line.startswith(("+", "-", "@@", " "))
        ), line
