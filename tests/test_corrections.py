"""Corrections compare everything a month shows; a published month is never unpublished (issue 19).

August and September are published; then one thing about August changes and September is built
again. Any field of August's report (`invested_year`, `photos`, `published` included) or of a
project shown in August gives `-r2` files and a 更正 notice naming the field; what is not
August's own (a project added later, a milestone done after it) gives none. Deleting August's
report is refused; withdrawing it publishes a notice and keeps every file and link.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from board.build import build
from board.cli import main
from board.errors import BoardError
from board.model import Entry, Project, Report
from board.published import archive_dir
from tests.conftest import BOARD_YAML, NO_PDF, project_yaml, write_files
from tests.test_output_safety import tree
from tests.test_photos import jpeg

EPOCH = "1604188800"  # 2020-11-01
AUGUST = "month: 2020-08\nprojects:\n  a:\n    percent: 60\n    progress: 主体施工\n"
SEPTEMBER = "month: 2020-09\nprojects:\n  a:\n    percent: 70\n    progress: 主体封顶\n"


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml(
                "a",
                order=1,
                investment=12000,
                summary="新建厂房三万平方米",
                deadline="2021-06-30",
            )
            + "annual_investment:\n  2020: 5000\n"
            + "milestones:\n  - {task: 主体封顶, owner: 施工单位, due: 2020-10-31}\n",
            "reports/2020-08.yaml": AUGUST,
            "reports/2020-09.yaml": SEPTEMBER,
        },
    )
    (content / "photos" / "2020-08").mkdir(parents=True)
    (content / "photos" / "2020-08" / "a-1.jpg").write_bytes(jpeg(taken="2020:08:10 10:00:00"))
    out = tmp_path / "output"
    build(content, out, stages=NO_PDF)
    return content, out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_to_august(line: str) -> Callable[[Path], None]:
    return lambda content: edit(
        content / "reports" / "2020-08.yaml",
        "    progress: 主体施工\n",
        f"    progress: 主体施工\n{line}",
    )


# Every field of a report and of its entries, each changed in August's report, and the label
# the notice names it by. A field the model gains is missing here, and the test says so.
REPORT_CHANGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "percent": (
        lambda c: edit(c / "reports" / "2020-08.yaml", "percent: 60", "percent: 62"),
        "实际进度 60% → 62%",
    ),
    "progress": (
        lambda c: edit(c / "reports" / "2020-08.yaml", "主体施工", "主体施工，二层"),
        "具体进度",
    ),
    "invested": (add_to_august("    invested: 3000\n"), "累计完成投资（万元）"),
    "invested_year": (
        add_to_august("    invested: 3000\n    invested_year: 2000\n"),
        "本年完成投资（万元）",
    ),
    "problems": (add_to_august("    problems: 征地未完成\n"), "存在问题"),
    "measures": (add_to_august("    measures: 加快协调\n"), "推进措施"),
    "reason": (add_to_august("    reason: 雨季停工\n"), "滞后原因"),
    "catch_up_by": (add_to_august("    catch_up_by: 2020-12-31\n"), "限期赶上"),
    "photos": (add_to_august("    photos:\n      - photos/2020-08/a-1.jpg\n"), "形象进度照片"),
    "published": (
        lambda c: edit(
            c / "reports" / "2020-08.yaml",
            "month: 2020-08\n",
            "month: 2020-08\npublished: 2020-09-03\n",
        ),
        "印发日期",
    ),
    # the project said 未报送 afterwards (`reported: false`, issue 20): its row changes
    "not_reported": (
        lambda c: edit(
            c / "reports" / "2020-08.yaml",
            "    progress: 主体施工\n",
            "    progress:\n    reported: false\n",
        ),
        "报送情况",
    ),
}
# The project's fields a month shows that are not commitments: put right, the month is
# corrected. Its commitments (name, leader, unit, deadline, investment, plans, tasks' due
# dates; issue 22) are never put right in a published month: a change is recorded and shows
# from the next board (tests/test_commitments.py), and a quiet one is refused (below).
PROJECT_CHANGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "summary": (
        lambda c: edit(c / "projects" / "a.yaml", "新建厂房三万平方米", "新建厂房五万平方米"),
        "项目简介",
    ),
    "owner": (
        lambda c: edit(
            c / "projects" / "a.yaml", "unit: 住建局\n", "unit: 住建局\nowner: 某公司\n"
        ),
        "项目业主",
    ),
    "location": (
        lambda c: edit(
            c / "projects" / "a.yaml", "unit: 住建局\n", "unit: 住建局\nlocation: 北区\n"
        ),
        "建设地点",
    ),
}
COMMITMENTS = {
    "name": ("name: 项目a", "name: 项目甲"),
    "leader": ("leader: 领导a", "leader: 张三"),
    "deadline": ("deadline: 2021-06-30", "deadline: 2021-12-31"),
    "milestones": ("due: 2020-10-31", "due: 2020-08-15"),
}


@pytest.mark.parametrize("field", sorted(COMMITMENTS))
def test_a_published_commitment_is_not_corrected_quietly(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str], field: str
) -> None:
    """Put right in the project file, a commitment of a published month is refused (issue 22:
    a change is recorded in `changes:`), and nothing is published."""
    content, out = published
    edit(content / "projects" / "a.yaml", *COMMITMENTS[field])
    before = tree(out), tree(archive_dir(out))
    code = main(["build", str(content), "--out", str(out), "--stages", ",".join(NO_PDF)])
    err = capsys.readouterr().err
    assert code == 1
    assert "changes" in err and "2020-09" in err, err
    assert (tree(out), tree(archive_dir(out))) == before


def test_every_field_of_a_report_is_compared() -> None:
    """A report or an entry field added to the model must be added above (and so checked)."""
    entry = {f.name for f in dataclasses.fields(Entry) if f.compare} - {"project_id"}
    report = {f.name for f in dataclasses.fields(Report) if f.compare}
    report -= {"month", "entries", "source", "withdrawn"}  # the key, the rows, a notice
    assert entry | report == set(REPORT_CHANGES)
    project = {f.name for f in dataclasses.fields(Project) if f.compare}
    # the id is the key; the order only places the row; the plan is compared as the planned
    # percent it gives (tests below); start, location and category as the rest
    assert {"name", "leader", "unit", "deadline", "summary", "milestones"} <= project


def corrected(content: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build again; the notice on August's page (and the -r2 files beside the first)."""
    first = {n: h for n, h in tree(out).items() if "2020-08" in n and n.startswith("site/data")}
    assert (
        main(
            [
                "--lang",
                "zh-CN",
                "build",
                str(content),
                "--out",
                str(out),
                "--stages",
                ",".join(NO_PDF),
            ]
        )
        == 0
    ), capsys.readouterr().err
    capsys.readouterr()
    now = tree(out)
    for name, digest in first.items():
        assert now[name] == digest, name  # the first version, byte for byte
    page = (out / "site" / "2020-08" / "index.html").read_text(encoding="utf-8")
    return page


