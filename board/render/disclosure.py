"""Issue 24, shown: the disclosure (信息公开) of the month in every output, from one audit.

The facts come from `BoardMonth.disclosure` (board/audit.py); this module only puts them into
the words and shapes each output needs, once for all of them:

- the site's project page (`templates/site/_disclosure.html`): the eight categories in the
  shape of the county 标准目录, with coverage, each item's dates, deadline, state and link;
- the site's county page `site/disclosure/index.html` (`templates/site/disclosure.html`):
  coverage by project and the month's 信息公开逾期事项;
- the A4 sheet's 施工有关信息 block, laid out like a site signboard (告示牌)
  (`templates/print/_disclosure_sheet.html`);
- the bulletin's section 信息公开逾期事项, the same sentences in the PDF
  (`templates/print/_disclosure_bulletin.html`) and in the Word copy (`docx_section`);
- the open data (`project_data`, `summary_data`), documented in docs/board.schema.json;
- the texts the PDFs draw, for the glyph check (`pdf_texts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from ..audit import BASIS, LICENSING_LIMIT, LIMIT, ItemAudit, MonthAudit, ProjectAudit
from ..compute import BoardMonth
from ..model import DISCLOSURE_CATEGORIES, DisclosureItem, Project
from . import BuildContext, date_label
from . import fonts as fontcheck

# how each state is marked: a symbol beside the word (never colour alone); the symbols are
# drawn by Noto Sans CJK SC
STATE_MARK = {"on_time": "✓", "late": "△", "overdue": "×", "pending": "…"}
CATEGORY_MARK = {"published": "✓", "not_applicable": "—", "unpublished": "○", "none": "·"}
# the structured fields of each category as the outputs list them: (field, catalog label)
DETAILS: dict[str, tuple[tuple[str, str], ...]] = {
    "approval_service": (),
    "approval_result": (("approver", "disclosure.approver"),),
    "bidding": (("winner", "disclosure.winner"), ("amount", "disclosure.amount")),
    "land": (("approver", "disclosure.land_approver"),),
    "design_change": (("reason", "disclosure.reason"), ("approver", "disclosure.change_approver")),
    "construction": (
        ("role", "disclosure.role"),
        ("company", "disclosure.company"),
        ("head", "disclosure.head"),
        ("manager", "disclosure.manager"),
        ("qualification", "disclosure.qualification"),
    ),
    "quality_safety": (
        ("agency", "disclosure.agency"),
        ("phone", "disclosure.phone"),
        ("result", "disclosure.check_result"),
    ),
    "completion": (("accepted", "disclosure.accepted"), ("result", "disclosure.accept_result")),
}


class Words:
    """The disclosure's words in the board's language."""

    def __init__(self, t: Callable[[str], str], language: str) -> None:
        self.t = t
        self.language = language

    def day(self, value: date | None) -> str:
        return date_label(value, self.language) if value else ""

    def category(self, key: str) -> str:
        return self.t(f"disclosure.category.{key}")

    def details(self, item: DisclosureItem) -> list[tuple[str, str]]:
        """(label, value) of the structured fields the item has, in the category's order."""
        found = []
        for name, label in DETAILS[item.category]:
            value = getattr(item, name)
            if value in (None, ""):
                continue
            if name == "role":
                text = self.t(f"disclosure.role.{value}")
            elif name == "amount":
                text = self.t("disclosure.amount_value").format(amount=f"{value:g}")
            elif isinstance(value, date):
                text = self.day(value)
            else:
                text = str(value)
            found.append((self.t(label), text))
        if item.licensing:
            found.append((self.t("disclosure.licensing"), self.t("disclosure.yes")))
        return found

    def state(self, audit: ItemAudit) -> str:
        """按时公开; 逾期公开（12个工作日）; 逾期未公开（15个工作日）; 待公开（2020年10月20日前）."""
        word = self.t(f"disclosure.state.{audit.state}")
        if audit.state in ("late", "overdue"):
            return self.t("disclosure.state_days").format(state=word, days=audit.days_late)
        if audit.state == "pending":
            return self.t("disclosure.state_due").format(state=word, due=self.day(audit.due))
        return word

    def limit(self, audit: ItemAudit) -> str:
        return self.t("disclosure.limit_days").format(days=audit.limit)

    def coverage(self, project: ProjectAudit) -> str:
        """已公开 6/8 类, or 已公开 6/7 类（1类不适用）."""
        text = self.t("disclosure.coverage").format(
            published=project.published, applicable=project.applicable
        )
        if project.not_applicable:
            text += self.t("disclosure.coverage_na").format(n=project.not_applicable)
        return text

    def category_state(self, state: str, reason: str = "") -> str:
        word = self.t(f"disclosure.category_state.{state}")
        if state == "not_applicable":
            return self.t("disclosure.na_reason").format(
                state=word, reason=reason or self.t("disclosure.no_reason")
            )
        return word

    def sentence(self, audit: ItemAudit, as_of: date, markup: bool = False) -> str:
        """One item of the bulletin's 信息公开逾期事项, as a sentence of the 公文.

        With `markup` (the PDF), the text is escaped HTML whose dates never break inside a
        line (each in a `nw` span), as every date of the printed outputs."""
        item = audit.item
        keep = _nowrap if markup else str
        fmt = _markup_format if markup else str.format
        number = fmt(self.t("disclosure.number_in"), number=item.number) if item.number else ""
        what = fmt(
            self.t("disclosure.what"),
            category=self.category(item.category),
            item=item.item,
            number=number,
        )
        values = {
            "what": what,
            "formed": keep(self.day(item.formed)),
            "limit": audit.limit,
            "due": keep(self.day(audit.due)),
            "days": audit.days_late,
            "as_of": keep(self.day(as_of)),
            "published": keep(self.day(audit.published)),
        }
        text = fmt(self.t(f"disclosure.sentence.{audit.state}"), **values)
        if item.publisher:
            text += fmt(self.t("disclosure.sentence.publisher"), publisher=item.publisher)
        return text + self.t("print.stop").rstrip()


