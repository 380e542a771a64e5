"""Issue 20's rules, one at a time, on scratch registers: investment that cannot collapse, what
a county total covers, 未报送 said plainly, the threshold as written, quiet published months,
every slip in one run, and the messages the clerk met (captions, ids, years, setup).

The whole month, end to end, is tests/test_office_month.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest

from board.cli import main
from board.compute import Coverage, Totals, compute_month, year_opening
from board.diff import format_text, review
from board.errors import ContentError, Severity
from board.model import BoardConfig, Entry, Month, Project, Register, Report, Thresholds
from board.newmonth import ASK_YEAR, plain_number, scaffold
from board.settled import latest_report, month_of, settle, split, summary
from board.validate import check
from tests.conftest import BOARD_YAML, ROOT, project_yaml, write_files
from tests.test_photos import jpeg

M = Month.parse


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (err + out).splitlines()


def scratch(root: Path, reports: dict[str, str], **projects: dict) -> Path:
    """A register of the projects named (default: a and b) and the reports given."""
    files = {"board.yaml": BOARD_YAML}
    for pid, fields in (projects or {"a": {}, "b": {}}).items():
        # on track unless a test says otherwise: a long linear plan
        files[f"projects/{pid}.yaml"] = project_yaml(pid, **{"deadline": "2022-12-31", **fields})
    files.update({f"reports/{month}.yaml": text for month, text in reports.items()})
    return write_files(root, files)


def texts(problems: list, language: str = "en") -> list[str]:
    return [p.text(language) for p in problems]


# -- the threshold as written: behind by the threshold or more ------------------------------------


def _boundary(behind: int, actual: int) -> str:
    p = Project(
        id="a",
        name="项目a",
        leader="王",
        unit="住建局",
        start=date(2020, 1, 1),
        deadline=date(2020, 12, 31),
        plan=((M("2020-09"), 70),),
    )
    entry = Entry(project_id="a", percent=actual, progress="施工")
    config = BoardConfig(title="t", issuer="i", hotline="h", thresholds=Thresholds(behind))
    report = Report(M("2020-09"), MappingProxyType({"a": entry}))
    row = compute_month(Register(Path("."), config, (p,), (report,))).rows[0]
    assert row.planned == 70
    return row.status


def test_behind_by_exactly_the_threshold_is_behind() -> None:
    assert _boundary(10, 60) == "behind"  # −10 with threshold 10: 低10个百分点 is 滞后
    assert _boundary(10, 59) == "behind"
    assert _boundary(10, 61) == "on_track"  # −9
    assert _boundary(5, 65) == "behind"  # −5 with threshold 5
    assert _boundary(5, 66) == "on_track"


def test_the_docs_say_the_threshold_the_same_way() -> None:
    faq = (ROOT / "docs/zh-CN/常见问题.md").read_text(encoding="utf-8")
    assert "低 10 个百分点及以上（正好低 10 个百分点也算）就是进度滞后" in faq
    fields = (ROOT / "docs/zh-CN/数据格式.md").read_text(encoding="utf-8")
    assert "低多少个百分点及以上算进度滞后，默认10：低10个百分点就算滞后" in fields
    board = (ROOT / "content/board.yaml").read_text(encoding="utf-8")
    assert "低多少个百分点及以上算“进度滞后”（10：低10个百分点就算）" in board
    english = (ROOT / "docs/content-format.md").read_text(encoding="utf-8")
    assert "variance at or below\n  −`thresholds.behind`: 10 points behind is behind" in english


# -- 未报送 said plainly ---------------------------------------------------------------------------

SEPTEMBER_A = "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶, invested: 900}\n"


def test_reported_false_is_not_reported_like_a_project_left_out(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {
            "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 800}\n"
            "  b: {percent: 50, progress: 基础, invested: 500}\n",
            # the scaffold's lines may stay: percent and invested carried, progress empty
            "2020-09": SEPTEMBER_A
            + "  b:\n    reported: false\n    percent: 50\n    invested: 500\n    progress:\n",
        },
    )
    register, warnings = check(root)
    september = register.report(M("2020-09"))
    assert september is not None
    assert set(september.entries) == {"a"} and september.not_reported == {"b"}
    row = {r.project.id: r for r in compute_month(register).rows}["b"]
    assert (row.reported, row.status, row.actual, row.invested) == (False, "no_report", 50, 500)
    (warning,) = warnings
    assert warning.text("zh-CN").endswith(
        "警告：projects.b: 最新一期报告2020-09中b（项目b）写明未报送（reported: false）"
        "（公示上显示为“未报送”，并沿用最后一次报送的数据）"
    )
    # the same board as leaving b out
    (root / "reports/2020-09.yaml").write_text(SEPTEMBER_A, encoding="utf-8")
    left_out, _ = check(root)
    row_out = {r.project.id: r for r in compute_month(left_out).rows}["b"]
    assert (row_out.reported, row_out.status, row_out.actual, row_out.invested) == (
        False,
        "no_report",
        50,
        500,
    )


def test_reported_false_with_a_report_is_one_error_per_field(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {
            "2020-09": SEPTEMBER_A + "  b:\n    reported: false\n    percent: 50\n"
            "    progress: 主体施工\n    reason: 征地\n"
        },
    )
    with pytest.raises(ContentError) as failure:
        check(root)
    shown = [t.split("reports/")[1] for t in texts(failure.value.problems, "zh-CN")]
    assert shown == [
        "2020-09.yaml:7:5: 具体进度（projects.b.progress）: 写了reported: false（未报送），却又填写了具体进度"
        "（本月未报送就删除这一行；已经报送了就删除reported: false这一行）",
        "2020-09.yaml:8:5: 滞后原因（projects.b.reason）: 写了reported: false（未报送），却又填写了滞后原因"
        "（本月未报送就删除这一行；已经报送了就删除reported: false这一行）",
    ]


def test_reported_takes_true_false_and_是_否_but_not_yes(tmp_path: Path) -> None:
    for value, reported in (("true", True), ("是", True), ("否", False), ("false", False)):
        root = scratch(
            tmp_path / value,
            {
                "2020-09": SEPTEMBER_A + f"  b:\n    reported: {value}\n    percent: 50\n"
                "    progress: 基础\n" * reported
            },
        )
        register, _ = check(root)
        assert ("b" in register.reports[0].entries) is reported, value
    root = scratch(
        tmp_path / "yes", {"2020-09": SEPTEMBER_A + "  b:\n    reported: yes\n    percent: 50\n"}
    )
    with pytest.raises(ContentError) as failure:
        check(root)
    assert "expected true or false, got yes" in " ".join(texts(failure.value.problems))


# -- investment that cannot collapse ---------------------------------------------------------------


def test_invested_missing_or_lower_without_a_reason_is_named(tmp_path: Path) -> None:
    monkey = tmp_path / "c"
    root = scratch(
        monkey,
        {
            "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 800}\n"
            "  b: {percent: 50, progress: 基础, invested: 500}\n",
            "2020-09": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶, invested: 700}\n"
            "  b: {percent: 60, progress: 主体}\n",
        },
    )
    _, warnings = check(root)
    lines = [t.split("2020-09.yaml:")[1] for t in texts(warnings, "zh-CN")]
    assert lines == [
        "3:46: 警告：累计完成投资（projects.a.invested）: 累计完成投资700万元低于2020-08的800万元"
        "（累计完成投资是累计数，不会减少；确需调低（如审计核减）时，在存在问题(problems)中写明原因）",
        "4:3: 警告：累计完成投资（projects.b.invested）: 累计完成投资未填（上一期2020-08为500万元）"
        "（累计完成投资是累计数：本月没有新增时照填上一期的数，board new-month会自动沿用；"
        "不填时全县合计会少算这个项目）",
    ]
    assert texts(warnings)[0].endswith(
        "invested to date (700) is lower than in 2020-08 (800) (the amount is cumulative and does "
        "not fall; for a correction (an audit, say) state the reason under problems (存在问题))"
    )
    # a reason stated under problems (存在问题): not a warning, for invested and percent alike
    (root / "reports/2020-09.yaml").write_text(
        "month: 2020-09\nprojects:\n  a: {percent: 55, progress: 主体, invested: 700,"
        " problems: 经审计核减}\n  b: {percent: 60, progress: 主体, invested: 600}\n",
        encoding="utf-8",
    )
    assert check(root)[1] == []


def test_invested_year_from_an_earlier_report_of_the_year_or_asked_for(tmp_path: Path) -> None:
    old = {"a": {"start": "2019-06-01", "deadline": "2021-12-31"}}
    root = scratch(
        tmp_path / "c",
        {
            "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 800}\n",
        },
        **old,
    )
    register, warnings = check(root)
    assert compute_month(register).rows[0].invested_year is None  # started 2019, no 2019 report
    assert texts(warnings, "zh-CN")[0].endswith(
        "警告：本年完成投资（projects.a.invested_year）: 本年完成投资无法由累计完成投资推算（没有2019年最后一期的"
        "累计完成投资），请填写invested_year（填写一次后，以后各月由累计完成投资推算；不填时全县本年完成投资合计不含这个项目）"
    )
    # new-month leaves the line to fill in, as an empty value of its own
    text = scaffold(root, M("2020-09"))
    assert f"    percent: 60\n    invested: 800\n{ASK_YEAR}\n    progress:\n" in text
    # given once (累计 800, 本年 300: the year opened at 500), the months after derive it
    (root / "reports/2020-08.yaml").write_text(
        "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 800,"
        " invested_year: 300}\n",
        encoding="utf-8",
    )
    write_files(
        root,
        {
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体, invested: 950}\n"
        },
    )
    register, warnings = check(root)
    assert warnings == []
    row = compute_month(register).rows[0]
    assert (row.invested_year, row.invested_year_derived) == (450, True)
    history = register.history["a"]
    assert year_opening(register.projects[0], history, M("2020-10")) == 500
    assert ASK_YEAR not in scaffold(root, M("2020-10"))


def test_new_month_carries_invested_as_the_office_writes_it(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {
            "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 1234567.5}\n"
            "  b: {percent: 50, progress: 基础}\n",
        },
    )
    text = scaffold(root, M("2020-09"))
    assert "  a:  # 项目a\n    percent: 60\n    invested: 1234567.5\n    progress:\n" in text
    assert "  b:  # 项目b\n    percent: 50\n    progress:\n" in text  # no figure: none carried
    assert "本月未报送的项目：删除该项目的整段，或在项目下写一行 reported: false。" in text
    assert [plain_number(v) for v in (9300.0, 123456.78, 0.01, 1e8)] == [
        "9300",
        "123456.78",
        "0.01",
        "100000000",
    ]


def test_a_report_still_asking_for_invested_year_is_being_filled_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The empty invested_year line new-month writes does not stop work on the month before."""
    root = scratch(
        tmp_path / "c",
        {
            "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 800}\n"
        },
        a={"start": "2019-06-01", "deadline": "2021-12-31"},
    )
    code, _ = run(capsys, "new-month", "2020-09", "--content", str(root))
    assert code == 0
    text = (root / "reports/2020-09.yaml").read_text(encoding="utf-8")
    (root / "reports/2020-09.yaml").write_text(
        text.replace("    progress:\n", "    progress: 主体\n"), encoding="utf-8"
    )
    code, lines = run(capsys, "status", "--content", str(root))
    assert code == 0 and "still being filled in: 1 project without progress text" in lines[0]


