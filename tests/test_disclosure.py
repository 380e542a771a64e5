"""Issue 24: 项目统一代码, the eight categories of 国办发〔2017〕94号 and the 20-working-day audit,
read, checked, audited and shown: check, the bulletin (PDF and Word), the site, the open data,
the workbook."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import docx
import jsonschema
import openpyxl
import pytest
from pypdf import PdfReader

from board.audit import audit_month
from board.build import render_all
from board.cli import main
from board.compute import compute_all, compute_month
from board.errors import ContentError, Severity
from board.i18n import words
from board.model import Month
from board.render import BuildContext, disclosure, environment, pdf, word
from board.render import fonts as fontcheck
from board.validate import check
from board.workdays import Calendar
from board.xlsx import WorkbookError, import_workbook, template_from
from tests.conftest import CONTENT, project_yaml, scratch_register

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "board.schema.json").read_text("utf-8")
)
CODE = "2020-130529-48-01-012345"

# project a: one item published late in September, one licensing decision overdue, one item
# formed on 2020-09-25 (before 国庆) still within its time, land not applicable with a reason,
# construction with its parties
DISCLOSURE_A = f"""\
code: {CODE}
disclosure:
  approval_result:
    - item: 可行性研究报告批复
      number: 县发改审批〔2020〕12号
      formed: 2020-08-03
      published: 2020-09-15
      approver: 县发展和改革局
      publisher: 县发展和改革局
      channel: 县政府门户网站
      link: https://www.example.gov.cn/fgj/xmsp/2020/012.html
    - item: 建筑工程施工许可证
      number: 130529202009010001
      formed: 2020-09-01
      licensing: true
      approver: 县住房和城乡建设局
      publisher: 县住房和城乡建设局
  bidding:
    - item: 施工中标结果公示
      formed: 2020-09-25
      winner: 北辰示范建设集团有限公司
      amount: 9860
  land:
    not_applicable: 使用存量国有建设用地，不涉及征收土地
  construction:
    - item: 项目法人单位及主要负责人
      role: legal_person
      company: 县清源水务有限公司
      head: 赵立新
      formed: 2020-06-01
      published: 2020-06-05
    - item: 施工单位及项目经理
      role: 施工单位
      company: 北辰示范建设集团有限公司
      head: 马振华
      manager: 郭志强
      qualification: 市政公用工程施工总承包一级
      formed: 2020-06-10
      published: 2020-06-15
  quality_safety:
    - item: 质量安全监督机构及联系方式
      agency: 县建设工程质量安全监督站
      phone: 0310-7216688
      formed: 2020-06-10
      published: 2020-06-12
"""


def register(root: Path, a_extra: str = DISCLOSURE_A, b_extra: str = "") -> Path:
    return scratch_register(root, a_extra, b_extra)


def workdays_after(start: date, until: date) -> int:
    """The working days in (start, until] by the library's own list of working days."""
    if until <= start:
        return 0
    return len(chinese_calendar.get_workdays(start + timedelta(days=1), until))


def disclosure_warnings(warnings: list) -> list[str]:
    return [w.text("en") for w in warnings if w.field.startswith(("disclosure", "code"))]


