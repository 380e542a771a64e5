"""Print: the wall panel (展板), one A4 sheet per project and the monthly bulletin (通报) as PDFs.

All three are rendered by WeasyPrint from the same computed board as every other output, with
the templates in `templates/print/` (a register's own `templates/print/` shadows them):

- `print/panel-M.pdf`: every project on one page at the real panel size with bleed and crop
  marks, at the largest type size that fits; split over balanced panels (1/2, 2/2) when even the
  minimum legible size does not fit, an error when `panel: max_panels` forbids that;
- `print/sheets-M.pdf`: A4, one sheet per project with every field, the schedule, the monthly
  history as a table and a vector chart, and a QR code to the project's own page; laid out in
  parts in parallel and joined into one tagged PDF (pdfjoin.py);
- `print/bulletin-M.pdf`: A4, the ranking with movement, the projects behind schedule and the
  catch-up deadlines missed.

Before anything is laid out, every character of the content is checked against the configured
fonts (fonts.py). WeasyPrint fetches only files in `content/assets/` and `data:` URIs; any other
fetch fails the build. PDFs are tagged, carry title, language and issuer, and are byte-identical
for the same input (dates come from the report month or SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import logging
import math
import mimetypes
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pikepdf
from markupsafe import Markup

from .. import __version__
from ..compute import Row
from ..errors import BoardError, Pos, Problem, RenderError, Severity
from ..i18n import Msg
from ..model import Month, Photo
from ..parallel import run_parallel
from ..photos import derivative, print_size
from . import BuildContext, date_label, disclosure, month_label
from . import bulletin as official
from . import fonts as fontcheck
from .pdfjoin import join_tagged
from .print_map import Locators, glyph_texts, map_source_css, panel_inset
from .qr import qr_svg
from .weasy import HTML, FatalURLFetchingError, FontConfiguration, URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

SHEET_PHOTOS = 2  # the latest photos on a project's A4 sheet
SHEET_PHOTO_BOX_MM = (40.0, 30.0)  # each photo fitted into this box, two side by side
REFERENCE_PANEL = (2400.0, 1200.0)  # the panel for which the default minimum size is given
REFERENCE_MIN_PT = 18.0
FLOOR_MIN_PT = 6.0  # the scaled default never goes below this


# -- settings ------------------------------------------------------------------------------------


def panel_size(config: Any) -> tuple[float, float]:
    """The panel's trim size in mm, width × height, turned to its orientation."""
    panel = config.panel
    w, h = panel.width_mm, panel.height_mm
    if (panel.orientation == "landscape") != (w >= h):
        w, h = h, w
    return w, h


def default_min_pt(width_mm: float, height_mm: float) -> float:
    """18 pt on a 2400 × 1200 mm panel, scaled with the panel's linear size (not below 6 pt)."""
    ref_w, ref_h = REFERENCE_PANEL
    scale = math.sqrt((width_mm * height_mm) / (ref_w * ref_h))
    return round(max(FLOOR_MIN_PT, REFERENCE_MIN_PT * scale), 1)


def panel_page(config: Any) -> dict[str, float]:
    """The panel page's geometry in mm: trim size, margin, bleed, the content area's height."""
    width, height = panel_size(config)
    margin = round(min(width, height) * 0.025, 1)
    return {
        "width": width,
        "height": height,
        "margin": margin,
        "bleed": config.panel.bleed_mm,
        "content_height": round(height - 2 * margin, 2),
    }


def min_font_pt(config: Any) -> float:
    return config.panel.min_font_pt or default_min_pt(*panel_size(config))