# -- what a county total covers -----------------------------------------------------------------------


def test_coverage_words_in_both_languages() -> None:
    cases = {
        Coverage(16): None,
        Coverage(0, missing=40): ("没有项目填报", "no project reported it"),
        Coverage(0, missing=40, reported=False): (
            "没有项目填写",
            "no project has it in the register",
        ),
        Coverage(14, missing=2): (
            "14个项目合计，2个项目未报",
            "14 projects, 2 without a reported figure",
        ),
        Coverage(15, missing=1, reported=False): (
            "15个项目合计，1个项目未填",
            "15 projects, 1 without the figure in the register",
        ),
        Coverage(16, carried=2): (
            "16个项目合计，其中2个未报送项目按最近一次报送的数计入",
            "16 projects, 2 of them not reporting this month, at their last reported figure",
        ),
        Coverage(15, missing=1, carried=2): (
            "15个项目合计，其中2个未报送项目按最近一次报送的数计入，1个项目未报",
            "15 projects, 2 of them not reporting this month, at their last reported figure, "
            "and 1 without a reported figure",
        ),
    }
    for coverage, expected in cases.items():
        words = coverage.words()
        if expected is None:
            assert words is None and coverage.complete
        else:
            assert words is not None and (words.text("zh-CN"), words.text("en")) == expected
    totals = Totals(
        16,
        1.0,
        1.0,
        1.0,
        1.0,
        coverage=MappingProxyType(
            {"investment": Coverage(15, 1, reported=False), "invested_year": Coverage(14, 2)}
        ),
    )
    note = totals.note()
    assert note is not None
    assert note.text("zh-CN") == (
        "（总投资为15个项目合计，1个项目未填；本年完成投资为14个项目合计，2个项目未报）"
    )
    assert totals.year_note is not None and totals.note(("invested",)) is None