# -- 项目统一代码 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        (CODE, CODE),
        ("２０２０－１３０５２９－４８－０１－０１２３４５", CODE),  # fullwidth, as typed
        ("20201305294801012345", CODE),  # without hyphens: grouped as the platform writes it
        ("2012-330106-04-01-12345X", "2012-330106-04-01-12345X"),  # YYMM 2020-12, X
    ],
)
def test_a_code_of_the_platform_s_form_is_kept_in_its_canonical_form(
    tmp_path: Path, written: str, kept: str
) -> None:
    root = register(tmp_path / "content", f"code: {written}\n")
    reg, _ = check(root)
    assert reg.project("a").code == kept


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "2020-130529-48-01-01234",  # 23 characters: a digit of the serial lost
            "content/projects/a.yaml:8:7: code (项目统一代码): expected a project code of 24 "
            "characters, 20 digits in groups of 4-6-2-2-6 joined by '-', got '2020-130529-48-01-01234'"
            " (23 characters) (copy it as the national investment project online approval platform"
            " writes it, e.g. 2020-130529-48-01-012345 (year-division-industry-type-serial))",
        ),
        (
            "1999-130529-48-01-012345",  # before the platform's first codes, and no YYMM
            "content/projects/a.yaml:8:7: code (项目统一代码): expected the code's first four "
            "digits to be the year it was given (2014 on) or its year and month (2103: March 2021),"
            " got 1999 (check the code on the online approval platform)",
        ),
        (
            "2031-130529-48-01-012345",  # a year after the latest report's
            "content/projects/a.yaml:8:7: code (项目统一代码): the code's year 2031 is after the "
            "year of the latest report, 2020 (check the code on the online approval platform)",
        ),
        (
            "2020-990529-48-01-012345",  # no province 99
            "content/projects/a.yaml:8:7: code (项目统一代码): expected digits 5-10 of the code to "
            "be an administrative division (starting with a province's two digits, such as 13 for"
            " Hebei), got 990529 (check the six-digit division code of the project's place)",
        ),
    ],
)
def test_a_code_of_the_wrong_form_or_year_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, expected: str
) -> None:
    register(tmp_path / "content", f"code: {written}\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as failure:
        check(Path("content"))
    assert [p.text("en") for p in failure.value.problems] == [expected]


def test_two_projects_with_one_code_is_an_error_naming_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(tmp_path / "content", f"code: {CODE}\n", f"code: {CODE}\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as failure:
        check(Path("content"))
    (problem,) = failure.value.problems
    assert problem.text("en") == (
        f"content/projects/b.yaml:8:7: code (项目统一代码): project code {CODE} is also the code "
        "of project a (content/projects/a.yaml:8) (each project has a code of its own; check the "
        "codes of both projects)"
    )
    assert problem.text("zh-CN") == (
        f"content/projects/b.yaml:8:7: 项目统一代码（code）: 项目统一代码{CODE}与项目a"
        "（content/projects/a.yaml:8）重复（每个项目只有一个项目统一代码，不同项目的代码不能相同；"
        "核对两个项目的代码）"
    )


# -- the working-day calendar -----------------------------------------------------------------


def test_an_item_formed_before_the_national_day_is_due_on_the_calendar_s_20th_working_day(
    tmp_path: Path,
) -> None:
    formed = date(2020, 9, 25)  # a Friday; 9-27 and 10-10 are worked, 10-1 to 10-8 are not
    due = chinese_calendar.find_workday(20, formed)
    assert Calendar().add(formed, 20) == due
    reg, _ = check(register(tmp_path / "content"))
    (item,) = compute_month(reg).disclosure.of("a").categories[2].items
    assert (item.item.formed, item.due, item.limit, item.state) == (formed, due, 20, "pending")
    # counted on weekends alone, the holiday would be ignored and the due date too early
    assert due > formed + timedelta(days=28)
    assert workdays_after(formed, due) == 20


@pytest.mark.parametrize("formed", [date(2020, 10, 1), date(2020, 10, 10), date(2021, 2, 11)])
def test_the_day_formed_is_not_counted_even_a_holiday_or_a_worked_weekend(formed: date) -> None:
    due = Calendar().add(formed, 20)
    assert chinese_calendar.is_workday(due)
    assert workdays_after(formed, due) == 20
    assert workdays_after(formed, due - timedelta(days=1)) == 19


def test_a_licensing_decision_has_7_working_days(tmp_path: Path) -> None:
    reg, _ = check(register(tmp_path / "content"))
    item = compute_month(reg).disclosure.of("a").categories[1].items[1]
    assert item.item.licensing
    assert (item.limit, item.due) == (7, chinese_calendar.find_workday(7, date(2020, 9, 1)))


def test_a_year_without_holiday_data_counts_weekends_and_says_so(tmp_path: Path) -> None:
    last = max(chinese_calendar.holidays).year
    beyond = last + 2
    calendar = Calendar()
    start = date(beyond, 3, 2)  # counted Monday to Friday
    due = calendar.add(start, 20)
    weekdays = [d for d in (start + timedelta(days=n) for n in range(1, 40)) if d.weekday() < 5]
    assert due == weekdays[19] and calendar.missing == {beyond}
    extra = f"""\
disclosure:
  approval_result:
    - item: 可行性研究报告批复
      formed: {beyond}-03-02
"""
    root = register(tmp_path / "content", "", extra)
    report = f"month: {beyond}-03\nprojects:\n  a: {{percent: 70, progress: 主体}}\n"
    (root / "reports" / f"{beyond}-03.yaml").write_text(report, encoding="utf-8")
    for name in ("a", "b"):
        (root / "projects" / f"{name}.yaml").write_text(
            project_yaml(name, deadline=f"{beyond}-12-31") + (extra if name == "b" else ""),
            encoding="utf-8",
        )
    _, warnings = check(root)
    found = [w for w in warnings if "holiday data" in w.text("en")]
    assert [w.text("en").split(": ", 1)[1] for w in found] == [
        f"warning: disclosure (信息公开): the holiday data (chinesecalendar) has no arrangement"
        f" for {beyond}: working days of {beyond} are counted on weekends alone (once the State"
        " Council has announced that year's holidays, upgrade chinesecalendar (pip install -U"
        " chinesecalendar) and check again)"
    ]


# -- the audit at check ------------------------------------------------------------------------


def test_late_and_overdue_items_are_warnings_at_check_and_errors_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    register(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    _, warnings = check(Path("content"))
    late_due = chinese_calendar.find_workday(20, date(2020, 8, 3))
    late = workdays_after(late_due, date(2020, 9, 15))
    due = chinese_calendar.find_workday(7, date(2020, 9, 1))
    overdue = workdays_after(due, date(2020, 9, 30))  # the month's end: no bulletin date
    assert late > 0 and overdue > 0
    assert disclosure_warnings(warnings) == [
        "content/projects/a.yaml:11:7: warning: disclosure.approval_result (信息公开): Approval "
        "results '可行性研究报告批复' formed on 2020-08-03 was due within 20 working days (by "
        f"{late_due}) but published on 2020-09-15, {late} working days late (it is listed in "
        "this month's bulletin and marked on the project's page; nothing to change in the "
        "register)",
        "content/projects/a.yaml:19:7: warning: disclosure.approval_result (信息公开): Approval "
        "results '建筑工程施工许可证' formed on 2020-09-01 was due to be published within 7 "
        f"working days (by {due}); not published by 2020-09-30, {overdue} working days overdue"
        " (once it is published, add published: with the date; this month's bulletin lists it "
        "among the overdue items)",
    ]
    zh = [w.text("zh-CN") for w in warnings if w.field.startswith("disclosure")]
    assert zh[1].endswith(
        "警告：信息公开（disclosure.approval_result）: 批准结果信息“建筑工程施工许可证”形成于"
        f"2020-09-01，应在7个工作日内（{due}前）公开，截至2020-09-30仍未公开，已逾期{overdue}"
        "个工作日（公开后在这一项写上 published: 公开日期；本月通报的“信息公开逾期事项”列出了它）"
    )
    assert main(["check", "--content", "content", "--strict"]) == 1
    assert "working days overdue" in capsys.readouterr().err


def test_the_audit_date_is_the_bulletin_date_else_the_month_s_end_never_today(
    tmp_path: Path,
) -> None:
    root = register(tmp_path / "content")
    reg, _ = check(root)
    assert audit_month(reg, Month(2020, 9)).as_of == date(2020, 9, 30)
    report = (root / "reports" / "2020-09.yaml").read_text("utf-8")
    (root / "reports" / "2020-09.yaml").write_text(
        report.replace("month: 2020-09\n", "month: 2020-09\npublished: 2020-10-12\n"), "utf-8"
    )
    reg, _ = check(root)
    audit = audit_month(reg, Month(2020, 9))
    due = chinese_calendar.find_workday(7, date(2020, 9, 1))
    assert audit.as_of == date(2020, 10, 12)
    ((_, item),) = audit.overdue
    assert item.days_late == workdays_after(due, date(2020, 10, 12))
    # August's audit: the licensing item was not yet formed, the other one not yet published
    # and due on August's last day
    august = audit_month(reg, Month(2020, 8)).of("a")
    assert august is not None
    assert [i.state for i in august.categories[1].items] == ["pending"]
    # a late publication is reported in the month it was published in, once
    assert len(audit.late_this_month) == 1 and not audit_month(reg, Month(2020, 8)).late_this_month


def test_a_publication_before_the_item_was_formed_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(
        tmp_path / "content",
        "disclosure:\n  bidding:\n    - item: 中标结果公示\n      formed: 2020-05-10\n"
        "      published: 2020-05-08\n",
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as failure:
        check(Path("content"))
    assert [p.text("en") for p in failure.value.problems] == [
        "content/projects/a.yaml:12:18: disclosure.bidding[1].published (公开日期): the "
        "publication date 2020-05-08 is before the date formed, 2020-05-10 (check both dates; "
        "information changed and published again is an item of its own, formed on the day of "
        "the change)"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("      link: javascript:alert(1)", "expected an absolute http:// or https:// address"),
        ("      link: https://a.gov.cn/x y", "expected an http:// or https:// address without"),
        ("      role: 总包", "expected the role to be one of legal_person"),
        ("      licensing: 也许", "expected licensing to be true or false"),
        ("      winner: 某公司", "unknown key"),  # a field of another category
    ],
)
def test_the_fields_of_an_item_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, expected: str
) -> None:
    extra = (
        "disclosure:\n  approval_result:\n    - item: 批复\n      formed: 2020-05-10\n"
        if "role" not in line
        else "disclosure:\n  construction:\n    - item: 施工单位\n      formed: 2020-05-10\n"
    )
    register(tmp_path / "content", extra + line + "\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as failure:
        check(Path("content"))
    (problem,) = failure.value.problems
    assert problem.pos.line == 12 and expected in problem.text("en")


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("批准结果信息", "(批准结果信息 is written as the key approval_result)"),
        ("aproval_result", "(did you mean approval_result?)"),
    ],
)
def test_a_category_by_its_chinese_name_or_misspelt_says_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, hint: str
) -> None:
    register(
        tmp_path / "content", f"disclosure:\n  {key}:\n    - item: 批复\n      formed: 2020-05-10\n"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as failure:
        check(Path("content"))
    assert [p.text("en") for p in failure.value.problems] == [
        f"content/projects/a.yaml:9:3: disclosure.{key}: unknown disclosure category {hint}"
    ]


# -- not applicable, and coverage ------------------------------------------------------------


def test_not_applicable_with_a_reason_is_quiet_without_one_a_warning_and_false_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    register(tmp_path / "content")
    _, warnings = check(Path("content"))
    assert not [w for w in warnings if "without a reason" in w.text("en")]
    for value in ("", " true", " 是"):
        register(
            tmp_path / "content",
            DISCLOSURE_A.replace(" 使用存量国有建设用地，不涉及征收土地", value),
        )
        reg, warnings = check(Path("content"))
        found = [w for w in warnings if "without a reason" in w.text("en")]
        assert found[0].pos.line == 31
        assert [w.text("en").split(": ", 1)[1] for w in found] == [
            "warning: disclosure.land.not_applicable (不适用): Land "
            "expropriation is marked not applicable without a reason (write the reason as the "
            "value of not_applicable; the board shows 'not applicable (no reason given)')"
        ], value
        assert found[0].severity is Severity.WARNING
        land = compute_month(reg).disclosure.of("a").categories[3]
        assert (land.state, land.reason) == ("not_applicable", "")
    register(
        tmp_path / "content", DISCLOSURE_A.replace("使用存量国有建设用地，不涉及征收土地", "否")
    )
    with pytest.raises(ContentError) as failure:
        check(Path("content"))
    assert [words(p.message, "en") for p in failure.value.problems] == [
        "expected not_applicable to give the reason, got false"
    ]


def test_coverage_counts_the_categories_published_among_those_that_apply(tmp_path: Path) -> None:
    reg, _ = check(register(tmp_path / "content"))
    found = compute_month(reg).disclosure.of("a")
    assert found is not None
    states = {c.key: c.state for c in found.categories}
    assert states == {
        "approval_service": "none",
        "approval_result": "published",  # one published (late), one not: published
        "bidding": "unpublished",
        "land": "not_applicable",
        "design_change": "none",
        "construction": "published",
        "quality_safety": "published",
        "completion": "none",
    }
    assert (found.published, found.applicable, found.not_applicable) == (3, 7, 1)
    # in August the late item was not yet published: approval_result was not published then
    august = audit_month(reg, Month(2020, 8)).of("a")
    assert august is not None and august.published == 2
    assert compute_month(reg).disclosure.of("b") is None  # no section: not audited


def test_the_example_county_fills_all_eight_categories_for_two_projects() -> None:
    reg, _ = check(CONTENT)
    audit = compute_month(reg).disclosure
    full = [
        p.project.id
        for p in audit.projects
        if all(c.items for c in p.categories) and p.published == 8
    ]
    assert full == ["henantuan-guangfu", "kaifaqu-jingwushi"]
    assert len({p.code for p in reg.projects}) == len(reg.projects)
    assert len(audit.overdue) == 1 and len(audit.late_this_month) == 1


# -- shown: the bulletin, the site, the open data ---------------------------------------------


def context(root: Path) -> BuildContext:
    reg, _ = check(root)
    boards = compute_all(reg)
    return BuildContext(reg, boards, boards[-1], environment(reg))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_the_bulletin_lists_the_late_and_overdue_items_in_its_pdf_and_word_copy(
    tmp_path: Path,
) -> None:
    ctx = context(register(tmp_path / "content"))
    printer = pdf.Printer(ctx, fontcheck.resolve(ctx.config.font))
    data = printer.bulletin_unit()[2]()
    pages = PdfReader(io.BytesIO(data)).pages
    # the page numbers (— 2 —) read back inside a sentence that runs over a page
    shown = re.sub(r"—\d+—", "", squash("".join(page.extract_text() for page in pages)))
    due = chinese_calendar.find_workday(7, date(2020, 9, 1))
    overdue = workdays_after(due, date(2020, 9, 30))
    late_due = chinese_calendar.find_workday(20, date(2020, 8, 3))
    late = workdays_after(late_due, date(2020, 9, 15))
    sentences = [
        "五、信息公开逾期事项",
        "截至2020年9月30日，1个项目有2项信息逾期：",
        "（一）项目a",
        "批准结果信息“可行性研究报告批复”（县发改审批〔2020〕12号），2020年8月3日形成，应于"
        f"{late_due.year}年{late_due.month}月{late_due.day}日前公开（20个工作日），2020年9月15日"
        f"公开，逾期{late}个工作日；公开主体：县发展和改革局。",
        "批准结果信息“建筑工程施工许可证”（130529202009010001），2020年9月1日形成，应于"
        f"{due.year}年{due.month}月{due.day}日前公开（7个工作日），截至2020年9月30日仍未公开，"
        f"已逾期{overdue}个工作日；公开主体：县住房和城乡建设局。",
        "请有关公开主体立即补充公开，并说明逾期原因。",
    ]
    for sentence in sentences:
        assert squash(sentence) in shown, sentence
    assert shown.index("四、本月调整事项") < shown.index("五、信息公开逾期事项")  # the last
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(word.bulletin_docx(ctx))).paragraphs)
    for sentence in sentences:
        assert squash(sentence) in squash(body), sentence
    heading = next(
        p
        for p in docx.Document(io.BytesIO(word.bulletin_docx(ctx))).paragraphs
        if p.text == "五、信息公开逾期事项"
    )
    assert heading.style.name == word.STYLE_H1


