"""Every error and warning of `board check`, with its exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.errors import ContentError, Severity
from board.i18n import words
from board.validate import check
from tests.conftest import BOARD_YAML, project_yaml, write_files

REPORT = """\
month: 2020-09
projects:
  a:
    percent: 75
    progress: 主体施工
"""


def problems_of(root: Path, strict: bool = False) -> list[str]:
    """The problems `board check` prints, with the register's folder stripped from paths."""
    try:
        _, warnings = check(root, strict=strict)
        found = warnings
    except ContentError as exc:
        found = exc.problems
    prefix = str(root) + "/"
    return [str(p).replace(prefix, "").replace(root.name + "/", "") for p in found]


def register(tmp_path: Path, files: dict[str, str | None] | None = None) -> Path:
    """A one-project register in tmp_path/content; `files` replace (or with None remove) files."""
    root = tmp_path / "content"
    base: dict[str, str | None] = {
        "board.yaml": BOARD_YAML,
        "projects/a.yaml": project_yaml("a"),
        "reports/2020-09.yaml": REPORT,
    }
    base.update(files or {})
    write_files(root, {k: v for k, v in base.items() if v is not None})
    return root


def one_error(tmp_path: Path, files: dict[str, str | None]) -> str:
    found = problems_of(register(tmp_path, files))
    errors = [p for p in found if ": warning: " not in p]
    assert len(errors) == 1, found
    return errors[0]


def test_valid_register_passes(tmp_path: Path) -> None:
    reg, warnings = check(register(tmp_path))
    assert [p.id for p in reg.projects] == ["a"]
    assert warnings == []


def test_impossible_date_names_file_line_column_and_both_field_names(tmp_path: Path) -> None:
    text = project_yaml("a", deadline="2020-02-30", start="2019-01-01")
    assert one_error(tmp_path, {"projects/a.yaml": text}) == (
        "projects/a.yaml:6:11: deadline (完成时限): expected a date YYYY-MM-DD, got 2020-02-30"
        " (February has 29 days in 2020)"
    )


def test_month_thirteen(tmp_path: Path) -> None:
    assert one_error(tmp_path, {"projects/a.yaml": project_yaml("a", start="2020-13-01")}) == (
        "projects/a.yaml:5:8: start (开工时间): expected a date YYYY-MM-DD, got 2020-13-01 (there is no month 13)"
    )


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = project_yaml("a") + "summary: [unclosed\n"
    message = one_error(tmp_path, {"projects/a.yaml": text})
    assert message.startswith("projects/a.yaml:8:1: YAML syntax error:")


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = project_yaml("a") + "name: 又一个名字\n"
    assert one_error(tmp_path, {"projects/a.yaml": text}) == (
        "projects/a.yaml:7:1: name: duplicate key, first given on line 2 (keep one of them)"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "owner: &x 业主",
            "projects/a.yaml:7:8: anchors are not allowed, found &x (write each value out in full)",
        ),
        (
            "owner: !!str 业主",
            "projects/a.yaml:7:8: tags are not allowed, found tag:yaml.org,2002:str (remove the tag; write plain values)",
        ),
    ],
)
def test_anchors_and_tags_are_rejected(tmp_path: Path, line: str, expected: str) -> None:
    assert one_error(tmp_path, {"projects/a.yaml": project_yaml("a") + line + "\n"}) == expected


def test_aliases_are_rejected(tmp_path: Path) -> None:
    text = project_yaml("a", owner=None) + "location: &p 南区\nowner: *p\n"
    found = problems_of(register(tmp_path, {"projects/a.yaml": text}))
    assert found == [
        "projects/a.yaml:7:11: anchors are not allowed, found &p (write each value out in full)"
    ]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    found = problems_of(register(tmp_path, {"projects/a.yaml": "\n".join(lines) + "\n"}))
    assert found == [
        "projects/a.yaml:1:5: anchors are not allowed, found &a0 (write each value out in full)"
    ]


def test_unknown_key_with_did_you_mean(tmp_path: Path) -> None:
    text = project_yaml("a") + "dealine: 2020-12-31\n"
    assert one_error(tmp_path, {"projects/a.yaml": text}) == (
        "projects/a.yaml:7:1: dealine: unknown key (did you mean deadline (完成时限)?)"
    )