def test_the_totals_count_what_each_project_has(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {
            "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体, invested: 800}\n"
            "  b: {percent: 50, progress: 基础, invested: 500}\n  c: {percent: 50, progress: 基础}\n",
            "2020-09": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体, invested: 900}\n"
            "  c: {percent: 60, progress: 主体}\n",
        },
        a={"investment": 2000, "annual_investment": "{2020: 1000}"},
        b={"investment": 1000, "annual_investment": "{2020: 1000}"},
        c={"annual_investment": "{2020: 500}"},
    )
    board = compute_month(check(root)[0])
    totals = board.totals
    # b did not report: its August figure; c never reported one
    assert (totals.invested, totals.invested_year) == (1400, 1400)
    assert totals.coverage["invested"] == Coverage(2, missing=1, carried=1)
    assert totals.coverage["investment"] == Coverage(2, missing=1, reported=False)
    assert totals.coverage["annual_investment"] == Coverage(3, reported=False)
    # the rate of the projects that have both a plan and a figure: 1400 / 2000
    assert totals.investment_rate == 70.0
    diff = format_text(review(board.register))
    assert diff.splitlines()[2] == (  # the board's language: zh-CN
        "全县1-9月完成投资0.14亿元，累计完成投资0.13亿元 → 0.14亿元（本年完成投资、累计完成投资为"
        "2个项目合计，其中1个未报送项目按最近一次报送的数计入，1个项目未报）"
    )