def test_the_pdf_s_sentences_are_escaped_and_keep_their_dates_whole(tmp_path: Path) -> None:
    root = register(tmp_path / "content", DISCLOSURE_A.replace("建筑工程施工许可证", "<b>许可</b>"))
    ctx = context(root)
    words = disclosure.Words(ctx.t, "zh-CN")
    section = disclosure.bulletin_section(ctx.board, words, markup=True)
    ((_, sentences),) = section.groups
    assert "&lt;b&gt;许可&lt;/b&gt;" in sentences[1] and "<b>" not in sentences[1]
    assert '<span class="nw">2020年9月30日</span>' in section.intro
    assert '<span class="nw">2020年9月1日</span>形成' in sentences[1]
    plain = disclosure.bulletin_section(ctx.board, words)
    assert "<b>许可</b>" in plain.groups[0][1][1]  # the Word copy's text, as written


def test_a_register_without_disclosure_has_no_such_section(scratch: Path) -> None:
    ctx = context(scratch)
    body = [p.text for p in docx.Document(io.BytesIO(word.bulletin_docx(ctx))).paragraphs]
    assert "五、信息公开逾期事项" not in body
    files, _, _ = render_all(scratch, stages=("data", "assets", "site"))
    assert "site/disclosure/index.html" not in files
    assert "disclosure/index.html" not in files["site/index.html"].decode()