def _nowrap(text: str) -> Markup:
    return Markup('<span class="nw">{}</span>').format(text)


def _markup_format(template: str, **values: Any) -> Markup:
    """A catalog sentence as HTML: its values escaped (Markup values kept as they are)."""
    return Markup(Markup.escape(template)).format(**values)


# -- the site -------------------------------------------------------------------------------------


def item_view(words: Words, audit: ItemAudit) -> dict[str, Any]:
    item = audit.item
    return {
        "item": item.item,
        "number": item.number,
        "details": words.details(item),
        "formed": item.formed,
        "published": audit.published,
        "due": audit.due,
        "limit": words.limit(audit),
        "publisher": item.publisher,
        "channel": item.channel,
        "link": item.link,
        "state": audit.state,
        "state_text": words.state(audit),
        "mark": STATE_MARK[audit.state],
        "marked": audit.marked,
    }


def project_view(words: Words, found: ProjectAudit, audit: MonthAudit) -> dict[str, Any]:
    """What the project page's section shows: code, coverage, the eight categories."""
    return {
        "code": found.code,
        "coverage": words.coverage(found),
        "overdue": len(found.overdue),
        "late": len(found.late),
        "as_of": audit.as_of,
        "categories": [
            {
                "key": c.key,
                "name": words.category(c.key),
                "state": c.state,
                "state_text": words.category_state(c.state, c.reason),
                "mark": CATEGORY_MARK[c.state],
                "items": [item_view(words, i) for i in c.items],
            }
            for c in found.categories
        ],
    }


def site_values(board: BoardMonth, project: Project, words: Words) -> dict[str, Any]:
    """The project page's values: `disclosure` (None when the project has no section)."""
    audit = board.disclosure
    found = audit.of(project.id)
    return {
        "disclosure": project_view(words, found, audit) if found else None,
        "disclosure_basis": basis_text(words),
    }


def basis_text(words: Words) -> str:
    return words.t("disclosure.basis").format(basis=BASIS, limit=LIMIT, licensing=LICENSING_LIMIT)


