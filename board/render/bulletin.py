"""The bulletin (通报) as an official document (公文, GB/T 9704-2012): the parts both copies show.

`print/bulletin-M.pdf` (pdf.py, templates/print/bulletin.html) and `print/bulletin-M.docx`
(word.py) are laid out from the same `Bulletin`: 版头 (发文机关标志, 发文字号), 标题, 主送机关,
落款 and 成文日期, 版记 (抄送, 印发机关和印发日期). The facts of the body (ranking, the late, the
missed promises) come from the computed month (compute.py) as in every other output. The type
roles (标题, 正文, 黑体, 楷体) are resolved here once per build: a font the office named but has not
installed is reported as a warning naming the role and the font that stands in.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..compute import BoardMonth, Promise, Row
from ..errors import Problem, RenderError, Severity
from ..i18n import STATUS_SYMBOL, Msg, movement_label
from ..model import BulletinSettings, Month, Register
from . import BuildContext, date_label, month_label, pct, signed
from . import fonts as fontcheck

DIGITS = "〇一二三四五六七八九"
ROLES = (
    ("title", "title_font", "msg.bulletin.role.title"),
    ("body", "body_font", "msg.bulletin.role.body"),
    ("hei", "hei_font", "msg.bulletin.role.hei"),
    ("kai", "kai_font", "msg.bulletin.role.kai"),
)


def chinese_number(n: int) -> str:
    """A positive whole number as a 公文 writes a month, day or heading number: 九, 十, 十一,
    二十, 三十一, 一百, 一百零五, 一百一十二 (a register may have more than 99 late projects)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    units = ((1000, "千"), (100, "百"), (10, "十"))
    text, zero = "", False
    for size, name in units:
        digit, n = divmod(n, size)
        if digit:
            if zero:
                text += "零"
            text += DIGITS[digit] + name
            zero = False
        elif text:
            zero = True
    if n:
        text += ("零" if zero else "") + DIGITS[n]
    return text


def chinese_date(day: date) -> str:
    """The 成文日期 in Chinese numerals, as GB/T 9704 writes it: 二〇二〇年十月九日."""
    year = "".join(DIGITS[int(d)] for d in f"{day.year:04d}")
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def sub_number(i: int, language: str) -> str:
    """The number of a second-level heading: （一） in Chinese, (1) otherwise."""
    return f"（{chinese_number(i)}）" if language == "zh-CN" else f"({i}) "


# the bulletin's first-level sections in the order printed; a section the month does not have
# (未按时报送 when nobody was late, 信息公开 when no project has a disclosure: section) is
# left out and the ones after it move up a number
SECTIONS = ("ranking", "behind", "missed", "reporting", "adjust", "disclosure")


def section_headings(keys: Sequence[str], t: Callable[[str], str], language: str) -> dict[str, str]:
    """The numbered heading of each section shown, in order: 一、进度排名, 二、… in Chinese,
    1. Progress ranking otherwise. Every copy of the bulletin numbers its sections here."""
    return {
        key: t("print.section_number").format(
            n=chinese_number(i) if language == "zh-CN" else i, title=t(f"print.section_{key}")
        )
        for i, key in enumerate(keys, 1)
    }


def mark_size(mark: str) -> float:
    """The 发文机关标志's type size in pt: as large as fits one line of the 156 mm text block
    (with a little room), at most 48 pt; the standard leaves the size to the office."""
    width = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in mark) or 1.0
    return round(min(48.0, 150 / width * 72 / 25.4 / 1.02), 1)


def arabic_date(day: date) -> str:
    """The 印发日期 in Arabic numerals, as the 版记 writes it: 2020年10月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


def sequence(register: Register, month: Month, first: int) -> int:
    """{n} of the 发文字号: `first` for the first reported month of the year, then one more for
    each reported month after it in the same year (a month without a report has no bulletin)."""
    return first + sum(1 for m in register.months if m.year == month.year and m < month)


def document_number(register: Register, month: Month, settings: BulletinSettings) -> str:
    """The 发文字号 of a month's bulletin, e.g. 县重点办〔2020〕4号; empty when none is set."""
    if not settings.number:
        return ""
    n = sequence(register, month, settings.first_number)
    values = {"year": month.year, "month": month.month, "n": n, "{{": "{", "}}": "}"}
    # only the three placeholders, never str.format (validate.number_pattern_problem)
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1) or m.group(0)]), settings.number)


_PLACEHOLDER = re.compile(r"\{(year|month|n)\}|\{\{|\}\}")


