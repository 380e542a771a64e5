"""`board diff`: what changed between two months, for the leader who signs off before publishing.

Both months are computed with board.compute (the same figures the board shows) and their rows
compared: percent and status changes, new delays, reasons added, catch-up deadlines missed,
movement in the ranking, and projects without a report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .compute import DONE, BoardMonth, Promise, Row, compute_all
from .errors import BoardError, no_report_for
from .i18n import Msg, translator
from .model import Change, Month, Project, Register
from .render import months_to, yi
from .render.adjust import Words

DELAYED = ("behind", "overdue")


@dataclass(frozen=True)
class PercentChange:
    row: Row
    before: int | None  # None: no figure in the earlier month
    after: int

    @property
    def delta(self) -> int:
        return self.after - (self.before or 0)


@dataclass(frozen=True)
class StatusChange:
    row: Row
    before: str
    after: str


@dataclass(frozen=True)
class Move:
    row: Row
    before: int
    after: int
    moved: int | None = None  # the computed movement (compute.Row.movement), when it applies

    @property
    def places(self) -> int:
        """Places moved up (negative: down): the computed movement among the unfinished
        projects for consecutive months, else the change of rank."""
        return self.moved if self.moved is not None else self.before - self.after


@dataclass(frozen=True)
class InvestedChange:
    """累计完成投资 lower than the month before, or not given where it was (None)."""

    row: Row
    before: float
    after: float | None


@dataclass
class Review:
    """Everything a reviewer checks between two months."""

    register: Register
    before: BoardMonth
    after: BoardMonth
    percent: list[PercentChange] = field(default_factory=list)
    status: list[StatusChange] = field(default_factory=list)
    new_delays: list[Row] = field(default_factory=list)
    reasons: list[Row] = field(default_factory=list)
    missed: list[tuple[Row, Promise]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    no_report: list[Row] = field(default_factory=list)
    invested: list[InvestedChange] = field(default_factory=list)
    # issue 22: the commitments changed, the projects withdrawn and added between the months
    changes: list[tuple[Project, Change]] = field(default_factory=list)
    withdrawn: list[Project] = field(default_factory=list)
    added: list[Row] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.invested
            or self.percent
            or self.status
            or self.new_delays
            or self.reasons
            or self.missed
            or self.moves
            or self.no_report
            or self.changes
            or self.withdrawn
            or self.added
        )


def review(register: Register, before: Month | None = None, after: Month | None = None) -> Review:
    """Compare two months (default: the latest and the month before it)."""
    months = register.months
    if after is None:
        if not months:
            raise BoardError(Msg("msg.diff.no_reports"))
        after = months[-1]
    if before is None:
        earlier = [m for m in months if m < after]
        if not earlier:
            raise BoardError(Msg("msg.diff.nothing_before", month=after))
        before = earlier[-1]
    for month in (before, after):
        if month not in months:
            raise no_report_for(month, months)
    if before >= after:
        raise BoardError(Msg("msg.diff.order", before=before, after=after))
    boards = {b.month: b for b in compute_all(register, after)}
    a, b = boards[before], boards[after]
    rows_a = {r.project.id: r for r in a.rows}
    result = Review(register, a, b)
    # issue 22: every board between the two months decided its changes; a project withdrawn
    # or added in between is listed, a project added in between has no row in the earlier month
    later = [x for x in boards.values() if a.month < x.month <= b.month]
    result.changes = [item for x in sorted(later, key=lambda x: x.month) for item in x.decided]
    result.withdrawn = [p for x in sorted(later, key=lambda x: x.month) for p in x.withdrawn]
    result.added = [r for r in b.rows if r.project.id not in rows_a]
    for row in b.rows:
        if row.project.id not in rows_a:
            continue
        old = rows_a[row.project.id]
        had = old.entry is not None
        if row.actual != old.actual or (not had and row.entry is not None):
            result.percent.append(PercentChange(row, old.actual if had else None, row.actual))
        if row.status != old.status:
            result.status.append(StatusChange(row, old.status, row.status))
        if row.status in DELAYED and old.status not in DELAYED:
            result.new_delays.append(row)
        if row.reason and row.reason != old.reason:
            result.reasons.append(row)
        already = {(p.by, p.promised_in) for p in old.missed_promises}
        for promise in row.missed_promises:
            if (promise.by, promise.promised_in) not in already:
                result.missed.append((row, promise))
        # a completed project leads the ranking and never shows as moving (compute.py); for
        # consecutive months the movement is the one every output shows
        consecutive = b.previous_month == a.month
        if row.status not in DONE and row.rank != old.rank:
            if not consecutive:
                result.moves.append(Move(row, old.rank, row.rank))
            elif row.movement:
                result.moves.append(Move(row, old.rank, row.rank, row.movement))
        if not row.reported:
            result.no_report.append(row)
        if old.invested is not None and (row.invested is None or row.invested < old.invested):
            result.invested.append(InvestedChange(row, old.invested, row.invested))
    result.moves.sort(key=lambda m: (-m.places, m.after))
    result.new_delays.sort(key=lambda r: r.rank)
    return result


# -- text and Markdown -----------------------------------------------------------------------


def _status(t: Callable[[str], str], status: str) -> str:
    return t(f"status.{status}")


def _promise_text(t: Callable[[str], str], promise: Promise) -> str:
    return f"{t('catch_up_by')} {promise.by} ({t('diff.promised_in')} {promise.promised_in})"


def _day(value: date | None) -> str:
    return str(value) if value else ""


def words_of(rv: Review) -> Words:
    """Changes of commitments in words, dates as the review writes them (YYYY-MM-DD)."""
    config = rv.register.config
    return Words(config.language, lambda day: day.isoformat(), config.thresholds, config.labels)


def change_cells(rv: Review) -> list[list[str]]:
    """The commitments changed between the two months: project, commitment, from, to, reason,
    basis and the day decided (issue 22)."""
    words = words_of(rv)
    rows = []
    for project, change in rv.changes:
        step = words.step(change)
        after = f"{step.after} ({step.days})" if step.days else step.after
        rows.append(
            [
                project.name,
                step.label,
                step.before,
                after,
                step.reason,
                step.basis,
                str(change.date),
            ]
        )
    return rows


def decision_cells(rv: Review) -> list[list[str]]:
    """The projects withdrawn (调出) and added (新增) between the two months."""
    words = words_of(rv)
    t = translator(rv.register.config.language)
    rows = [[p.name, t("adjust.withdrawn"), words.withdrawn_text(p)] for p in rv.withdrawn]
    rows += [[r.project.name, t("adjust.new"), words.added_text(r.project)] for r in rv.added]
    return rows


def sections(rv: Review) -> list[tuple[str, list[str], list[list[str]]]]:
    """The review as titled tables: (title, headers, rows of cells), in reading order."""
    t = translator(rv.register.config.language, rv.register.config.labels)
    name = t("name")
    out: list[tuple[str, list[str], list[list[str]]]] = []
    out.append(
        (
            t("diff.percent"),
            [name, str(rv.before.month), str(rv.after.month), "±"],
            [
                [
                    c.row.project.name,
                    "—" if c.before is None else f"{c.before}%",
                    f"{c.after}%",
                    f"{c.delta:+d}",
                ]
                for c in rv.percent
            ],
        )
    )
    out.append(
        (
            t("diff.status"),
            [name, str(rv.before.month), str(rv.after.month)],
            [[c.row.project.name, _status(t, c.before), _status(t, c.after)] for c in rv.status],
        )
    )
    out.append(
        (
            t("diff.new_delays"),
            [name, t("actual"), t("planned"), t("variance"), t("reason"), t("catch_up_by")],
            [
                [
                    r.project.name,
                    f"{r.actual}%",
                    f"{r.planned:g}%",
                    f"{r.variance:+g}",
                    r.reason or t("diff.no_reason"),
                    _day(r.catch_up_by),
                ]
                for r in rv.new_delays
            ],
        )
    )
    out.append(
        (
            t("diff.reasons"),
            [name, t("reason"), t("catch_up_by")],
            [[r.project.name, r.reason, _day(r.catch_up_by)] for r in rv.reasons],
        )
    )
    out.append(
        (
            t("diff.missed"),
            [name, t("catch_up_by"), t("diff.promised_in"), t("actual"), t("planned")],
            [
                [r.project.name, str(p.by), str(p.promised_in), f"{r.actual}%", f"{r.planned:g}%"]
                for r, p in rv.missed
            ],
        )
    )
    out.append(
        (
            t("diff.ranking"),
            [name, str(rv.before.month), str(rv.after.month), t("movement")],
            [
                [
                    m.row.project.name,
                    str(m.before),
                    str(m.after),
                    f"{t('up')} {m.places}" if m.places > 0 else f"{t('down')} {-m.places}",
                ]
                for m in rv.moves
            ],
        )
    )
    if keeps_investment(rv):
        out.append(
            (
                t("diff.invested"),
                [name, str(rv.before.month), str(rv.after.month)],
                [[c.row.project.name, money(c.before), _invested(t, c.after)] for c in rv.invested],
            )
        )
    out.append(
        (
            t("diff.no_report"),
            [name, t("leader"), t("unit"), t("actual")],
            [
                [
                    r.project.name,
                    r.project.leader,
                    r.project.unit,
                    f"{r.actual}%" + (f" ({r.entry_month})" if r.entry_month else ""),
                ]
                for r in rv.no_report
            ],
        )
    )
    # issue 22: the commitments changed, the projects withdrawn and added
    out.append(
        (
            t("diff.changes"),
            [
                name,
                t("adjust.field"),
                t("adjust.from"),
                t("adjust.to_value"),
                t("adjust.reason"),
                t("adjust.approved_by"),
                t("adjust.date"),
            ],
            change_cells(rv),
        )
    )
    out.append((t("diff.board"), [name, t("diff.kind"), t("diff.decision")], decision_cells(rv)))
    return out


def _counts(rv: Review) -> str:
    t = translator(rv.register.config.language, rv.register.config.labels)
    parts = []
    for key, after in rv.after.counts.items():
        before = rv.before.counts[key]
        change = f" ({after - before:+d})" if after != before else ""
        parts.append(f"{t('status.' + key)} {after}{change}")
    return ", ".join(parts)


def money(value: float) -> str:
    """An amount in 万元 as the review says it: 9300, 12500.5 (never in an exponent)."""
    return format(Decimal(repr(value)).normalize(), "f")


def _invested(t: Callable[[str], str], value: float | None) -> str:
    return t("diff.not_given") if value is None else money(value)


def keeps_investment(rv: Review) -> bool:
    """Whether the months compared give any investment figure (a register may keep none: then
    the review says nothing of investment)."""
    months = (rv.before.totals, rv.after.totals)
    return any(t.coverage[f].counted for t in months for f in ("invested", "invested_year"))


def totals_line(rv: Review) -> str:
    """The county's investment for the leader: this year's, and to date against the month
    before, with what the totals cover (compute.Totals.note); "" when no report gives any."""
    language = rv.register.config.language
    before, after = rv.before.totals, rv.after.totals
    if not keeps_investment(rv):
        return ""
    note = after.note(("invested_year", "invested"))
    return Msg(
        "diff.totals_line",
        months=months_to(rv.after.month, language),
        year=yi(after.invested_year),
        before=yi(before.invested),
        after=yi(after.invested),
        note=note.text(language) if note else "",
    ).text(language)


def _text_lines(rv: Review) -> list[tuple[str, list[str]]]:
    t = translator(rv.register.config.language, rv.register.config.labels)
    reason, by = t("reason"), t("catch_up_by")
    words = words_of(rv)
    return [
        (
            t("diff.percent"),
            [
                f"{c.row.project.name}: {'—' if c.before is None else f'{c.before}%'} → {c.after}% ({c.delta:+d})"
                for c in rv.percent
            ],
        ),
        (
            t("diff.status"),
            [
                f"{c.row.project.name}: {_status(t, c.before)} → {_status(t, c.after)}"
                for c in rv.status
            ],
        ),
        (
            t("diff.new_delays"),
            [
                f"{r.project.name}: {r.actual}% / {t('planned')} {r.planned:g}% ({r.variance:+g}); "
                f"{reason}: {r.reason or t('diff.no_reason')}"
                + (f"; {by} {r.catch_up_by}" if r.catch_up_by else "")
                for r in rv.new_delays
            ],
        ),
        (
            t("diff.reasons"),
            [
                f"{r.project.name}: {r.reason}"
                + (f" ({by} {r.catch_up_by})" if r.catch_up_by else "")
                for r in rv.reasons
            ],
        ),
        (
            t("diff.missed"),
            [
                f"{r.project.name}: {_promise_text(t, p)}; {r.actual}% / {t('planned')} {r.planned:g}%"
                for r, p in rv.missed
            ],
        ),
        (
            t("diff.ranking"),
            [
                f"{m.row.project.name}: {m.before} → {m.after} ("
                + (f"{t('up')} {m.places}" if m.places > 0 else f"{t('down')} {-m.places}")
                + ")"
                for m in rv.moves
            ],
        ),
        *(
            [
                (
                    t("diff.invested"),
                    [
                        f"{c.row.project.name}: {money(c.before)} → {_invested(t, c.after)}"
                        for c in rv.invested
                    ],
                )
            ]
            if keeps_investment(rv)
            else []
        ),
        (
            t("diff.no_report"),
            [
                f"{r.project.name} ({r.project.leader}, {r.project.unit}): {r.actual}%"
                + (f" ({r.entry_month})" if r.entry_month else "")
                for r in rv.no_report
            ],
        ),
        (
            t("diff.changes"),
            [words.item(p, c, c in rv.after.overdue_moved) for p, c in rv.changes],
        ),
        (t("diff.board"), [f"{n}: {kind} {text}".rstrip() for n, kind, text in decision_cells(rv)]),
    ]


def format_text(rv: Review) -> str:
    """The review for the terminal."""
    t = translator(rv.register.config.language, rv.register.config.labels)
    lines = [
        f"{rv.register.config.title} · {t('diff.title')} {rv.before.month} → {rv.after.month}",
        f"{t('diff.counts')}: {_counts(rv)}",
        *[line for line in [totals_line(rv)] if line],
    ]
    for title, items in _text_lines(rv):
        lines += ["", f"{title} ({len(items)})"]
        lines += [f"  {item}" for item in items] or [f"  {t('diff.none')}"]
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    escaped = "".join(f"\\{ch}" if ch in "\\`*_[]<>|~" else ch for ch in text)
    return " ".join(escaped.split())


def format_markdown(rv: Review) -> str:
    """The review as a Markdown page (the leader's sign-off sheet)."""
    t = translator(rv.register.config.language, rv.register.config.labels)
    lines = [
        f"# {_md_cell(rv.register.config.title)} · {t('diff.title')} {rv.before.month} → {rv.after.month}",
        "",
        f"{t('diff.counts')}: {_md_cell(_counts(rv))}",
    ]
    if totals_line(rv):
        lines += ["", _md_cell(totals_line(rv))]
    for title, headers, rows in sections(rv):
        lines += ["", f"## {title} ({len(rows)})", ""]
        if not rows:
            lines.append(t("diff.none"))
            continue
        lines.append("| " + " | ".join(_md_cell(h) for h in headers) + " |")
        lines.append("|" + "|".join(" --- " for _ in headers) + "|")
        for cells in rows:
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    colon, gap = ("：", "　" * 8) if rv.register.config.language == "zh-CN" else (": ", " " * 16)
    lines += [
        "",
        f"## {t('diff.signoff')}",
        "",
        f"{t('diff.signoff')}{colon}",
        "",
        f"{t('diff.reviewer')}{colon}{gap}{t('diff.signed_on')}{colon}".rstrip(),
    ]
    return "\n".join(lines) + "\n"