def county_values(board: BoardMonth, words: Words) -> dict[str, Any]:
    """The county page: every project (those without a section too) and the month's flags."""
    audit = board.disclosure
    rows = []
    for row in board.rows:
        found = audit.of(row.project.id)
        rows.append(
            {
                "project": row.project,
                "code": row.project.code,
                "audit": found,
                "coverage": words.coverage(found) if found else "",
                "cells": [
                    {
                        "state": c.state,
                        "mark": CATEGORY_MARK[c.state],
                        "text": words.t(f"disclosure.category_state.{c.state}"),
                        "reason": c.reason,
                    }
                    for c in found.categories
                ]
                if found
                else [],
                "overdue": len(found.overdue) if found else 0,
                "late": len(found.late) if found else 0,
            }
        )
    return {
        "audit": audit,
        "rows": rows,
        "categories": [words.category(key) for key in DISCLOSURE_CATEGORIES],
        "flagged": bulletin_section(board, words),
        "disclosure_basis": basis_text(words),
        "category_marks": [
            (CATEGORY_MARK[state], words.t(f"disclosure.category_state.{state}"))
            for state in CATEGORY_MARK
        ],
    }


# -- print: the sheet's signboard, the bulletin's section --------------------------------------


def signboard(found: ProjectAudit | None, words: Words) -> dict[str, Any] | None:
    """The A4 sheet's 施工有关信息 block, as a site signboard lists it: 项目法人、设计、施工、
    监理单位 each with its person in charge, the quality and safety supervision agency with its
    telephone; two to a row, so that the sheet still fits its page."""
    if found is None:
        return None
    t = words.t
    cells = []
    for role, item in found.parties:
        if role == "drawing_review":
            continue
        text = ""
        if item is not None:
            text = item.company or item.item
            if role == "legal_person" or not item.manager:
                person_label, person = t("disclosure.head"), item.head
            else:
                person_label, person = t(f"disclosure.person.{role}"), item.manager
            if person:
                text += t("disclosure.person_in").format(label=person_label, name=person)
        cells.append((t(f"disclosure.role.{role}"), text))
    agency, phone = found.supervision
    cells += [(t("disclosure.agency"), agency), (t("disclosure.phone"), phone)]
    return {
        "code": found.code,
        "rows": [cells[i : i + 2] for i in range(0, len(cells), 2)],
        "coverage": words.coverage(found),
        "overdue": len(found.overdue),
    }


@dataclass(frozen=True)
class Flagged:
    """The bulletin's section 信息公开逾期事项: the projects and their sentences."""

    used: bool  # whether any project has a disclosure section (else no section at all)
    intro: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (project name, sentences)
    closing: str  # the demand, or the sentence that there is nothing to report


def bulletin_section(board: BoardMonth, words: Words, markup: bool = False) -> Flagged:
    """The section's words; with `markup`, as escaped HTML whose dates never break (the PDF)."""
    audit = board.disclosure
    t = words.t
    flagged = audit.flagged
    groups = tuple(
        (p.project.name, tuple(words.sentence(i, audit.as_of, markup) for i in items))
        for p, items in flagged
    )
    items = sum(len(s) for _, s in groups)
    fmt = _markup_format if markup else str.format
    as_of = _nowrap(words.day(audit.as_of)) if markup else words.day(audit.as_of)
    intro = fmt(
        t("disclosure.bulletin_intro"),
        basis=BASIS,
        limit=LIMIT,
        licensing=LICENSING_LIMIT,
        as_of=as_of,
    )
    if groups:
        intro += fmt(t("disclosure.bulletin_found"), projects=len(groups), items=items)
        closing = t("disclosure.bulletin_demand")
    else:
        intro += t("disclosure.bulletin_none")
        closing = ""
    return Flagged(audit.used, intro, groups, closing)


def print_values(ctx: BuildContext) -> dict[str, Any]:
    """The values the sheets and the bulletin templates get."""
    words = Words(ctx.t, ctx.config.language)
    audit = ctx.board.disclosure
    return {
        "signboards": {
            row.project.id: signboard(audit.of(row.project.id), words) for row in ctx.board.rows
        },
        "disclosure_section": bulletin_section(ctx.board, words, markup=True),
    }