def stamp(month: Month) -> str:
    """The PDFs' creation and modification date: SOURCE_DATE_EPOCH, else the report month's end."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{month.last_day.isoformat()}T00:00:00Z"


# -- fetching: only content/assets/ and data: URIs ------------------------------------------------


class AssetFetcher(URLFetcher):
    """Serves files under the register's assets/ (resolved, no symlink escape) and data: URIs.

    Anything else (http, https, ftp, any other file) is refused, and the refusal stops the
    render: WeasyPrint is created with fail_on_errors so a refusal is an error, not a log line.
    """

    def __init__(self, assets: Path) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols={"data", "file"})
        self.assets = assets.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.assets) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": kind}, status=200
                )
            if path.is_relative_to(self.assets):
                raise RenderError(Msg("msg.pdf.no_asset", url=url))
        raise RenderError(Msg("msg.pdf.refused_fetch", url=url))


# -- the content that goes into the PDFs, for the glyph check -----------------------------------


def _texts(ctx: BuildContext, names: dict[str, str]) -> list[fontcheck.Text]:
    config = ctx.config
    texts: list[fontcheck.Text] = []

    def add(value: str | None, pos: Pos, field: str, output: str) -> None:
        if value:
            texts.append(fontcheck.Text(value, pos, field, output))

    for key in ("title", "issuer", "hotline", "email", "site_url"):
        add(getattr(config, key), config.positions.get(key, config.source), key, names["panel"])
    for key, value in glyph_texts(ctx):  # the map's approval number and source (issue 26)
        add(value, config.positions.get("map", config.source), key, names["panel"])
    for key in ("number", "mark", "issuer", "recipients", "cc", "printed_by"):
        pos = config.positions.get("bulletin", config.source)
        add(getattr(config.bulletin, key), pos, f"bulletin.{key}", names["bulletin"])
    for p in ctx.register.projects:
        where = p.positions
        for key in ("name", "leader", "unit"):
            add(getattr(p, key), where.get(key, p.source), key, names["panel"])
        for key in ("owner", "location", "category"):
            add(getattr(p, key), where.get(key, p.source), key, names["sheets"])
        if p.summary:  # Markdown: checked as drawn
            texts.append(
                fontcheck.Text(
                    p.summary, where.get("summary", p.source), "summary", names["sheets"], True
                )
            )
        for i, m in enumerate(p.milestones):
            pos = where.get("milestones", p.source)
            add(m.task, pos, f"milestones[{i}].task", names["sheets"])
            add(m.owner, pos, f"milestones[{i}].owner", names["sheets"])
        # issue 22: the change log is printed on the panel's footnotes, the sheets, the bulletin
        for change in p.changes:
            for key in ("reason", "approved_by", "before", "after"):
                value = getattr(change, key)
                if isinstance(value, str):
                    name = {"before": "from", "after": "to"}.get(key, key)
                    pos = change.positions.get(name, change.pos)
                    add(value, pos, f"changes[{change.index}].{name}", names["panel"])
        for decision, label in ((p.withdrawn, "withdrawn"), (p.added, "added")):
            if decision is not None:
                add(decision.reason, decision.pos, f"{label}.reason", names["bulletin"])
                add(decision.approved_by, decision.pos, f"{label}.approved_by", names["bulletin"])
    texts.extend(disclosure.pdf_texts(ctx, names))  # issue 24
    for report in ctx.register.reports:
        if report.month > ctx.board.month:
            continue
        output = names["panel"] if report.month == ctx.board.month else names["sheets"]
        for pid, e in report.entries.items():
            fallback = report.positions.get(f"projects.{pid}", report.source)
            for key in ("progress", "problems", "measures", "reason"):
                add(
                    getattr(e, key),
                    e.positions.get(key, fallback),
                    f"projects.{pid}.{key}",
                    output if key == "progress" else names["sheets"],
                )
            for i, photo in enumerate(e.photos, 1):  # as validate.caption_glyph_problems
                add(
                    photo.caption,
                    photo.caption_pos or photo.pos,
                    f"projects.{pid}.photos[{i}].caption (说明)",
                    names["sheets"],
                )
    return texts


# -- the monthly chart of a project's sheet ------------------------------------------------------


def chart_svg(
    points: list[tuple[str, float, int | None]], labels: tuple[str, str], font: str
) -> Markup:
    """A vector chart of planned (dashed) against actual percent, month by month.

    `points` are (month label, planned, actual or None when not reported); drawn in a 600 × 200
    box that scales to the width of its container.
    """
    width, height, left, right, top, bottom = 600.0, 130.0, 40.0, 28.0, 8.0, 22.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'class="chart" role="img" font-family="{Markup.escape(font)}" '
        f'aria-label="{Markup.escape(labels[0])} / {Markup.escape(labels[1])}">'
    ]
    for v in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left:g}" x2="{width - right:g}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#bbb" stroke-width="0.6"/>'
            f'<text x="{left - 6:g}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#444">{v}%</text>'
        )
    step = max(1, math.ceil(n / 12))
    for i, (label, _, _) in enumerate(points):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8:g}" text-anchor="middle" font-size="11" '
                f'fill="#444">{Markup.escape(label)}</text>'
            )
    planned = " ".join(f"{x(i):.1f},{y(p):.1f}" for i, (_, p, _) in enumerate(points))
    parts.append(
        f'<polyline points="{planned}" fill="none" stroke="#555" stroke-width="2" '
        'stroke-dasharray="6 4"/>'
    )
    actual = [(i, a) for i, (_, _, a) in enumerate(points) if a is not None]
    if actual:
        line = " ".join(f"{x(i):.1f},{y(a):.1f}" for i, a in actual)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#b3261e" stroke-width="2.5"/>')
        for i, a in actual:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(a):.1f}" r="3.5" fill="#b3261e"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


# -- laying out and writing ------------------------------------------------------------------------


class _Notdef(logging.Handler):
    """Collects the characters WeasyPrint draws as .notdef (no glyph in any font)."""

    PATTERN = re.compile(r"\(U\+([0-9A-F]{4,6})\)")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.chars: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message:
            found = self.PATTERN.search(message)
            if found:
                self.chars.append(chr(int(found.group(1), 16)))


class _Errors(logging.Handler):
    """Collects the errors WeasyPrint logs while it lays out a document."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Laid:
    """One WeasyPrint layout of the panel, measured from its boxes (CSS px)."""

    document: Any
    size: float
    needs: list[float]  # per panel page: the height its content needs
    available: float  # the height of a panel page's content area
    rows: list[float]  # the height of each project's row, in board order
    overhead: float  # what a page needs besides the rows (title, table head, footer)
    pages: int
    sections: int

    @property
    def fits(self) -> bool:
        return self.pages == self.sections and all(n <= self.available + 0.5 for n in self.needs)

    @property
    def need(self) -> float:
        return max(self.needs)


