"""Nothing let in, part 1: hostile or broken register files give a precise error, never a traceback.

Part 2 (tests/test_hostile_output.py) builds hostile text through every output.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.build import build
from board.cache import MANIFEST
from board.errors import ContentError
from board.load import parse_yaml
from board.validate import check
from tests.conftest import BOARD_YAML, project_yaml, write_files

TEXT_HINT = (
    "the lobby screen, the wall panel and the A4 sheet show at most this many in full; shorten it"
    " (docs/content-format.md lists each field's limit)"
)
REPORT = "month: 2020-09\nprojects:\n  a:\n    percent: 75\n    progress: 主体施工\n"


def register(tmp_path: Path, files: dict[str, str | bytes | None]) -> Path:
    root = tmp_path / "content"
    base: dict[str, str | bytes | None] = {
        "board.yaml": BOARD_YAML,
        "projects/a.yaml": project_yaml("a"),
        "reports/2020-09.yaml": REPORT,
    }
    base.update(files)
    for name, data in base.items():
        if data is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def errors(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        check(root)
    prefix = str(root) + "/"
    return [str(p).replace(prefix, "") for p in exc.value.problems if p.severity == "error"]


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)

CASES: dict[str, tuple[dict[str, str | bytes | None], list[str]]] = {
    "billion laughs": (
        {"projects/a.yaml": BILLION_LAUGHS},
        ["projects/a.yaml:1:4: anchors are not allowed, found &a (write each value out in full)"],
    ),
    "merge key with alias": (
        {"projects/a.yaml": project_yaml("a") + "x: &base {b: 1}\n"},
        [
            "projects/a.yaml:7:4: anchors are not allowed, found &base (write each value out in full)"
        ],
    ),
    "python object tag": (
        {"projects/a.yaml": project_yaml("a") + "owner: !!python/object/apply:os.system ['id']\n"},
        [
            "projects/a.yaml:7:8: tags are not allowed, found tag:yaml.org,2002:python/object/apply:os.system"
            " (remove the tag; write plain values)"
        ],
    ),
    "binary tag": (
        {"projects/a.yaml": project_yaml("a") + "owner: !!binary aGVsbG8=\n"},
        [
            "projects/a.yaml:7:8: tags are not allowed, found tag:yaml.org,2002:binary (remove the tag; write plain values)"
        ],
    ),
    "deep nesting": (
        {"projects/a.yaml": project_yaml("a") + "owner: " + "[" * 200 + "]" * 200 + "\n"},
        [
            "projects/a.yaml:7:23: nesting deeper than 16 levels (the register never nests this deep; check the indentation)"
        ],
    ),
    "huge string": (
        {"projects/a.yaml": project_yaml("a", owner="业" * 6000)},
        [
            f"projects/a.yaml:7:8: owner (项目业主): expected at most 60 characters, got 6000 ({TEXT_HINT})"
        ],
    ),
    "project name of 5000 characters": (
        {"projects/a.yaml": project_yaml("a", name="北" * 5000)},
        [
            f"projects/a.yaml:2:7: name (项目名称): expected at most 100 characters, got 5000 ({TEXT_HINT})"
        ],
    ),
    "issuer of 300 characters": (
        {"board.yaml": BOARD_YAML.replace("县重点项目建设办公室", "办" * 300)},
        [
            f"board.yaml:2:9: issuer (发布单位): expected at most 40 characters, got 300 ({TEXT_HINT})"
        ],
    ),
    "bulletin issuer of 300 characters": (
        {"board.yaml": BOARD_YAML + "bulletin:\n  issuer: " + "办" * 300 + "\n"},
        [
            "board.yaml:5:11: bulletin.issuer (落款): expected at most 40 characters, got 300"
            f" ({TEXT_HINT})"
        ],
    ),
    "progress text past what the screen shows": (
        {"reports/2020-09.yaml": REPORT.replace("主体施工", "施" * 151)},
        [
            "reports/2020-09.yaml:5:15: projects.a.progress (具体进度): expected at most 150"
            f" characters, got 151 ({TEXT_HINT})"
        ],
    ),
    "second document": (
        {"projects/a.yaml": project_yaml("a") + "---\nid: b\n"},
        ["projects/a.yaml:7:1: expected one YAML document, found a second one after '---'"],
    ),
    "top-level list": (
        {"projects/a.yaml": "- id: a\n"},
        ["projects/a.yaml:1:1: expected a project of key: value lines, got a list"],
    ),
    "mapping as key": (
        {"projects/a.yaml": project_yaml("a") + "? {x: 1}\n: y\n"},
        ["projects/a.yaml:7:3: expected a plain key, found a list or mapping as a key"],
    ),
    "empty file": (
        {"projects/a.yaml": ""},
        ["projects/a.yaml:1:1: the file is empty (see docs/content-format.md)"],
    ),
    "bell character": (
        {"projects/a.yaml": project_yaml("a", name="北区\x07污水")},
        [
            "projects/a.yaml:2:9: expected text without control characters, found U+0007"
            " (remove it; it is invisible and often comes from copying out of other programs)"
        ],
    ),
    "NUL byte": (
        {"projects/a.yaml": project_yaml("a", name="北区\x00污水")},
        [
            "projects/a.yaml:2:9: expected text without control characters, found U+0000"
            " (remove it; it is invisible and often comes from copying out of other programs)"
        ],
    ),
    "escaped control character": (
        {"projects/a.yaml": project_yaml("a", name='"北区\\x1b[31m污水"')},
        [
            "projects/a.yaml:2:7: name (项目名称): expected visible text, found the invisible character U+001B"
            " (control character) (remove it; it can hide or reorder what the board shows)"
        ],
    ),
    "right-to-left override in a name": (
        {"projects/a.yaml": project_yaml("a", name="北区\u202e厂理处水污")},
        [
            "projects/a.yaml:2:7: name (项目名称): expected visible text, found the invisible character U+202E"
            " (RIGHT-TO-LEFT OVERRIDE) (remove it; it can hide or reorder what the board shows)"
        ],
    ),
    "right-to-left override in a progress text": (
        {"reports/2020-09.yaml": REPORT.replace("主体施工", "主体\u202e施工")},
        [
            "reports/2020-09.yaml:5:15: projects.a.progress (具体进度): expected visible text, found the invisible"
            " character U+202E (RIGHT-TO-LEFT OVERRIDE) (remove it; it can hide or reorder what the board shows)"
        ],
    ),
    "zero-width space in a leader's name": (
        {"projects/a.yaml": project_yaml("a", leader="王\u200b建国")},
        [
            "projects/a.yaml:3:9: leader (分包县领导): expected visible text, found the invisible character U+200B"
            " (ZERO WIDTH SPACE) (remove it; it can hide or reorder what the board shows)"
        ],
    ),
    "right-to-left override in an id": (
        {"projects/a\u202eb.yaml": project_yaml("a\u202eb", name="项目", leader="领导")},
        [
            "projects/a\u202eb.yaml:1:5: id (编号): expected an id of lowercase letters, digits and '-', got a\\u202eb"
            " (ids are plain ASCII such as beiqu-wushui; the name can be any text)"
        ],
    ),
    "zero-width variant of an id": (
        {"projects/a\u200b.yaml": project_yaml("a\u200b", name="项目", leader="领导")},
        [
            "projects/a\u200b.yaml:1:5: id (编号): expected an id of lowercase letters, digits and '-', got a\\u200b"
            " (ids are plain ASCII such as beiqu-wushui; the name can be any text)"
        ],
    ),
    "decomposed (NFD) variant of an id": (
        {"projects/cafe\u0301.yaml": project_yaml("cafe\u0301")},
        [
            "projects/cafe\u0301.yaml:1:5: id (编号): expected an id of lowercase letters, digits and '-', got cafe\\u0301"
            " (ids are plain ASCII such as beiqu-wushui; the name can be any text)"
        ],
    ),
    "UTF-16 file": (
        {"projects/a.yaml": project_yaml("a").encode("utf-16")},
        [
            "projects/a.yaml:1:1: expected UTF-8 text, found byte 0xFF"
            " (save the file as UTF-8; GBK/GB2312 files from older editors are not accepted)"
        ],
    ),
    "javascript site_url": (
        {"board.yaml": BOARD_YAML + "site_url: javascript:alert(1)\n"},
        [
            "board.yaml:4:11: site_url (网址): expected an absolute http:// or https:// address, got javascript:alert(1)"
        ],
    ),
    "markup in the e-mail address": (
        {"board.yaml": BOARD_YAML + 'email: "x@y.cn<script>"\n'},
        ["board.yaml:4:8: email (监督邮箱): expected an e-mail address, got x@y.cn<script>"],
    ),
}


NUMBER_RULE = (
    "it may only name {year}, {month} and {n}, exactly so (no format, conversion, index or"
    " attribute) (such as 县重点办〔{year}〕{n}号)"
)


@pytest.mark.parametrize(
    "pattern, found",
    [
        ("{n:s}", "{n:s}"),
        ("{}", "{}"),
        ("县重点办〔{year}〕{n:>100000000}号", "{n:>100000000}"),
        ("{0}", "{0}"),
        ("{n.real}", "{n.real}"),
        ("{n[0]}", "{n[0]}"),
        ("{n!r}", "{n!r}"),
        ("{year:{n}}", "{year:{n}}"),
        ("〔{year〕", "{"),
        ("{n}}", "}"),
    ],
)
def test_a_bulletin_number_with_anything_but_the_three_placeholders_is_refused_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pattern: str, found: str
) -> None:
    """str.format would run a format spec: `{n:>100000000}` pads to 100 MB, `{}` and `{0}`
    raise. `board check` refuses each at its line, before any build."""
    from board.cli import main

    root = register(tmp_path, {"board.yaml": BOARD_YAML + f"bulletin:\n  number: '{pattern}'\n"})
    assert errors(root) == [
        f"board.yaml:5:11: bulletin.number (发文字号): the pattern {pattern} has {found}; {NUMBER_RULE}"
    ]
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"has {found}" in err


def test_the_three_placeholders_and_doubled_braces_make_the_number(tmp_path: Path) -> None:
    from board.model import Month
    from board.render.bulletin import document_number

    pattern = "县重点办〔{year}〕{n}号 {{{month}}}"
    root = register(
        tmp_path,
        {"board.yaml": BOARD_YAML + f"bulletin:\n  number: '{pattern}'\n  first_number: 4\n"},
    )
    found, _ = check(root)
    settings = found.config.bulletin
    assert document_number(found, Month(2020, 9), settings) == "县重点办〔2020〕4号 {9}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_gives_a_precise_error(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    assert errors(register(tmp_path, files)) == expected


def test_symlink_to_a_file_outside_the_register_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(project_yaml("x"), encoding="utf-8")
    root = register(tmp_path, {})
    os.symlink(secret, root / "projects" / "x.yaml")
    assert errors(root) == [
        "projects/x.yaml: symbolic link pointing outside the register is not followed"
        " (copy the file into the register instead)"
    ]


def test_symlinked_board_yaml_outside_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(BOARD_YAML, encoding="utf-8")
    root = register(tmp_path, {"board.yaml": None})
    os.symlink(outside, root / "board.yaml")
    assert errors(root) == [
        "board.yaml: symbolic link pointing outside the register is not followed"
    ]


def test_decomposed_text_is_normalised_to_one_form(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Café 北区")
    reg, _ = check(register(tmp_path, {"projects/a.yaml": project_yaml("a", name=name)}))
    assert reg.projects[0].name == unicodedata.normalize("NFC", name)


def test_crlf_files_build_the_same_output(tmp_path: Path) -> None:
    lf = register(tmp_path / "lf", {})
    crlf = register(tmp_path / "crlf", {})
    for path in crlf.rglob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    a = build(lf, tmp_path / "out-lf", stages=("data",))
    b = build(crlf, tmp_path / "out-crlf", stages=("data",))
    # every rendered file is the same; only the manifest's digest of the input bytes differs
    assert {k: v for k, v in a.files.items() if k != MANIFEST} == {
        k: v for k, v in b.files.items() if k != MANIFEST
    }
    assert json.loads(a.files["site/data/board.json"])["projects"][0]["progress"] == "主体施工"


# -- fuzzing: any input loads or gives a clean problem, never a traceback -----------------------

YAMLISH = st.text(
    alphabet=st.sampled_from(
        list("abc:- \n\t'\"[]{}&*!|>#%@`,?0123456789.~北疃\u202e\x00\ufeff\r")
    ),
    max_size=200,
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(YAMLISH)
def test_fuzzed_yaml_parses_or_reports(text: str) -> None:
    problems: list = []
    parse_yaml(text, "fuzz.yaml", problems)
    for problem in problems:
        assert str(problem).startswith("fuzz.yaml")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "name",
                "leader",
                "unit",
                "start",
                "deadline",
                "order",
                "plan",
                "milestones",
                "investment",
                "x",
            ]
        ),
        YAMLISH,
        max_size=8,
    )
)
def test_fuzzed_project_files_load_or_report(
    tmp_path_factory: pytest.TempPathFactory, fields: dict[str, str]
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    text = "".join(f"{k}: {v}\n" for k, v in fields.items())
    write_files(root, {"board.yaml": BOARD_YAML})
    (root / "projects").mkdir()
    (root / "projects" / "a.yaml").write_text(text, encoding="utf-8")
    try:
        check(root)
    except ContentError as exc:
        assert exc.problems
        assert all(str(p).startswith(str(root)) for p in exc.problems)


# -- images in Markdown -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (
            "file:///etc/passwd",
            "expected an image file in assets/ (.png, .jpg, .gif, .webp), got file:///etc/passwd",
        ),
        (
            "/etc/passwd",
            "expected an image file in assets/ (.png, .jpg, .gif, .webp), got /etc/passwd",
        ),
        (
            "assets/../../secret.png",
            "expected an image file in assets/ (.png, .jpg, .gif, .webp), got assets/../../secret.png",
        ),
        (
            "http://169.254.169.254/latest.png",
            "expected an image file in assets/ (.png, .jpg, .gif, .webp), got http://169.254.169.254/latest.png",
        ),
        (
            "assets/missing.png",
            "expected an image file in assets/, found no file assets/missing.png",
        ),
        (
            "assets/link.png",
            "expected an image file inside assets/, got assets/link.png, which leads outside it",
        ),
    ],
)
def test_images_outside_assets_are_errors(tmp_path: Path, src: str, expected: str) -> None:
    root = register(
        tmp_path, {"projects/a.yaml": project_yaml("a", summary=f'"![总平面图]({src})"')}
    )
    (root / "assets").mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG canary")
    os.symlink(tmp_path / "outside.png", root / "assets" / "link.png")
    assert errors(root) == [
        f"projects/a.yaml:7:10: summary (项目简介): {expected}"
        " (put the image into the register's assets/ folder and write ![说明](assets/name.png))"
    ]


def test_an_image_in_assets_is_copied_into_the_site_and_nothing_else(tmp_path: Path) -> None:
    root = register(
        tmp_path, {"projects/a.yaml": project_yaml("a", summary='"![总平面图](assets/plan.png)"')}
    )
    (root / "assets").mkdir()
    (root / "assets" / "plan.png").write_bytes(b"\x89PNG plan")
    (root / "assets" / "unused.png").write_bytes(b"\x89PNG unused")
    result = build(root, tmp_path / "out", stages=("data", "assets"))
    assert sorted(n for n in result.files if "assets" in n) == ["site/assets/plan.png"]
    assert (tmp_path / "out" / "site" / "assets" / "plan.png").read_bytes() == b"\x89PNG plan"
