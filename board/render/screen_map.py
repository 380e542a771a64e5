"""The lobby screen's map page (issue 26): the county's map beside the list of the projects.

The map is drawn for its box in the screen's own pixels (a landscape screen: on the left, as
tall as the page; a portrait one: on top), so its badges are set at 26 design pixels like the
screen's text and nothing on the page is smaller than 24. The list beside it gives every
project by rank with its symbol and name (and says which have no place on the map); when it
does not fit one page, the map is shown again with the rest of the list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import geo
from . import BuildContext, maps

ROW = 44  # design pixels: a line of the list (26 px type on a 34 px line, and a gap)
CAPTION = 2 * 30 + 6  # the approval number and source under the map, two lines at most
NOTE = 40  # the line above the list that says what the numbers are
COLUMN = 520  # the least width of a column of the list
FONT = 26  # the badges' type size


@dataclass(frozen=True)
class MapPage:
    """What the template draws on a map page (design pixels, except the SVG's own)."""

    svg: Markup
    width: float  # the map's box
    height: float
    list_width: float
    list_height: float
    columns: int
    caption: str


def map_pages(ctx: BuildContext, layout: Any) -> list[Any]:
    """The map pages of the rotation (none without a map in board.yaml)."""
    from .screen import Item, Page  # the screen's page model (screen imports this module)

    settings = ctx.config.map
    if settings is None:
        return []
    frame = geo.map_frame(settings)
    aspect = frame.width / frame.height
    gap = 2 * layout.gap
    width, height = layout.inner_width, layout.main
    if layout.wide:
        map_h = height - CAPTION
        map_w = min(map_h * aspect, width * 0.56)
        map_h = map_w / aspect
        list_w, list_h = width - map_w - gap, height
    else:
        map_h = min(height * 0.62 - CAPTION, width / aspect)
        map_w = map_h * aspect
        list_w, list_h = width, height - map_h - CAPTION - gap
    per_column = max(1, int((list_h - NOTE) // ROW))
    items = maps.entries(ctx.board)
    columns = 1 if len(items) <= per_column else max(1, int(list_w // COLUMN))
    scale = layout.scale
    image = ""
    if settings.image:  # embedded: the screen's page loads nothing
        image = maps.data_uri(*maps.image_bytes(ctx, map_w * scale, map_h * scale))
    drawing = maps.draw(
        settings,
        ctx.board.rows,
        (map_w * scale, map_h * scale),
        FONT * scale,
        image,
        labels=lambda row: f"{row.rank} {ctx.t('status.' + row.status)} {row.project.name}",
        size_unit="px",
    )
    view = MapPage(
        svg=maps.svg(ctx, drawing),
        width=map_w,
        height=map_h,
        list_width=list_w,
        list_height=list_h,
        columns=columns,
        caption=maps.caption(ctx),
    )
    count = max(1, math.ceil(len(items) / (per_column * columns)))
    per_page = max(1, math.ceil(len(items) / count))  # the pages balanced, too
    pages = []
    for number in range(count):
        chunk = items[number * per_page : (number + 1) * per_page]
        tall = math.ceil(len(chunk) / columns)  # the page's columns balanced
        cols = tuple(
            tuple(Item(e.row) for e in part)
            for part in (chunk[c * tall : (c + 1) * tall] for c in range(columns))
            if part
        )
        pages.append(Page("map", ctx.t("map.title"), cols, map=view))
    return pages