# -- quiet where nothing can be done -----------------------------------------------------------------

QUIET = {
    "2020-08": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体}\n"
    "  b: {percent: 50, progress: 基础}\n",
    # b's percent falls with no reason: a warning of a month that is no longer the latest
    "2020-09": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体}\n"
    "  b: {percent: 45, progress: 基础}\n",
    "2020-10": "month: 2020-10\nprojects:\n  a: {percent: 80, progress: 主体}\n"
    "  b: {percent: 50, progress: 基础}\n",
}


def test_warnings_of_published_months_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARD_LANG", "zh-CN")
    root = scratch(tmp_path / "c", QUIET)
    # the commitments are checked against the record of output/ in the folder `check` runs in:
    # here a published record of this register (the 2020-09 shown as published below)
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(root), "--month", "2020-09", "--out", "output"]) in (0, None)
    capsys.readouterr()
    code, lines = run(capsys, "check", str(root))
    assert code == 0
    assert lines == ["已发布的2020-09有1个警告，加--verbose查看", lines[-1]]
    assert lines[-1].startswith("检查通过：2个项目，3个月，1个警告")
    for verbose in (("check", "--verbose", str(root)), ("-v", "check", str(root))):
        code, lines = run(capsys, *verbose)
        assert code == 0 and len(lines) == 2
        assert lines[0].endswith(
            "2020-09.yaml:4:16: 警告：实际进度（projects.b.percent）: 实际进度45低于2020-08的50"
            "（2020-09已发布，改动会作为更正重新发布；只在数字确有错误时修改，做法见使用手册“更正已发布的月份”）"
        )
    # --strict fails on the month being prepared, never on a published one
    code, lines = run(capsys, "check", "--strict", str(root))
    assert code == 0, lines
    monkeypatch.setenv("BOARD_LANG", "en")
    code, lines = run(capsys, "check", str(root))
    assert lines[0] == "1 warning in the published month 2020-09; --verbose lists them"


