"""The site's map (issue 26): `site/map/index.html`, the overview on each month's board page,
the base image and the zoom script.

Each badge on the map links to its project's page; the SVG is hidden from assistive
technology and its links are out of the tab order, because the list beside the map gives the
same projects, numbers, statuses and links in words. The base image is a file of the site
(`site/map/base.png`, reduced to at most 1800 pixels wide, or the validated SVG): the pages'
Content-Security-Policy allows images from the site itself. The zoom (`site/map/map.js`) is
the site's own few lines, changing the SVG's viewBox: no map library, nothing fetched, so it
works offline and under the CSP; without scripting the whole map shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..compute import BoardMonth, Row
from . import BuildContext, maps

BOX = (900.0, 900.0)  # the site's map: user units of its viewBox (CSS scales it to the page)
FONT = 17.0  # the badges' type size in those units (17 px when shown 900 px wide)
OVERVIEW_FONT = 20.0  # the overview is shown smaller: larger type in its units


class SiteMap:
    """The map of the site's pages, or nothing when board.yaml has no map."""

    def __init__(self, ctx: BuildContext) -> None:
        settings = ctx.config.map
        assert settings is not None
        self.ctx = ctx
        self.settings = settings
        self.image = maps.site_image_name(settings) if settings.image else ""
        self.caption = maps.caption(ctx)
        self.href = "map/index.html"
        self.geojson = "data/projects.geojson"

    def _label(self, row: Row) -> str:
        t = self.ctx.t
        return f"{row.rank} {t('status.' + row.status)} {row.project.name}"

    def drawing(self, board: BoardMonth, root: str, overview: bool = False) -> Markup:
        """The map of `board`'s month for a page at `root`, its badges linking to the projects."""
        link: Callable[[Row], str] = lambda row: f"{root}projects/{row.project.id}/index.html"  # noqa: E731
        drawing = maps.draw(
            self.settings,
            board.rows,
            BOX,
            OVERVIEW_FONT if overview else FONT,
            f"{root}{self.image}" if self.image else "",
            href=link,
            labels=self._label,
            css_class="overview" if overview else "",
        )
        return maps.svg(self.ctx, drawing)

    def entries(self, board: BoardMonth) -> list[maps.Entry]:
        return maps.entries(board)

    def files(self) -> dict[str, bytes]:
        """The base image (reduced for the web when large) and the zoom script."""
        loader = self.ctx.env.loader
        assert loader is not None
        script = loader.get_source(self.ctx.env, "site/map.js")[0]
        files = {"site/map/map.js": script.encode("utf-8")}
        if self.image:
            files[f"site/{self.image}"] = maps.image_bytes(self.ctx, *self.image_size())[0]
        return files

    def image_size(self) -> tuple[float, float]:
        """The site's base image: the register's, at most SITE_IMAGE_WIDTH pixels wide."""
        settings = self.settings
        width = min(settings.image_width, maps.SITE_IMAGE_WIDTH)
        return width, settings.image_height * width / settings.image_width


def base_unit(ctx: BuildContext) -> tuple[str, dict[str, Any], Callable[[], bytes]] | None:
    """The site's base image as a unit of the build cache, when it is a reduction (the build
    makes it in the print stage's batch, board.build `MonthBatch`)."""
    settings = ctx.config.map
    if settings is None or not settings.image:
        return None
    return maps.image_unit(ctx, *SiteMap(ctx).image_size())


def site_map(ctx: BuildContext) -> SiteMap | None:
    """The site's map when board.yaml has one."""
    return SiteMap(ctx) if ctx.config.map is not None else None