@dataclass(frozen=True)
class Bulletin:
    """The parts of the month's bulletin around its body, in the words of the board's language."""

    mark: str  # 发文机关标志, printed red at the head
    number: str  # 发文字号, may be empty
    title: str
    recipients: str  # 主送机关, may be empty
    issuer: str  # 落款
    signed_on: date  # 成文日期 (the report's `published`, else the month's last day)
    date_text: str  # 成文日期 as printed: 二〇二〇年十月九日
    cc: str  # 抄送, may be empty
    printed_by: str  # 印发机关
    printed_text: str  # 2020年10月9日印发
    # 未按时报送 (issue 23): the note under the ranking and the lines of the section, when the
    # month was collected from the units and its due date has passed; else empty
    reporting_note: str = ""
    reporting: tuple[str, ...] = ()
    title_lines: tuple[str, ...] = ()  # the title as set: broken at natural places (GB/T 9704)
    correction: str = ""  # 更正 under the title of a corrected bulletin (-r2): date, what changed
    # the numbered heading of each section the bulletin shows (section_headings)
    headings: dict[str, str] = field(default_factory=dict)


def bulletin(ctx: BuildContext) -> Bulletin:
    """The bulletin's parts for the month being built."""
    config = ctx.config
    settings = config.bulletin
    month = ctx.board.month
    report = ctx.register.report(month)
    signed = (report.published if report else None) or ctx.board.as_of
    language = config.language
    issuer = settings.issuer or config.issuer
    text = chinese_date(signed) if language == "zh-CN" else date_label(signed, language)
    printed = arabic_date(signed) if language == "zh-CN" else date_label(signed, language)
    recipients = settings.recipients
    if recipients and language == "zh-CN" and recipients[-1] not in "：:":
        recipients += "："
    note, lines = reporting(ctx, signed)
    # 未按时报送 when someone was late; 信息公开逾期事项 when a project has a disclosure section
    shown = {"reporting": bool(lines), "disclosure": ctx.board.disclosure.used}
    parts = ctx.t("print.title_breaks").format(month=month_label(month, language)).split("|")
    return Bulletin(
        mark=settings.mark or issuer,
        number=document_number(ctx.register, month, settings),
        title="".join(parts),
        title_lines=title_lines(parts, TITLE_EM),
        correction=correction_text(ctx),
        recipients=recipients,
        issuer=issuer,
        signed_on=signed,
        date_text=text,
        cc=settings.cc,
        printed_by=settings.printed_by or issuer,
        printed_text=ctx.t("print.printed_on").format(date=printed),
        reporting_note=note,
        reporting=lines,
        headings=section_headings(
            [key for key in SECTIONS if shown.get(key, True)], ctx.t, language
        ),
    )


def reporting(ctx: BuildContext, signed: date) -> tuple[str, tuple[str, ...]]:
    """未按时报送: the units that reported late or not at all, from the month's 报送台账
    (board/xlsx/ledger.py), once the due date has passed on the bulletin's date (or on the
    ledger's last line, if later). The ranking's note counts them; the section names them.
    Empty when the month was not collected from the units or nobody was late."""
    from ..xlsx import ledger

    found = ledger.standing(ctx.register, ctx.board.month, as_of=signed)
    if found is None or not found.past_due or not (found.late or found.missing):
        return "", ()
    t, language = ctx.t, ctx.config.language
    sep = t("site.list_sep")
    assert found.due is not None
    note = t("print.reporting_note").format(
        n=len(found.units),
        on_time=len(found.on_time),
        late=len(found.late),
        missing=len(found.missing),
    )
    lines = [t("print.reporting_intro").format(due=date_label(found.due, language))]
    if found.late:
        units = sep.join(
            t("print.reporting_late_unit").format(
                unit=u.unit, day=date_label(u.first.date(), language) if u.first else ""
            )
            for u in found.late
        )
        lines.append(t("print.reporting_late").format(n=len(found.late), units=units))
    if found.missing:
        units = sep.join(
            t("print.reporting_missing_unit").format(
                unit=u.unit,
                # a unit's one or two projects by name; more are counted (the ranking names them)
                projects=sep.join(p.name for p in u.projects)
                if len(u.projects) <= 2
                else t("print.reporting_projects").format(n=len(u.projects)),
            )
            for u in found.missing
        )
        lines.append(t("print.reporting_missing").format(n=len(found.missing), units=units))
    lines.append(t("print.reporting_demand"))
    return note, tuple(lines)


