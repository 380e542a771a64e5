"""The bulletin (通报) as an official document (公文, GB/T 9704-2012): the parts both copies show.

`print/bulletin-M.pdf` (pdf.py, templates/print/bulletin.html) and `print/bulletin-M.docx`
(word.py) are laid out from the same `Bulletin`: 版头 (发文机关标志, 发文字号), 标题, 主送机关,
落款 and 成文日期, 版记 (抄送, 印发机关和印发日期). The facts of the body (ranking, the late, the
missed promises) come from the computed month (compute.py) as in every other output. The type
roles (标题, 正文, 黑体, 楷体) are resolved here once per build: a font the office named but has not
installed is reported as a warning naming the role and the font that stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import Problem, RenderError, Severity
from ..i18n import Msg
from ..model import BulletinSettings, Month, Register
from . import BuildContext, date_label, month_label
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
    return Bulletin(
        mark=settings.mark or issuer,
        number=document_number(ctx.register, month, settings),
        title=ctx.t("print.bulletin_heading").format(month=month_label(month, language)),
        recipients=recipients,
        issuer=issuer,
        signed_on=signed,
        date_text=text,
        cc=settings.cc,
        printed_by=settings.printed_by or issuer,
        printed_text=ctx.t("print.printed_on").format(date=printed),
        reporting_note=note,
        reporting=lines,
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
