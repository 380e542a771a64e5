"""The message catalog: every id has both translations, and every id the code uses exists."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import pytest

from board.errors import Pos, Problem, PublishError, Severity
from board.i18n import LANGUAGES, MESSAGES, Msg, current_language, use_language

BOARD = Path(__file__).resolve().parent.parent / "board"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert len(entry) == len(LANGUAGES)
    assert all(text.strip() for text in entry), f"{key} has an empty translation"
    assert len({frozenset(_fields(text)) for text in entry}) == 1, f"{key}: placeholders differ"


def test_every_message_id_the_code_names_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in BOARD.rglob("*.py"):
        used |= set(re.findall(r"""\bMsg\(\s*["']([a-z0-9_.]+)["']""", path.read_text("utf-8")))
    assert used, "the code names no catalog message"
    assert sorted(used - set(MESSAGES)) == []


def test_a_problem_is_put_into_words_in_the_language_asked_for() -> None:
    MESSAGES["msg.test.sample"] = (
        "实际进度应为0到100之间的整数，现为{value}",
        "expected 0-100, got {value}",
    )
    try:
        problem = Problem(
            Pos("reports/2020-09.yaml", 6, 14), "percent", Msg("msg.test.sample", value=150)
        )
        assert problem.text("zh-CN").endswith("实际进度应为0到100之间的整数，现为150")
        assert problem.text("en") == "reports/2020-09.yaml:6:14: percent: expected 0-100, got 150"
        assert pickle.loads(pickle.dumps(problem)) == problem
        warning = Problem(
            Pos("a.yaml"), "", Msg("msg.test.sample", value=1), severity=Severity.WARNING
        )
        assert "warning" in warning.text("en")
        assert str(PublishError(Msg("msg.test.sample", value=2))).endswith("2")
    finally:
        del MESSAGES["msg.test.sample"]


def test_the_language_defaults_to_chinese_and_follows_board_lang(monkeypatch) -> None:
    monkeypatch.delenv("BOARD_LANG", raising=False)
    assert current_language() == "zh-CN"
    monkeypatch.setenv("BOARD_LANG", "en")
    assert current_language() == "en"
    with pytest.raises(ValueError):
        use_language("fr")
