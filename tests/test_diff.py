"""`board diff`: what a leader reviews before a month is published."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.cli import main
from board.diff import format_markdown, format_text, review
from board.errors import BoardError
from board.model import Month
from board.validate import check
from tests.conftest import BOARD_YAML, CONTENT, project_yaml, write_files


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """Four projects planned linearly over 2020 (66.6% by August, 74.8% by September)."""
    return write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            **{f"projects/{p}.yaml": project_yaml(p, order=i) for i, p in enumerate("abcd", 1)},
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 70, progress: 主体施工}
                  b: {percent: 60, progress: 基础施工}
                  c: {percent: 50, progress: 征地, reason: 征地拆迁未完成, catch_up_by: 2020-09-15}
                  d: {percent: 58, progress: 基础施工}
                """,
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a: {percent: 80, progress: 主体封顶}
                  b: {percent: 90, progress: 设备安装}
                  d: {percent: 63, progress: 主体施工, reason: 设备未到货, catch_up_by: 2020-10-31}
                """,
        },
    )


EXPECTED_TEXT = """\
全县重点项目建设进度公示 · 月度变化审阅 2020-08 → 2020-09
项目状态: 已完成 0, 逾期完成 0, 已超期 0, 未报送 1 (+1), 进度滞后 1, 正常推进 2 (-1)

进度变化 (3)
  项目a: 70% → 80% (+10)
  项目b: 60% → 90% (+30)
  项目d: 58% → 63% (+5)

状态变化 (2)
  项目c: 进度滞后 → 未报送
  项目d: 正常推进 → 进度滞后

新增滞后项目 (1)
  项目d: 63% / 计划进度 74.8% (-11.8); 滞后原因: 设备未到货; 限期赶上 2020-10-31

新填报的滞后原因 (1)
  项目d: 设备未到货 (限期赶上 2020-10-31)

逾期未赶上的承诺 (1)
  项目c: 限期赶上 2020-09-15 (承诺于 2020-08); 50% / 计划进度 74.8%

排名变化 (2)
  项目b: 2 → 1 (上升 1)
  项目a: 1 → 2 (下降 1)

本月未报送 (1)
  项目c (领导c, 住建局): 50% (2020-08)

承诺调整 (0)
  无

调出和新增的项目 (0)
  无
