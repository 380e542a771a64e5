"""The public website, `site/`: a static folder the county uploads as it is (see docs/site.md).

- `index.html`: the current month's board (filters and sorting as progressive enhancement);
- `<YYYY-MM>/index.html`: the board of every month, frozen; `archive/index.html` lists them;
- `projects/<id>/index.html`: one project, its schedule, its monthly history and a chart;
- `bulletin/<YYYY-MM>/index.html`: the ranking and bulletin (通报) of every month;
- `embed.html`: the current board as a fragment with scoped styles, for the county's CMS;
- `data/projects.csv` (UTF-8 with BOM), `feed.xml` (Atom); `site.css` and `site.js`.

Links are relative and name `index.html` so that the folder works from any sub-path and opened
from the file system. Every page carries a Content-Security-Policy that allows nothing outside
the folder. Each template is compiled once and rendered per page; per-project lookups are
indexed once per month, so the work grows with projects × months.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any

from markupsafe import Markup

from .. import money
from ..compute import BoardMonth, Row
from ..i18n import STATUS_ORDER, STATUS_SYMBOL
from ..model import Month
from ..parallel import map_parallel
from ..photos import site_variants
from . import BuildContext, date_label, disclosure, legend_css, month_label
from .bulletin import change_text
from .data import row_data
from .site_map import site_map

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
PDF_STAGE = "board.render.pdf"
PDF_KINDS = ("panel", "sheets", "bulletin")
WORD_STAGE = "board.render.word"  # print/bulletin-M.docx, the bulletin's editable copy
OPENDATA_STAGE = "board.render.opendata"  # data/index.html and the files in open standards
# the open data in the field's standards (board.render.opendata): (path under site/, type, label)
OPENDATA_FILES = (
    ("data/index.html", "text/html", "open_data"),
    ("data/oc4ids.json", "application/json", "od.oc4ids.title"),
    ("data/datapackage.json", "application/json", "od.datapackage.title"),
    ("data/board.sqlite", "application/vnd.sqlite3", "od.sqlite.title"),
)
CSV_COLUMNS = (
    "id",
    "code",  # issue 24: 项目统一代码
    "name",
    "leader",
    "unit",
    "owner",
    "location",
    "category",
    "start",
    "deadline",
    "investment",
    "status",
    "status_label",
    "reported",
    "report_month",
    "percent",
    "planned",
    "variance",
    "gain",
    "rank",
    "previous_rank",
    "movement",
    "movement_kind",
    "progress",
    "invested",
    "annual_investment",
    "invested_year",
    "investment_rate",
    "problems",
    "measures",
    "reason",
    "catch_up_by",
    "promise_state",
    # issue 22: the commitments as first promised, how many changes, 新增
    "baseline_name",
    "baseline_leader",
    "baseline_unit",
    "baseline_deadline",
    "baseline_investment",
    "changes",
    "new",
)
STATUS_MARK = STATUS_SYMBOL  # the one legend (board/i18n.py)
STATUSES = STATUS_ORDER
EMBED_CLASS = "zdxm-board-embed"


def _stage_built(module: str) -> bool:
    """Whether this build renders the stage of `module`."""
    from ..build import STAGES

    return any(name == module for _, name in STAGES)


def _pdf_stage_built() -> bool:
    """Whether this build renders the PDFs (the print stage is registered)."""
    from ..build import STAGES  # the pipeline imports this module, never the other way round

    return any(module == PDF_STAGE for _, module in STAGES)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One CSV cell: empty for none, true/false, numbers as in the JSON, text as it is.

    Text that a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage
    return) gets a leading apostrophe, so it is shown as text and never evaluated.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def projects_csv(board: BoardMonth, t: Callable[[str], str]) -> bytes:
    """`data/projects.csv`: one line per project of the month, the JSON's flat fields."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in board.rows:
        data = row_data(row, t, board.register.config.thresholds)
        flat = {
            **data,
            **{f"baseline_{key}": value for key, value in data["baseline"].items()},
            "changes": len(data["changes"]),
        }
        writer.writerow([csv_cell(flat[column]) for column in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def bar_svg(actual: float, planned: float | None = None) -> Markup:
    """A percent bar as inline SVG (no style attributes, so the CSP needs no 'unsafe-inline')."""
    width = max(0.0, min(100.0, float(actual)))
    parts = [
        '<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">',
        '<rect class="bar-track" x="0" y="0" width="100" height="8"/>',
        f'<rect class="bar-fill" x="0" y="0" width="{width:g}" height="8"/>',
    ]
    if planned is not None:
        x = max(0.5, min(99.5, float(planned)))
        parts.append(f'<rect class="bar-plan" x="{x - 0.5:g}" y="0" width="1" height="8"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_svg(points: list[tuple[Month, float, int | None]], labels: dict[str, str]) -> Markup:
    """Planned against actual percent per month as inline SVG; the caller gives the text too.

    `points` are (month, planned, actual or None when never reported), oldest first.
    """
    width, height = 640, 300
    left, right, top, bottom = 44, 16, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 100)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" focusable="false">',
        f'<title id="chart-title">{Markup.escape(labels["title"])}</title>',
        f'<desc id="chart-desc">{Markup.escape(labels["desc"])}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}%</text>'
        )
    step = max(1, (n + 11) // 12)  # at most about 12 month labels
    for i, (month, _, _) in enumerate(points):
        if i % step == 0 or i == n - 1:
            anchor = (
                "middle" if n == 1 else "start" if i == 0 else "end" if i == n - 1 else "middle"
            )
            out.append(
                f'<text class="tick" x="{x(i):.1f}" y="{height - bottom + 18}" '
                f'text-anchor="{anchor}">{month}</text>'
            )
    planned = " ".join(f"{x(i):.1f},{y(p):.1f}" for i, (_, p, _) in enumerate(points))
    out.append(f'<polyline class="line-plan" points="{planned}"/>')
    actual = [(i, a) for i, (_, _, a) in enumerate(points) if a is not None]
    if actual:
        line = " ".join(f"{x(i):.1f},{y(a):.1f}" for i, a in actual)
        out.append(f'<polyline class="line-actual" points="{line}"/>')
        for i, a in actual:
            out.append(f'<circle class="dot-actual" cx="{x(i):.1f}" cy="{y(a):.1f}" r="4"/>')
    for i, (_, p, _) in enumerate(points):
        out.append(
            f'<rect class="dot-plan" x="{x(i) - 3:.1f}" y="{y(p) - 3:.1f}" width="6" height="6"/>'
        )
    # the legend: line styles and shapes, not colour alone
    ly = height - 10
    out.append(
        f'<line class="line-plan" x1="{left}" x2="{left + 28}" y1="{ly - 4}" y2="{ly - 4}"/>'
        f'<text class="legend" x="{left + 34}" y="{ly}">{Markup.escape(labels["planned"])}</text>'
        f'<line class="line-actual" x1="{left + 200}" x2="{left + 228}" y1="{ly - 4}" y2="{ly - 4}"/>'
        f'<circle class="dot-actual" cx="{left + 214}" cy="{ly - 4}" r="4"/>'
        f'<text class="legend" x="{left + 234}" y="{ly}">{Markup.escape(labels["actual"])}</text>'
    )
    out.append("</svg>")
    return Markup("".join(out))


def amount(value: float) -> str:
    """An amount in 万元 as written in a table (board/money.py: the one money formatter)."""
    return money.wan(value)


NONE_MARK = Markup('<span class="none">—</span>')


def dash(value: Any) -> Markup:
    """A table cell's text, or a dash for none (a function: cheaper per row than a macro)."""
    return Markup.escape(value) if value else NONE_MARK


# What a correction changed is named by the open data's keys (board.published.shown); each is
# said by its label, the keys derived from another by that one's.
def _options(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


class Site:
    """Renders every page of the site from one build context."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.t = ctx.t
        self.language = ctx.config.language
        self.latest = ctx.board
        self.pdfs = _pdf_stage_built()
        self.words = _stage_built(WORD_STAGE)
        self.opendata = _stage_built(OPENDATA_STAGE)
        # each month's published versions (board.published), set by the build
        self.published: dict[str, Any] = ctx.options.get("published") or {}
        self.status_label = {status: self.t(f"status.{status}") for status in STATUSES}
        # each project's row in each month, indexed once
        self.rows_by_month: dict[Month, dict[str, Row]] = {
            b.month: {r.project.id: r for r in b.rows} for b in ctx.boards
        }
        self.templates = {
            name: ctx.env.get_template(f"site/{name}")
            for name in (
                "board.html",
                "project.html",
                "bulletin.html",
                "archive.html",
                "changes.html",
                "disclosure.html",
                "map.html",
            )
        }
        self.disclosure_words = disclosure.Words(self.t, self.language)
        self.map = site_map(ctx)  # the county's map (issue 26), or None
        self.geojson = any(p.geometry for p in ctx.register.projects)  # data/projects.geojson
        # compiled here, once, not in each process the pages are spread over
        for name in ("site/base.html", "site/macros.html", "site/embed.html"):
            ctx.env.get_template(name)

    # --- shared values -------------------------------------------------------------------------

    def month_text(self, month: Month) -> str:
        return month_label(month, self.language)

    def versions(self, month: Month) -> list[dict[str, Any]]:
        """The month's published versions, oldest first (empty outside a build)."""
        return self.published.get(str(month), {}).get("versions", [])

    def file_links(self, files: list[str], root: str) -> list[tuple[str, str]]:
        """(label, href) of a version's PDFs, panel, sheets and bulletin in that order."""
        labels = {
            "panel": self.t("site.pdf_panel"),
            "sheets": self.t("site.pdf_sheets"),
            "bulletin": self.t("site.pdf_bulletin"),
        }
        links = []
        for kind in PDF_KINDS:
            for name in files:
                if name.startswith(f"print/{kind}-") and name.endswith(".pdf"):
                    links.append((labels[kind], f"{root}../{name}"))
        return links

    def month_data(self, board: BoardMonth, root: str) -> dict[str, str]:
        """The hrefs of the month's own JSON and CSV (its latest published version)."""
        versions = self.versions(board.month)
        files = versions[-1]["files"] if versions else []
        found = {
            "json": f"data/board-{board.month}.json",
            "csv": f"data/projects-{board.month}.csv",
        }
        for name in files:
            if name.startswith("site/data/board-") and name.endswith(".json"):
                found["json"] = name.removeprefix("site/")
            if name.startswith("site/data/projects-") and name.endswith(".csv"):
                found["csv"] = name.removeprefix("site/")
        return {key: root + href for key, href in found.items()}

    def corrections(self, board: BoardMonth, root: str) -> list[dict[str, Any]]:
        """The month's corrections (更正), newest first: date, what changed, the earlier files."""
        versions = self.versions(board.month)
        found = []
        for before, version in itertools.pairwise(versions):
            data = [
                name.removeprefix("site/")
                for name in version["files"]
                if name.startswith("site/data/board-") and name.endswith(".json")
            ]
            found.append(
                {
                    "version": version["version"],
                    "data": data[0] if data else None,  # the version's board JSON (-rN)
                    "date": date.fromisoformat(version["date"]),
                    "changes": self.change_text(version["changes"]),
                    "earlier": self.file_links(before["files"], root),
                    "earlier_version": before["version"],
                }
            )
        return found[::-1]

    def change_text(self, changes: list[dict[str, Any]]) -> str:
        """What a correction changed, in words (render/bulletin.py says it for every output)."""
        return change_text(changes, self.t)

    def rebuilt(self, board: BoardMonth) -> date | None:
        """The day the month was rendered again because its record was lost (重新生成)."""
        versions = self.versions(board.month)
        day = versions[0].get("rebuilt") if versions else None
        return date.fromisoformat(day) if day else None

    def withdrawn(self, board: BoardMonth) -> dict[str, Any] | None:
        """The month's withdrawal (撤回): its day and reason, or None."""
        found = self.published.get(str(board.month), {}).get("withdrawn")
        if not found:
            return None
        return {"date": date.fromisoformat(found["date"]), "reason": found["reason"]}

    def pdf_links(self, board: BoardMonth, root: str) -> list[tuple[str, str]]:
        """(label, href) of the PDFs of `board`'s month (panel, sheets, bulletin).

        In a build every month links its own PDFs, as published (its latest version; the
        correction notice links the earlier ones). Rendered alone (render_all), only the month
        built has PDFs.
        """
        versions = self.versions(board.month)
        if versions:
            return self.file_links(versions[-1]["files"], root)
        if not self.pdfs or board.month != self.latest.month:
            return []
        labels = {
            "panel": self.t("site.pdf_panel"),
            "sheets": self.t("site.pdf_sheets"),
            "bulletin": self.t("site.pdf_bulletin"),
        }
        return [(labels[k], f"{root}../print/{k}-{board.month}.pdf") for k in PDF_KINDS]

    def word_links(self, board: BoardMonth, root: str) -> list[tuple[str, str]]:
        """(label, href) of the editable Word copy of `board`'s bulletin, like `pdf_links`.

        The sign-off sheet (审阅-M.docx) is the office's working paper, not part of the public
        board: it is written to 内部/, outside print/ and site/, and never linked.
        """
        versions = self.versions(board.month)
        if versions:
            return [
                (self.t("site.docx_bulletin"), f"{root}../{name}")
                for name in versions[-1]["files"]
                if name.startswith("print/bulletin-") and name.endswith(".docx")
            ]
        if not self.words or board.month != self.latest.month:
            return []
        return [(self.t("site.docx_bulletin"), f"{root}../print/bulletin-{board.month}.docx")]

    def page(self, template: str, board: BoardMonth, root: str, **values: Any) -> bytes:
        html = self.templates[template].render(
            config=self.ctx.config,
            board=board,
            boards=self.ctx.boards,
            latest=self.latest,
            root=root,
            csp=CSP,
            pdf_links=self.pdf_links(board, root),
            word_links=self.word_links(board, root),
            month_data=self.month_data(board, root),
            corrections=self.corrections(board, root),
            rebuilt=self.rebuilt(board),
            withdrawn=self.withdrawn(board),
            month_text=self.month_text(board.month),
            status_mark=STATUS_MARK,
            status_label=self.status_label,
            statuses=STATUSES,
            bar=bar_svg,
            amount=amount,
            dash=dash,
            opendata=self.opendata,
            disclosure_used=self.latest.disclosure.used,  # issue 24: the nav's 信息公开
            site_map=self.map,
            projects_geojson=self.geojson,
            **values,
        )
        return html.encode("utf-8")

    # --- pages ---------------------------------------------------------------------------------

    def photo_view(self, photo: Any, month: Month, name: str, root: str) -> dict[str, Any]:
        """What the page needs to show a photo: srcset, its size before it loads, alt text."""
        variants = site_variants(photo)
        width, height, largest = variants[-1]
        alt = photo.caption or self.t("photo.of_month").format(month=self.month_text(month))
        return {
            "src": f"{root}{variants[0][2]}",
            "srcset": ", ".join(f"{root}{path} {w}w" for w, _, path in variants),
            "full": f"{root}{largest}",
            "width": width,
            "height": height,
            "alt": alt if photo.caption else f"{name} {alt}",
            "caption": photo.caption,
            "taken": photo.taken,
            "taken_text": self.t("photo.taken").format(date=date_label(photo.taken, self.language))
            if photo.taken
            else "",
        }

    def board_page(self, board: BoardMonth, root: str, permalink: bool) -> bytes:
        rows = board.rows
        return self.page(
            "board.html",
            board,
            root,
            permalink=permalink,
            units=_options(r.project.unit for r in rows),
            leaders=_options(r.project.leader for r in rows),
        )

    def project_page(self, row: Row, board: BoardMonth | None = None) -> bytes:
        """A project's page, as of the month built; a withdrawn project's (issue 22) as of the
        last board it was on (`board`)."""
        project = row.project
        # the months the project was on the board (issue 22: added mid-year, or withdrawn)
        history = [
            (b.month, self.rows_by_month[b.month][project.id])
            for b in self.ctx.boards
            if project.id in self.rows_by_month[b.month]
        ]
        final = {p.by: p for p in row.promises}  # each catch-up promise as known now
        points = [(m, r.planned, r.actual if r.entry_month else None) for m, r in history]
        item = self.t("site.chart_desc_item")
        chart = chart_svg(
            points,
            {
                "title": self.t("site.chart_title").format(name=project.name),
                "desc": self.t("site.sep").join(
                    item.format(
                        month=self.month_text(m),
                        planned=f"{p:g}",
                        actual=f"{a}%" if a is not None else self.t("status.no_report"),
                    )
                    for m, p, a in points
                ),
                "planned": self.t("planned"),
                "actual": self.t("actual"),
            },
        )
        # the photos of every month up to the month built, newest first
        photo_months = [
            (m, [self.photo_view(ph, m, project.name, "../../") for ph in r.photos])
            for m, r in reversed(history)
            if r.photos
        ]
        # milestones are judged on the day of the figures shown, as in the open data
        as_of = row.entry_month.last_day if row.entry_month else project.start
        return self.page(
            "project.html",
            board or self.latest,
            "../../",
            row=row,
            history=history,
            promise_of=final.get,
            chart=chart,
            milestones_as_of=as_of,
            photo_months=photo_months,
            **self.project_changes(row),
            **disclosure.site_values(self.latest, project, self.disclosure_words),
        )

    # --- issue 22: changes of commitments ------------------------------------------------------

    def project_changes(self, row: Row) -> dict[str, Any]:
        """What a project page shows of its commitments' changes: its change log (newest
        first), and the decision that took it off the board when it was withdrawn."""
        words = self.ctx.adjust
        project = self.ctx.register.project(row.project.id)
        cutoff = self.latest.published_on  # its log as known now, withdrawn or not
        steps = [words.step(c) for c in project.changes if c.date <= cutoff]
        withdrawn = (
            project.withdrawn if project.id not in self.rows_by_month[self.latest.month] else None
        )
        return {
            "change_log": [(row.project, step) for step in reversed(steps)],
            "project_withdrawn": words.withdrawn_text(project) if withdrawn is not None else "",
            "added": words.added_text(project) if project.added is not None else "",
        }

    def withdrawn_rows(self) -> list[tuple[Row, BoardMonth]]:
        """The last row of every project no longer on the board (调出), with that board: its
        page stays."""
        current = self.rows_by_month[self.latest.month]
        found: dict[str, tuple[Row, BoardMonth]] = {}
        for board in self.ctx.boards:
            for row in board.rows:
                if row.project.id not in current:
                    found[row.project.id] = (row, board)
        return list(found.values())

    def changes_page(self) -> bytes:
        """`changes/index.html`: the county's 调整记录, every change of a commitment published
        so far (newest first), the projects taken off the board and those added mid-year."""
        words = self.ctx.adjust
        register = self.ctx.register
        cutoff = self.latest.published_on
        items = []
        added = []
        for project in register.projects:
            shown = project.as_of(cutoff)
            items += [(shown, words.step(c)) for c in project.changes if c.date <= cutoff]
            if project.added is not None and project.added.date <= cutoff:
                added.append((shown, words.added_text(project)))
        items.sort(key=lambda item: item[1].change.date, reverse=True)
        withdrawn = [(p, words.withdrawn_text(p)) for p in self.latest.withdrawn_all]
        projects = {p.id for p, _ in items}
        delayed: dict[str, int] = {}
        for project, step in items:
            if step.change.is_delay:
                delayed[project.id] = delayed.get(project.id, 0) + 1
        names = {p.id: p.name for p, _ in items}
        return self.page(
            "changes.html",
            self.latest,
            "../",
            change_log=items,
            changed_projects=len(projects),
            delayed=len(delayed),
            delayed_often=[
                self.t("adjust.times").format(name=names[pid], n=n)
                for pid, n in delayed.items()
                if n >= 2
            ],
            withdrawn_items=withdrawn,
            added_items=added,
        )

    def bulletin_page(self, board: BoardMonth) -> bytes:
        return self.page("bulletin.html", board, "../../")

    def disclosure_page(self) -> bytes:
        """site/disclosure/index.html: the county's disclosure by project (issue 24)."""
        values = disclosure.county_values(self.latest, self.disclosure_words)
        return self.page("disclosure.html", self.latest, "../", **values)

    def archive_page(self) -> bytes:
        # each month's mark in the list: withdrawn (撤回), or rendered again (重新生成)
        marks = {
            b.month: self.t("site.withdrawn_mark")
            if self.withdrawn(b)
            else self.t("site.rebuilt_mark")
            if self.rebuilt(b)
            else ""
            for b in self.ctx.boards
        }
        return self.page("archive.html", self.latest, "../", marks=marks)

    def embed(self) -> bytes:
        url = self.ctx.config.site_url
        base = (url if url.endswith("/") else url + "/") if url else ""
        html = self.ctx.env.get_template("site/embed.html").render(
            config=self.ctx.config,
            board=self.latest,
            boards=self.ctx.boards,
            base=base,
            scope=EMBED_CLASS,
            month_text=self.month_text(self.latest.month),
            status_mark=STATUS_MARK,
            bar=bar_svg,
            css=Markup(
                self._source("site/embed.css").replace("SCOPE", EMBED_CLASS)
                + legend_css(f".{EMBED_CLASS} ")
            ),
        )
        return html.encode("utf-8")

    def feed(self) -> bytes:
        config = self.ctx.config
        url = config.site_url
        base = (url if url.endswith("/") else url + "/") if url else ""
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, base or f"board:{config.title}:{config.issuer}")

        def entry_id(month: Month | None) -> str:
            if base:
                return f"{base}{month}/" if month else f"{base}feed.xml"
            return f"urn:uuid:{uuid.uuid5(namespace, str(month) if month else 'feed')}"

        def stamp(day: date) -> str:
            return f"{day.isoformat()}T00:00:00Z"

        def entry_title(b: BoardMonth) -> str:
            rebuilt = self.rebuilt(b)
            if rebuilt is None:
                return self.month_text(b.month)
            return self.t("site.rebuilt_title").format(
                month=self.month_text(b.month), date=date_label(rebuilt, self.language)
            )

        entries = [
            {
                "id": entry_id(b.month),
                "month": b.month,
                "month_text": entry_title(b),
                "updated": stamp(b.as_of),
                "href": f"{base}{b.month}/index.html",
                "bulletin": f"{base}bulletin/{b.month}/index.html",
                "counts": b.counts,
                "behind": b.behind,
                "photos": b.photos,
                "total": len(b.rows),
                "decided": b.decided,  # issue 22: 本月调整事项, 调出, 新增
                "overdue_moved": b.overdue_moved,
                "withdrawn": b.withdrawn,
                "added": b.added,
            }
            for b in reversed(self.ctx.boards)
        ]

        def notice_id(month: Month, name: str) -> str:
            if base:
                return f"{base}{month}/#{name}"
            return f"urn:uuid:{uuid.uuid5(namespace, f'{month}-{name}')}"

        def correction_id(month: Month, version: int) -> str:
            return notice_id(month, f"r{version}")

        corrections = [
            {
                "id": correction_id(b.month, c["version"]),
                "title": self.t("site.correction_title").format(month=self.month_text(b.month)),
                "updated": stamp(c["date"]),
                "href": f"{base}{b.month}/index.html",
                "summary": c["changes"],
                "data": f"{base}{c['data']}" if c["data"] else None,
            }
            for b in self.ctx.boards
            for c in self.corrections(b, "")
        ]
        for b in self.ctx.boards:
            withdrawn = self.withdrawn(b)
            if withdrawn is None:
                continue
            corrections.append(
                {
                    "id": notice_id(b.month, "withdrawn"),
                    "title": self.t("site.withdrawn_title").format(month=self.month_text(b.month)),
                    "updated": stamp(withdrawn["date"]),
                    "href": f"{base}{b.month}/index.html",
                    "data": None,  # the month's files stay as published (its own entry's)
                    "summary": self.t("site.withdrawn_note").format(
                        date=date_label(withdrawn["date"], self.language),
                        reason=withdrawn["reason"],
                    ),
                }
            )
        xml = self.ctx.env.get_template("site/feed.xml").render(
            config=config,
            board=self.latest,
            boards=self.ctx.boards,
            feed_id=entry_id(None),
            updated=stamp(self.latest.as_of),
            base=base,
            entries=entries,
            corrections=sorted(corrections, key=lambda c: (c["updated"], c["id"]), reverse=True),
            statuses=STATUSES,
            opendata=[
                (f"{base}{path}", kind, self.t(label))
                for path, kind, label in (OPENDATA_FILES if self.opendata else ())
            ],
        )
        return xml.encode("utf-8")

    def _source(self, name: str) -> str:
        """A static file from the templates (a register's own templates shadow it)."""
        loader = self.ctx.env.loader
        assert loader is not None
        return loader.get_source(self.ctx.env, name)[0]

    def render(self) -> dict[str, bytes]:
        ctx = self.ctx
        files: dict[str, bytes] = {
            "site/site.css": (
                self._source("site/site.css")
                + legend_css()
                + self._source("site/disclosure.css")
                + self._source("site/map.css")
            ).encode("utf-8"),
            "site/site.js": self._source("site/site.js").encode("utf-8"),
            "site/feed.xml": self.feed(),
        }
        # the pages that grow with months and projects, spread over the cores when many
        pages: list[tuple[str, Callable[[], bytes]]] = [
            ("site/index.html", partial(self.board_page, self.latest, "", False)),
            ("site/archive/index.html", self.archive_page),
            ("site/embed.html", self.embed),
            ("site/data/projects.csv", partial(projects_csv, self.latest, self.t)),
        ]
        for b in ctx.boards:
            pages.append((f"site/{b.month}/index.html", partial(self.board_page, b, "../", True)))
        for b in ctx.boards:
            pages.append((f"site/bulletin/{b.month}/index.html", partial(self.bulletin_page, b)))
        for row in self.latest.rows:
            pages.append(
                (f"site/projects/{row.project.id}/index.html", partial(self.project_page, row))
            )
        for row, board in self.withdrawn_rows():
            pages.append(
                (
                    f"site/projects/{row.project.id}/index.html",
                    partial(self.project_page, row, board),
                )
            )
        pages.append(("site/changes/index.html", self.changes_page))
        if self.latest.disclosure.used:  # issue 24
            pages.append(("site/disclosure/index.html", self.disclosure_page))
        if self.map is not None:  # the county's map (issue 26)
            files.update(self.map.files())
            pages.append(
                ("site/map/index.html", partial(self.page, "map.html", self.latest, "../"))
            )
        rendered = map_parallel([make for _, make in pages], lambda make: make())
        files.update(zip([name for name, _ in pages], rendered, strict=True))
        return files


def render(ctx: BuildContext) -> dict[str, bytes]:
    """Every file of `site/` except the open data JSON (board.render.data) and the assets."""
    return Site(ctx).render()
