"""Bounded input: numbers finite and in range, years 1900-2100, panel sizes from A4 to 10 m,
invisible format characters refused; each a file:line:col error and exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.cli import main
from board.errors import ContentError
from board.validate import check
from tests.conftest import BOARD_YAML, project_yaml, write_files
from tests.test_output_safety import tree


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        check(root)
    return [p.text("en") for p in exc.value.problems if p.severity == "error"]


def register(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    base = {
        "board.yaml": BOARD_YAML,
        "projects/a.yaml": project_yaml("a", order=1),
        "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n",
    }
    base.update(files or {})
    return write_files(tmp_path / "content", base)


MONEY = (
    "expected an amount in 10k CNY (万元) that is finite and below 1000000000 (10^9), got {} "
    "(amounts are written in 万元 (10k CNY): 12500 means 125 million CNY)"
)


@pytest.mark.parametrize(
    "value, shown",
    [
        ("1e400", "1e400"),
        ("1000000000", "1000000000"),
        ("9" * 5000, "9" * 20 + "… (5000 characters)"),
        ("1.5e9", "1.5e9"),
    ],
)
def test_money_beyond_the_range_is_refused(tmp_path: Path, value: str, shown: str) -> None:
    root = register(tmp_path, {"projects/a.yaml": project_yaml("a", order=1, investment=value)})
    assert errors_of(root) == [
        f"content/projects/a.yaml:8:13: investment (总投资): {MONEY.format(shown)}".replace(
            "content/", f"{root}/"
        )
    ]


def test_money_just_below_the_limit_is_accepted(tmp_path: Path) -> None:
    root = register(
        tmp_path, {"projects/a.yaml": project_yaml("a", order=1, investment="999999999.5")}
    )
    registered, _ = check(root)
    assert registered.projects[0].investment == 999999999.5


def test_invested_in_a_report_is_bounded_too_and_the_build_exits_1(tmp_path: Path, capsys) -> None:
    root = register(tmp_path)
    (root / "reports" / "2020-09.yaml").write_text(
        "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶, invested: 1e400}\n",
        encoding="utf-8",
    )
    out = tmp_path / "output"
    before = tree(root)
    assert main(["build", str(root), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{root}/reports/2020-09.yaml:3:46: projects.a.invested (累计完成投资): " in err
    assert MONEY.format("1e400") in err
    assert tree(root) == before
    assert not out.exists()


def test_a_whole_number_of_5000_digits_is_refused_not_a_crash(tmp_path: Path) -> None:
    root = register(tmp_path)
    (root / "board.yaml").write_text(
        BOARD_YAML + "screen:\n  seconds_per_page: " + "9" * 5000 + "\n", encoding="utf-8"
    )
    assert errors_of(root) == [
        f"{root}/board.yaml:5:21: screen.seconds_per_page (每页秒数): expected a whole number, "
        "got a number of 5000 digits (at most 15)"
    ]


@pytest.mark.parametrize("start", ["0000-01-01", "1899-12-31", "2101-01-01"])
def test_years_outside_1900_2100_are_refused_in_dates(tmp_path: Path, start: str) -> None:
    root = register(tmp_path, {"projects/a.yaml": project_yaml("a", order=1, start=start)})
    assert errors_of(root) == [
        f"{root}/projects/a.yaml:5:8: start (开工时间): expected a year from 1900 to 2100, got {start}"
    ]


def test_a_report_of_year_0000_is_refused_at_its_month(tmp_path: Path, capsys) -> None:
    root = register(tmp_path)
    (root / "reports" / "0000-01.yaml").write_text(
        "month: 0000-01\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n", encoding="utf-8"
    )
    assert errors_of(root) == [
        f"{root}/reports/0000-01.yaml:1:8: month (月份): expected a year from 1900 to 2100, "
        "got 0000-01"
    ]
    assert main(["check", str(root)]) == 1


def test_the_year_messages_read_in_chinese(tmp_path: Path) -> None:
    root = register(tmp_path, {"projects/a.yaml": project_yaml("a", order=1, start="0000-01-01")})
    with pytest.raises(ContentError) as exc:
        check(root)
    assert exc.value.problems[0].text("zh-CN") == (
        f"{root}/projects/a.yaml:5:8: 开工时间（start）: 年份应在1900到2100之间，现为0000-01-01"
    )


PANEL = (
    "expected a panel size from A4 (210mm by 297mm) to 10 m (10000mm) a side, got {} "
    "(write the width and height with the unit mm, such as 2400mm 1200mm, or A0 to A3)"
)


@pytest.mark.parametrize(
    "size", ["0mm 0mm", "100mm 100mm", "99999999mm 1200mm", "10001mm 2000mm", "200mm 3000mm"]
)
def test_panel_sizes_beyond_a4_to_10_m_are_refused(tmp_path: Path, size: str) -> None:
    root = register(tmp_path)
    (root / "board.yaml").write_text(BOARD_YAML + f"panel:\n  size: {size}\n", encoding="utf-8")
    assert errors_of(root) == [f"{root}/board.yaml:5:9: panel.size (尺寸): {PANEL.format(size)}"]


@pytest.mark.parametrize("size", ["0mm", "99999999mm", "2400 1200", "2400mm 1200"])
def test_a_panel_size_without_unit_or_height_is_refused(tmp_path: Path, size: str) -> None:
    root = register(tmp_path)
    (root / "board.yaml").write_text(BOARD_YAML + f"panel:\n  size: {size}\n", encoding="utf-8")
    assert errors_of(root) == [
        f"{root}/board.yaml:5:9: panel.size (尺寸): expected A0, A1, A2, A3 or 'WIDTH HEIGHT' "
        f"in mm such as 2400mm 1200mm, got {size}"
    ]


@pytest.mark.parametrize("size", ["210mm 297mm", "10000mm 3000mm", "2400mm 1200mm"])
def test_panel_sizes_within_the_range_are_accepted(tmp_path: Path, size: str) -> None:
    root = register(tmp_path)
    (root / "board.yaml").write_text(BOARD_YAML + f"panel:\n  size: {size}\n", encoding="utf-8")
    registered, _ = check(root)
    assert registered.config.panel.size == size


@pytest.mark.parametrize(
    "char, name",
    [
        ("\u00ad", "SOFT HYPHEN"),
        ("\u180e", "MONGOLIAN VOWEL SEPARATOR"),
        ("\u061c", "ARABIC LETTER MARK"),
        ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
        ("\ufff9", "INTERLINEAR ANNOTATION ANCHOR"),
    ],
)
def test_invisible_format_characters_are_refused_at_their_position(
    tmp_path: Path, char: str, name: str
) -> None:
    root = register(tmp_path)
    (root / "reports" / "2020-09.yaml").write_text(
        f"month: 2020-09\nprojects:\n  a: {{percent: 70, progress: 主体{char}封顶}}\n",
        encoding="utf-8",
    )
    code = f"{ord(char):04X}"
    assert errors_of(root) == [
        f"{root}/reports/2020-09.yaml:3:32: expected visible text, found the invisible format "
        f"character U+{code} ({name}) (remove it: it is not seen but changes how the text is "
        "shown or broken; it often comes with text copied from web pages or Word)"
    ]


def test_the_zero_width_joiner_is_still_refused_by_its_field(tmp_path: Path) -> None:
    root = register(tmp_path)
    (root / "reports" / "2020-09.yaml").write_text(
        "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体\u200d封顶}\n",
        encoding="utf-8",
    )
    assert errors_of(root) == [
        f"{root}/reports/2020-09.yaml:3:30: projects.a.progress (具体进度): expected visible text, "
        "found the invisible character U+200D (ZERO WIDTH JOINER) (remove it; it can hide or "
        "reorder what the board shows)"
    ]


def test_a_format_character_in_a_field_names_its_place_in_the_value() -> None:
    """Text that does not come from a YAML file (a workbook cell) is checked field by field."""
    from board.errors import Pos
    from board.load import Scalar
    from board.validate import Invalid, parse_text

    with pytest.raises(Invalid) as exc:
        parse_text(Scalar("主体\u00ad封顶", True, Pos("cell")))
    assert exc.value.message.text("zh-CN") == (
        "文字第3个字符是看不见的格式字符U+00AD（SOFT HYPHEN）；请删除"
    )


def test_a_month_option_outside_1900_2100_is_a_usage_error(scratch: Path, capsys) -> None:
    before = tree(scratch)
    assert main(["new-month", "0000-01", "--content", str(scratch)]) == 2
    assert "expected a year from 1900 to 2100, got 0000-01" in capsys.readouterr().err
    assert tree(scratch) == before


def test_a_tag_character_from_a_workbook_is_written_as_an_escape_that_reads_back() -> None:
    """The import writes invisible characters as escapes (then refused by the validator);
    beyond the BMP that needs YAML's \\U escape."""
    from board.load import parse_yaml
    from board.xlsx.yamltext import quoted

    problems: list = []
    text = "a\U000e0020b"
    root = parse_yaml("k: " + quoted(text) + "\n", "t", problems)
    assert problems == []
    assert root.items[0][1].value == text