"""


def test_review_of_the_latest_month_names_every_change(county: Path) -> None:
    register, _ = check(county)
    assert format_text(review(register)) == EXPECTED_TEXT


def test_markdown_page_has_a_table_per_section(county: Path) -> None:
    register, _ = check(county)
    page = format_markdown(review(register))
    assert page.startswith("# 全县重点项目建设进度公示 · 月度变化审阅 2020-08 → 2020-09\n")
    assert "## 排名变化 (2)\n\n| 项目名称 | 2020-08 | 2020-09 | 名次变化 |\n" in page
    assert "| 项目b | 2 | 1 | 上升 1 |\n| 项目a | 1 | 2 | 下降 1 |\n" in page
    assert "## 本月未报送 (1)\n\n| 项目名称 | 分包县领导 | 分包单位 | 实际进度 |\n" in page
    assert page.endswith("## 审阅意见\n\n审阅意见：\n\n审阅人：　　　　　　　　日期：\n")


def test_markdown_escapes_what_would_break_a_table(county: Path) -> None:
    report = county / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("设备未到货", "'设备|未到货 *加急*'"),
        encoding="utf-8",
    )
    register, _ = check(county)
    page = format_markdown(review(register))
    assert "| 项目d | 设备\\|未到货 \\*加急\\* | 2020-10-31 |" in page


def test_an_empty_section_says_none(county: Path) -> None:
    register, _ = check(county)
    text = format_text(review(register, Month(2020, 8), Month(2020, 9)))
    assert text == EXPECTED_TEXT
    (county / "reports" / "2020-09.yaml").unlink()
    with pytest.raises(BoardError, match="there is no report before 2020-08 to compare it with"):
        review(check(county)[0])


def test_months_must_exist_and_be_in_order(county: Path) -> None:
    register, _ = check(county)
    with pytest.raises(
        BoardError, match=r"there is no report for 2020-07 \(reports: 2020-08, 2020-09\)"
    ):
        review(register, Month(2020, 7))
    with pytest.raises(BoardError, match="expected FROM before TO, got 2020-09 and 2020-08"):
        review(register, Month(2020, 9), Month(2020, 8))


def test_cli_diff_prints_and_writes_markdown(
    capsys: pytest.CaptureFixture[str], county: Path, tmp_path: Path
) -> None:
    assert main(["diff", "--content", str(county)]) == 0
    assert capsys.readouterr().out == EXPECTED_TEXT
    page = tmp_path / "review.md"
    code = main(
        [
            "diff",
            "2020-08",
            "2020-09",
            "--content",
            str(county),
            "--format",
            "md",
            "--out",
            str(page),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == f"wrote {page}: 2020-08 → 2020-09\n"
    assert page.read_text(encoding="utf-8") == format_markdown(review(check(county)[0]))
    assert main(["diff", "2020-13", "--content", str(county)]) == 2  # a usage error


def test_diff_on_the_example_county() -> None:
    """September against August in the example county: what the leader must see."""
    register, _ = check(CONTENT)
    rv = review(register)
    assert (str(rv.before.month), str(rv.after.month)) == ("2020-08", "2020-09")

    def ids(rows: list) -> list[str]:
        return [r.project.id for r in rows]

    changes = {c.row.project.id: (c.before, c.after) for c in rv.percent}
    assert changes["henantuan-guangfu"] == (88, 100)  # completed this month
    assert changes["beiqu-gongshui"] == (62, 60)  # a correction downwards is listed too
    assert "nanqu-dianshang" not in changes  # no report: its figure did not change
    statuses = {c.row.project.id: (c.before, c.after) for c in rv.status}
    assert statuses == {
        "nanqu-changfang": ("on_track", "behind"),
        "disituan-lengku": ("behind", "overdue"),
        "henantuan-guangfu": ("on_track", "completed"),
        "kaifaqu-jingwushi": ("on_track", "completed"),
        "luozhuang-shipin": ("on_track", "behind"),
        "beiqu-jiancai": ("on_track", "behind"),
        "nanqu-dianshang": ("on_track", "no_report"),
    }
    assert ids(rv.new_delays) == ["nanqu-changfang", "luozhuang-shipin", "beiqu-jiancai"]
    assert ids(rv.reasons) == [
        "nanqu-changfang",
        "luozhuang-fangzhi",
        "disituan-lengku",
        "beiqu-jiancai",
    ]
    assert ids(rv.no_report) == ["nanqu-dianshang"]
    moves = {m.row.project.id: (m.before, m.after) for m in rv.moves}
    # completed projects lead the ranking (issue 13): xian-yiyuan is 5th behind three of them,
    # up 3 places among the unfinished, as the bulletin says; completed projects never move
    assert moves["xian-yiyuan"] == (8, 5) and moves["beiqu-gongshui"] == (3, 10)
    assert {m.row.project.id: m.places for m in rv.moves}["xian-yiyuan"] == 3
    assert not [m for m in rv.moves if m.row.status == "completed"]
    assert rv.missed == []  # luozhuang-fangzhi missed its deadline in August, not again now
    august = review(register, Month(2020, 7), Month(2020, 8))
    assert [(r.project.id, str(p.by)) for r, p in august.missed] == [
        ("luozhuang-fangzhi", "2020-08-31")
    ]
    text = format_text(rv)
    assert (
        "  骆庄园区食品产业园标准化车间及配套设施建设项目（一期）: 36% / 计划进度 48.4% (-12.4); 滞后原因: 未说明原因\n"
        in text
    )
