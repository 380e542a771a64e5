"""The promise on the wall cannot move quietly (issue 22): commitments, their change log, and the
check against the record of published months.

A county register of eight projects is published for August and September; then, for October,
each kind of commitment is changed (a deadline, an investment, a month's plan, a leader, a name),
a project is withdrawn, one is added and an overdue project's deadline is moved. Each change is
first made quietly (an error naming the published and the new value, with the YAML to add),
then with its change entry; the October build is read back from every output.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from board.build import BuildResult, build
from board.cli import main
from board.errors import ContentError, Severity
from board.model import Month
from board.newmonth import scaffold
from board.validate import check
from tests.conftest import BOARD_YAML, CONTENT, write_files

PROJECTS = {
    # id: (name, leader, deadline, investment)
    "a": ("北区污水处理厂", "王建国", "2020-12-31", 12500),
    "b": ("南区标准化厂房", "张立新", "2021-06-30", 10000),
    "c": ("河南疃镇快速通道", "刘海涛", "2021-06-30", 8000),
    "d": ("县人民医院内科楼", "陈丽华", "2021-10-31", 20000),
    "e": ("职教中心实训楼", "孙明远", "2020-12-31", 6000),
    "f": ("第四疃镇冷链物流中心", "吴晓燕", "2021-03-31", 8600),
    "h": ("骆庄园区食品产业园", "周永强", "2020-07-31", 9000),
}


def project_text(pid: str, **extra: str) -> str:
    name, leader, deadline, investment = PROJECTS[pid]
    return (
        f"id: {pid}\nname: {name}\nleader: {leader}\nunit: 住建局\nstart: 2020-01-01\n"
        f"deadline: {deadline}\ninvestment: {investment}\n"
        "plan:\n  2020-08: 60\n  2020-09: 70\n  2020-10: 80\n"
        "milestones:\n  - task: 主体封顶\n    owner: 住建局\n    due: 2020-10-31\n"
        + "".join(f"{key}: {value}\n" for key, value in extra.items())
    )


def report(month: str, percents: dict[str, int]) -> str:
    lines = [f"month: {month}", "projects:"]
    for pid, percent in percents.items():
        lines.append(
            f"  {pid}: {{percent: {percent}, progress: 施工中, reason: 原因, catch_up_by: 2020-12-31}}"
        )
    return "\n".join(lines) + "\n"


SEPTEMBER = {"a": 70, "b": 60, "c": 70, "d": 50, "e": 75, "f": 40, "h": 80}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The register of August and September, published (open data only: the record is what
    matters here) into `out`: (register, out)."""
    root = tmp_path_factory.mktemp("published")
    content = write_files(
        root / "content",
        {
            "board.yaml": BOARD_YAML + "id: commitments-test\n",
            **{f"projects/{pid}.yaml": project_text(pid) for pid in PROJECTS},
            "reports/2020-08.yaml": report("2020-08", {p: v - 10 for p, v in SEPTEMBER.items()}),
            "reports/2020-09.yaml": report("2020-09", SEPTEMBER),
        },
    )
    build(content, root / "out", stages=("data",))
    return content, root / "out"


def copy_published(published: tuple[Path, Path], dest: Path) -> tuple[Path, Path]:
    """A copy of the published register and its output with the record beside it."""
    content, out = published
    shutil.copytree(content, dest / "content")
    shutil.copytree(out, dest / "out")
    shutil.copytree(out.parent / ".out.published", dest / ".out.published")
    return dest / "content", dest / "out"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(content: Path, out: Path) -> list:
    with pytest.raises(ContentError) as caught:
        check(content, out=out)
    return [p for p in caught.value.problems if p.severity is Severity.ERROR]


# -- each kind of commitment: changed quietly (an error), then with its entry ------------------

# kind: (project, the line as published, the line changed, the key, published, new, line no.)
QUIET = {
    "deadline": (
        "a",
        "deadline: 2020-12-31",
        "deadline: 2021-06-30",
        "deadline",
        "2020-12-31",
        "2021-06-30",
        6,
    ),
    "investment": (
        "b",
        "investment: 10000",
        "investment: 12000",
        "investment",
        "10000",
        "12000",
        7,
    ),
    "plan": ("c", "  2020-09: 70", "  2020-09: 65", "plan.2020-09", "70%", "65%", 10),
    "leader": ("d", "leader: 陈丽华", "leader: 李四", "leader", "陈丽华", "李四", 3),
    "name": (
        "e",
        "name: 职教中心实训楼",
        "name: 职教中心实训楼（一期）",
        "name",
        "职教中心实训楼",
        "职教中心实训楼（一期）",
        2,
    ),
}