def test_settle_asks_the_record_and_the_latest_report(tmp_path: Path) -> None:
    root = scratch(tmp_path / "c", QUIET)
    assert latest_report(root) == M("2020-10")
    (root / "reports/2020-10.yaml").unlink()
    _, warnings = check(root)  # 2020-09 is the latest: its warning is said as it is
    assert [w.hint.key for w in warnings] == ["msg.hint.percent_cumulative"]
    assert month_of(warnings[0]) == M("2020-09")
    # ... unless the record of published months would correct it (a later month was published)
    _, warnings = check(root, published={"2020-09"})
    shown, settled = split(warnings)
    assert shown == [] and [w.hint.key for w in settled] == ["msg.settled.hint"]
    line = summary(settled)
    assert line is not None and line.text("zh-CN") == "已发布的2020-09有1个警告，加--verbose查看"
    # two months: the latest of them named
    many = settle(settled + [w for w in check(root)[1]], M("2020-12"), ())
    assert summary(many).text("zh-CN") == "已发布的2020-09有2个警告，加--verbose查看"
    other = [w for w in check(root)[1]]
    other = [
        type(w)(
            w.pos.__class__("c/reports/2020-08.yaml", 1, 1), w.field, w.message, w.hint, w.severity
        )
        for w in other
    ]
    both = settle(settled + other, M("2020-12"), ())
    assert summary(both).text("zh-CN") == "2020-09等已发布月份有2个警告，加--verbose查看"


# -- every slip of a file in one run ----------------------------------------------------------------


def test_five_slips_in_one_file_are_five_problems_in_one_run(tmp_path: Path) -> None:
    report = (
        "month: 2020-09\n"
        "projects:\n"
        "  a:\n"
        "    percent：70\n"  # 4: a fullwidth colon
        "    progress 主体施工\n"  # 5: no colon
        "  b:\n"
        "    percent: 60\n"
        '    progress: "基础施工\n'  # 8: a quote not closed
        "    photos: [photos/a.jpg， photos/b.jpg]\n"  # 9: a fullwidth comma in brackets
        "    reason 征地\n"  # 10: no colon
    )
    root = scratch(tmp_path / "c", {"2020-09": report})
    with pytest.raises(ContentError) as failure:
        check(root)
    shown = [t.split("2020-09.yaml:")[1] for t in texts(failure.value.problems, "zh-CN")]
    assert [s.split(":")[0] for s in shown] == ["4", "5", "8", "9", "10"]
    assert shown[0].startswith("4:12: percent: percent后面用了中文冒号“：”")
    assert shown[1].startswith("5:5: progress: progress后面缺少英文冒号“:”")
    assert shown[2].startswith('8:15: progress: 引号"没有配对')
    assert shown[3].startswith("9:26: 花括号或方括号里用了中文逗号“，”")
    assert shown[4].startswith("10:5: reason: reason后面缺少英文冒号“:”")


