"""The lobby screen: `screen/index.html`, one self-contained full-screen page, and
`screen/version.json`, which the page polls to notice a newly published build.

The page is laid out here, at build time, for the configured screen size (`screen: width,
height`): every text box has a fixed height and clamps its text to a number of lines, so the
number of items per page follows from the size alone and the first page is complete even with
scripting off. The inline script only rotates the pages, runs the clock, dims the screen at night,
polls for a new build and, should a font wrap more than planned, moves overflowing items to an
extra page.

All sizes below are design pixels: CSS pixels divided by the scale, which is 1 at 1920x1080 and
at 1080x1920 and 2 at 3840x2160. No text is smaller than 24 design pixels.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..compute import STATUSES, Row
from ..i18n import DATE_FORMAT, month_names
from ..model import Photo
from ..photos import derivative, fit
from . import BuildContext, month_label
from .qr import qr_svg

SCREEN_PHOTOS_PER_PROJECT = 2  # the screen shows a project's first two photos of the month
SCREEN_PHOTOS_MAX = 24  # and at most this many in all (board order): the page embeds them
STALE_DAYS = 40  # a screen showing older data says so
POLL_SECONDS = 30  # served over http(s): how often the page asks for version.json
FILE_RELOAD_SECONDS = 900  # opened as a file: how often it reloads itself
MIN_FONT = 24  # design pixels: the smallest text on the screen

# design pixels: font sizes and line heights
FONT = 26
LINE = 34
NAME_FONT = 28
NAME_LINE = 36
DETAIL_NAME_FONT = 30
DETAIL_NAME_LINE = 38
PHOTO_TEXT = 6 + 36 + 34 + 6  # a photo's two lines under it: the project's name; caption, percent
RANK_ROW_MOST = 2 * NAME_LINE + 16  # a ranking row spread over its page: two lines of name
BEHIND_ROW_MOST = 4 * LINE + 16  # a row of the projects behind: four lines of reason


@dataclass(frozen=True)
class Layout:
    """The screen's geometry in design pixels, and how many items fit on a page."""

    width: int  # CSS pixels
    height: int
    scale: float
    wide: bool  # a landscape table; otherwise cards (portrait and narrow screens)
    inset: int = 8  # a frame the content shifts within against burn-in
    gap: int = 8
    header: int = 150
    strip: int = 56
    footer: int = 64  # room for a warning of two lines
    thead: int = 64  # two lines of labels
    row: int = 2 * NAME_LINE + 16  # a board row: two lines of name
    rank_row: int = 56
    card: int = 0
    card_gap: int = 12
    side: int = 360  # cards: the right-hand column (status, deadline, bar)
    columns: int = 1  # card columns (cards layout)
    rank_columns: int = 1
    detail_columns: int = 1
    board_cols: tuple[tuple[str, int], ...] = ()
    behind_cols: tuple[tuple[str, int], ...] = ()
    rank_cols: tuple[tuple[str, int], ...] = ()

    @property
    def design_width(self) -> float:
        return self.width / self.scale

    @property
    def design_height(self) -> float:
        return self.height / self.scale

    @property
    def inner_width(self) -> float:
        return self.design_width - 2 * self.inset

    @property
    def main(self) -> float:
        """The height of the page area between the summary strip and the footer."""
        return (
            self.design_height
            - 2 * self.inset
            - self.header
            - self.strip
            - self.footer
            - 3 * self.gap
        )

    def column_width(self, columns: int) -> float:
        return (self.inner_width - (columns - 1) * 2 * self.gap) / columns

    @property
    def board_per_column(self) -> int:
        if self.wide:
            return max(1, int((self.main - self.thead) // self.row))
        return max(1, int((self.main + self.card_gap) // (self.card + self.card_gap)))

    @property
    def rank_per_column(self) -> int:
        return max(1, int((self.main - self.thead) // self.rank_row))

    def px(self, value: float) -> str:
        """Design pixels as CSS pixels for this screen."""
        return f"{round(value * self.scale, 2):g}px"


def status_width(labels: Sequence[str]) -> int:
    """The width of a status badge's column: the longest label, its symbol and paddings."""
    longest = max((text_em(label) for label in labels), default=4.0)
    return max(180, math.ceil(longest * MIN_FONT * 1.05) + 24 + 6 + 24 + 16)


def two_lines_width(texts: Sequence[str], least: int, most: int) -> int:
    """A column's width for the longest of `texts` in two lines (赵志刚（县委常委、政法委书记）
    wraps, never cut), between `least` and `most` design pixels."""
    longest = max((text_em(text) for text in texts), default=0.0)
    return min(most, max(least, math.ceil((longest / 2 + 1.0) * FONT) + 16))


def layout_for(
    width: int,
    height: int,
    status_labels: Sequence[str] = (),
    planned_label: str = "计划进度",
    leaders: Sequence[str] = (),
    units: Sequence[str] = (),
    baseline_label: str = "",
) -> Layout:
    """The layout for a screen of width x height CSS pixels, with room for these labels, the
    leaders' names and titles (wrapped, never cut) and `baseline_label` (the widest 原定 line
    under a moved deadline, issue 22)."""
    scale = min(width, height) / 1080
    design_width = width / scale
    wide = design_width >= 1800
    status = status_width(status_labels)
    percent = max(280, math.ceil(text_em(f"{planned_label} 100.0%") * FONT) + 16)
    if wide:
        leader = two_lines_width(leaders, 190, 300)
        unit = two_lines_width(units, 150, 230)
        deadline = max(215, math.ceil(text_em(baseline_label) * MIN_FONT * 1.05) + 16)
        fixed = {"leader": leader, "unit": unit, "deadline": deadline, "bar": 240, "status": status}
        name = 430
        progress = design_width - 16 - sum(fixed.values()) - name
        board_cols = (
            ("name", name),
            ("leader", fixed["leader"]),
            ("unit", fixed["unit"]),
            ("deadline", fixed["deadline"]),
            ("progress", int(progress)),
            ("bar", fixed["bar"]),
            ("status", fixed["status"]),
        )
        who = max(260, leader)  # 分包县领导 above 分包单位: who answers for it
        behind_cols = (
            ("name", 420),
            ("who", who),
            ("status", status),
            ("percent", percent),
            ("reason", int(design_width - 16 - 420 - who - status - percent - 360)),
            ("catch_up_by", 360),
        )
        return Layout(
            width,
            height,
            scale,
            True,
            board_cols=board_cols,
            behind_cols=behind_cols,
            rank_columns=2,
            detail_columns=2,
            rank_cols=_rank_cols((design_width - 16 - 16) / 2, status),
        )
    columns = max(1, int(design_width // 860))
    return Layout(
        width,
        height,
        scale,
        False,
        header=280,
        strip=110,
        card=2 * DETAIL_NAME_LINE + LINE + 2 * LINE + 2 * 6 + 2 * 10,
        columns=columns,
        rank_columns=columns,
        detail_columns=columns,
        side=max(360, status),
        rank_cols=_rank_cols((design_width - 16 - (columns - 1) * 16) / columns, status),
    )


def _rank_cols(width: float, status: int) -> tuple[tuple[str, int], ...]:
    fixed = {"rank": 76, "movement": 140, "actual": 120, "variance": 110, "status": status}
    return (
        ("rank", fixed["rank"]),
        ("movement", fixed["movement"]),
        ("name", int(width - sum(fixed.values()) - 4)),
        ("actual", fixed["actual"]),
        ("variance", fixed["variance"]),
        ("status", fixed["status"]),
    )


def text_em(text: str) -> float:
    """A conservative width of `text` in em: CJK and full-width characters 1, others 0.62."""
    return sum(
        1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.62
        for ch in text
        if not unicodedata.category(ch).startswith("C")
    )


def lines_needed(text: str, width: float, font: float) -> int:
    """How many lines `text` takes in a box `width` wide at `font` (both design pixels)."""
    per_line = max(1.0, width / font - 1.0)  # one em of slack for where lines break
    return max(1, math.ceil(text_em(text) / per_line))


@dataclass(frozen=True)
class Item:
    """One thing shown on a page: a project row or card, a photo, or a message."""

    row: Row | None
    height: float = 0  # design pixels (detail cards; rows and cards have the layout's height)
    lines: dict[str, int] = field(default_factory=dict)  # detail cards: lines per text block
    photo: dict[str, Any] | None = None  # photo pages: src (data: URI), size, caption
    # the changes page (调整说明, issue 22): a project's name and its changes in words
    title: str = ""
    text: str = ""


@dataclass(frozen=True)
class PhotoGrid:
    """The photo page's tiles in design pixels: columns x rows, each a box and two lines."""

    columns: int
    rows: int
    tile: float  # a tile's width
    box_w: float  # the photo's box
    box_h: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


def photo_grid(layout: Layout) -> PhotoGrid:
    """Three photos side by side on a landscape screen; two above each other per card column
    on a portrait one. A box is at most 4:3; a photo is fitted into it, never stretched."""
    columns, rows = (3, 1) if layout.wide else (layout.columns, 2)
    tile = layout.column_width(columns)
    gap = 2 * layout.gap
    box_h = min(tile * 0.75, (layout.main - rows * PHOTO_TEXT - (rows - 1) * gap) / rows)
    return PhotoGrid(columns, rows, tile, tile, math.floor(box_h))


@dataclass(frozen=True)
class Page:
    kind: str  # board | ranking | map | behind | detail | empty | photos
    title: str
    columns: tuple[tuple[Item, ...], ...]
    row_height: float = 0  # design pixels: rows spread over the page (0: the layout's)
    lines: int = 2  # lines of text a cell of such a row shows
    map: Any = None  # the map page's drawing (screen_map.MapPage)


def _balanced(
    items: Sequence[Item], per_column: int, columns: int
) -> list[tuple[tuple[Item, ...], ...]]:
    """`items` on as few pages as hold them, as evenly as can be (17 rows of 8 a page: 6, 6,
    5, not 8, 8, 1), and on each page over its columns evenly (16 in two columns: 8 and 8)."""
    if not items:
        return []
    per_page = per_column * columns
    count = math.ceil(len(items) / per_page)
    pages = []
    start = 0
    for index in range(count):
        size = len(items) // count + (1 if index < len(items) % count else 0)
        chunk = items[start : start + size]
        start += size
        per = math.ceil(len(chunk) / columns)
        pages.append(
            tuple(
                tuple(chunk[c * per : (c + 1) * per])
                for c in range(columns)
                if chunk[c * per : (c + 1) * per]
            )
        )
    return pages


def _spread(available: float, rows: int, least: float, most: float) -> float:
    """The height of each of `rows` rows spread over `available` (between least and most)."""
    return max(least, min(most, available / max(1, rows)))


def progress_text(row: Row, language: str, t: Callable[[str], str]) -> str:
    """The month's progress text; for a project without a report, its last one and when."""
    if row.entry is None:
        return "—"
    if row.reported or row.entry_month is None:
        return row.entry.progress
    return t("screen.last_reported").format(
        month=month_label(row.entry_month, language), text=row.entry.progress
    )


def _meta(row: Row, t: Callable[[str], str], date_label: Callable[[Any], str]) -> str:
    p = row.project
    return (
        f"{t('leader')} {p.leader} · {t('unit')} {p.unit} · "
        f"{t('deadline')} {date_label(p.deadline)}"
    )


def _clamped(
    row: Row,
    layout: Layout,
    language: str,
    t: Callable[[str], str],
    date_label: Callable,
    behind_lines: int = 2,
) -> bool:
    """Whether some text of the row is likely cut short on the board or behind pages (where
    its row shows `behind_lines` lines)."""
    p = row.project
    text = progress_text(row, language, t)
    if layout.wide:
        widths = dict(layout.board_cols)
        checks: list[tuple[str, float, int, int]] = [
            (p.name, widths["name"] - 16, NAME_FONT, 2),
            (p.leader, widths["leader"] - 16, FONT, 2),
            (p.unit, widths["unit"] - 16, FONT, 2),
            (text, widths["progress"] - 16, FONT, 2),
        ]
        if row.status in ("behind", "overdue"):
            behind = dict(layout.behind_cols)
            if row.reason:
                checks.append((row.reason, behind["reason"] - 16, FONT, behind_lines))
            checks.append((p.name, behind["name"] - 16, NAME_FONT, behind_lines))
            who = lines_needed(p.leader, behind["who"] - 16, FONT) + lines_needed(
                p.unit, behind["who"] - 16, FONT
            )
            if who > behind_lines:
                return True
    else:
        inner = layout.column_width(layout.columns) - 28 - layout.side
        checks = [
            (p.name, inner, DETAIL_NAME_FONT, 2),
            (f"{t('leader')} {p.leader} · {t('unit')} {p.unit}", inner, FONT, 1),
            (f"{t('deadline')} {date_label(p.deadline)}", layout.side - 16, FONT, 1),
            (f"{t('progress')}：{text}", inner, FONT, 2),
        ]
        if row.reason:
            checks.append((f"{t('reason')}：{row.reason}", inner, FONT, 2))
    return any(lines_needed(s, w, f) > n for s, w, f, n in checks)


def _detail_item(
    row: Row, width: float, language: str, t: Callable[[str], str], date_label: Callable
) -> Item:
    """A detail card, as tall as its whole texts need (within limits)."""
    inner = width - 32  # the card's border and paddings
    lines = {
        "name": min(4, lines_needed(row.project.name, inner, DETAIL_NAME_FONT)),
        "meta": min(3, lines_needed(_meta(row, t, date_label), inner, FONT)),
        "progress": min(
            5, lines_needed(f"{t('progress')}：{progress_text(row, language, t)}", inner, FONT)
        ),
    }
    if row.reason:
        reason = f"{t('reason')}：{row.reason}"
        if row.catch_up_by:
            reason += f" · {t('catch_up_by')} {date_label(row.catch_up_by)}"
        lines["reason"] = min(3, lines_needed(reason, inner, FONT))
    height = (
        2 * 10
        + lines["name"] * DETAIL_NAME_LINE
        + (lines["meta"] + lines["progress"] + lines.get("reason", 0)) * LINE
        + 44  # the bar, the percent and the status
        + 6 * len(lines)
    )
    return Item(row, height=height, lines=lines)


def _pack(
    items: Sequence[Item], column_height: float, columns: int, gap: float
) -> list[tuple[tuple[Item, ...], ...]]:
    """Detail cards of different heights, column by column, page by page."""
    pages: list[tuple[tuple[Item, ...], ...]] = []
    page: list[tuple[Item, ...]] = []
    column: list[Item] = []
    used = 0.0
    for item in items:
        need = item.height + (gap if column else 0)
        if column and used + need > column_height:
            page.append(tuple(column))
            column, used, need = [], 0.0, item.height
            if len(page) == columns:
                pages.append(tuple(page))
                page = []
        column.append(item)
        used += need
    if column:
        page.append(tuple(column))
    if page:
        pages.append(tuple(page))
    return pages


def _pack_evenly(
    items: Sequence[Item], column_height: float, columns: int, gap: float
) -> list[tuple[tuple[Item, ...], ...]]:
    """Detail cards on as few pages as `_pack` needs, with the columns filled evenly: the
    shortest column height that needs no more pages (no last page of one card)."""
    pages = _pack(items, column_height, columns, gap)
    if len(pages) < 2:
        return pages
    total = sum(item.height + gap for item in items)
    height = max(max(item.height for item in items), total / (len(pages) * columns))
    while height < column_height:
        even = _pack(items, height, columns, gap)
        if len(even) <= len(pages):
            return even
        height += 8
    return pages


def paginate(ctx: BuildContext, layout: Layout) -> list[Page]:
    """Every page of the rotation, in order: board, ranking, behind schedule, details."""
    t = ctx.t
    board = ctx.board
    language = ctx.config.language
    date_label = ctx.env.filters["date_label"]
    pages: list[Page] = []
    board_columns = 1 if layout.wide else layout.columns
    for columns in _balanced([Item(r) for r in board.rows], layout.board_per_column, board_columns):
        pages.append(Page("board", t("screen.board"), columns))
    # the ranking in even columns, its rows spread: a name in two lines where they have room
    for columns in _balanced(
        [Item(r) for r in board.ranking], layout.rank_per_column, layout.rank_columns
    ):
        rows = max(len(c) for c in columns)
        height = _spread(layout.main - layout.thead, rows, layout.rank_row, RANK_ROW_MOST)
        lines = 2 if height >= 2 * LINE + 12 else 1
        pages.append(Page("ranking", t("ranking"), columns, height, lines))
    from .screen_map import map_pages  # the county's map (issue 26), after the ranking

    pages.extend(map_pages(ctx, layout))
    behind = [Item(r) for r in board.behind]
    behind_lines: dict[str, int] = {}
    if behind:
        # rows spread over the page, each cell showing as many lines as its row holds: the
        # reason and who answers for it (分包县领导, 分包单位) in full where there is room
        for columns in _balanced(behind, layout.board_per_column, board_columns):
            page = Page("behind", t("behind_list"), columns)
            if layout.wide:
                rows = max(len(c) for c in columns)
                height = _spread(layout.main - layout.thead, rows, layout.row, BEHIND_ROW_MOST)
                lines = max(2, int((height - 16) // LINE))
                page = Page("behind", t("behind_list"), columns, height, lines)
            for column in columns:
                for item in column:
                    if item.row is not None:
                        behind_lines[item.row.project.id] = page.lines
            pages.append(page)
    else:
        pages.append(Page("empty", t("behind_list"), ((Item(None),),)))
    width = layout.column_width(layout.detail_columns)
    detailed = [
        _detail_item(r, width, language, t, date_label)
        for r in board.rows
        if _clamped(r, layout, language, t, date_label, behind_lines.get(r.project.id, 2))
    ]
    for columns in _pack_evenly(detailed, layout.main, layout.detail_columns, layout.card_gap):
        pages.append(Page("detail", t("screen.details"), columns))
    for columns in _pack(
        _change_items(ctx, width), layout.main, layout.detail_columns, layout.card_gap
    ):
        pages.append(Page("changes", t("adjust.footnotes"), columns))
    grid = photo_grid(layout)
    chosen = [
        (row, photo) for row in board.photos for photo in row.photos[:SCREEN_PHOTOS_PER_PROJECT]
    ][:SCREEN_PHOTOS_MAX]
    shown = [Item(row, photo=_photo_view(ctx, layout, grid, row, photo)) for row, photo in chosen]
    for start in range(0, len(shown), grid.per_page):
        pages.append(
            Page("photos", t("screen.photos"), (tuple(shown[start : start + grid.per_page]),))
        )
    return pages


def _change_items(ctx: BuildContext, width: float) -> list[Item]:
    """The footnotes of the 调整 marks (issue 22): each project whose commitments changed, with
    its changes in words, and the projects withdrawn this month; as tall as their texts need."""
    words = ctx.adjust
    t = ctx.t
    inner = width - 32
    found: list[tuple[Row | None, str, str]] = [
        (r, r.project.name, words.line(r)) for r in ctx.board.adjusted_rows
    ]
    found += [
        (None, f"{t('adjust.withdrawn')} {p.name}", words.withdrawn_text(p))
        for p in ctx.board.withdrawn
    ]
    items = []
    for row, title, text in found:
        lines = {
            "name": min(3, lines_needed(title, inner, DETAIL_NAME_FONT)),
            "text": min(8, lines_needed(text, inner, FONT)),
        }
        height = 2 * 10 + lines["name"] * DETAIL_NAME_LINE + lines["text"] * LINE + 12
        items.append(Item(row, height=height, lines=lines, title=title, text=text))
    return items


def _photo_view(
    ctx: BuildContext, layout: Layout, grid: PhotoGrid, row: Row, photo: Photo
) -> dict[str, Any]:
    """A photo for the screen: fitted to the box in the screen's own pixels, embedded (the page
    loads nothing), re-encoded without metadata, from the build cache when unchanged."""
    width, height = fit(
        photo.width, photo.height, grid.box_w * layout.scale, grid.box_h * layout.scale
    )
    data = derivative(ctx.register.root, photo, width, height, ctx.cached)
    return {
        "src": "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii"),
        "width": width,
        "height": height,
        "alt": photo.caption or row.project.name,
        "caption": photo.caption,
    }


def screen_config(ctx: BuildContext, layout: Layout, version: str) -> dict[str, Any]:
    """What the page's script needs: the version, the clock's labels, the settings."""
    t = ctx.t
    settings = ctx.config.screen
    language = ctx.config.language
    return {
        "version": version,
        "width": layout.width,
        "height": layout.height,
        "seconds": settings.seconds_per_page,
        "night": settings.night,
        "asOf": ctx.board.as_of.isoformat(),
        "asOfLabel": month_label(ctx.board.month, language),
        "staleDays": STALE_DAYS,
        "poll": POLL_SECONDS,
        "fileReload": FILE_RELOAD_SECONDS,
        "jitter": [layout.px(v)[:-2] for v in (0, 3, -3, 6, -6)],
        "dateFormat": DATE_FORMAT[language],
        "monthNames": month_names(language),
        "weekdays": t("screen.weekdays").split(","),
        "stale": t("screen.stale"),
        "offline": t("screen.offline"),
    }


def render_page(ctx: BuildContext, layout: Layout, pages: list[Page], version: str) -> str:
    """The page's HTML for these pages and this version."""
    config = ctx.config
    qr = qr_svg(config.site_url, ctx.t("screen.qr")) if config.site_url else Markup("")
    return ctx.render(
        "screen/index.html",
        layout=layout,
        px=layout.px,
        pages=pages,
        version=version,
        qr=qr,
        screen_config=screen_config(ctx, layout, version),
        progress_text=lambda row: progress_text(row, config.language, ctx.t),
        grid=photo_grid(layout),
    )


def render(ctx: BuildContext) -> dict[str, bytes]:
    """`screen/index.html` and `screen/version.json`.

    The version is a hash of the page rendered without it: it changes exactly when the screen
    would show something different, and the same content always gives the same bytes.
    """
    settings = ctx.config.screen
    labels = [ctx.t(f"status.{status}") for status in STATUSES]
    leaders = [row.project.leader for row in ctx.board.rows]
    units = [row.project.unit for row in ctx.board.rows]
    words = ctx.adjust
    baselines = [
        f"{ctx.t('adjust.baseline_head')} {words.value('deadline', r.baseline('deadline'))}"
        for r in ctx.board.rows
        if r.adjusted("deadline")
    ]
    layout = layout_for(
        settings.width,
        settings.height,
        labels,
        ctx.t("planned"),
        leaders,
        units,
        max(baselines, default="", key=text_em),
    )
    pages = paginate(ctx, layout)
    unversioned = render_page(ctx, layout, pages, "")
    version = hashlib.sha256(unversioned.encode("utf-8")).hexdigest()[:16]
    page = render_page(ctx, layout, pages, version)
    data = {"version": version, "month": str(ctx.board.month)}
    return {
        "screen/index.html": page.encode("utf-8"),
        "screen/version.json": (json.dumps(data) + "\n").encode("utf-8"),
    }