def _walk(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    if element is None:
        return set()
    return set((element.get("class") or "").split())


class Printer:
    """Renders the three PDFs of one build."""

    def __init__(
        self,
        ctx: BuildContext,
        faces: list[fontcheck.Face],
        texts: Sequence[fontcheck.Text] = (),
    ) -> None:
        self.ctx = ctx
        self.faces = faces
        self.texts = list(texts)
        self.font_css = Markup(fontcheck.css_families(faces))
        self.font_config = FontConfiguration()
        self.base_url = ctx.register.root.resolve().as_uri() + "/"
        self.stamp = stamp(ctx.board.month)
        self.month = ctx.board.month
        self.layouts = 0  # how many WeasyPrint layouts this build made (the fit search's cost)

    # common

    def values(self) -> dict[str, Any]:
        config = self.ctx.config
        return {
            "font_family": self.font_css,
            "stamp": self.stamp,
            "generator": f"board {__version__}",
            "month_text": month_label(self.month, config.language),
            "site_qr": qr_svg(config.site_url, config.site_url) if config.site_url else None,
            "number": {r.project.id: i for i, r in enumerate(self.ctx.board.rows, 1)},
            "continued_css": Markup(css_string(self.ctx.t("print.continued"))),
            "map_source_css": map_source_css(self.ctx),  # the county's map (issue 26)
            "page_of_css": Markup(page_of_css(self.ctx.t("print.page_of"))),
            "pages": {},
            **disclosure.print_values(self.ctx),  # issue 24: the signboard, the bulletin's section
        }

    def layout(self, html: str, output: str) -> Any:
        fetcher = AssetFetcher(self.ctx.register.assets)
        self.layouts += 1
        errors = _Errors()
        weasy_log = logging.getLogger("weasyprint")
        weasy_log.addHandler(errors)
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=fetcher).render(
                font_config=self.font_config
            )
        except FatalURLFetchingError as exc:
            cause = exc.__cause__ or exc
            raise RenderError(Msg("msg.print.failed", output=output, cause=str(cause))) from None
        finally:
            weasy_log.removeHandler(errors)
        if (
            errors.messages
        ):  # e.g. an image in assets/ that cannot be read: an error, not a log line
            raise RenderError(Msg("msg.print.failed", output=output, cause=errors.messages[0]))
        return document

    def write(self, document: Any, output: str = "", identifier: bool = True) -> bytes:
        """The PDF of a laid-out document; a character drawn without a glyph fails the build.

        `identifier`: the file identifier (trailer /ID) that WeasyPrint computes from the
        content, deterministic. pydyf computes it by serializing every object a second time,
        each stream compressed again: a sixth of writing the sheets. A part that is joined
        with others goes without, as the join gives the whole file its own (pdfjoin.py)."""
        notdef = _Notdef()
        weasy_log = logging.getLogger("weasyprint")
        weasy_log.addHandler(notdef)
        try:
            data = document.write_pdf(pdf_tags=True, pdf_identifier=identifier)
        finally:
            weasy_log.removeHandler(notdef)
        if notdef.chars:
            problems = fontcheck.drawn_problems(notdef.chars, self.texts, self.faces, output)
            raise RenderError(
                Msg("msg.glyph.weasyprint", output=output, detail=problems[0].message), problems
            )
        return data

    @functools.cached_property
    def assets_digest(self) -> str:
        """The register's assets/ (what the PDFs may fetch: an image a summary or the county's
        own templates show), by name and content."""
        return _assets_digest(self.ctx.register.assets)

    def cache_data(self, kind: str, html: str, **more: Any) -> dict[str, Any]:
        """A PDF's cache key data: its HTML, the fonts and the assets it may fetch, and more."""
        return {
            "kind": kind,
            "html": html,
            "fonts": [[f.family, str(f.file), f.index] for f in self.faces],
            "assets": self.assets_digest,
            **more,
        }

    # the wall panel

    def panel_html(
        self,
        size: float,
        chunks: list[list[Row]],
        sizes: dict[str, float],
        pads: list[float] | None = None,
    ) -> str:
        """The panel's HTML at a type size; `pads` (CSS px, one per panel) is the extra
        padding above and below each row's cells that spreads a panel's spare height."""
        smallest = min_font_pt(self.ctx.config)
        return self.ctx.render(
            "print/panel.html",
            size=round(size, 2),
            # notes and the address: 85 % of the body, never below the minimum (nor above the
            # body, in the trial layouts below the minimum that estimate the size needed)
            small=round(max(size * 0.85, min(smallest, size)), 2),
            chunks=chunks,
            page=sizes,
            pads=[round(p, 2) for p in pads] if pads else [0.0] * len(chunks),
            inset=panel_inset(self.ctx, sizes, round(size, 2), str(self.font_css)),
            **self.values(),
        )

    def measure(self, document: Any, size: float, sections: int) -> Laid:
        needs: list[float] = []
        rows: list[float] = []
        overhead = 0.0
        available = 0.0
        for page in document.pages:
            page_box = page._page_box
            available = page_box.height
            fit = foot = 0.0
            page_rows: list[float] = []
            for box in _walk(page_box):
                names = _classes(box)
                kind = type(box).__name__
                if "fit" in names and kind == "InlineBlockBox":
                    fit = box.margin_height()
                elif "panel-foot" in names and kind in ("BlockBox", "AbsolutePlaceholder"):
                    foot = box.margin_height()
                elif "row" in names and kind == "TableRowBox":
                    page_rows.append(box.height)
            needs.append(fit + foot)
            rows.extend(page_rows)
            overhead = max(overhead, fit + foot - sum(page_rows))
        return Laid(document, size, needs, available, rows, overhead, len(document.pages), sections)

    def panel(self) -> tuple[bytes, int, float]:
        """The panel PDF, how many panel pages it has and the type size chosen (pt)."""
        config = self.ctx.config
        output = f"print/panel-{self.month}.pdf"
        width, height = panel_size(config)
        sizes = panel_page(config)
        smallest = min_font_pt(config)
        largest = max(smallest, 4 * default_min_pt(width, height))
        rows = list(self.ctx.board.rows)

        def lay(size: float, chunks: list[list[Row]], pads: list[float] | None = None) -> Laid:
            html = self.panel_html(size, chunks, sizes, pads)
            return self.measure(self.layout(html, output), size, len(chunks))

        first = lay(smallest, [rows])
        if first.fits:
            chunks, fitted = [rows], first
        else:
            chunks, fitted = self._split(first, rows, smallest, lay, output)
        # the type size fitted again for the rows each panel holds (after a split, too)
        best = self._grow(fitted, largest, lambda s: lay(s, chunks))
        best = self._spread(best, chunks, lay)
        log.info(
            "%s: %d projects on %d panel(s) at %.1f pt", output, len(rows), len(chunks), best.size
        )
        return self.write(best.document, output), len(chunks), best.size

    @staticmethod
    def _spread(best: Laid, chunks: list[list[Row]], lay: Any) -> Laid:
        """The same size with each panel's spare height given to its rows, not left as an
        empty band: one more layout, kept only if it still fits."""
        pads = [
            max(0.0, (best.available - need) * 0.97) / max(1, len(chunk)) / 2
            for need, chunk in zip(best.needs, chunks, strict=True)
        ]
        if max(pads, default=0.0) < 0.5:
            return best
        spread = lay(best.size, chunks, pads)
        return spread if spread.fits else best

    @staticmethod
    def _grow(first: Laid, largest: float, lay: Any) -> Laid:
        """The largest size that fits, in at most two more layouts.

        The height a board needs grows between linearly (short texts: one line per cell) and
        with the square of the type size (long texts wrap onto more lines as the type grows).
        Growing by the square root of the free room is therefore safe; the second layout gives
        the real exponent, from which the last step is computed.
        """
        room = first.available / first.need
        size1 = min(largest, first.size * math.sqrt(room))
        if size1 <= first.size * 1.02:
            return first
        second = lay(size1)
        if second.fits:
            best, low = second, second
        else:
            best, low = first, first
        exponent = math.log(second.need / first.need) / math.log(second.size / first.size)
        # texts start to wrap as the type grows: assume a steeper growth than measured so far
        exponent = min(3.0, max(1.0, exponent) + 0.25)
        size2 = min(largest, low.size * (low.available / low.need) ** (1 / exponent) * 0.99)
        if second.fits and size2 <= second.size * 1.01:
            return second
        if size2 <= first.size * 1.01:
            return best
        third = lay(size2)
        if third.fits and third.size > best.size:
            return third
        return best

    def _split(
        self, first: Laid, rows: list[Row], smallest: float, lay: Any, output: str
    ) -> tuple[list[list[Row]], Laid]:
        """The fewest balanced panels that hold the rows at the minimum size, laid out."""
        config = self.ctx.config
        total = len(rows)
        capacity = first.available - first.overhead
        count = max(2, math.ceil(sum(first.rows) / max(capacity, 1.0)))
        limit = config.panel.max_panels
        if limit is not None and count > limit:
            self._too_big(first, rows, smallest, lay, output, count)
        for _ in range(2):
            chunks = balance(rows, first.rows, count)
            laid = lay(smallest, chunks)
            if laid.fits:
                return chunks, laid
            count += 1
            if limit is not None and count > limit:
                self._too_big(first, rows, smallest, lay, output, count)
        raise RenderError(
            Msg(
                "msg.panel.no_fit",
                output=output,
                total=total,
                count=count - 1,
                size=f"{smallest:g}",
            )
        )

    def _too_big(
        self, first: Laid, rows: list[Row], smallest: float, lay: Any, output: str, count: int
    ) -> None:
        config = self.ctx.config
        capacity = first.available - first.overhead
        fit, used = 0, 0.0
        for height in first.rows:
            if used + height > capacity:
                break
            fit, used = fit + 1, used + height
        # the size at which all projects would fit: one more layout at a linear estimate,
        # then interpolated between the two measured sizes
        guess = first.size * first.available / first.need
        other = lay(guess, [rows])
        exponent = math.log(first.need / other.need) / math.log(first.size / other.size)
        exponent = min(3.0, max(1.0, exponent))
        needed = other.size * (other.available / other.need) ** (1 / exponent)
        needed = math.floor(needed * 10) / 10
        limit = config.panel.max_panels
        message = Msg(
            "msg.panel.holds",
            output=output,
            fit=fit,
            total=len(rows),
            size=f"{smallest:g}",
            needed=f"{needed:g}",
        )
        pos = config.positions.get("panel", config.source)
        raise RenderError(
            message,
            [
                Problem(
                    pos,
                    "panel.max_panels",
                    Msg(
                        "msg.panel.max_panels",
                        limit=limit,
                        total=len(rows),
                        count=count,
                        size=f"{smallest:g}",
                    ),
                    Msg("msg.panel.max_panels_hint"),
                )
            ],
        )

    # the A4 sheets

    def sheets_html(self) -> str:
        """The whole sheets document as one HTML (what plain WeasyPrint would render)."""
        sheets = self.sheet_values()
        return self.ctx.render(
            "print/sheets.html", sheets=sheets, total=len(sheets), dense=set(), **self.values()
        )

    def sheet_values(self) -> list[dict[str, Any]]:
        """Each project's sheet: its row, its monthly history, chart and QR code."""
        ctx = self.ctx
        history: dict[str, list[tuple[Month, Row]]] = {p.id: [] for p in ctx.register.projects}
        for board in ctx.boards:
            for row in board.rows:
                history[row.project.id].append((board.month, row))
        t = ctx.t
        language = ctx.config.language
        sheets = []
        locator = Locators(ctx, str(self.font_css))  # the county's map (issue 26)
        for row in ctx.board.rows:
            project = row.project
            months = history[project.id]
            points = [
                (
                    f"{m.year % 100:02d}-{m.month:02d}" if len(months) > 6 else str(m),
                    r.planned,  # as that month's board planned it (issue 22: the plan then)
                    r.actual if r.reported else None,
                )
                for m, r in months
            ]
            url = ctx.config.site_url
            own = f"{url.rstrip('/')}/projects/{project.id}/" if url else ""
            sheets.append(
                {
                    "photos": self.sheet_photos(row),
                    "row": row,
                    "history": [
                        {"month": m, "row": r, "label": month_label(m, language)} for m, r in months
                    ],
                    "chart": chart_svg(points, (t("planned"), t("actual")), str(self.font_css)),
                    "url": own,
                    "qr": qr_svg(own, own) if own else None,
                    "locator": locator(row),
                    "locator_width": locator.width_mm,
                }
            )
        return sheets

    def sheet_photos(self, row: Row) -> list[dict[str, Any]]:
        """The project's latest photos (up to SHEET_PHOTOS) up to the month built, embedded at
        PRINT_DPI for the placed size: 300 dpi effective or better on paper."""
        found: list[tuple[Month, Photo]] = []
        for month, entry in reversed(self.ctx.register.history.get(row.project.id, ())):
            if month > self.month:
                continue
            found += [(month, photo) for photo in entry.photos][: SHEET_PHOTOS - len(found)]
            if len(found) >= SHEET_PHOTOS:
                break
        views = []
        for month, photo in found:
            w_mm, h_mm, w, h = print_size(photo, SHEET_PHOTO_BOX_MM)
            data = derivative(self.ctx.register.root, photo, w, h, self.ctx.cached)
            views.append(
                {
                    "src": "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii"),
                    "w_mm": f"{w_mm:.2f}",
                    "h_mm": f"{h_mm:.2f}",
                    "alt": photo.caption or row.project.name,
                    "caption": photo.caption,
                    "taken": photo.taken,
                    "month": month,
                }
            )
        return views

    def sheets_units(self) -> list[tuple[str, dict[str, Any], Callable[[], bytes]]]:
        """The sheets in parts: each part's cache key data and the function that renders it.

        Parts are laid out independently (in parallel processes, each from the build cache when
        its sheets did not change) and joined into one tagged PDF by `join_sheets`.
        """
        ctx = self.ctx
        output = f"print/sheets-{self.month}.pdf"
        sheets = self.sheet_values()
        total = len(sheets)
        assets = self.assets_digest
        values = self.values()
        units = []
        parts = sheet_parts(sheets)
        alone = len(parts) == 1  # the part is the month's sheets PDF itself, not joined
        for number, part in enumerate(parts):
            html = ctx.render("print/sheets.html", sheets=part, total=total, dense=set(), **values)
            data = self.cache_data("sheets", html, part=number, alone=alone)
            facts = self._sheet_facts(part, html, assets)
            make = self._sheets_maker(part, html, output, total, values, facts, alone)
            units.append(("print/sheets", data, make))
        return units

    def _sheet_facts(
        self, sheets: list[dict[str, Any]], html: str, assets: str
    ) -> dict[str, tuple[dict[str, Any], Any, dict[str, Any]]]:
        """For each sheet of a part: the key of what its plain layout is known to need (how many
        pages: the fact `sheet-pages`, board.cache `remember`), the fact when known, and the key
        of a guess: how many pages the project's sheet took when last laid out (another month's
        sheet, or this one before a change).

        The key is the sheet's own HTML with the document around it (the styles), the fonts
        and the assets: a sheet is a page group of its own (sheets.css), laid out the same
        whichever sheets share its document. A sheet known to run over is laid out with its page
        count at once, not first without it to find that out again (see `_sheets_maker`)."""
        ids = [s["row"].project.id for s in sheets]
        starts: list[int] = []
        at = 0
        for pid in ids:
            found = re.compile(
                r'<section class="sheet(?: dense)?" id="sheet-' + re.escape(str(pid)) + '"'
            ).search(html, at)
            if found is None:  # a template of the register's own: no facts
                return {}
            starts.append(found.start())
            at = found.end()
        end = html.rfind("</section>") + len("</section>")
        if not starts or end < starts[-1]:
            return {}
        around = hashlib.sha256(html[: starts[0]].encode() + b"\0" + html[end:].encode())
        fonts = [[f.family, str(f.file), f.index] for f in self.faces]
        register = str(self.ctx.register.root.resolve())
        facts = {}
        for pid, start, stop in zip(ids, starts, [*starts[1:], end], strict=True):
            key = {
                "fact": "sheet-pages",
                "document": around.hexdigest(),
                "sheet": hashlib.sha256(html[start:stop].encode()).hexdigest(),
                "fonts": fonts,
                "assets": assets,
            }
            guess = {
                "fact": "sheet-pages-last",
                "register": register,
                "sheet": str(pid),
                "fonts": fonts,
                "assets": assets,
            }
            self.ctx.cache.use(guess)  # read when the part is made (`_sheets_maker`)
            facts[pid] = (key, self.ctx.cache.remember(key), guess)
        return facts

    def _sheets_maker(
        self,
        sheets: list[dict[str, Any]],
        html: str,
        output: str,
        total: int,
        values: dict[str, Any],
        facts: dict[str, tuple[dict[str, Any], Any, dict[str, Any]]] | None = None,
        alone: bool = True,
    ) -> Callable[[], bytes]:
        """The part's PDF: every sheet laid out once, in the one typographic setting of
        sheets.css. A sheet that runs over its page (it continues on （续） pages, never cut)
        is laid out once more with its page count (共N页), which changes no line break: it
        prints in the page margin. A sheet known to run over (an earlier build's fact, see
        `_sheet_facts`) is laid out with its count at once: the same bytes, one layout. So is a
        sheet whose project's sheet ran over when last laid out (read when the part is made:
        in a first build, another month's, laid out by another process a moment before), a
        guess that the layout checks: a wrong one is laid out again, as an unknown count is.

        A part joined with others (not `alone`) is written without a file identifier: the join
        gives the whole its own (see `write`)."""
        ctx = self.ctx
        facts = facts or {}
        ids = [s["row"].project.id for s in sheets]

        def lay(part: list[dict[str, Any]], counts: dict[str, int]) -> Any:
            html_part = html
            if counts or len(part) < len(sheets):
                html_part = ctx.render(
                    "print/sheets.html",
                    sheets=part,
                    total=total,
                    dense=set(),  # kept for a county's own copy of sheets.html: always empty
                    **{**values, "pages": counts},
                )
            return self.layout(html_part, output)

        def make() -> bytes:
            known = {}
            for pid, (_, fact, guess) in facts.items():
                if fact is None:
                    fact = ctx.cache.remember(guess)
                if type(fact) is int and fact > 1:
                    known[pid] = fact
            document = lay(sheets, known)
            pages = _sheet_pages(document)
            for pid, found in pages.items():
                if pid in facts and facts[pid][1] is None:
                    key, _, guess = facts[pid]
                    ctx.cache.keep(key, len(found))
                    ctx.cache.keep(guess, len(found))
            counts = {pid: len(found) for pid, found in pages.items() if len(found) > 1}
            wrong = {pid for pid in ids if counts.get(pid, 1) != known.get(pid, 1)}
            if not wrong:
                return self.write(document, output, identifier=alone)
            # the sheets whose page count was not known, again with it
            redone = _sheet_pages(lay([s for s in sheets if s["row"].project.id in wrong], counts))
            combined = [page for pid in ids for page in (redone if pid in wrong else pages)[pid]]
            # the document's metadata (title, language) is the same in every layout of the part
            return self.write(document.copy(combined), output, identifier=alone)

        return make

    # the bulletin

    def bulletin(self) -> bytes:
        return self.ctx.cached(*self.bulletin_unit())

    def bulletin_html(self, compact: bool = False) -> str:
        """The bulletin after GB/T 9704: the parts of render/bulletin.py, fonts per role;
        `compact` sets its tables tighter (see `bulletin_unit`)."""
        ctx = self.ctx
        roles = official.roles(ctx)
        general = list(self.faces)
        fonts = {
            role: Markup(fontcheck.css_families([*found.faces, *general]))
            for role, found in roles.items()
        }
        weights = {
            role: "bold" if role in ("title", "hei") and found.bold else "normal"
            for role, found in roles.items()
        }
        doc = official.bulletin(ctx)
        language = ctx.config.language

        def t(key: str) -> Markup:  # the catalog's words, trusted, for sentences in Markup
            return Markup(ctx.t(key))

        def day(value: Any) -> Markup:  # a date never breaks inside (docs/print.md)
            return Markup('<span class="nw">{}</span>').format(date_label(value, language))

        def month(value: Month) -> Markup:
            return Markup('<span class="nw">{}</span>').format(month_label(value, language))

        return ctx.render(
            "print/bulletin.html",
            doc=doc,
            fonts=fonts,
            weights=weights,
            mark_size=official.mark_size(doc.mark),
            sub=lambda i: official.sub_number(i, language),
            ranking=official.ranking_table(ctx.board, ctx.t),
            ranking_columns=official.RANKING_COLUMNS,
            catch_up_text=lambda row: official.catch_up_text(row, t, day),
            missed=official.missed_by_project(ctx.board),
            missed_text=lambda promises: official.missed_text(promises, t, day, month),
            compact=compact,
            **self.values(),
        )

    def bulletin_unit(self) -> tuple[str, dict[str, Any], Callable[[], bytes]]:
        output = f"print/bulletin-{self.month}.pdf"
        html = self.bulletin_html()
        roles = official.roles(self.ctx)
        faces = sorted({f for r in roles.values() for f in r.faces}, key=lambda f: f.family)
        data = self.cache_data(
            "bulletin", html, roles=[[f.family, str(f.file), f.index] for f in faces]
        )

        def make() -> bytes:
            document = self.layout(html, output)
            if colophon_alone(document):
                # the 版记 alone on the last page: laid out again with tighter tables, kept
                # when that saves the page
                tighter = self.layout(self.bulletin_html(compact=True), output)
                if len(tighter.pages) < len(document.pages):
                    document = tighter
            return self.write(document, output)

        return "print/bulletin", data, make