def test_indentation_in_fullwidth_spaces_is_said_once_before_parsing(tmp_path: Path) -> None:
    report = "month: 2020-09\nprojects:\n  a:\n　　percent: 70\n    progress: 主体\n\tb: x\n"
    root = scratch(tmp_path / "c", {"2020-09": report})
    with pytest.raises(ContentError) as failure:
        check(root)
    assert [t.split("2020-09.yaml:")[1] for t in texts(failure.value.problems, "zh-CN")] == [
        "4:1: percent: 缩进里有全角空格（把全角空格改为英文空格）",
        "6:1: 缩进里有制表符（Tab）（用空格缩进，不要用Tab键）",
    ]


# -- the messages the clerk met ----------------------------------------------------------------------


def test_a_caption_after_a_fullwidth_space_is_the_caption(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {
            "2020-09": "month: 2020-09\nprojects:\n  a:\n    percent: 70\n    progress: 主体\n"
            "    photos:\n      - photos/2020-09/a-1.jpg　厂区全景：构筑物完工\n"
            "      - photos/2020-09/a-2.JPG 设备间\n"
            "      - file: photos/2020-09/a-3.jpg　　格栅间\n",
        },
    )
    for name in ("a-1.jpg", "a-2.JPG", "a-3.jpg"):
        path = root / "photos/2020-09" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg(seed=len(name) + ord(name[2])))
    register, _ = check(root)
    photos = register.reports[0].entries["a"].photos
    assert [(p.file, p.caption) for p in photos] == [
        ("photos/2020-09/a-1.jpg", "厂区全景：构筑物完工"),
        ("photos/2020-09/a-2.JPG", "设备间"),
        ("photos/2020-09/a-3.jpg", "格栅间"),
    ]


def test_a_photo_without_a_date_gets_one_remark_in_chinese(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {
            "2020-09": "month: 2020-09\nprojects:\n  a:\n    percent: 70\n    progress: 主体\n"
            "    photos:\n      - photos/w1.jpg\n      - photos/w2.jpg\n",
        },
        a={},
    )
    for i, name in enumerate(("w1.jpg", "w2.jpg")):
        (root / "photos").mkdir(exist_ok=True)
        (root / "photos" / name).write_bytes(jpeg(taken=None, seed=i))
    _, warnings = check(root)
    (remark,) = warnings
    assert remark.text("zh-CN").split("2020-09.yaml:")[1] == (
        "7:9: 警告：形象进度照片（projects.a.photos）: 2020-09报送的2张照片没有拍摄日期，无法核对是否本期所拍："
        "photos/w1.jpg, photos/w2.jpg（微信等聊天软件转发时会去掉拍摄日期；请各单位发送原图"
        "（微信里勾选“原图”，或用文件方式发送））"
    )


def test_ids_with_capitals_are_one_message_per_file(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "c",
        {
            "board.yaml": BOARD_YAML,
            "projects/Beiqu-Wushui.yaml": project_yaml("Beiqu-Wushui", deadline="2022-12-31"),
            "projects/b.yaml": project_yaml("b", deadline="2022-12-31"),
            "reports/2020-08.yaml": "month: 2020-08\nprojects:\n  beiqu-wushui: {percent: 60, progress: 主体}\n"
            "  b: {percent: 50, progress: 基础}\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  Beiqu-Wushui: {percent: 70, progress: 主体}\n"
            "  B: {percent: 60, progress: 基础}\n",
        },
    )
    register, warnings = check(root)
    assert [p.id for p in register.projects] == ["b", "beiqu-wushui"]
    assert set(register.reports[-1].entries) == {"beiqu-wushui", "b"}
    assert [t.split("/c/")[1] for t in texts(warnings, "zh-CN")] == [
        "projects/Beiqu-Wushui.yaml:1:5: 警告：编号（id）: 编号Beiqu-Wushui里有大写字母，按beiqu-wushui处理"
        "（编号只用小写字母、数字和“-”：把这一行改为 id: beiqu-wushui）",
        "reports/2020-09.yaml:3:3: 警告：项目（projects）: 2个项目编号里有大写字母（Beiqu-Wushui, B），"
        "按小写的编号处理（编号只用小写字母、数字和“-”，与项目文件里的id相同）",
    ]