@pytest.mark.parametrize("field", sorted(REPORT_CHANGES) + sorted(PROJECT_CHANGES))
def test_a_change_to_anything_august_shows_is_a_correction(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str], field: str
) -> None:
    content, out = published
    change, label = {**REPORT_CHANGES, **PROJECT_CHANGES}[field]
    change(content)
    page = corrected(content, out, capsys)
    assert (out / "site" / "data" / "board-2020-08-r2.json").is_file(), field
    assert '<h2 id="correction-title">更正</h2>' in page
    note = page.split("更正（第2版）：")[1].split("</p>")[0]
    assert label in note, (field, note)
    feed = (out / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>更正：2020年8月 全县重点项目建设进度公示</title>" in feed
    # the correction's entry carries the corrected data; August's own keeps what it published
    assert feed_enclosures(feed) == {
        "更正：2020年8月 全县重点项目建设进度公示": ["data/board-2020-08-r2.json"],
        "2020年9月 全县重点项目建设进度公示": ["data/board-2020-09.json"],
        "2020年8月 全县重点项目建设进度公示": ["data/board-2020-08.json"],
    }


def feed_enclosures(feed: str) -> dict[str, list[str]]:
    """Each Atom entry's title → the hrefs of its enclosures, as a feed reader reads them."""
    atom = "{http://www.w3.org/2005/Atom}"
    return {
        entry.findtext(f"{atom}title", ""): [
            link.get("href", "")
            for link in entry.iter(f"{atom}link")
            if link.get("rel") == "enclosure"
        ]
        for entry in ET.fromstring(feed).iter(f"{atom}entry")
    }


def test_a_plan_that_changes_august_is_a_correction_one_that_does_not_is_none(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, out = published
    project = content / "projects" / "a.yaml"
    edit(project, "milestones:", "plan:\n  2021-03: 80\nmilestones:")  # after August's points
    page = corrected(content, out, capsys)
    assert "更正（第2版）：项目a：计划进度、偏差" in page  # the planned percent August shows
    before = tree(out)
    # 100% at the deadline, as without the point: the plan of August's day is what it was
    edit(project, "  2021-03: 80\n", "  2021-03: 80\n  2021-06: 100\n")
    corrected(content, out, capsys)
    assert not (out / "site" / "data" / "board-2020-08-r3.json").exists()
    assert {n for n in tree(out) if "2020-08" in n} == {n for n in before if "2020-08" in n}


def test_what_august_did_not_show_is_not_a_correction(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A project added to the register in October, a milestone done in October, September's
    own report changed: August stays as published."""
    content, out = published
    added = "added: {date: 2020-10-05, reason: 新列入重点项目, approved_by: 县政府常务会议纪要}\n"
    write_files(
        content, {"projects/b.yaml": project_yaml("b", order=2, start="2020-10-01") + added}
    )
    edit(content / "projects" / "a.yaml", "due: 2020-10-31}", "due: 2020-10-31, done: 2020-10-12}")
    edit(content / "reports" / "2020-09.yaml", "主体封顶", "主体封顶，装修开始")
    record = archive_dir(out)
    before = json.loads((record / "record.json").read_text(encoding="utf-8"))["months"]["2020-08"]
    page = corrected(content, out, capsys)
    assert "correction-title" not in page
    after = json.loads((record / "record.json").read_text(encoding="utf-8"))["months"]["2020-08"]
    assert after == before
    assert not any("-r2" in n for n in tree(out))


def test_a_published_months_report_deleted_is_refused(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, out = published
    report = content / "reports" / "2020-08.yaml"
    report.unlink()
    before = tree(out), tree(archive_dir(out))
    code = main(["build", str(content), "--out", str(out), "--stages", ",".join(NO_PDF)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"failed: 2020-08 was published, but {report} is gone from the register: a published "
        "month is never deleted. Bring the file back from a backup; to withdraw the month, write "
        "withdrawn: {date: DAY, reason: WHY} in it (see the manual)\n"
    )
    assert (tree(out), tree(archive_dir(out))) == before
    code = main(["--lang", "zh-CN", "build", str(content), "--out", str(out)])
    assert code == 1
    assert capsys.readouterr().err.startswith(
        f"失败：2020-08已经公示过，登记材料中却没有{report}：已发布的月份不能删除。"
    )


def test_a_withdrawn_month_keeps_its_files_and_links_and_says_so(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, out = published
    before = {n: h for n, h in tree(out).items() if "2020-08" in n and "site/data" in n}
    edit(
        content / "reports" / "2020-08.yaml",
        "month: 2020-08\n",
        "month: 2020-08\nwithdrawn: {date: 2020-10-20, reason: 数据未经审核}\n",
    )
    page = corrected(content, out, capsys)
    assert '<h2 id="withdrawn-title">撤回</h2>' in page
    assert (
        "本月公示已于2020年10月20日撤回。撤回原因：数据未经审核。原发布的文件保留在下方，供查阅。"
        in page
    )
    assert 'href="../data/board-2020-08.json"' in page  # the files stay linked
    assert "correction-title" not in page  # a withdrawal is not a correction
    archive = (out / "site" / "archive" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../2020-08/index.html">2020年8月</a>（已撤回）</th>' in archive
    after = {n: h for n, h in tree(out).items() if "2020-08" in n and "site/data" in n}
    assert after == before
    feed = (out / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>撤回：2020年8月 全县重点项目建设进度公示</title>" in feed
    assert "<updated>2020-10-20T00:00:00Z</updated>" in feed
    record = json.loads((archive_dir(out) / "record.json").read_text(encoding="utf-8"))
    assert record["months"]["2020-08"]["withdrawn"] == {
        "date": "2020-10-20",
        "reason": "数据未经审核",
    }
    # the withdrawal taken out of the report: the notice stays, and a warning says so
    edit(
        content / "reports" / "2020-08.yaml",
        "withdrawn: {date: 2020-10-20, reason: 数据未经审核}\n",
        "",
    )
    code = main(["build", str(content), "--out", str(out), "--stages", ",".join(NO_PDF)])
    err = capsys.readouterr().err
    assert code == 0
    assert err == (
        f"{content / 'reports' / '2020-08.yaml'}: warning: 2020-08 was withdrawn on 2020-10-20; "
        "the report no longer says so, and the notice stays (a withdrawal is not undone)\n"
    )
    assert '<h2 id="withdrawn-title">' in (out / "site/2020-08/index.html").read_text("utf-8")


def test_the_month_being_built_cannot_be_withdrawn(
    published: tuple[Path, Path],
) -> None:
    content, out = published
    edit(
        content / "reports" / "2020-09.yaml",
        "month: 2020-09\n",
        "month: 2020-09\nwithdrawn: {date: 2020-10-20, reason: 重复}\n",
    )
    before = tree(out)
    with pytest.raises(
        BoardError, match="2020-09 is the month being built and cannot be withdrawn"
    ):
        build(content, out, stages=NO_PDF)
    assert tree(out) == before


def test_a_withdrawal_needs_a_date_and_a_reason(published: tuple[Path, Path]) -> None:
    from board.errors import ContentError

    content, _ = published
    edit(
        content / "reports" / "2020-08.yaml",
        "month: 2020-08\n",
        "month: 2020-08\nwithdrawn: {date: 2020-07-01}\n",
    )
    with pytest.raises(ContentError) as failure:
        build(content, content.parent / "other", stages=NO_PDF)
    said = [p.text("en") for p in failure.value.problems]
    assert any("withdrawn.reason (撤回原因): required field is missing" in s for s in said), said