def test_the_site_shows_the_eight_categories_marks_late_and_overdue_and_escapes_links(
    tmp_path: Path,
) -> None:
    hostile = 'https://www.example.gov.cn/a?b="><script>alert(1)</script>'
    root = register(
        tmp_path / "content",
        DISCLOSURE_A.replace("https://www.example.gov.cn/fgj/xmsp/2020/012.html", hostile),
    )
    files, _, _ = render_all(root, stages=("data", "assets", "site"))
    page = files["site/projects/a/index.html"].decode()
    section = page[page.index('id="disclosure"') : page.index('id="history-title"')]
    text = squash(re.sub(r"<[^>]+>", " ", section))
    for name in (
        "批准服务信息",
        "批准结果信息",
        "招标投标信息",
        "征收土地信息",
        "重大设计变更信息",
        "施工有关信息",
        "质量安全监督信息",
        "竣工有关信息",
    ):
        assert name in text
    assert "已公开3/7类（1类不适用）" in text
    assert CODE in text
    assert "不适用：使用存量国有建设用地，不涉及征收土地" in text
    due = chinese_calendar.find_workday(7, date(2020, 9, 1))
    overdue = workdays_after(due, date(2020, 9, 30))
    late_due = chinese_calendar.find_workday(20, date(2020, 8, 3))
    late = workdays_after(late_due, date(2020, 9, 15))
    assert (
        f'class="disclosure-state disclosure-overdue"><span class="mark" aria-hidden="true">×</span> 逾期未公开（{overdue}个工作日）'
        in section
    )
    assert (
        f'class="disclosure-state disclosure-late"><span class="mark" aria-hidden="true">△</span> 逾期公开（{late}个工作日）'
        in section
    )
    assert "中标单位" in text and "9860万元" in text
    # the link is escaped, never markup
    assert "<script>" not in page
    assert (
        'href="https://www.example.gov.cn/a?b=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'
        in page
    )
    county = files["site/disclosure/index.html"].decode()
    assert "已公开 3/7 类（1类不适用）" in county
    assert "未填报信息公开" in county  # project b
    assert 'href="../../disclosure/index.html"' in page  # the nav links the county page
    data = json.loads(files["site/data/board.json"])
    jsonschema.validate(data, SCHEMA)
    a = data["projects"][0]
    assert a["code"] == CODE and data["projects"][1]["disclosure"] is None
    items = [i for c in a["disclosure"]["categories"] for i in c["items"]]
    assert [(i["item"], i["state"], i["workdays_late"]) for i in items] == [
        ("可行性研究报告批复", "late", late),
        ("建筑工程施工许可证", "overdue", overdue),
        ("施工中标结果公示", "pending", None),
        ("项目法人单位及主要负责人", "on_time", None),
        ("施工单位及项目经理", "on_time", None),
        ("质量安全监督机构及联系方式", "on_time", None),
    ]
    assert items[2]["due"] == str(chinese_calendar.find_workday(20, date(2020, 9, 25)))
    assert data["disclosure"]["overdue_items"] == 1
    assert data["disclosure"]["late_items_this_month"] == 1