def colophon_alone(document: Any) -> bool:
    """Whether the bulletin's last page holds the 版记 (抄送, 印发) and nothing of the body: the
    落款 (`.signature`), which ends the body, is on an earlier page."""
    if len(document.pages) < 2:
        return False
    last = document.pages[-1]._page_box
    return not any("signature" in _classes(box) for box in _walk(last))


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for `content:` and `string-set:`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_of_css(pattern: str) -> str:
    """The catalog's `第{n}页 共{total}页` as a CSS `content` value: the sheet's own page counter
    and its page count (the string `sheet-pages` each sheet sets)."""
    head, rest = pattern.split("{n}", 1)
    middle, tail = rest.split("{total}", 1)
    parts = [
        css_string(head) if head else "",
        "counter(page)",
        css_string(middle) if middle else "",
        "string(sheet-pages)",
        css_string(tail) if tail else "",
    ]
    return " ".join(part for part in parts if part)


def balance(rows: list[Row], heights: list[float], count: int) -> list[list[Row]]:
    """`rows` in board order cut into `count` runs of about equal height (none empty)."""
    total = sum(heights) or 1.0
    chunks: list[list[Row]] = [[] for _ in range(count)]
    done = 0.0
    for row, height in zip(rows, heights, strict=True):
        middle = done + height / 2
        chunks[min(count - 1, int(middle / (total / count)))].append(row)
        done += height
    return [chunk for chunk in chunks if chunk]