def roles(ctx: BuildContext) -> dict[str, fontcheck.Role]:
    """The bulletin's type roles, resolved once per build (the PDF and the .docx share them).

    Each substitution adds one warning to the build; a role with no installed font fails it.
    """
    found = ctx.options.get("bulletin_roles")
    if found is not None:
        return found
    config = ctx.config
    pos = config.positions.get("bulletin", config.source)
    result: dict[str, fontcheck.Role] = {}
    problems: list[Problem] = []
    for role, key, name in ROLES:
        setting = getattr(config.bulletin, key)
        resolved = fontcheck.resolve_role(key, name, setting)
        if resolved is None:
            fonts = "、".join(fontcheck.families(setting))
            problems.append(
                Problem(
                    pos,
                    f"bulletin.{key}",
                    Msg("msg.bulletin.font_missing", role=Msg(name), fonts=fonts),
                    Msg("msg.bulletin.font_missing_hint", setting=key),
                )
            )
            continue
        result[role] = resolved
        if resolved.substituted:
            ctx.warnings.append(
                Problem(
                    pos,
                    f"bulletin.{key}",
                    Msg(
                        "msg.bulletin.font_substitute",
                        role=Msg(name),
                        wanted=resolved.wanted,
                        used=resolved.faces[0].family,
                    ),
                    Msg("msg.bulletin.font_substitute_hint", setting=key),
                    Severity.WARNING,
                )
            )
    if problems:
        raise RenderError(problems[0].message, problems)
    ctx.options["bulletin_roles"] = result
    return result


# -- the title, broken where the words allow --------------------------------------------------

TITLE_EM = 156 / (22 * 25.4 / 72)  # 2号 characters in a line of the 156 mm text block: 20.1


# advances (em) of the narrow characters of the table's figures in Noto Serif/Sans CJK SC, a
# little above both (仿宋 and the other office fonts set them at 0.5)
NARROW_EM = {".": 0.34, "-": 0.36, "+": 0.58, "%": 0.93, " ": 0.27, "/": 0.4}


def text_em(text: str) -> float:
    """A conservative width of `text` in em: CJK and full-width characters 1, digits 0.57, the
    figures' signs as NARROW_EM, other characters 0.6."""
    total = 0.0
    for ch in text:
        if unicodedata.category(ch).startswith("C"):
            continue
        if unicodedata.east_asian_width(ch) in "WFA":
            total += 1.0
        else:
            total += 0.57 if ch.isdigit() else NARROW_EM.get(ch, 0.6)
    return total


def title_lines(parts: Sequence[str], width: float) -> tuple[str, ...]:
    """The title's lines: its parts (the places the catalog lets it break, words kept whole)
    grouped into as few lines as fit `width` em, the lines as even as can be, a line of three
    longest in the middle (GB/T 9704 7.3.1: 梯形或菱形, 词意完整). One part: as it is, left to
    the layout to wrap (English)."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return tuple(parts)
    best: tuple[tuple[float, ...], tuple[str, ...]] | None = None
    for count in range(1, len(parts) + 1):
        for cuts in itertools.combinations(range(1, len(parts)), count - 1):
            bounds = (0, *cuts, len(parts))
            lines = tuple("".join(parts[a:b]) for a, b in itertools.pairwise(bounds))
            widths = [text_em(line) for line in lines]
            if max(widths) > width:
                continue
            diamond = 0.0 if count != 3 or widths[1] >= max(widths[0], widths[2]) else 1.0
            score = (max(widths) - min(widths) + 4 * diamond,)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return ("".join(parts),)


# -- the ranking table: column widths from what the cells hold -------------------------------

RANKING_COLUMNS = (
    "rank",
    "movement",
    "name",
    "leader",
    "unit",
    "actual",
    "planned",
    "variance",
    "status",
)
WRAPPING = ("name", "leader", "unit")  # the other cells never wrap: a figure, a status word
TABLE_SIZES = (10.5, 9.0)  # 五号, else 小五 when a name would need more than three lines
CELL_PADDING_MM = 1.2  # a cell's paddings (0.4 mm each side) and rule
MARK_EM = 1.9  # a status's symbol in its box and the space after it
FIXED_SLACK_EM = 0.5  # room for the office's fonts in Word and WPS, wider in some figures
TABLE_WIDTH_MM = 156.0


@dataclass(frozen=True)
class RankingTable:
    """The ranking table's type size and the width of each column (mm), for the PDF and the
    Word copy alike: the figures and statuses as wide as they need, never wrapped; the name in
    at most three lines, then the leader and the unit in as few as the rest allows."""

    size: float  # pt
    widths: dict[str, float]  # mm, in RANKING_COLUMNS order
    heads: dict[str, tuple[str, ...]]  # each column's heading, in one line or two

    def width(self, key: str) -> float:
        return self.widths[key]

    def head(self, key: str) -> tuple[str, ...]:
        return self.heads[key]

    @property
    def line_mm(self) -> float:
        return self.size * 25.4 / 72


def ranking_cells(row: Row, t: Callable[[str], str]) -> dict[str, str]:
    """The text of each of the row's cells (the status with its symbol), as both copies show."""
    return {
        "rank": str(row.rank),
        "movement": movement_label(row.movement_kind, row.movement, t),
        "name": row.project.name,
        "leader": row.project.leader,
        "unit": row.project.unit,
        "actual": f"{row.actual}%",
        "planned": f"{pct(row.planned)}%",
        "variance": signed(row.variance),
        "status": f"{STATUS_SYMBOL[row.status]} {t('status.' + row.status)}",
    }