@pytest.mark.slow
def test_the_sheet_carries_the_signboard_of_the_parties(tmp_path: Path) -> None:
    ctx = context(register(tmp_path / "content"))
    printer = pdf.Printer(ctx, fontcheck.resolve(ctx.config.font))
    parts = [make() for _, _, make in printer.sheets_units()]
    shown = squash(PdfReader(io.BytesIO(parts[0])).pages[0].extract_text())
    for text in (
        "工程概况（施工有关信息）",
        CODE,
        "项目法人单位县清源水务有限公司（负责人：赵立新）",
        "施工单位北辰示范建设集团有限公司（项目经理：郭志强）",
        "质量安全监督机构县建设工程质量安全监督站监督电话0310-7216688",
        "已公开3/7类（1类不适用）（1项逾期未公开）",
    ):
        assert squash(text) in shown, text


# -- the workbook -------------------------------------------------------------------------------


def test_the_workbook_s_disclosure_sheet_round_trips_and_names_its_cells(tmp_path: Path) -> None:
    root = register(tmp_path / "content")
    book = tmp_path / "book.xlsx"
    book.write_bytes(template_from(root, all_months=True))
    wb = openpyxl.load_workbook(book)
    ws = wb["信息公开"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["编号", "公开类别", "事项", "文号", "形成/变更日期", "公开日期"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("a", "批准结果信息", "可行性研究报告批复"),
        ("a", "批准结果信息", "建筑工程施工许可证"),
        ("a", "招标投标信息", "施工中标结果公示"),
        ("a", "征收土地信息", None),
        ("a", "施工有关信息", "项目法人单位及主要负责人"),
        ("a", "施工有关信息", "施工单位及项目经理"),
        ("a", "质量安全监督信息", "质量安全监督机构及联系方式"),
    ]
    assert wb["项目"]["M2"].value == CODE
    # the first import writes the role's Chinese name as its key, as every value is written
    # back in its first spelling; then the workbook and the register agree
    reg_before, _ = check(root)
    result = import_workbook(book, root, update=True)
    text = (root / "projects" / "a.yaml").read_text("utf-8")
    assert "role: construction" in text and "role: 施工单位" not in text
    reg_after, _ = check(root)
    assert reg_after.project("a") == reg_before.project("a")
    before = text
    result = import_workbook(book, root, update=True)
    assert not result.updated and (root / "projects" / "a.yaml").read_text("utf-8") == before

    # the office publishes the permit on 2020-09-29: one cell
    published = headers.index("公开日期") + 1
    ws.cell(3, published, date(2020, 9, 29))
    wb.save(book)
    result = import_workbook(book, root, update=True)
    assert [p.name for p in result.updated] == ["a.yaml"]
    reg, _ = check(root)
    permit = reg.project("a").disclosure.category("approval_result").items[1]
    assert permit.published == date(2020, 9, 29) and permit.licensing
    assert reg.project("a").disclosure.category("construction").items[1].role == "construction"
    assert not compute_month(reg).disclosure.overdue

    # a column of another category, and a category marked not applicable with items too
    winner = headers.index("中标单位") + 1
    ws.cell(2, winner, "某建设公司")
    ws.append(["a", "征收土地信息", "征地公告", None, date(2020, 7, 1)])
    ws.cell(3, headers.index("形成/变更日期") + 1).value = None
    wb.save(book)
    with pytest.raises(WorkbookError) as failure:
        import_workbook(book, root, update=True)
    assert [p.text("en") for p in failure.value.problems] == [
        f"信息公开!{openpyxl.utils.get_column_letter(winner)}2 中标单位: the column 中标单位 is not"
        " used for 批准结果信息 (clear the cell, or change the category to the one the column "
        "belongs to (see the 说明 sheet))",
        "信息公开!E3 形成/变更日期: expected a date YYYY-MM-DD, got an empty cell (fill it in)",
        "信息公开!B9 公开类别: 征收土地信息 cannot be marked not applicable and list items too (a"
        " category that does not apply has one row with its id, category and reason; one that "
        "applies leaves the reason empty)",
    ]
    assert (root / "projects" / "a.yaml").read_text("utf-8") != before  # the earlier import
    assert "某建设公司" not in (root / "projects" / "a.yaml").read_text("utf-8")