def docx_section(ctx: BuildContext, sheet: Any, sub: Callable[[int], str], heading: str) -> None:
    """The bulletin's 信息公开逾期事项 in the Word copy (`heading`: its numbered heading): the
    PDF's sentences, its styles."""
    from .word import STYLE_BODY, STYLE_H1, STYLE_H2  # word imports this module

    section = bulletin_section(ctx.board, Words(ctx.t, ctx.config.language))
    if not section.used:
        return
    sheet.para(heading, STYLE_H1)
    sheet.para(section.intro, STYLE_BODY)
    for i, (name, sentences) in enumerate(section.groups, 1):
        sheet.para(sub(i) + name, STYLE_H2)
        for sentence in sentences:
            sheet.para(sentence, STYLE_BODY)
    if section.closing:
        sheet.para(section.closing, STYLE_BODY)


def pdf_texts(ctx: BuildContext, names: dict[str, str]) -> list[fontcheck.Text]:
    """Every disclosure text a PDF draws (the sheets' block, the bulletin's section)."""
    texts: list[fontcheck.Text] = []
    for project in ctx.register.projects:
        if project.code:
            pos = project.positions.get("code", project.source)
            texts.append(fontcheck.Text(project.code, pos, "code", names["sheets"]))
        if project.disclosure is None:
            continue
        for item in project.disclosure.items:
            for name in (
                "item",
                "number",
                "publisher",
                "company",
                "head",
                "manager",
                "qualification",
                "agency",
                "phone",
            ):
                value = getattr(item, name)
                if value:
                    field = f"disclosure.{item.category}.{name}"
                    texts.append(fontcheck.Text(value, item.pos, field, names["bulletin"]))
    return texts


# -- the open data ----------------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def item_data(audit: ItemAudit) -> dict[str, Any]:
    """One item in the open data: what the register says, and the audit's judgement."""
    item = audit.item
    return {
        "item": item.item,
        "number": item.number or None,
        "formed": item.formed.isoformat(),
        "published": _day(audit.published),
        "publisher": item.publisher or None,
        "channel": item.channel or None,
        "link": item.link or None,
        "licensing": item.licensing,
        "limit_workdays": audit.limit,
        "due": audit.due.isoformat(),
        "state": audit.state,
        "workdays_late": audit.days_late if audit.marked else None,
        "approver": item.approver or None,
        "reason": item.reason or None,
        "winner": item.winner or None,
        "amount": item.amount,
        "role": item.role or None,
        "company": item.company or None,
        "head": item.head or None,
        "manager": item.manager or None,
        "qualification": item.qualification or None,
        "agency": item.agency or None,
        "phone": item.phone or None,
        "result": item.result or None,
        "accepted": _day(item.accepted),
    }


def project_data(board: BoardMonth, project: Project, t: Callable[[str], str]) -> dict[str, Any]:
    """`code` and `disclosure` of a project in the month's JSON (null without a section)."""
    found = board.disclosure.of(project.id)
    if found is None:
        return {"code": project.code or None, "disclosure": None}
    return {
        "code": project.code or None,
        "disclosure": {
            "as_of": board.disclosure.as_of.isoformat(),
            "published_categories": found.published,
            "applicable_categories": found.applicable,
            "not_applicable_categories": found.not_applicable,
            "overdue_items": len(found.overdue),
            "late_items": len(found.late),
            "categories": [
                {
                    "key": c.key,
                    "name": t(f"disclosure.category.{c.key}"),
                    "state": c.state,
                    "not_applicable_reason": (c.reason or None)
                    if c.state == "not_applicable"
                    else None,
                    "items": [item_data(i) for i in c.items],
                }
                for c in found.categories
            ],
        },
    }


def summary_data(board: BoardMonth) -> dict[str, Any]:
    """The month's audit in one object: when, under which rule, what it found."""
    audit = board.disclosure
    return {
        "basis": BASIS,
        "limit_workdays": LIMIT,
        "licensing_limit_workdays": LICENSING_LIMIT,
        "as_of": audit.as_of.isoformat(),
        "period_after": audit.since.isoformat(),
        "projects": len(audit.projects),
        "overdue_items": len(audit.overdue),
        "late_items_this_month": len(audit.late_this_month),
    }