def test_missing_required_field(tmp_path: Path) -> None:
    assert one_error(tmp_path, {"projects/a.yaml": project_yaml("a", leader=None)}) == (
        "projects/a.yaml:1:1: leader (分包县领导): required field is missing (expected text)"
    )


def test_empty_value(tmp_path: Path) -> None:
    assert one_error(tmp_path, {"projects/a.yaml": project_yaml("a", unit="")}) == (
        "projects/a.yaml:4:6: unit (分包单位): expected text, got an empty value (fill it in)"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"40"', "expected a whole percent 0-100, got the text '40' (remove the quotes)"),
        ("150", "expected a whole percent 0-100, got 150"),
        ("-1", "expected a whole percent 0-100, got -1"),
        (
            "40.5",
            "expected a whole percent 0-100, got 40.5 (write a whole number, without decimals)",
        ),
        (
            ".nan",
            "expected a whole percent 0-100, got .nan (not-a-number and infinity are not allowed)",
        ),
        ("yes", "expected a whole percent 0-100, got yes"),
        (
            "017",
            "expected a whole percent 0-100, got 017 (leading zeros are ambiguous in YAML, where 017 may be read as octal; write 17)",
        ),
    ],
)
def test_percent_must_be_a_plain_integer_0_to_100(
    tmp_path: Path, value: str, expected: str
) -> None:
    report = REPORT.replace("percent: 75", f"percent: {value}")
    assert one_error(tmp_path, {"reports/2020-09.yaml": report}) == (
        f"reports/2020-09.yaml:4:14: projects.a.percent (实际进度): {expected}"
    )


def test_yaml11_boolean_is_not_a_boolean(tmp_path: Path) -> None:
    text = (
        project_yaml("a")
        + "milestones:\n  - task: 审批\n    owner: 发改局\n    due: 2020-03-01\n    done: yes\n"
    )
    assert one_error(tmp_path, {"projects/a.yaml": text}) == (
        "projects/a.yaml:11:11: milestones[1].done (完成情况): expected true, false or a date YYYY-MM-DD,"
        " got yes (YAML 1.1 words like yes/no are ambiguous; write true or false)"
    )


def test_quoted_number_where_a_number_belongs(tmp_path: Path) -> None:
    assert one_error(tmp_path, {"projects/a.yaml": project_yaml("a", investment='"1200"')}) == (
        "projects/a.yaml:7:13: investment (总投资): expected a number, got the text '1200' (remove the quotes)"
    )


def test_deadline_before_start(tmp_path: Path) -> None:
    text = project_yaml("a", start="2020-06-01", deadline="2020-05-31")
    assert one_error(tmp_path, {"projects/a.yaml": text}) == (
        "projects/a.yaml:6:11: deadline (完成时限): expected a date not before start 2020-06-01, got 2020-05-31"
    )


def test_id_must_match_file_stem(tmp_path: Path) -> None:
    assert one_error(tmp_path, {"projects/a.yaml": project_yaml("b")}) == (
        "projects/a.yaml:1:5: id (编号): expected the file name's stem 'a', got 'b'"
        " (rename the file to b.yaml or change the id)"
    )


def test_id_characters(tmp_path: Path) -> None:
    root = register(tmp_path, {"projects/a.yaml": None})
    write_files(root, {"projects/A_1.yaml": project_yaml("A_1")})
    found = problems_of(root)
    assert found[0] == (
        "projects/A_1.yaml:1:5: id (编号): expected an id of lowercase letters, digits and '-', got A_1"
        " (ids are plain ASCII such as beiqu-wushui; the name can be any text)"
    )


def test_duplicate_ids(tmp_path: Path) -> None:
    root = register(tmp_path)
    write_files(root, {"projects/a.yml": project_yaml("a")})
    found = problems_of(root)
    assert "projects/a.yml:1:5: id (编号): duplicate id 'a', also used by " in found[0]
    assert found[0].endswith("projects/a.yaml:1")


def test_report_naming_an_unknown_project(tmp_path: Path) -> None:
    report = REPORT + "  aa:\n    percent: 10\n    progress: 开工\n"
    root = register(tmp_path, {"reports/2020-09.yaml": report})
    write_files(root, {"projects/ab.yaml": project_yaml("ab")})
    found = [p for p in problems_of(root) if "warning" not in p]
    assert found == [
        "reports/2020-09.yaml:6:3: projects.aa: unknown project: no file projects/aa.yaml (did you mean a?)"
    ]


