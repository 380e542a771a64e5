"""Problems found in a register, and the library's one exception hierarchy.

Only the CLI turns these into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .i18n import Msg, counted, current_language, field_head, words


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Pos:
    """A place in a content file: 1-based line and column."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


def format_problem(
    head: str, message: Msg | str, hint: Msg | str, severity: Severity, language: str | None = None
) -> str:
    """`head: message (hint)`; a warning says so after the first colon.

    Every problem board prints goes through here, whether its head is `path:line:col: field`
    or a workbook cell such as `报告!C7 具体进度`. Catalog messages are put into words in
    `language` (the language of the moment when not given).
    """
    language = language or current_language()
    text = f"{head}: {words(message, language)}"
    zh = language == "zh-CN"
    if hint:
        text += f"（{words(hint, language)}）" if zh else f" ({words(hint, language)})"
    if severity is Severity.WARNING:
        text = text.replace(": ", ": 警告：" if zh else ": warning: ", 1)
    return text


@dataclass(frozen=True)
class Problem:
    """One error or warning, located in a file, naming the field."""

    pos: Pos
    field: str
    message: Msg | str
    hint: Msg | str = ""
    severity: Severity = Severity.ERROR

    def text(self, language: str | None = None) -> str:
        head = f"{self.pos}: {field_head(self.field, language)}" if self.field else str(self.pos)
        return format_problem(head, self.message, self.hint, self.severity, language)

    def __str__(self) -> str:
        return self.text()

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.pos.file, self.pos.line, self.pos.col, words(self.message, "en"))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.sort_key)


class BoardError(Exception):
    """Base of every error the library raises on purpose.

    Raise it with a catalog message (`PublishError(Msg("msg.<id>", path=...))`, see i18n.Msg);
    `str(exc)` puts it into words in the language of the moment.
    """

    def __init__(self, message: Msg | str = "") -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return words(self.message)


class ContentError(BoardError):
    """The register has errors; nothing was built or written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sort_problems(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        super().__init__(Msg("msg.errors.register", errors=counted(len(errors), "error")))


class RenderError(BoardError):
    """An output could not be rendered (a template error, a missing glyph, a fetch refused)."""

    def __init__(self, message: Msg | str, problems: Iterable[Problem] = ()) -> None:
        self.problems = sort_problems(problems)
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        # keep the problems when a render unit's error comes back from its process (pickled)
        return (type(self), (self.message, self.problems))


class PublishError(BoardError):
    """The output could not be published; the previous output is untouched."""


class LockedError(PublishError):
    """Another build holds the lock on the output folder."""


def no_report_for(month: object, months: Iterable[object]) -> BoardError:
    """`there is no report for 2020-10 (reports: 2020-08, 2020-09)`, said one way everywhere."""
    known = ", ".join(str(m) for m in months)
    if not known:
        return BoardError(Msg("msg.errors.no_report_none", month=month))
    return BoardError(Msg("msg.errors.no_report", month=month, known=known))
