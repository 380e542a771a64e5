"""The county's map in the PDFs (issue 26): the panel's inset and the A4 sheets' locator maps.

Both are drawn in points, so the badges are set at the type sizes of the document they are in
(the panel's body size, which the fit search chooses; 6.5 pt on a sheet). The base image is
embedded as a data: URI at the pixels the placed size needs at print resolution (never more
than the image has; an SVG base map as it is, in vector).

- The panel's inset (`panel: map: true` in board.yaml): beside the table, a quarter of the
  panel's width, the map with every project's badge and, under it, the list that turns the
  badges' numbers (the ranking) into names, with the approval number (审图号) and source.
- A sheet's locator: a small map in the sheet's head, the project's own shape and badge over
  the others as dots, with the approval number.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import geo
from ..compute import Row
from . import BuildContext, maps

PT_PER_MM = 72 / 25.4
INSET_EM = 40.0  # the inset's width in the panel's type size: it grows with the type, so the
# fit search (pdf.Printer.panel) sees the panel's height grow with the size as it expects
INSET_SHARE = 0.26  # but never wider than this share of the panel's content width
INSET_MAP_HEIGHT = 0.55  # nor its map taller than this share of the content height
PANEL_DPI = 150  # large-format print (喷绘) is printed at 72-150 dpi
LOCATOR_MM = (34.0, 24.0)  # a sheet's locator map fits this box (the height of the QR code)
LOCATOR_DPI = 300
LOCATOR_FONT = 6.5  # pt


@dataclass(frozen=True)
class Inset:
    """The panel's inset: its width, its map, the list by rank and the caption."""

    width_mm: float
    svg: Markup
    entries: list[maps.Entry]
    caption: str


def _image(ctx: BuildContext, width_mm: float, height_mm: float, dpi: int) -> str:
    settings = ctx.config.map
    if settings is None or not settings.image:
        return ""
    pixels = (width_mm / 25.4 * dpi, height_mm / 25.4 * dpi)
    return maps.data_uri(*maps.image_bytes(ctx, *pixels))


def panel_inset(
    ctx: BuildContext, page: dict[str, float], size: float, font_family: str
) -> Inset | None:
    """The inset of the panel at type size `size` (pt), when board.yaml asks for it."""
    settings = ctx.config.map
    if settings is None or not ctx.config.panel.map:
        return None
    content_w = page["width"] - 2 * page["margin"]
    width_mm = round(min(content_w * INSET_SHARE, INSET_EM * size / PT_PER_MM), 2)
    box_mm = (width_mm, page["content_height"] * INSET_MAP_HEIGHT)
    frame = geo.map_frame(settings)
    scale = min(box_mm[0] / frame.width, box_mm[1] / frame.height)
    drawn_mm = (frame.width * scale, frame.height * scale)
    drawing = maps.draw(
        settings,
        ctx.board.rows,
        (box_mm[0] * PT_PER_MM, box_mm[1] * PT_PER_MM),
        size,
        _image(ctx, *drawn_mm, PANEL_DPI),
        font_family=font_family,
        css_class="map-inset-svg",
        size_unit="pt",
    )
    return Inset(width_mm, maps.svg(ctx, drawing), maps.entries(ctx.board), maps.caption(ctx))


class Locators:
    """The sheets' locator maps of one build (the base image embedded once, reused)."""

    def __init__(self, ctx: BuildContext, font_family: str) -> None:
        self.ctx = ctx
        self.font_family = font_family
        self.settings = ctx.config.map
        self.image = ""
        self.width_mm = 0.0  # the drawn map's width: the figure is as wide (the caption wraps)
        if self.settings is not None:
            frame = geo.map_frame(self.settings)
            scale = min(LOCATOR_MM[0] / frame.width, LOCATOR_MM[1] / frame.height)
            self.width_mm = round(frame.width * scale, 2)
            self.image = _image(ctx, frame.width * scale, frame.height * scale, LOCATOR_DPI)
        self.caption = maps.caption(ctx) if self.settings is not None else ""

    def __call__(self, row: Row) -> Markup | None:
        """The locator of `row`'s project, or None without a map or a place."""
        if self.settings is None or row.project.geometry is None:
            return None
        drawing = maps.draw(
            self.settings,
            self.ctx.board.rows,
            (LOCATOR_MM[0] * PT_PER_MM, LOCATOR_MM[1] * PT_PER_MM),
            LOCATOR_FONT,
            self.image,
            highlight=row.project.id,
            font_family=self.font_family,
            css_class="locator-svg",
            size_unit="pt",
        )
        return maps.svg(self.ctx, drawing)


def map_source_css(ctx: BuildContext) -> Markup:
    """The map's source as a CSS string for the sheets' page margin ("" without a map or a
    source): the locator's caption holds the approval number, the page foot the source."""
    from .pdf import css_string  # pdf imports this module

    settings = ctx.config.map
    if settings is None or not settings.source:
        return Markup("")
    return Markup(css_string(ctx.t("map.source_foot").format(value=settings.source)))


def glyph_texts(ctx: BuildContext) -> list[tuple[str, str]]:
    """(field, text) of the map's words the PDFs print: its approval number and source."""
    settings = ctx.config.map
    if settings is None:
        return []
    return [(f"map.{key}", getattr(settings, key)) for key in ("approval", "source")]