def _lines_width(texts: Sequence[str], lines: int) -> float:
    """The width (em) in which each of `texts` takes at most `lines` lines (most of a character
    of slack a line: a line cannot start with closing punctuation, GB/T 15834)."""
    return max((text_em(x) / lines + 0.9 for x in texts), default=2.0)


def _lines_in(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` em wide (as `_lines_width` counts)."""
    return max(1, math.ceil(text_em(text) / max(width - 0.9, 0.5)))


def _wrapping_widths(
    texts: dict[str, list[str]], heads: dict[str, str], room: float, last: bool
) -> dict[str, float] | None:
    """The widths (em) of the name, leader and unit columns in `room` em: the name in at most
    three lines, the table as short as can be (the sum over the rows of their tallest cell),
    what is left to the name. None when the names cannot keep three lines (unless `last`: then
    the leader and the unit get 4 em at most and the name the rest)."""
    head = {key: math.ceil(text_em(heads[key]) / 2) for key in WRAPPING}
    options = {
        key: sorted({max(head[key], _lines_width(texts[key], n)) for n in range(1, 5)})
        for key in WRAPPING
    }
    rows = list(zip(*(texts[key] for key in WRAPPING), strict=True))
    need_name = max(head["name"], _lines_width(texts["name"], 3))
    best: tuple[int, dict[str, float]] | None = None
    for name in [w for w in options["name"] if w >= need_name - 1e-9]:
        for leader in options["leader"]:
            for unit in options["unit"]:
                if name + leader + unit > room:
                    continue
                height = sum(
                    max(_lines_in(n, name), _lines_in(lead, leader), _lines_in(u, unit))
                    for n, lead, u in rows
                )
                if best is None or height < best[0]:
                    best = (height, {"name": name, "leader": leader, "unit": unit})
    if best is not None:
        found = best[1]
        found["name"] += room - sum(found.values())  # what is left: the name
        return found
    if not last:
        return None
    leader = max(head["leader"], min(options["leader"][-1], 4.0))
    unit = max(head["unit"], min(options["unit"][-1], 4.0))
    return {"name": room - leader - unit, "leader": leader, "unit": unit}


def ranking_table(board: BoardMonth, t: Callable[[str], str]) -> RankingTable:
    """The widths of the ranking's columns from its cells (see `RankingTable`)."""
    cells = [ranking_cells(row, t) for row in board.ranking]
    heads = {key: t(key) for key in RANKING_COLUMNS}
    for size in TABLE_SIZES:
        em = size * 25.4 / 72  # mm
        fixed: dict[str, float] = {}
        for key in RANKING_COLUMNS:
            if key in WRAPPING:
                continue
            longest = max((text_em(c[key]) for c in cells), default=1.0)
            if key == "status":
                longest = max(
                    (text_em(c[key].split(" ", 1)[1]) + MARK_EM for c in cells), default=4.0
                )
            head = math.ceil(text_em(heads[key]) / 2)  # a heading may take two lines
            fixed[key] = max(longest + FIXED_SLACK_EM, head)
        room = (
            TABLE_WIDTH_MM - len(RANKING_COLUMNS) * CELL_PADDING_MM - sum(fixed.values()) * em
        ) / em
        texts = {key: [c[key] for c in cells] or [heads[key]] for key in WRAPPING}
        widths_em = _wrapping_widths(texts, heads, room, last=size == TABLE_SIZES[-1])
        if widths_em is None:
            continue  # a name would take more than three lines: smaller type
        given = dict(widths_em)
        widths = {
            key: round((fixed[key] if key in fixed else given[key]) * em + CELL_PADDING_MM, 2)
            for key in RANKING_COLUMNS
        }
        lines = {
            key: _head_lines(heads[key], (widths[key] - CELL_PADDING_MM) / em) for key in widths
        }
        return RankingTable(size, widths, lines)
    raise AssertionError("unreachable")


def _head_lines(head: str, width: float) -> tuple[str, ...]:
    """A column's heading in one line when it fits `width` em, else broken in the middle into
    two (计划/进度, not 计划进/度, which is where a narrow cell would break it)."""
    if text_em(head) <= width + 0.05 or len(head) < 2 or " " in head:
        return (head,)
    half = (len(head) + 1) // 2
    return (head[:half], head[half:])


# -- the projects behind and the promises missed: each project once, its text once ------------


def catch_up_text(row: Row, t: Callable[[str], str], day: Callable[[date], str]) -> str:
    """限期赶上 of a project behind, said once: this month's date with the state of its promise
    (（尚未到期）), then an earlier promise that was for another date; no symbols (a 公文's
    sentence). `day` writes a date (the PDF keeps it on one line); `t` and `day` may return
    Markup, and so does the result then."""
    by = row.catch_up_by
    promise = row.promise
    if by is not None:
        text = day(by)
        same = next((p for p in row.promises if p.by == by), None)
        if same is not None:
            text = t("print.catch_up_state").format(date=text, state=t("catch_up." + same.state))
    else:
        text = t("print.no_deadline")
    if promise is not None and promise.by != by:
        earlier = t("print.promised_before").format(
            date=day(promise.by), state=t("catch_up." + promise.state)
        )
        text = t("print.semicolon").join([text, earlier])
    return text


def missed_by_project(board: BoardMonth) -> tuple[tuple[Row, tuple[Promise, ...]], ...]:
    """The projects with a catch-up deadline missed, each once, in ranking order, with every
    deadline it missed (oldest first)."""
    return tuple((row, row.missed_promises) for row in board.ranking if row.missed_promises)


def missed_text(
    promises: Sequence[Promise],
    t: Callable[[str], str],
    day: Callable[[date], str],
    month: Callable[[Month], str],
) -> str:
    """The deadlines a project missed, in one sentence: 承诺2020年7月赶上，限期2020年8月31日，
    逾期未赶上；… (`t`, `day` and `month` as for `catch_up_text`)."""
    return t("print.semicolon").join(
        t("print.missed_dates").format(month=month(p.promised_in), date=day(p.by)) for p in promises
    )


# -- a corrected bulletin (更正) -----------------------------------------------------------------


# a field of what a month shows (board.published.shown) by its catalog label, where the key
# is not the label's own id
FIELD_LABELS = {
    "status_label": "status",
    "invested_year_derived": "invested_year",
    "promises": "promise",
    "promise_state": "promise",
    "reported": "site.field.reported",
    "report_month": "site.field.reported",
    "not_reported": "site.field.reported",
    "published": "site.field.published",
}


def field_label(name: str, t: Callable[[str], str]) -> str:
    """A field of what a month shows, in words (its catalog label)."""
    return t(FIELD_LABELS.get(name, name))


def change_text(changes: Sequence[dict[str, Any]], t: Callable[[str], str]) -> str:
    """What a correction changed, in words: 项目名：实际进度 60% → 65%、具体进度；... (the site's
    notice, the feed and the corrected bulletin say it alike)."""
    parts = []
    for change in changes:
        fields: list[str] = []
        for name in change["fields"]:
            if name == "percent" and "percent" in change:
                old, new = change["percent"]
                text = f"{t('percent')} {old}% → {new}%"
            elif name in ("added", "removed"):
                text = t(f"site.correction_{name}")
            else:
                text = field_label(name, t)
            if text not in fields:
                fields.append(text)
        said = t("site.list_sep").join(fields)
        parts.append(f"{change['name']}{t('site.colon')}{said}" if change["name"] else said)
    return t("site.sep").join(parts)


def correction_text(ctx: BuildContext) -> str:
    """The 更正 line under a corrected bulletin's title: the date and what changed; empty for
    a first publication. The build puts the correction (board/published.py) in the options of
    the month it renders again."""
    notice = ctx.options.get("correction")
    if not notice:
        return ""
    language = ctx.config.language
    when = date_label(date.fromisoformat(notice["date"]), language)
    return ctx.t("print.correction_note").format(
        date=when, changes=change_text(notice.get("changes", []), ctx.t)
    )
