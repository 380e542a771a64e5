"""Chinese first: every error and warning the tool can give, in both languages.

The cases are those of tests/test_hostile_input.py, tests/test_validate.py and tests/test_xlsx.py
(broken workbooks), plus the hand-editing slips and the office's spellings of dates and numbers.
Each problem is put into words in zh-CN and in en; the zh-CN text must carry no English word.

What counts as an English word: a run of two or more ASCII letters. Allowed in zh-CN text,
because a clerk needs them as they are:
- the place: the file path and `file:line:col` before the message, sheet and cell names;
- the YAML keys of the register (`deadline`, `projects.a.percent`: the field as it is in the file);
- values quoted from the input (any ASCII word found in the case's own files or cells);
- `ALLOWED` below: formats (YYYY-MM-DD, mm, pt), file kinds and names the office meets (YAML,
  UTF-8, GBK, Excel, WPS, .xlsx, PDF, assets/, docs/...), the `board` commands and options it
  types, the language codes, true/false, and U+XXXX code points.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from board.errors import ContentError, Problem, Severity
from board.i18n import MESSAGES, Msg
from board.validate import (
    BOARD_FIELDS,
    ENTRY_READ,
    MILESTONE_FIELDS,
    PANEL_FIELDS,
    PROJECT_FIELDS,
    REPORT_FIELDS,
    SCREEN_FIELDS,
    THRESHOLD_FIELDS,
    check,
)
from board.xlsx import WorkbookError, import_workbook
from tests.conftest import BOARD_YAML, project_yaml
from tests.test_hostile_input import CASES as HOSTILE
from tests.test_hostile_input import REPORT
from tests.test_xlsx import BROKEN, blank_register, filled_template, save

ALLOWED = {
    # formats and units
    "YYYY", "MM", "DD", "HH", "mm", "pt", "A0", "A1", "A2", "A3",
    # kinds of files and things the office meets
    "YAML", "UTF", "GBK", "GB", "Excel", "WPS", "xlsx", "xls", "et", "yaml", "yml", "PDF",
    "json", "png", "jpg", "gif", "webp", "md", "assets", "docs", "zh", "CN", "en", "name", "zip",
    "content", "reports", "projects", "output", "site", "print", "screen", "http", "https", "Tab", "Ctrl", "Debian", "fonts", "noto",
    "cjk", "apt", "get", "install", "libharfbuzz", "subset", "fontconfig", "fc", "match",
    "WeasyPrint", "HarfBuzz", "startxref", "EOF", "setup", "sh", "board", "beiqu", "wushui",
    "SHA", "SUMS", "record", "published",
    # the commands and options a clerk types
    "check", "build", "new", "month", "template", "import", "update", "from", "out", "force",
    "lang", "strict", "verbose", "archive", "export", "verify", "restore", "rebuild", "history",
    "init", "serve",
    # words of the register's own format
    "true", "false", "yes", "no", "landscape", "portrait", "font",
}  # fmt: skip
FIELD_KEYS = {
    name
    for fields in (
        BOARD_FIELDS,
        THRESHOLD_FIELDS,
        SCREEN_FIELDS,
        PANEL_FIELDS,
        PROJECT_FIELDS,
        MILESTONE_FIELDS,
        REPORT_FIELDS,
        ENTRY_READ,  # the entry's fields and `reported`
    )
    for field in fields
    for name in [*field.split("_"), field]
}
WORD = re.compile(r"[A-Za-z]{2,}")
# code points, bytes, escapes and YAML tags, as a message names them
CODE_POINT = re.compile(r"U\+[0-9A-F]{4,6}|0x[0-9A-F]{2}|\\u[0-9a-f]{4}|tag:\S+")


def english_words(text: str, quoted: str) -> list[str]:
    """The English words of a zh-CN message that are not allowed (see the module docstring)."""
    body = CODE_POINT.sub(" ", text)
    # the place: `path:line:col: ` or `sheet!cell head: ` before the message
    body = re.sub(r"\A\S+?(:\d+:\d+)?: ", "", body, count=1)
    words = []
    for word in WORD.findall(body):
        if word in ALLOWED or word in FIELD_KEYS or word in quoted:
            continue
        words.append(word)
    return words


def both_languages(problems: list, quoted: str) -> None:
    """Each problem is a catalog message, in words in both languages, Chinese without English."""
    assert problems
    for problem in problems:
        assert isinstance(problem.message, Msg), f"not from the catalog: {problem.message!r}"
        assert not problem.hint or isinstance(problem.hint, Msg), problem.hint
        assert problem.message.key in MESSAGES
        zh, en = problem.text("zh-CN"), problem.text("en")
        assert zh != en
        assert english_words(zh, quoted) == [], zh
        if problem.severity is Severity.WARNING:
            assert "警告：" in zh and "warning: " in en


def register(tmp_path: Path, files: dict[str, str | bytes | None]) -> tuple[Path, str]:
    """A one-project register with `files` replaced; returns it and every word of its input."""
    root = tmp_path / "content"
    base: dict[str, str | bytes | None] = {
        "board.yaml": BOARD_YAML,
        "projects/a.yaml": project_yaml("a"),
        "reports/2020-09.yaml": REPORT,
    }
    base.update(files)
    quoted = [str(root)]
    for name, data in base.items():
        if data is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
            quoted.append(data.decode("utf-8", "replace"))
        else:
            path.write_text(data, encoding="utf-8")
            quoted.append(data)
        quoted.append(name)
    return root, "\n".join(quoted)


def problems_of(root: Path) -> list[Problem]:
    try:
        return check(root)[1]
    except ContentError as exc:
        return exc.problems


# The errors and warnings of tests/test_validate.py, and the other messages of validate.py
VALIDATE: dict[str, dict[str, str | bytes | None]] = {
    "impossible date": {"projects/a.yaml": project_yaml("a", deadline="2020-02-30")},
    "month 13": {"projects/a.yaml": project_yaml("a", start="2020-13-01")},
    "yaml syntax": {"projects/a.yaml": project_yaml("a") + "summary: [unclosed\n"},
    "duplicate key": {"projects/a.yaml": project_yaml("a") + "name: 又一个名字\n"},
    "unknown key": {"projects/a.yaml": project_yaml("a") + "dealine: 2020-12-31\n"},
    "unknown key, nothing close": {"projects/a.yaml": project_yaml("a") + "zzz: 1\n"},
    "missing field": {"projects/a.yaml": project_yaml("a", leader=None)},
    "empty value": {"projects/a.yaml": project_yaml("a", unit="")},
    "quoted percent": {"reports/2020-09.yaml": REPORT.replace("75", '"40"')},
    "percent 150": {"reports/2020-09.yaml": REPORT.replace("75", "150")},
    "percent decimals": {"reports/2020-09.yaml": REPORT.replace("75", "40.5")},
    "percent nan": {"reports/2020-09.yaml": REPORT.replace("75", ".nan")},
    "percent octal": {"reports/2020-09.yaml": REPORT.replace("75", "017")},
    "yes as done": {
        "projects/a.yaml": project_yaml("a")
        + "milestones:\n  - task: 审批\n    owner: 发改局\n    due: 2020-03-01\n    done: yes\n"
    },
    "milestones not a list": {"projects/a.yaml": project_yaml("a") + "milestones: 审批\n"},
    "plan not a mapping": {"projects/a.yaml": project_yaml("a") + "plan: 40\n"},
    "plan key": {"projects/a.yaml": project_yaml("a") + "plan:\n  九月: 40\n"},
    "plan going down": {
        "projects/a.yaml": project_yaml("a") + "plan:\n  2020-08: 40\n  2020-09: 30\n"
    },
    "quoted number": {"projects/a.yaml": project_yaml("a", investment='"1200"')},
    "negative number": {"projects/a.yaml": project_yaml("a", investment="-5")},
    "number leading zero": {"projects/a.yaml": project_yaml("a", investment="0012")},
    "deadline before start": {
        "projects/a.yaml": project_yaml("a", start="2020-06-01", deadline="2020-05-31")
    },
    "id stem": {"projects/a.yaml": project_yaml("b")},
    "unknown project": {
        "reports/2020-09.yaml": REPORT + "  zz:\n    percent: 10\n    progress: 开工\n"
    },
    "report month stem": {"reports/2020-09.yaml": REPORT.replace("2020-09", "2020-10")},
    "projects not a mapping": {"reports/2020-09.yaml": "month: 2020-09\nprojects: 无\n"},
    "report a list": {"reports/2020-09.yaml": "- 2020-09\n"},
    "non-utf8": {"projects/a.yaml": project_yaml("a").encode("gbk")},
    "oversize": {"projects/a.yaml": project_yaml("a") + "#" * (1024 * 1024) + "\n"},
    "no board.yaml": {"board.yaml": None},
    "board settings": {
        "board.yaml": BOARD_YAML
        + "language: fr\nthresholds:\n  behind: 200\npanel:\n  size: B5\n  orientation: 斜\n"
        "  bleed: 50mm\n  min_font_pt: 1\n  max_panels: 0\n"
        "screen:\n  width: 10\n  night: 晚上\nemail: 无\nsite_url: 网站\n"
    },
    "image outside assets": {
        "projects/a.yaml": project_yaml("a", summary='"![图](/etc/passwd) ![图](assets/无.png)"')
    },
    "image leading outside": {
        "projects/a.yaml": project_yaml("a", summary='"![图](assets/../../x.png)"')
    },
    # warnings
    "percent lower": {
        "reports/2020-08.yaml": REPORT.replace("2020-09", "2020-08").replace("75", "80")
    },
    "no entry": {"projects/b.yaml": project_yaml("b")},
    "behind without reason": {
        "projects/a.yaml": project_yaml("a", deadline="2020-10-31"),
        "reports/2020-09.yaml": REPORT.replace("75", "10"),
    },
    "overdue without reason": {
        "projects/a.yaml": project_yaml("a", deadline="2020-08-31"),
        "reports/2020-09.yaml": REPORT.replace("75", "10"),
    },
    "behind with reason only": {
        "projects/a.yaml": project_yaml("a", deadline="2020-10-31"),
        "reports/2020-09.yaml": REPORT.replace("75", "10") + "    reason: 征地\n",
    },
    "leader of three": {
        "projects/a.yaml": project_yaml("a", leader="王"),
        "projects/b.yaml": project_yaml("b", leader="王"),
        "projects/c.yaml": project_yaml("c", leader="王"),
    },
}

# The slips of hand editing on a Chinese keyboard: (file, line:col and field, the fix)
SLIP_REPORT = "month: 2020-09\nprojects:\n  a:\n    progress: 主体施工\n"
SLIPS: dict[str, tuple[str, str, str]] = {
    "fullwidth colon": (
        SLIP_REPORT + "    percent：82\n    reason: 无\n",
        "reports/2020-09.yaml:5:12: percent: percent后面用了中文冒号“：”",
        "（把“：”改为英文冒号“: ”（冒号后加一个空格））",
    ),
    "fullwidth colon on the last line": (
        SLIP_REPORT + "    percent：82\n",
        "reports/2020-09.yaml:5:12: percent: percent后面用了中文冒号“：”",
        "（把“：”改为英文冒号“: ”（冒号后加一个空格））",
    ),
    "fullwidth colon in braces": (
        "month: 2020-09\nprojects:\n  a: {progress: 主体施工, percent：82}\n",
        "reports/2020-09.yaml:3:23: projects.a.percent：82: "
        "percent后面用了中文冒号“：”，整段“percent：82”被当成了一个键",
        "（把“：”改为英文冒号“: ”（冒号后加一个空格））",
    ),
    "fullwidth comma": (
        "month: 2020-09\nprojects:\n  a: {progress: 主体施工， percent: 82}\n",
        "reports/2020-09.yaml:3:21: 花括号或方括号里用了中文逗号“，”",
        "（把“，”改为英文逗号“, ”）",
    ),
    "missing colon": (
        SLIP_REPORT + "    percent 82\n    reason: 无\n",
        "reports/2020-09.yaml:5:5: percent: percent后面缺少英文冒号“:”",
        "（写作“percent: 82”）",
    ),
    "missing colon after a block of text": (
        "month: 2020-09\nprojects:\n  a:\n    progress: |\n      Phase one\n      Phase two\n"
        "    percent 82\n    reason: 无\n",
        "reports/2020-09.yaml:7:5: percent: percent后面缺少英文冒号“:”",
        "（写作“percent: 82”）",
    ),
    "tab": (
        SLIP_REPORT + "\tpercent: 82\n",
        "reports/2020-09.yaml:5:1: 缩进里有制表符（Tab）",
        "（用空格缩进，不要用Tab键）",
    ),
    "fullwidth space": (
        SLIP_REPORT + "　　percent: 82\n",
        "reports/2020-09.yaml:5:1: percent: 缩进里有全角空格",
        "（把全角空格改为英文空格）",
    ),
    "unclosed quote": (
        'month: 2020-09\nprojects:\n  a:\n    progress: "主体施工\n    percent: 82\n',
        'reports/2020-09.yaml:4:15: progress: 引号"没有配对：值的开头有引号，结尾没有',
        '（在值的末尾补上"，或删除开头的"）',
    ),
    "yes where a date belongs": (
        SLIP_REPORT + "    percent: 82\n    catch_up_by: 是\n",
        "reports/2020-09.yaml:6:18: 限期赶上（projects.a.catch_up_by）: 应为日期（如2020-11-30），现为是",
        "（这里应填日期，如2020-11-30；没有日期时删除这一行）",
    ),
    "Chinese quotes around a percent": (
        SLIP_REPORT + "    percent: “82”\n",
        "reports/2020-09.yaml:5:14: 实际进度（projects.a.percent）: 应为0到100之间的整数，现为“82”",
        '（不需要引号就删除；整段需要加引号时用英文引号""）',
    ),
    "no where a date belongs": (
        SLIP_REPORT + "    percent: 82\n    catch_up_by: no\n",
        "reports/2020-09.yaml:6:18: 限期赶上（projects.a.catch_up_by）: 应为日期（如2020-11-30），现为no",
        "（这里应填日期，如2020-11-30；没有日期时删除这一行）",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_hostile_input_reads_in_both_languages(case: str, tmp_path: Path) -> None:
    files, _expected = HOSTILE[case]
    root, quoted = register(tmp_path, files)
    both_languages(problems_of(root), quoted)


@pytest.mark.parametrize("case", sorted(VALIDATE))
def test_every_validation_problem_reads_in_both_languages(case: str, tmp_path: Path) -> None:
    root, quoted = register(tmp_path, VALIDATE[case])
    both_languages(problems_of(root), quoted)


def test_the_warnings_are_all_there(tmp_path: Path) -> None:
    """The warning cases above give warnings, and nothing else: what they are for."""
    for case in ("percent lower", "no entry", "behind without reason", "leader of three"):
        root, _ = register(tmp_path / case.replace(" ", "-"), VALIDATE[case])
        found = problems_of(root)
        assert found and all(p.severity is Severity.WARNING for p in found), case


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_every_workbook_problem_reads_in_both_languages(case: str, tmp_path: Path) -> None:
    content = blank_register(tmp_path)
    breaks, _expected = BROKEN[case]
    wb = filled_template()
    breaks(wb)
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "bad.xlsx"), content)
    cells = " ".join(
        str(cell.value) for ws in wb.worksheets for row in ws.iter_rows() for cell in row
    )
    both_languages(failure.value.problems, cells + str(content) + "Sheet")
    assert (
        failure.value.problems[0].text("zh-CN").split(":")[0]
        == (failure.value.problems[0].text("en").split(":")[0])
    )


def test_a_workbook_that_is_not_one_reads_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "报告.xlsx"
    bad.write_text("不是工作簿", encoding="utf-8")
    with pytest.raises(WorkbookError) as failure:
        import_workbook(bad, blank_register(tmp_path))
    (problem,) = failure.value.problems
    assert problem.text("zh-CN") == (
        f"{bad}: 无法读取工作簿：不是.xlsx工作簿"
        "（请在Excel或WPS中另存为Excel工作簿（.xlsx）；不读取.xls和.et文件）"
    )
    assert str(failure.value) == "1 error in the workbook"  # the tests read English
    assert failure.value.message.text("zh-CN") == "工作簿中有1个错误"


@pytest.mark.parametrize("case", sorted(SLIPS))
def test_a_slip_is_reported_on_its_line_with_the_fix(case: str, tmp_path: Path) -> None:
    text, where, fix = SLIPS[case]
    root, quoted = register(tmp_path, {"reports/2020-09.yaml": text})
    found = [p for p in problems_of(root) if p.severity is Severity.ERROR]
    shown = [p.text("zh-CN").replace(f"{root}/", "") for p in found]
    # one message for one cause: a key typed with a fullwidth space or colon, which YAML reads
    # as an unknown key, is not also said to be missing
    assert shown == [f"{where}{fix}"]
    both_languages(found, quoted)


def test_chinese_quotes_around_a_text_are_a_warning(tmp_path: Path) -> None:
    report = REPORT.replace("主体施工", "“主体施工”")
    root, quoted = register(tmp_path, {"reports/2020-09.yaml": report})
    (warning,) = problems_of(root)
    assert warning.text("zh-CN").replace(f"{root}/", "") == (
        "reports/2020-09.yaml:5:15: 警告：具体进度（projects.a.progress）: "
        '值的两边有中文引号“”，公示上会原样显示引号（不需要引号就删除；整段需要加引号时用英文引号""）'
    )
    both_languages([warning], quoted)


def test_the_office_words_for_a_percent_out_of_range(tmp_path: Path) -> None:
    root, _ = register(tmp_path, VALIDATE["percent 150"])
    (problem,) = problems_of(root)
    assert problem.text("zh-CN") == (
        "reports/2020-09.yaml:4:14: 实际进度（projects.a.percent）: 应为0到100之间的整数，现为150"
    ).replace("reports/", f"{root}/reports/")


def test_an_impossible_date_says_how_many_days_the_month_has(tmp_path: Path) -> None:
    root, _ = register(tmp_path, {"projects/a.yaml": project_yaml("a", deadline="2020年2月30日")})
    (problem,) = problems_of(root)
    assert problem.text("zh-CN").endswith(
        "6:11: 完成时限（deadline）: 应为日期（如2020-11-30），现为2020年2月30日（2020年2月只有29天）"
    )
    assert problem.text("en").endswith(
        "6:11: deadline (完成时限): expected a date YYYY-MM-DD, got 2020年2月30日"
        " (February has 29 days in 2020)"
    )


# -- the office's spellings of dates and numbers -----------------------------------------------

SPELLINGS = [
    ("2020-11-30", "2020-11-30"),
    ("2020.11.30", "2020-11-30"),
    ("2020/11/30", "2020-11-30"),
    ("2020年11月30日", "2020-11-30"),
    ("2020年11月30号", "2020-11-30"),
    ("2020-1-5", "2020-01-05"),
    ("２０２０－１１－３０", "2020-11-30"),
    ("２０２０年１１月３０日", "2020-11-30"),
    ("2020. 11. 30", "2020-11-30"),
]


@pytest.mark.parametrize(("typed", "day"), SPELLINGS)
def test_the_office_spellings_of_a_date_are_read_in_yaml(
    typed: str, day: str, tmp_path: Path
) -> None:
    root, _ = register(tmp_path, {"projects/a.yaml": project_yaml("a", deadline=typed)})
    reg, _ = check(root)
    assert str(reg.projects[0].deadline) == day


@pytest.mark.parametrize(
    "typed", ["11/30/2020", "20-11-30", "2020-11", "2020年11月", "2020.13.01", "2020年2月30日"]
)
def test_an_ambiguous_or_impossible_date_is_an_error(typed: str, tmp_path: Path) -> None:
    root, quoted = register(tmp_path, {"projects/a.yaml": project_yaml("a", deadline=typed)})
    found = problems_of(root)
    assert [p.field for p in found] == ["deadline (完成时限)"]
    both_languages(found, quoted)


@pytest.mark.parametrize(
    ("typed", "percent"), [("65", 65), ("65%", 65), ("６５", 65), ("６５％", 65), ("65 %", 65)]
)
def test_the_office_spellings_of_a_percent_are_read_in_yaml(
    typed: str, percent: int, tmp_path: Path
) -> None:
    root, _ = register(tmp_path, {"reports/2020-09.yaml": REPORT.replace("75", typed)})
    reg, _ = check(root)
    assert reg.reports[0].entries["a"].percent == percent


@pytest.mark.parametrize(("typed", "number"), [("14,800", 14800.0), ("１４８００", 14800.0)])
def test_the_office_spellings_of_a_number_are_read_in_yaml(
    typed: str, number: float, tmp_path: Path
) -> None:
    root, _ = register(tmp_path, {"projects/a.yaml": project_yaml("a", investment=typed)})
    reg, _ = check(root)
    assert reg.projects[0].investment == number


def _sheet_value(wb: openpyxl.Workbook, cell: str, value: object) -> Callable[[], None]:
    sheet, coordinate = cell.split("!")

    def put() -> None:
        wb[sheet][coordinate] = value

    return put


def test_the_office_spellings_are_written_back_canonical_by_import(tmp_path: Path) -> None:
    """In a workbook as typed (text cells), into the register as YAML reads it best."""
    content = blank_register(tmp_path)
    wb = filled_template()
    for cell, value in {
        "项目!E2": "2020年3月1日",
        "项目!F2": "2020.12.31",
        "项目!E3": "２０２０／１／５",
        "项目!J2": "14,800",
        "报告!D3": "６５％",
        "报告!D4": "65%",
        "报告!B1": "2020年9月",
    }.items():
        _sheet_value(wb, cell, value)()
    import_workbook(save(wb, tmp_path / "typed.xlsx"), content)
    project = (content / "projects" / "beiqu-wushui.yaml").read_text(encoding="utf-8")
    assert "start: 2020-03-01\n" in project and "deadline: 2020-12-31\n" in project
    assert "investment: 14800\n" in project
    reports = list((content / "reports").glob("*.yaml"))
    assert [p.name for p in reports] == ["2020-09.yaml"]
    report = reports[0].read_text(encoding="utf-8")
    assert "percent: 65\n" in report and "％" not in report and "%" not in report
    others = [p.read_text(encoding="utf-8") for p in (content / "projects").glob("*.yaml")]
    assert any("start: 2020-01-05\n" in text for text in others)


def test_a_plan_month_in_the_office_spelling(tmp_path: Path) -> None:
    plan = "plan:\n  2020年8月: 40\n  2020.9: 30\n  2020-09: 35\n"
    root, _ = register(tmp_path, {"projects/a.yaml": project_yaml("a") + plan})
    found = [p.text("zh-CN").replace(f"{root}/", "") for p in problems_of(root)]
    assert found == [
        "projects/a.yaml:9:3: 计划进度（plan.2020-09）: 计划进度是累计数，不应低于2020-08的40，现为30",
        "projects/a.yaml:10:3: 计划进度（plan.2020-09）: 键重复，第9行已经写过（只保留一个）",
    ]


def test_every_message_id_made_from_parts_is_in_the_catalog() -> None:
    """Ids the code builds (msg.what.<kind>, msg.month.<n>, ...): each one exists in both
    languages (test_catalog checks only the ids written out in full)."""
    from board.cli import cli
    from board.validate import PARSERS

    ids = [f"msg.what.{kind}" for kind in PARSERS if kind not in ("url", "email", "language")]
    ids += [f"msg.what.{kind}" for kind in ("url", "email", "language", "panel_size")]
    ids += [f"msg.what.{w}" for w in ("mapping", "board", "project", "task", "report", "entry")]
    ids += [f"msg.month.{n}" for n in range(1, 13)]
    ids += [
        f"msg.expect.{k}" for k in ("text", "id", "date", "month", "percent", "mapping", "value")
    ]
    ids += [
        f"msg.n.{noun}{s}"
        for noun in ("error", "warning", "project", "month", "file")
        for s in ("", "s")
    ]
    ids += [
        f"msg.warn.{status}_without_{missing}"
        for status in ("behind", "overdue")
        for missing in ("reason", "catch_up_by", "reason_catch_up_by")
    ]
    ids += ["msg.help.board"] + [f"msg.help.{name}" for name in cli.commands]
    assert [i for i in ids if i not in MESSAGES] == []