def test_report_month_must_match_file_stem(tmp_path: Path) -> None:
    root = register(tmp_path)
    write_files(root, {"reports/2020-10.yaml": REPORT})
    assert problems_of(root) == [
        "reports/2020-10.yaml:1:8: month (月份): expected the file name's stem 2020-10, got 2020-09"
        " (rename the file to 2020-09.yaml or change the month)"
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    root = register(tmp_path)
    (root / "projects" / "a.yaml").write_bytes(project_yaml("a").encode("gbk"))
    assert problems_of(root) == [
        "projects/a.yaml:2:7: expected UTF-8 text, found byte 0xCF"
        " (save the file as UTF-8; GBK/GB2312 files from older editors are not accepted)"
    ]


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    root = register(tmp_path)
    path = root / "projects" / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    reg, _ = check(root)
    assert reg.projects[0].name == "项目a"


def test_crlf_line_endings_keep_line_numbers(tmp_path: Path) -> None:
    root = register(tmp_path)
    text = project_yaml("a", deadline="2020-02-30", start="2019-01-01").replace("\n", "\r\n")
    (root / "projects" / "a.yaml").write_bytes(text.encode())
    assert problems_of(root)[0].startswith("projects/a.yaml:6:11: deadline (完成时限)")


def test_file_over_size_cap(tmp_path: Path) -> None:
    root = register(tmp_path)
    path = root / "projects" / "a.yaml"
    path.write_text(project_yaml("a") + "#" * (1024 * 1024) + "\n")
    assert problems_of(root) == [
        f"projects/a.yaml: file is {path.stat().st_size:,} bytes, more than the limit of 1,048,576"
        " (split it, or check that it is the right file)"
    ]


def test_all_errors_are_reported_together_sorted_by_file_and_line(tmp_path: Path) -> None:
    bad_project = project_yaml("a", deadline="2020-02-30", order="x")
    bad_report = REPORT.replace("percent: 75", "percent: 750")
    found = problems_of(
        register(tmp_path, {"projects/a.yaml": bad_project, "reports/2020-09.yaml": bad_report})
    )
    assert [p.split(": ")[0] for p in found] == [
        "projects/a.yaml:6:11",
        "projects/a.yaml:7:8",
        "reports/2020-09.yaml:4:14",
    ]


def test_missing_board_yaml(tmp_path: Path) -> None:
    root = register(tmp_path, {"board.yaml": None})
    assert problems_of(root) == [
        "board.yaml: expected the board's settings file board.yaml, found none"
        " (every register has a board.yaml with title, issuer and hotline)"
    ]


def test_board_settings_are_checked(tmp_path: Path) -> None:
    text = BOARD_YAML + "language: fr\nthresholds:\n  behind: 200\npanel:\n  size: B5\n"
    found = problems_of(register(tmp_path, {"board.yaml": text}))
    assert found == [
        "board.yaml:4:11: language (语言): expected zh-CN or en, got fr",
        "board.yaml:6:11: thresholds.behind (滞后阈值): expected a whole percent 0-100, got 200",
        "board.yaml:8:9: panel.size (尺寸): expected A0, A1, A2, A3 or 'WIDTH HEIGHT' in mm such as 2400mm 1200mm, got B5",
    ]


# -- warnings ---------------------------------------------------------------------------------


def test_percent_lower_than_last_month_is_a_warning_and_an_error_under_strict(
    tmp_path: Path,
) -> None:
    earlier = REPORT.replace("2020-09", "2020-08").replace("percent: 75", "percent: 80")
    root = register(tmp_path, {"reports/2020-08.yaml": earlier})
    expected = (
        "reports/2020-09.yaml:4:14: warning: projects.a.percent (实际进度): 75 is lower than 80 in 2020-08"
        " (the percent is cumulative; explain the correction under problems (存在问题))"
    )
    assert problems_of(root) == [expected]
    assert problems_of(root, strict=True) == [expected.replace("warning: ", "")]


def test_project_without_a_report_in_the_latest_month(tmp_path: Path) -> None:
    root = register(tmp_path)
    write_files(root, {"projects/b.yaml": project_yaml("b")})
    assert problems_of(root) == [
        "reports/2020-09.yaml:2:1: warning: projects (项目): no entry for b (项目b) in the latest report 2020-09"
        " (the board shows it as 未报送 with its last known figures)"
    ]


def test_behind_without_reason_and_catch_up(tmp_path: Path) -> None:
    # 2020-01-01..2020-10-31 is 304 days; on 2020-09-30 (day 273) the linear plan is 89.8%
    found = problems_of(register(tmp_path))
    assert found == []  # default project runs 2020-01-01..2020-12-31: linear plan
    text = project_yaml("a", start="2020-01-01", deadline="2020-10-31")
    found = problems_of(register(tmp_path, {"projects/a.yaml": text}))
    assert found == [
        "reports/2020-09.yaml:3:3: warning: projects.a: behind plan (75% against 89.8% planned)"
        " without reason (滞后原因) and catch_up_by (限期赶上) (the speech: 凡是达不到要求的，要说明原因，限期赶上)"
    ]


def test_behind_with_reason_only_names_the_missing_catch_up(tmp_path: Path) -> None:
    text = project_yaml("a", start="2020-01-01", deadline="2020-10-31")
    report = REPORT + "    reason: 征地未完成\n"
    found = problems_of(
        register(tmp_path, {"projects/a.yaml": text, "reports/2020-09.yaml": report})
    )
    assert found == [
        "reports/2020-09.yaml:3:3: warning: projects.a: behind plan (75% against 89.8% planned)"
        " without catch_up_by (限期赶上) (the speech: 凡是达不到要求的，要说明原因，限期赶上)"
    ]


def test_overdue_without_reason(tmp_path: Path) -> None:
    text = project_yaml("a", start="2020-01-01", deadline="2020-08-31")
    found = problems_of(register(tmp_path, {"projects/a.yaml": text}))
    assert found == [
        "reports/2020-09.yaml:3:3: warning: projects.a: overdue (75% against 100% planned)"
        " without reason (滞后原因) and catch_up_by (限期赶上) (the speech: 凡是达不到要求的，要说明原因，限期赶上)"
    ]


def test_leader_with_more_than_two_projects(tmp_path: Path) -> None:
    root = register(tmp_path)
    files = {f"projects/{p}.yaml": project_yaml(p, leader="王建国") for p in "abc"}
    report = REPORT + "".join(f"  {p}:\n    percent: 75\n    progress: 施工\n" for p in "bc")
    files["reports/2020-09.yaml"] = report
    write_files(root, files)
    assert problems_of(root) == [
        "projects/c.yaml:3:9: warning: leader (分包县领导): 王建国 is in charge of 3 projects (a, b, c)"
        " (the speech: 每人分包1—2个重点项目)"
    ]


def test_warnings_carry_their_severity(tmp_path: Path) -> None:
    root = register(tmp_path)
    write_files(root, {"projects/b.yaml": project_yaml("b")})
    _, warnings = check(root)
    assert [w.severity for w in warnings] == [Severity.WARNING]
    with pytest.raises(ContentError):
        check(root, strict=True)


def test_the_example_county_passes_with_the_expected_warnings_only() -> None:
    reg, warnings = check(Path(__file__).resolve().parents[1] / "content")
    assert len(reg.projects) == 16
    assert [str(m) for m in reg.months] == ["2020-06", "2020-07", "2020-08", "2020-09"]
    texts = [words(w.message, "en") for w in warnings]
    kinds = sorted(
        "lower"
        if "is lower than" in text
        else "no-entry"
        if "no entry for" in text
        else "no-reason"
        if "without" in text
        else "leader"
        if "is in charge of" in text
        else "photo-reused"
        if "is the same photo as" in text
        else "photo-misdated"
        if "outside the window" in text
        else "disclosure-overdue"
        if "working days overdue" in text
        else "disclosure-late"
        if "working days late" in text
        else text
        for text in texts
    )
    # the photos made to show the photo desk's warnings, and the two disclosure items made to
    # show the 20-working-day audit (issue 24): one published late in September, one overdue;
    # the fall of beiqu-gongshui's percent in 2020-09 (62 → 60) states its reason under
    # problems: no warning
    assert kinds == [
        "disclosure-late",
        "disclosure-overdue",
        "leader",
        "no-entry",
        "no-reason",
        "photo-misdated",
        "photo-reused",
    ]
