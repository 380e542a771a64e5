"""The message catalog (gettext .po files): every id in every language with the same
placeholders, the compiled .mo files up to date, click's own words translated, every id the code
uses present, and a register's `labels:` validated."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pytest
from conftest import BOARD_YAML, write_files

from board.cli import main
from board.errors import ContentError, Pos, Problem, PublishError, Severity
from board.i18n import (
    LANGUAGES,
    MESSAGES,
    Msg,
    current_language,
    placeholders,
    pyyaml_words,
    use_language,
)
from board.validate import check

ROOT = Path(__file__).resolve().parent.parent
BOARD = ROOT / "board"
sys.path.insert(0, str(ROOT / "tools"))
import catalog as catalog_tools  # noqa: E402  (tools/catalog.py: compile, check, pot)

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert len(entry) == len(LANGUAGES) >= 2
    assert all(text.strip() for text in entry), f"{key} has an empty translation"
    if key.startswith("format."):  # a date is written with the month's number or its name
        assert all(placeholders(text) <= {"year", "month", "day", "name"} for text in entry)
    else:
        assert len({frozenset(placeholders(t)) for t in entry}) == 1, f"{key}: placeholders differ"


def test_the_po_files_hold_the_same_ids_in_every_language() -> None:
    ids = {
        po.parent.parent.name: {(m.context, m.id) for m in catalog_tools.read(po) if m.id}
        for po in catalog_tools.po_files()
        if po.stem == "board"
    }
    assert set(ids) == {"zh_CN", "en"}
    assert ids["zh_CN"] == ids["en"]


def test_the_compiled_catalogs_are_those_of_the_po_files() -> None:
    """A .po edited without `python tools/catalog.py compile` would not show: refused here."""
    assert catalog_tools.stale() == []


def test_every_message_click_prints_is_in_chinese() -> None:
    """click's own words (usage errors, help headings) come through gettext from click.po; an
    upgrade of click with new messages fails here until they are translated."""
    translated = {
        m.id: m.string
        for m in catalog_tools.read(BOARD / "locale" / "zh_CN" / "LC_MESSAGES" / "click.po")
    }
    missing = [m for m in catalog_tools.click_messages() if not translated.get(m)]
    assert missing == []


def test_every_message_id_the_code_names_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in BOARD.rglob("*.py"):
        used |= set(re.findall(r"""\bMsg\(\s*["']([a-z0-9_.]+)["']""", path.read_text("utf-8")))
    assert used, "the code names no catalog message"
    assert sorted(used - set(MESSAGES)) == []


def test_a_problem_is_put_into_words_in_the_language_asked_for() -> None:
    problem = Problem(
        Pos("reports/2020-09.yaml", 6, 14),
        "percent",
        Msg("msg.validate.range", low=0, high=100, value=150),
    )
    assert "150" in problem.text("zh-CN") and CJK.search(problem.text("zh-CN"))
    assert problem.text("en").startswith("reports/2020-09.yaml:6:14: percent: ")
    assert not CJK.search(problem.text("en"))
    assert pickle.loads(pickle.dumps(problem)) == problem
    warning = Problem(
        Pos("a.yaml"),
        "",
        Msg("msg.validate.range", low=0, high=1, value=2),
        severity=Severity.WARNING,
    )
    assert "warning" in warning.text("en")
    assert "2" in str(PublishError(Msg("msg.validate.range", low=0, high=1, value=2)))


def test_an_unknown_id_is_an_error_never_shown_as_it_is() -> None:
    with pytest.raises(KeyError):
        Msg("msg.no.such.message").text("zh-CN")


def test_pyyaml_words_come_from_the_catalog() -> None:
    assert pyyaml_words(None, "could not find expected ':'", "zh-CN") == "缺少英文冒号“:”"
    assert pyyaml_words(None, "a message PyYAML may add one day", "zh-CN") == "写法不符合YAML格式"
    assert pyyaml_words(None, "could not find expected ':'", "en") == "could not find expected ':'"


def test_the_language_defaults_to_chinese_and_follows_board_lang(monkeypatch) -> None:
    monkeypatch.delenv("BOARD_LANG", raising=False)
    assert current_language() == "zh-CN"
    monkeypatch.setenv("BOARD_LANG", "en")
    assert current_language() == "en"
    with pytest.raises(ValueError):
        use_language("fr")


# -- click's words through gettext --------------------------------------------------------------


def _only_chinese(text: str) -> None:
    """Every line says something in Chinese; what is left in Latin letters is what the user
    typed, a command name, an option or a format (never an English word of click's)."""
    for line in filter(None, text.strip().splitlines()):
        latin = re.sub(r"'[^']*'|“[^”]*”|board(?: [a-z-]+)?|--?[a-z-]+|YYYY-MM", "", line)
        assert not re.search(r"[A-Za-z]{2,}", latin), line
        assert CJK.search(line), line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "a", "b", "c"], "错误：多出了参数（b c）"),
        (["stauts"], "错误：没有'stauts'这个命令。 是不是想用'status'？"),
        (["build", "--nonsense"], "错误：没有'--nonsense'这个选项。"),
        (["new-month"], "错误：缺少参数"),
    ],
)
def test_click_answers_wholly_in_chinese(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--lang", "zh-CN", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    _only_chinese(err)


def test_click_answers_in_english_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "stauts"]) == 2
    assert "No such command 'stauts'. Did you mean 'status'?" in capsys.readouterr().err
    assert main(["--lang", "zh-CN", "--version"]) == 0
    assert capsys.readouterr().out.startswith("board，版本")
    assert main(["--lang", "en", "--version"]) == 0
    assert capsys.readouterr().out.startswith("board, version ")


# -- labels: a county's own wording --------------------------------------------------------------


def test_labels_are_validated_at_their_line(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML
            + "labels:\n"
            + "  status.behind: 进度落后\n"
            + "  status.behnd: 进度落后\n"
            + "  msg.build.built: 好了\n"
            + "  print.bulletin_intro: 现将全县重点项目建设进度情况通报如下。\n",
            "projects/a.yaml": "id: a\nname: 项目a\nleader: 甲\nunit: 住建局\nstart: 2020-01-01\ndeadline: 2020-12-31\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 60, progress: 主体施工}\n",
        },
    )
    with pytest.raises(ContentError) as caught:
        check(root)
    texts = [p.text("en") for p in caught.value.problems]
    assert any(
        "board.yaml:6:3: labels.status.behnd:" in t and "status.behind" in t for t in texts
    ), texts
    assert any("board.yaml:7:3: labels.msg.build.built:" in t for t in texts), texts
    assert any(
        "board.yaml:8:25: labels.print.bulletin_intro:" in t and "{month}" in t for t in texts
    ), texts
    assert not any("labels.status.behind:" in t for t in texts)