@pytest.mark.parametrize("kind", sorted(QUIET))
def test_a_commitment_changed_quietly_is_an_error_naming_both_values_and_the_entry_to_add(
    kind: str, published: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = copy_published(published, tmp_path)
    pid, old, new, key, was, now, line = QUIET[kind]
    path = content / "projects" / f"{pid}.yaml"
    edit(path, old, new)
    (problem,) = problems_of(content, out)
    assert problem.pos.file.endswith(f"projects/{pid}.yaml")
    assert problem.pos.line == line and problem.pos.col == new.index(":") + 3
    text = problem.text("en")
    assert f"was published on the board of 2020-09 as {was} and is now {now}" in text
    assert "with no entry in changes" in text
    # the hint is the YAML of the entry: filled in, it is accepted as it is
    entry = re.search(r"add under changes: (- \{.*?\}) \(with", text).group(1)
    assert f"field: {key}," in entry
    filled = (
        entry.replace("YYYY-MM-DD", "2020-10-12")
        .replace("reason: why", "reason: 县政府专题会议研究调整")
        .replace("approved_by: decided by", "approved_by: 示例县政府常务会议纪要〔2020〕12号")
    )
    path.write_text(path.read_text(encoding="utf-8") + f"changes:\n  {filled}\n", encoding="utf-8")
    register, _warnings = check(content, out=out)
    assert register.project(pid).changes[0].key == key
    # in Chinese, the same at the same place
    zh = problem.text("zh-CN")
    assert f"在2020年9月的公示中为{was}，现为{now}" in zh
    assert "调整记录（changes）中没有这项调整" in zh and "批准依据" in zh


def test_an_entry_whose_from_is_not_what_was_published_is_an_error(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = copy_published(published, tmp_path)
    path = content / "projects" / "a.yaml"
    edit(path, "deadline: 2020-12-31", "deadline: 2021-06-30")
    path.write_text(
        path.read_text(encoding="utf-8") + "changes:\n"
        "  - date: 2020-10-10\n    field: deadline\n    from: 2021-03-31\n    to: 2021-06-30\n"
        "    reason: 征地滞后\n    approved_by: 示例县政府常务会议纪要〔2020〕12号\n",
        encoding="utf-8",
    )
    (problem,) = problems_of(content, out)
    assert (problem.pos.line, problem.pos.col) == (19, 11)  # the entry's `from`
    assert problem.field == "changes[1].from (原值)"
    assert "was published on the board of 2020-09 as 2020-12-31" in problem.text("en")
    assert "write from: 2020-12-31" in problem.text("en")


def test_a_major_change_needs_approved_by_and_the_thresholds_are_in_board_yaml(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = copy_published(published, tmp_path)
    edit(content / "projects" / "a.yaml", "deadline: 2020-12-31", "deadline: 2021-03-31")
    edit(content / "projects" / "b.yaml", "investment: 10000", "investment: 10900")
    for pid, entry in (
        (
            "a",
            "{date: 2020-10-10, field: 完成时限, from: 2020-12-31, to: 2021-03-31, reason: 征地滞后}",
        ),
        ("b", "{date: 2020-10-10, field: 总投资, from: 10000, to: 10900, reason: 增加绿化}"),
    ):
        path = content / "projects" / f"{pid}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8") + f"changes:\n  - {entry}\n", encoding="utf-8"
        )
    # 90 days is a 重大调整 (60 or more); 9% is not (10% or more)
    (problem,) = problems_of(content, out)
    assert problem.pos.file.endswith("projects/a.yaml") and problem.field.startswith(
        "changes[1].approved_by"
    )
    assert (
        "the deadline moves 90 days (60 or more is a major change): it needs approved_by"
        in problem.text("en")
    )
    assert (
        "完成时限调整90天（60天及以上为重大调整），须写明批准依据（approved_by）"
        in problem.text("zh-CN")
    )
    # the office's thresholds
    (content / "board.yaml").write_text(
        BOARD_YAML + "thresholds:\n  major_deadline_days: 120\n  major_investment_percent: 5\n",
        encoding="utf-8",
    )
    (problem,) = problems_of(content, out)
    assert problem.pos.file.endswith("projects/b.yaml")
    assert "the investment changes by 9.0% (5% or more is a major change)" in problem.text("en")


def test_deleting_a_published_project_is_an_error_naming_withdrawn(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = copy_published(published, tmp_path)
    (content / "projects" / "f.yaml").unlink()
    (content / "reports" / "2020-08.yaml").write_text(
        report("2020-08", {p: v - 10 for p, v in SEPTEMBER.items() if p != "f"}), encoding="utf-8"
    )
    (content / "reports" / "2020-09.yaml").write_text(
        report("2020-09", {p: v for p, v in SEPTEMBER.items() if p != "f"}), encoding="utf-8"
    )
    (problem,) = problems_of(content, out)
    assert problem.pos.file.endswith("projects/f.yaml")
    text = problem.text("en")
    assert "f (第四疃镇冷链物流中心) was on the board of 2020-09, and its file is gone" in text
    assert "withdrawn: {date: YYYY-MM-DD, reason: why, approved_by: decided by}" in text
    assert "项目只能按记录调出，不能删除" in problem.text("zh-CN")
    # the build refuses too, and leaves the output as it was
    before = sorted(p.name for p in (out / "site" / "data").iterdir())
    with pytest.raises(ContentError):
        build(content, out, stages=("data",))
    assert sorted(p.name for p in (out / "site" / "data").iterdir()) == before


def test_a_withdrawal_names_its_reason_and_decision_and_its_project_reports_no_more(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = copy_published(published, tmp_path)
    path = content / "projects" / "f.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "withdrawn: 2020-10-15\n", encoding="utf-8")
    (content / "reports" / "2020-10.yaml").write_text(
        report("2020-10", SEPTEMBER), encoding="utf-8"
    )
    found = {p.field: p for p in problems_of(content, out)}
    assert "withdrawn.reason (原因)" in found and "withdrawn.approved_by (批准依据)" in found
    edit(
        path,
        "withdrawn: 2020-10-15",
        "withdrawn: {date: 2020-10-15, reason: 业主资金链断裂, approved_by: 示例县政府常务会议纪要〔2020〕14号}",
    )
    (problem,) = problems_of(content, out)
    assert problem.pos.file.endswith("reports/2020-10.yaml") and problem.field == "projects.f"
    assert "f was withdrawn on 2020-10-15 and is not on the board of 2020-10" in problem.text("en")


def test_a_project_appearing_without_added_is_an_error(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = copy_published(published, tmp_path)
    PROJECTS["g"] = ("南区电商产业园", "郑国栋", "2021-04-30", 5000)
    try:
        (content / "projects" / "g.yaml").write_text(project_text("g"), encoding="utf-8")
    finally:
        del PROJECTS["g"]
    (problem,) = problems_of(content, out)
    assert problem.pos.file.endswith("projects/g.yaml") and problem.pos.line == 1
    assert (
        "g (南区电商产业园) was not on the board of 2020-09 and now appears on it"
        in problem.text("en")
    )
    assert "added: {date: YYYY-MM-DD" in problem.text("en")


def test_without_a_record_one_warning_says_the_check_needs_it(
    published: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content, out = published
    _, warnings = check(content, out=tmp_path / "output")
    notes = [w for w in warnings if "record of published months" in w.text("en")]
    assert len(notes) == 1 and notes[0].severity is Severity.WARNING
    assert "没有已发布月份的记录，无法核对承诺" in notes[0].text("zh-CN")
    # a notice, never an error: a first build has no record, --strict included
    _, strict = check(content, strict=True, out=tmp_path / "output")
    assert [w.severity for w in strict if "record of published" in w.text("en")] == [
        Severity.WARNING
    ]
    # with the record: no such warning; `board check` finds the default output (./output) and --out
    _register, warnings = check(content, out=out)
    assert not [w for w in warnings if "record of published months" in w.text("en")]
    copy, copy_out = copy_published(published, tmp_path / "here")
    edit(copy / "projects" / "a.yaml", "deadline: 2020-12-31", "deadline: 2021-06-30")
    monkeypatch.chdir(tmp_path / "here")
    copy_out.rename(tmp_path / "here" / "output")
    (tmp_path / "here" / ".out.published").rename(tmp_path / "here" / ".output.published")
    assert main(["check"]) == 1
    assert "was published on the board of 2020-09 as 2020-12-31" in capsys.readouterr().err
    assert main(["check", "--out", str(tmp_path / "nowhere")]) == 0
    assert "record of published months" in capsys.readouterr().err


def test_the_change_log_is_read_strictly_at_its_places(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML + "id: commitments-test\n",
            "projects/a.yaml": project_text(
                "a",
                changes="\n"
                "  - {date: 2020-10-10, field: 截止日期, from: 2020-06-30, to: 2020-12-31, reason: 某}\n"
                "  - {date: 2020-02-30, field: deadline, from: 2020-06-30, to: 2020-09-30, reason: 某}\n"
                "  - {date: 2020-10-10, field: investment, from: 一万, to: 12500, reason: 某}\n"
                "  - {date: 2020-10-11, field: plan.2020-13, from: 50, to: 60, reason: 某}\n"
                "  - {date: 2020-10-12, field: leader, from: 王建国, to: 王建国, reason: 某}\n"
                "  - {date: 2020-08-01, field: deadline, from: 2020-09-30, to: 2020-11-30, reason: 某}\n"
                "  - {date: 2020-09-01, field: deadline, from: 2020-10-31, to: 2020-11-30, reason: 某}",
            ),
            "reports/2020-09.yaml": report("2020-09", {"a": 70}),
        },
    )
    with pytest.raises(ContentError) as caught:
        check(content)
    found = [
        (p.pos.line, p.pos.col, p.field, p.text("en").split(": ", 2)[-1])
        for p in caught.value.problems
    ]
    texts = "\n".join(f"{line}:{col} {field}: {text}" for line, col, field, text in found)
    assert "17:31 changes[1].field (调整事项): '截止日期' is not a commitment" in texts
    assert "18:12 changes[2].date (决定日期): expected a date YYYY-MM-DD, got 2020-02-30" in texts
    assert "19:49 changes[3].from (原值): expected a number, got 一万" in texts
    assert "20:31 changes[4].field (调整事项): expected a month YYYY-MM, got 2020-13" in texts
    assert "21:54 changes[5].to (新值): from and to are both 王建国: that is no change" in texts
    assert "22:5 changes[6].approved_by (批准依据): the deadline moves 61 days" in texts
    # the chain: the second deadline change does not start where the first ended, and the
    # file's deadline moved on after the last one (at the deadline, with the entry to add)
    assert "23:47 changes[7].from (原值): expected from to be 2020-11-30" in texts
    assert (
        "6:11 deadline (完成时限): deadline is now 2020-12-31, but its change log ends at "
        "2020-11-30 (changes[7], 2020-09-01): this change has no entry (a published commitment "
        "cannot move quietly: add under changes: - {date: YYYY-MM-DD, field: deadline, "
        "from: 2020-11-30, to: 2020-12-31, reason: why, approved_by: decided by}" in texts
    )


# -- the October build, read back from every output ---------------------------------------------

OCTOBER_CHANGES = {
    "a": "  - {date: 2020-10-10, field: deadline, from: 2020-12-31, to: 2021-06-30, reason: 征地拆迁滞后, approved_by: 示例县政府常务会议纪要〔2020〕12号}\n",
    "b": "  - {date: 2020-10-10, field: investment, from: 10000, to: 12000, reason: 增加配套道路, approved_by: 示例县发改局批复〔2020〕33号}\n",
    "c": "  - {date: 2020-10-10, field: plan.2020-09, from: 70, to: 65, reason: 计划修订}\n",
    "d": "  - {date: 2020-10-10, field: leader, from: 陈丽华, to: 李四, reason: 县领导分工调整}\n",
    "e": "  - {date: 2020-10-10, field: name, from: 职教中心实训楼, to: 职教中心实训楼（一期）, reason: 名称规范}\n",
    "h": "  - {date: 2020-10-08, field: deadline, from: 2020-07-31, to: 2021-03-31, reason: 设备进口受阻, approved_by: 示例县政府常务会议纪要〔2020〕13号}\n",
}
# what each changed commitment reads as, on the board of October
SHOWN = {
    "a": ("完成时限", "2020年12月31日", "2021年6月30日", "征地拆迁滞后"),
    "b": ("总投资", "10000万元", "12000万元", "增加配套道路"),
    "c": ("2020年9月计划进度", "70%", "65%", "计划修订"),
    "d": ("分包县领导", "陈丽华", "李四", "县领导分工调整"),
    "e": ("项目名称", "职教中心实训楼", "职教中心实训楼（一期）", "名称规范"),
}


@pytest.fixture(scope="module")
def october(published: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The register with every change recorded, f withdrawn, g added, built for October."""
    content, out = copy_published(published, tmp_path_factory.mktemp("october"))
    edit(content / "projects" / "a.yaml", "deadline: 2020-12-31", "deadline: 2021-06-30")
    edit(content / "projects" / "b.yaml", "investment: 10000", "investment: 12000")
    edit(content / "projects" / "c.yaml", "  2020-09: 70", "  2020-09: 65")
    edit(content / "projects" / "d.yaml", "leader: 陈丽华", "leader: 李四")
    edit(content / "projects" / "e.yaml", "name: 职教中心实训楼", "name: 职教中心实训楼（一期）")
    edit(content / "projects" / "h.yaml", "deadline: 2020-07-31", "deadline: 2021-03-31")
    for pid, entry in OCTOBER_CHANGES.items():
        path = content / "projects" / f"{pid}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "changes:\n" + entry, encoding="utf-8")
    path = content / "projects" / "f.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "withdrawn: {date: 2020-10-15, reason: 业主资金链断裂, approved_by: 示例县政府常务会议纪要〔2020〕14号}\n",
        encoding="utf-8",
    )
    PROJECTS["g"] = ("南区电商产业园", "郑国栋", "2021-04-30", 5000)
    try:
        text = project_text(
            "g",
            added="{date: 2020-10-05, reason: 新列入省重点项目, approved_by: 示例县政府常务会议纪要〔2020〕14号}",
        )
    finally:
        del PROJECTS["g"]
    (content / "projects" / "g.yaml").write_text(text, encoding="utf-8")
    october = {p: v + 5 for p, v in SEPTEMBER.items() if p != "f"} | {"g": 10}
    (content / "reports" / "2020-10.yaml").write_text(report("2020-10", october), encoding="utf-8")
    return build(content, out)


def site(october: BuildResult, name: str) -> str:
    return (october.out_dir / "site" / name).read_text(encoding="utf-8")


def words_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def pdf_text(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("pid", sorted(SHOWN))
def test_a_recorded_change_is_published_with_its_baseline_everywhere(
    october: BuildResult, pid: str
) -> None:
    label, before, after, reason = SHOWN[pid]
    # the project's page: 原定 beside the fact shown, and its change log with date and reason
    page = words_of_html(site(october, f"projects/{pid}/index.html"))
    assert re.search(
        f"2020年10月10日 {label}( 重大调整)? {before} {after}( 延期\\d+天)? {reason}", page
    )
    if pid != "c":  # a month's plan is no fact of the page: its log says it
        assert f"原定{before} 2020年10月10日 调整为{after}" in page
    # the county page 调整记录 and the month's bulletin page
    for name in ("changes/index.html", "bulletin/2020-10/index.html"):
        county = words_of_html(site(october, name))
        assert re.search(f"{label}( 重大调整)? {before} {after}", county), name
    # the panel: the 调整 mark and its footnote
    panel = pdf_text(october.out_dir / "print" / "panel-2020-10.pdf")
    assert "调整说明" in panel and f"{label}原定{before}，2020年10月10日调整为{after}" in panel
    # the bulletin, PDF and Word: 本月调整事项
    sentence = f"{label}由{before}调整为{after}"
    assert "四、本月调整事项" in pdf_text(october.out_dir / "print" / "bulletin-2020-10.pdf")
    assert sentence in pdf_text(october.out_dir / "print" / "bulletin-2020-10.pdf")
    assert sentence in docx_text(october.out_dir / "print" / "bulletin-2020-10.docx")
    # the sign-off sheet and the feed
    assert f"{label} " in docx_text(october.out_dir / "内部" / "审阅-2020-10.docx")
    assert sentence in site(october, "feed.xml")
    # the open data: the baseline and the change
    data = json.loads(site(october, "data/board-2020-10.json"))
    row = next(p for p in data["projects"] if p["id"] == pid)
    (change,) = row["changes"]
    assert change["date"] == "2020-10-10" and change["reason"] == reason
    if pid in ("a", "d", "e"):
        key = {"a": "deadline", "d": "leader", "e": "name"}[pid]
        assert row["baseline"][key] == change["from"] and row[key] == change["to"]


def test_the_bulletin_counts_the_delays_and_the_csv_carries_the_baseline(
    october: BuildResult,
) -> None:
    text = pdf_text(october.out_dir / "print" / "bulletin-2020-10.pdf")
    assert "本月共有6个项目调整承诺6项，其中完成时限延期的项目2个。" in text
    assert "（二）南区标准化厂房" in text
    # a major change is said to be one on the site; the csv has the baseline beside the value
    assert "重大调整" in site(october, "changes/index.html")
    csv = site(october, "data/projects-2020-10.csv").lstrip("\ufeff").splitlines()
    head = csv[0].split(",")
    a = dict(zip(head, next(line for line in csv if line.startswith("a,")).split(","), strict=True))
    assert (a["deadline"], a["baseline_deadline"], a["changes"]) == (
        "2021-06-30",
        "2020-12-31",
        "1",
    )


def test_a_withdrawn_project_leaves_the_board_and_ranking_but_stays_in_the_history(
    october: BuildResult,
) -> None:
    data = json.loads(site(october, "data/board-2020-10.json"))
    assert "f" not in [p["id"] for p in data["projects"]] and "f" not in data["ranking"]
    assert data["withdrawn"] == [
        {
            "id": "f",
            "name": "第四疃镇冷链物流中心",
            "date": "2020-10-15",
            "reason": "业主资金链断裂",
            "approved_by": "示例县政府常务会议纪要〔2020〕14号",
        }
    ]
    september = json.loads(site(october, "data/board-2020-09.json"))
    assert "f" in september["ranking"]
    assert "第四疃镇冷链物流中心" in site(october, "2020-09/index.html")
    assert (
        "第四疃镇冷链物流中心"
        not in words_of_html(site(october, "index.html")).split("调整记录")[0]
    )
    page = words_of_html(site(october, "projects/f/index.html"))
    # as of the last board it was on: September's, when the board had 7 projects
    assert re.search(r"排名 \d/7 · 数据截至 2020年9月30日", page), page[:400]
    assert (
        "本项目已于2020年10月15日调出（原因：业主资金链断裂；依据：示例县政府常务会议纪要〔2020〕14号），不再列入公示"
        in page
    )
    assert "第四疃镇冷链物流中心" in words_of_html(site(october, "changes/index.html"))
    bulletin = pdf_text(october.out_dir / "print" / "bulletin-2020-10.pdf")
    assert "调出项目：第四疃镇冷链物流中心" in bulletin and "不再列入公示和排名" in bulletin
    assert "调出项目：第四疃镇冷链物流中心" in docx_text(
        october.out_dir / "print" / "bulletin-2020-10.docx"
    )


def test_a_project_added_mid_year_is_marked_new_in_its_first_month(october: BuildResult) -> None:
    data = json.loads(site(october, "data/board-2020-10.json"))
    new = {p["id"]: p["new"] for p in data["projects"]}
    assert new["g"] is True and not any(v for k, v in new.items() if k != "g")
    assert "南区电商产业园" not in site(october, "2020-09/index.html")
    row = re.search(
        r'<tr class="row-[^"]+"[^>]*data-order="\d+">\s*<th[^>]*><a href="projects/g/[^<]*</a>(.*?)</th>',
        site(october, "index.html"),
        re.S,
    )
    assert row and "新增" in row.group(1)
    assert "新增项目：南区电商产业园" in pdf_text(
        october.out_dir / "print" / "bulletin-2020-10.pdf"
    )


def test_a_deadline_moved_after_it_passed_shows_the_project_was_overdue_then(
    october: BuildResult,
) -> None:
    august = json.loads(site(october, "data/board-2020-08.json"))
    h_august = next(p for p in august["projects"] if p["id"] == "h")
    assert (h_august["status"], h_august["deadline"]) == ("overdue", "2020-07-31")
    data = json.loads(site(october, "data/board-2020-10.json"))
    h = next(p for p in data["projects"] if p["id"] == "h")
    assert h["status"] != "overdue" and h["deadline"] == "2021-03-31"
    assert h["overdue_when_moved"] == [
        {"month": "2020-10", "deadline": "2020-07-31", "decided": "2020-10-08"}
    ]
    note = "2020年10月调整时已超期（原定2020年7月31日）"
    assert note in words_of_html(site(october, "index.html"))
    assert note in words_of_html(site(october, "projects/h/index.html"))
    assert note in pdf_text(october.out_dir / "print" / "panel-2020-10.pdf")
    assert "调整时已超期" in pdf_text(october.out_dir / "print" / "bulletin-2020-10.pdf")


def test_each_month_attributes_the_project_to_its_leader_then(october: BuildResult) -> None:
    september = words_of_html(site(october, "bulletin/2020-09/index.html"))
    now = words_of_html(site(october, "bulletin/2020-10/index.html"))
    assert "县人民医院内科楼 陈丽华" in september and "县人民医院内科楼 李四" not in september
    assert "县人民医院内科楼 李四" in now
    history = words_of_html(site(october, "projects/d/index.html").split('id="history"')[1])
    assert re.search(r"2020年10月.*李四.*2020年9月.*陈丽华", history)


def test_the_record_keeps_each_published_month_s_commitments(october: BuildResult) -> None:
    record = json.loads(
        (october.out_dir.parent / ".out.published" / "record.json").read_text(encoding="utf-8")
    )
    months = record["months"]
    september = months["2020-09"]["versions"][-1]["snapshot"]["commitments"]
    october_ = months["2020-10"]["versions"][-1]["snapshot"]["commitments"]
    assert september["projects"]["a"]["deadline"] == "2020-12-31"
    assert october_["projects"]["a"]["deadline"] == "2021-06-30"
    assert "f" in september["projects"] and "f" not in october_["projects"]
    assert october_["as_of"] == "2020-10-31"


def test_new_month_leaves_out_a_withdrawn_project(october: BuildResult) -> None:
    content = october.out_dir.parent / "content"
    text = scaffold(content, Month(2020, 11))
    assert "  g:" in text and "  f:" not in text


# -- the clerk's manual, as written ----------------------------------------------------------

MANUAL = Path(__file__).resolve().parents[1] / "docs" / "zh-CN" / "使用手册.md"


def test_the_manual_s_deadline_change_runs_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """使用手册 “承诺调整”: change the deadline, `board check` says what to add, add the entry
    the manual shows, `board check` passes."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(CONTENT, tmp_path / "content")
    build(Path("content"), Path("output"), stages=("data",))  # last month, published
    project = tmp_path / "content" / "projects" / "luozhuang-shipin.yaml"
    edit(project, "deadline: 2021-05-31", "deadline: 2021-08-31")
    assert main(["--lang", "zh-CN", "check"]) == 1
    err = capsys.readouterr().err
    manual = MANUAL.read_text(encoding="utf-8")
    shown = re.search(r"```text\n\s*(content/projects/luozhuang-shipin\.yaml:6:11: .*)\n", manual)
    assert shown and shown.group(1) in err  # the manual quotes the message as it is
    block = re.search(r"<!-- manual:change -->\n\s*```yaml\n(.*?)\n\s*```", manual, re.S)
    assert block
    entry = "\n".join(line[3:] for line in block.group(1).splitlines())
    project.write_text(project.read_text(encoding="utf-8") + entry + "\n", encoding="utf-8")
    assert main(["--lang", "zh-CN", "check"]) == 0
    out = capsys.readouterr()
    assert "从下一期公示起显示" in out.err and out.out.startswith("检查通过：")


def test_the_screen_marks_a_change_and_explains_it_on_its_own_page(october: BuildResult) -> None:
    html = (october.out_dir / "screen" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<div class="row grid" data-id="a".*?</div>', html, re.S)
    assert row and "adj-mark" in row.group(0) and "原定2020年12月31日" in row.group(0)
    page = re.search(r'<section class="page page-changes".*?</section>', html, re.S)
    assert page
    text = words_of_html(page.group(0))
    assert "完成时限原定2020年12月31日，2020年10月10日调整为2021年6月30日" in text
    assert "征地拆迁滞后" in text and "示例县政府常务会议纪要〔2020〕12号" in text
    assert "调出 第四疃镇冷链物流中心" in text
    assert "2020年10月调整时已超期（原定2020年7月31日）" in text


def test_the_messages_of_the_change_log_read_in_chinese(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every problem of this issue is a catalog message; its Chinese names no English word but
    the keys the clerk types (changes, field, from, to, reason, approved_by, withdrawn, added)
    and the values quoted from the input."""
    from board.validate import CHANGE_FIELDS, DECISION_FIELDS
    from tests.test_messages_zh import both_languages

    keys = {*CHANGE_FIELDS, *DECISION_FIELDS, "changes", "withdrawn", "added", "approved_by"}
    quoted = " ".join([*keys, "deadline", "investment", "leader", "plan", "f", "g"])
    # against the record: changed quietly, an entry not from the published value, deleted,
    # appeared
    content, out = copy_published(published, tmp_path)
    edit(content / "projects" / "a.yaml", "deadline: 2020-12-31", "deadline: 2021-06-30")
    edit(content / "projects" / "b.yaml", "investment: 10000", "investment: 12000")
    path = content / "projects" / "b.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "changes:\n  - {date: 2020-10-10, field: 总投资, from: 9000, to: 12000, reason: 增加, "
        "approved_by: 示例县发改局批复}\n",
        encoding="utf-8",
    )
    (content / "projects" / "f.yaml").unlink()
    PROJECTS["g"] = ("南区电商产业园", "郑国栋", "2021-04-30", 5000)
    try:
        (content / "projects" / "g.yaml").write_text(project_text("g"), encoding="utf-8")
    finally:
        del PROJECTS["g"]
    for month in ("2020-08", "2020-09"):
        report_path = content / "reports" / f"{month}.yaml"
        report_path.write_text(
            re.sub(r"  f: .*\n", "", report_path.read_text(encoding="utf-8")), encoding="utf-8"
        )
    problems = problems_of(content, out)
    both_languages(problems, quoted)
    assert {p.message.key for p in problems} == {  # type: ignore[union-attr]
        "msg.commit.changed",
        "msg.commit.log_mismatch",
        "msg.commit.deleted",
        "msg.commit.appeared",
    }
    # in the file: a broken chain, a file moved on, a major change without its basis
    path = content / "projects" / "a.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "changes:\n"
        "  - {date: 2020-08-01, field: deadline, from: 2020-09-30, to: 2020-11-30, reason: 某}\n"
        "  - {date: 2020-09-01, field: deadline, from: 2020-10-31, to: 2020-11-30, reason: 某}\n",
        encoding="utf-8",
    )
    problems = problems_of(content, out)
    both_languages(problems, quoted)
    assert {p.message.key for p in problems} >= {  # type: ignore[union-attr]
        "msg.change.broken_chain",
        "msg.change.not_current",
        "msg.change.major_needs_approval",
    }
    # no record: the warning
    _, warnings = check(published[0], out=tmp_path / "none")
    both_languages([w for w in warnings if w.message.key.startswith("msg.commit.")], quoted)  # type: ignore[union-attr]


def test_the_workbook_carries_the_change_log_and_its_cells_are_named(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    """The sheet 调整记录: a change and a withdrawal typed in Excel reach the project files;
    a wrong 调整事项 is named by its cell."""
    from datetime import date

    import openpyxl

    from board.xlsx import WorkbookError, import_workbook, template_from
    from tests.test_xlsx import save

    content, out = copy_published(published, tmp_path)
    wb = openpyxl.load_workbook(io.BytesIO(template_from(content, Month(2020, 10))))
    wb.remove(wb["报告"])  # the projects' sheets only
    projects = wb["项目"]
    head = [c.value for c in projects[1]]
    for row in projects.iter_rows(min_row=2):
        if row[0].value == "a":
            row[head.index("完成时限")].value = date(2021, 6, 30)
    changes = wb["调整记录"]
    assert [c.value for c in changes[1]] == [
        "编号",
        "决定日期",
        "调整事项",
        "原值",
        "新值",
        "调整原因",
        "批准依据",
    ]
    basis = "示例县政府常务会议纪要〔2020〕12号"
    changes.append(
        [
            "a",
            date(2020, 10, 10),
            "完成时限",
            date(2020, 12, 31),
            date(2021, 6, 30),
            "征地拆迁滞后",
            basis,
        ]
    )
    changes.append(["f", date(2020, 10, 15), "调出", None, None, "业主资金链断裂", basis])
    import_workbook(save(wb, tmp_path / "c.xlsx"), content, update=True)
    register, _ = check(content, out=out)
    (change,) = register.project("a").changes
    assert (change.key, change.before, change.after) == (
        "deadline",
        date(2020, 12, 31),
        date(2021, 6, 30),
    )
    assert register.project("f").withdrawn is not None
    assert register.project("f").withdrawn.approved_by == basis
    # a wrong 调整事项, named by its cell
    changes.append(["b", date(2020, 10, 10), "截止日期", 1, 2, "某", ""])
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "d.xlsx"), content, update=True)
    assert any(
        str(p).startswith("调整记录!C4 调整事项: '截止日期' is not a commitment")
        for p in failure.value.problems
    ), [str(p) for p in failure.value.problems]


def test_a_project_moved_later_twice_is_named_with_how_often(tmp_path: Path) -> None:
    """The bulletin counts the projects moved later (延期) this month and names those moved
    twice or more, with how often (PDF and Word)."""
    from board.build import render_all

    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML + "id: commitments-test\n",
            "projects/a.yaml": project_text(
                "a",
                changes="\n"
                "  - {date: 2020-08-20, field: deadline, from: 2020-10-31, to: 2020-11-30, reason: 征地滞后}\n"
                "  - {date: 2020-09-15, field: deadline, from: 2020-11-30, to: 2020-12-31, reason: 设备到货晚}",
            ),
            "projects/b.yaml": project_text("b"),
            "reports/2020-08.yaml": report("2020-08", {"a": 50, "b": 50}),
            "reports/2020-09.yaml": report("2020-09", {"a": 60, "b": 60}),
        },
    )
    files, _, _ = render_all(content, stages=("print", "word"))
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(files["print/bulletin-2020-09.pdf"])
    text = pdf_text(pdf)
    assert "本月共有1个项目调整承诺1项，其中完成时限延期的项目1个。" in text
    assert "完成时限累计延期两次及以上的项目：北区污水处理厂（2次）。" in text
    docx = tmp_path / "bulletin.docx"
    docx.write_bytes(files["print/bulletin-2020-09.docx"])
    assert "北区污水处理厂（2次）" in docx_text(docx)