def _sheet_pages(document: Any) -> dict[str, list[Any]]:
    """The pages of each project's sheet, in order (a sheet that runs over has several)."""
    pages: dict[str, list[Any]] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            if "sheet" in _classes(box) and type(box).__name__ == "BlockBox":
                key = box.element.get("id", "").removeprefix("sheet-")
                pages.setdefault(key, []).append(page)
                break
    return pages


def _assets_digest(assets: Path) -> str:
    h = hashlib.sha256()
    if assets.is_dir():
        for path in sorted(p for p in assets.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(assets)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def panel_unit(
    ctx: BuildContext, printer: Printer
) -> tuple[str, dict[str, Any], Callable[[], bytes]]:
    """The panel's cache key data and the function that renders it."""
    config = ctx.config
    smallest = min_font_pt(config)
    data = printer.cache_data(
        "panel",
        printer.panel_html(smallest, [list(ctx.board.rows)], panel_page(config)),
        panel=[*panel_size(config), config.panel.bleed_mm, smallest],
        max_panels=config.panel.max_panels,
    )
    return "print/panel", data, lambda: printer.panel()[0]


def render_panel(ctx: BuildContext, printer: Printer) -> bytes:
    """The panel PDF (from the build cache when its data did not change); warns when split."""
    return panel_warning(ctx, ctx.cached(*panel_unit(ctx, printer)))


def panel_warning(ctx: BuildContext, panel: bytes) -> bytes:
    """Add the build's warning when the panel PDF had to be split over several panels."""
    config = ctx.config
    output = f"print/panel-{ctx.board.month}.pdf"
    smallest = min_font_pt(config)
    with pikepdf.open(io.BytesIO(panel)) as pdf:
        pages = len(pdf.pages)
    if pages > 1:
        ctx.warnings.append(
            Problem(
                config.positions.get("panel", config.source),
                "panel",
                Msg(
                    "msg.panel.split",
                    total=len(ctx.board.rows),
                    size=f"{smallest:g}",
                    output=output,
                    pages=pages,
                ),
                Msg("msg.panel.split_hint"),
                Severity.WARNING,
            )
        )
    return panel


Unit = tuple[str, dict[str, Any], Callable[[], bytes]]


def _units(ctx: BuildContext) -> tuple[dict[str, str], list[Unit], list[float]]:
    """The month's file names, its independent documents (the panel, the bulletin, the sheets
    in parts) as cache units, and what each is expected to cost (the heaviest start first).
    Raises RenderError for a character the fonts cannot show."""
    month = ctx.board.month
    names = {kind: f"print/{kind}-{month}.pdf" for kind in ("panel", "sheets", "bulletin")}
    faces = fontcheck.resolve(ctx.config.font)
    texts = _texts(ctx, names)
    problems = fontcheck.missing_glyphs(texts, faces)
    if problems:
        raise RenderError(Msg("msg.glyph.summary", n=len(problems)), problems)
    printer = Printer(ctx, faces, texts)
    rows = len(ctx.board.rows)
    sheet_units = printer.sheets_units()
    parts = sheet_parts(list(ctx.board.rows))
    # measured (bench/results.md): a sheet about 0.2 s of a core, laid out once and written;
    # the panel's fit search (four layouts) about 0.05 s a row; the bulletin 0.4 s and 0.03 s
    # a row (the weights only order the units)
    weights = [0.05 * rows + 0.3, 0.03 * rows + 0.4, *(0.2 * len(part) for part in parts)]
    return names, [panel_unit(ctx, printer), printer.bulletin_unit(), *sheet_units], weights


_UNITS = "print_units"  # a context's options: its units as `prerender` made them


def prerender(
    contexts: Sequence[BuildContext],
    extra: Sequence[tuple[Callable[[], Any], float]] = (),
) -> list[Any]:
    """Render the PDFs of several months (the month built, and past months published for the
    first time, see board.build) in one parallel batch, the heaviest first, into the build
    cache, so that no core waits while one month's last document is laid out. Each month's
    `render` then takes them from there; a unit that fails here is left for `render`, which
    says why.

    `extra`: other units of the build (a function and its expected cost) to run in the same
    batch, started first (each month's units are made while they run); their results, in
    order, None for one that failed (the build renders it again in its own place, which says
    why)."""
    todo: list[Unit] = []  # the PDF units to render, in the order the batch gets them

    def attempt(make: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            try:
                return make()
            except Exception:  # rendered again in its own place, which raises it
                return None

        return run

    def month(ctx: BuildContext) -> list[tuple[Callable[[], Any], float]]:
        """The month's units not in the build cache (those in it are kept for `render`)."""
        try:
            made = _units(ctx)
        except BoardError:  # said by the month's own `render`
            return []
        ctx.options[_UNITS] = made  # `render` takes them: each unit made once
        cache = ctx.cache
        found = []
        for unit, weight in zip(made[1], made[2], strict=True):
            kind, data, make = unit
            if cache.lookup_ahead(kind, data) is None:  # found: `render` takes it
                todo.append(unit)
                found.append((attempt(make), weight))
        return found

    def months() -> Iterator[list[tuple[Callable[[], Any], float]]]:
        # each month's units made here while the units started before them run
        for ctx in contexts:
            yield month(ctx)

    rendered = run_parallel(
        [attempt(make) for make, _ in extra],
        weights=[weight for _, weight in extra],
        more=months(),
    )
    for (kind, data, _), result in zip(todo, rendered[len(extra) :], strict=True):
        if result is not None:
            contexts[0].cache.prepare(kind, data, result)
    return rendered[: len(extra)]


def render(ctx: BuildContext) -> dict[str, bytes]:
    """`print/panel-M.pdf`, `print/sheets-M.pdf` and `print/bulletin-M.pdf` for the month built."""
    names, units, weights = ctx.options.pop(_UNITS, None) or _units(ctx)
    # independent documents (the panel, the bulletin, the sheets in parts): those not in the
    # build cache render in parallel processes
    panel, bulletin, *parts = ctx.cached_parallel(units, weights)
    return {
        names["panel"]: panel_warning(ctx, panel),
        names["sheets"]: join_sheets(ctx, parts),
        names["bulletin"]: bulletin,
    }


SHEETS_PER_PART = 8  # the least; large registers have at most PARTS parts
PARTS = 16


def sheet_parts(sheets: list[Any]) -> list[list[Any]]:
    """The sheets in parts of equal size, whatever the number of cores (the output never
    depends on it): at least 8 sheets a part, at most 16 parts."""
    size = max(SHEETS_PER_PART, math.ceil(len(sheets) / PARTS))
    return [sheets[i : i + size] for i in range(0, len(sheets), size)] or [[]]


def join_sheets(ctx: BuildContext, parts: list[bytes]) -> bytes:
    """The sheets' parts joined into one tagged PDF (from the build cache when none changed)."""
    digests = [hashlib.sha256(part).hexdigest() for part in parts]
    return ctx.cached("print/sheets-joined", {"parts": digests}, lambda: join_tagged(parts))