def test_a_year_is_spelled_as_a_month_is(tmp_path: Path) -> None:
    root = scratch(
        tmp_path / "c",
        {"2020-09": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体}\n"},
        a={
            "deadline": "2022-12-31",
            "annual_investment": "{2020年: 900, 2021年度: 800, ２０２２: 700}",
        },
    )
    register, warnings = check(root)
    assert register.projects[0].annual_investment == ((2020, 900), (2021, 800), (2022, 700))
    assert warnings == []
    root = scratch(
        tmp_path / "d",
        {"2020-09": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体}\n"},
        a={"annual_investment": "{2020: 900, 2020年: 800}"},
    )
    with pytest.raises(ContentError) as failure:
        check(root)
    assert (
        "duplicate key" in texts(failure.value.problems)[0]
        or "重复" in texts(failure.value.problems, "zh-CN")[0]
    )


# -- setup and the sign-off path --------------------------------------------------------------------


def test_setup_ends_with_one_line_saying_where_the_board_is() -> None:
    setup = (ROOT / "setup.sh").read_text(encoding="utf-8")
    lines = [line for line in setup.splitlines() if line.strip() and not line.startswith("#")]
    assert lines[-2].strip() == "quietly .venv/bin/board build content --out output"
    assert lines[-1].startswith('echo "setup: 安装完成（done）。示例公示在 output/：')
    assert "output/screen/index.html" in lines[-1] and "output/site/index.html" in lines[-1]


def test_the_readme_speaks_to_the_office_in_chinese_after_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme.index("./setup.sh    #")
    section = readme.index("## 给重点项目办的同志（中文说明）")
    assert commands < section < readme.index("## The monthly cycle")
    assert "`./setup.sh`：安装本工具用到的全部软件" in readme
    assert "`./test.sh`：开发人员用的全面自检" in readme


def test_one_sign_off_path_in_readme_manual_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    signed = re.compile(r"board diff --format (\w+)")
    for doc in ("README.md", "docs/zh-CN/使用手册.md", "docs/office-cycle.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert set(signed.findall(text)) == {"docx"}, doc
        assert "board diff --format docx --out 审阅-" in text, doc
    for language in ("zh-CN", "en"):
        code, lines = run(capsys, "--lang", language, "diff", "--help")
        assert code == 0
        assert any(
            line.strip().startswith("board diff --format docx --out 审阅-YYYY-MM.docx")
            for line in lines
        )
    manual = (ROOT / "docs/zh-CN/使用手册.md").read_text(encoding="utf-8")
    for output in ("bulletin-2020-10.docx", "审阅-2020-10.docx", "## 更正已发布的月份"):
        assert output in manual


def test_nothing_but_warnings_of_the_month_itself_fail_strict(tmp_path: Path) -> None:
    root = scratch(tmp_path / "c", QUIET)
    (root / "reports/2020-10.yaml").write_text(
        QUIET["2020-10"].replace("percent: 50", "percent: 40"), encoding="utf-8"
    )
    with pytest.raises(ContentError) as failure:
        check(root, strict=True)
    errors = [p for p in failure.value.problems if p.severity is Severity.ERROR]
    assert [month_of(p) for p in errors] == [M("2020-10")]
