"""The county's map (一张图, issue 26), drawn at build time as SVG for every output.

One drawing function serves the site's map page and the county page's overview, the screen's
map page, the panel's inset and the A4 sheets' locator maps: it fits the map's frame (board.yaml
`map:`, see board/geo.py) into a box of the output's own units (CSS pixels on the screen, points
in the PDFs, a fixed viewBox on the site), so the type sizes it is given are the sizes drawn.

Each located project is drawn where its coordinates say, coloured by its status of the month,
with a badge of the one legend's symbol and its place in the ranking (never colour alone): a
point as a dot, a line (a road) as a cased stroke, a polygon (a park) as a tinted area. Badges
are placed around their anchor without covering one another, with a leader line when moved
away. The SVG goes through the template `_map.svg` (autoescaped: project names are untrusted).

The base image is embedded where a page must load nothing (the screen, the PDFs: a derivative
at the pixels the output needs) and linked on the site (`site/map/base.png`, or the SVG).
"""

from __future__ import annotations

import base64
import io
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from PIL import Image

from .. import geo
from ..compute import BoardMonth, Row
from ..i18n import STATUS_COLOUR, STATUS_INK, STATUS_SYMBOL
from ..model import MapSettings
from . import BuildContext

MUTED = "#5f6773"  # other projects on a locator map, outlines


@dataclass(frozen=True)
class Mark:
    """One project as drawn: its anchor, its shape and its badge (user units of the SVG)."""

    id: str
    rank: int
    status: str
    colour: str
    symbol: str
    kind: str  # point | line | polygon
    x: float  # the anchor: the point, a line's middle, a polygon's centre
    y: float
    paths: tuple[str, ...] = ()  # SVG path data of a line's or a polygon's parts
    badge: tuple[float, float, float, float] = (0, 0, 0, 0)  # x, y, width, height
    text: str = ""
    leader: tuple[float, float, float, float] | None = None
    title: str = ""  # the project as a tooltip says it
    href: str = ""
    shown: bool = True  # False: a context dot on a locator map, no badge


@dataclass(frozen=True)
class Drawing:
    """Everything `_map.svg` draws, in the SVG's user units."""

    width: float
    height: float
    font: float
    image: str  # the base image's href or data: URI; "" without one
    outline: tuple[str, ...]
    marks: tuple[Mark, ...]
    font_family: str = ""
    css_class: str = ""
    size: tuple[str, str] = ("", "")  # the SVG's width and height attributes ("" for none)
    scale: float = 1.0  # user units per pixel of the frame
    line: float = 1.0  # the width of outlines and leader lines
    ink: str = STATUS_INK
    muted: str = MUTED
    links: bool = False
    hidden: bool = True  # aria-hidden: the list beside the map is what assistive technology reads

    @property
    def w(self) -> str:
        """The width as the SVG writes it (no trailing zeros)."""
        return _fmt(self.width)

    @property
    def h(self) -> str:
        return _fmt(self.height)

    @property
    def points(self) -> tuple[Mark, ...]:
        return tuple(m for m in self.marks if m.kind == "point")

    @property
    def shapes(self) -> tuple[Mark, ...]:
        """Lines and polygons, the polygons first: an area never covers a road."""
        return tuple(m for kind in ("polygon", "line") for m in self.marks if m.kind == kind)


@dataclass(frozen=True)
class Entry:
    """A project in the list beside the map (every project, located or not), by rank."""

    row: Row
    located: bool


def entries(board: BoardMonth) -> list[Entry]:
    """The list beside the map: every project in ranking order, saying which are not on it."""
    return [Entry(row, row.project.geometry is not None) for row in board.ranking]


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _path(points: list[tuple[float, float]], closed: bool) -> str:
    head, *rest = points
    text = f"M{_fmt(head[0])},{_fmt(head[1])}" + "".join(f"L{_fmt(x)},{_fmt(y)}" for x, y in rest)
    return text + ("Z" if closed else "")


def badge_size(text: str, font: float) -> tuple[float, float]:
    """A badge's width and height for its text at `font` (a conservative width)."""
    from .screen import text_em  # the screen's estimate of a text's width

    return text_em(text) * font + 0.7 * font, 1.4 * font


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


# where a badge may go around its anchor: (dx, dy) in units of the badge's height, in order
DIRECTIONS = ((1, -1), (-1, -1), (1, 1), (-1, 1), (0, -1.4), (0, 1.4), (1.3, 0), (-1.3, 0))


def place_badges(
    anchors: list[tuple[float, float, float, float]],
    width: float,
    height: float,
    dot: float,
) -> list[tuple[float, float, float, float]]:
    """A rectangle for each badge (anchor x, y and badge w, h), near its anchor, inside the
    drawing, over no other badge nor anchor where it can be helped: the first free place of
    rings of candidates around the anchor, else the place that overlaps least."""
    placed: list[tuple[float, float, float, float]] = []
    dots = [(x - dot, y - dot, 2 * dot, 2 * dot) for x, y, _, _ in anchors]
    for index, (x, y, w, h) in enumerate(anchors):
        best: tuple[float, tuple[float, float, float, float]] | None = None
        for ring in (0.6, 1.5, 2.6, 3.8, 5.2):
            for dx, dy in DIRECTIONS:
                cx = x + dx * (w / 2 + dot + ring * h * 0.6)
                cy = y + dy * (h / 2 + dot * 0.6 + (ring - 0.6) * h * 0.6)
                rect = (cx - w / 2, cy - h / 2, w, h)
                rect = (
                    min(max(rect[0], 1.0), max(1.0, width - w - 1)),
                    min(max(rect[1], 1.0), max(1.0, height - h - 1)),
                    w,
                    h,
                )
                cost = sum(_overlap(rect, other) for other in placed)
                cost += sum(_overlap(rect, d) for i, d in enumerate(dots) if i != index) * 4
                cost += ring * 1e-6  # nearer rings first among equals
                if best is None or cost < best[0]:
                    best = (cost, rect)
                if cost < 1e-3:
                    break
            if best is not None and best[0] < 1e-3:
                break
        assert best is not None
        placed.append(best[1])
    return placed


def _leader(
    x: float, y: float, rect: tuple[float, float, float, float], dot: float
) -> tuple[float, float, float, float] | None:
    """A line from the anchor to the nearest point of its badge, when they do not touch."""
    nx = min(max(x, rect[0]), rect[0] + rect[2])
    ny = min(max(y, rect[1]), rect[1] + rect[3])
    if math.dist((x, y), (nx, ny)) <= dot * 1.5:
        return None
    return x, y, nx, ny


def draw(
    settings: MapSettings,
    rows: Sequence[Row],
    box: tuple[float, float],
    font: float,
    image: str,
    *,
    href: Callable[[Row], str] | None = None,
    highlight: str | None = None,
    labels: Callable[[Row], str] = lambda row: row.project.name,
    font_family: str = "",
    css_class: str = "",
    size_unit: str = "",
) -> Drawing:
    """The map of `rows` fitted into `box` (user units), badges at `font` units.

    `href(row)` links each badge (the site); `highlight` draws one project with its badge and
    the others as small dots (the A4 sheet's locator). `size_unit` gives the SVG a width and
    height in that CSS unit (`px` on the screen, `pt` in the PDFs); "" lets CSS size it.
    """
    frame = geo.map_frame(settings)
    scale = min(box[0] / frame.width, box[1] / frame.height)
    width, height = frame.width * scale, frame.height * scale
    dot = max(0.28 * font, 1.0)
    stroke = max(0.32 * font, 1.5)

    def at(position: geo.Position) -> tuple[float, float]:
        x, y = frame.xy(*position)
        return x * scale, y * scale

    outline: list[str] = []
    if settings.boundary is not None:
        for _, rings in geo.parts(settings.boundary):
            for ring in rings:
                drawn = geo.simplify([at(p) for p in ring], 0.6 * scale if scale > 1 else 0.6)
                outline.append(_path(drawn, True))
    found: list[tuple[Row, str, float, float, tuple[str, ...]]] = []
    for row in rows:
        geometry = row.project.geometry
        if geometry is None:
            continue
        kind, anchor, paths = _shape(geometry, at, tolerance=max(0.5, font * 0.05))
        found.append((row, kind, anchor[0], anchor[1], paths))
    found.sort(key=lambda f: f[0].rank)
    shown = [f for f in found if highlight is None or f[0].project.id == highlight]
    texts = [f"{STATUS_SYMBOL[f[0].status]}{f[0].rank}" for f in shown]
    sizes = [badge_size(text, font) for text in texts]
    rects = place_badges(
        [(f[2], f[3], w, h) for f, (w, h) in zip(shown, sizes, strict=True)], width, height, dot
    )
    badges = {
        f[0].project.id: (rect, text) for f, rect, text in zip(shown, rects, texts, strict=True)
    }
    marks = []
    for row, kind, x, y, paths in found:
        rect, text = badges.get(row.project.id, ((0.0, 0.0, 0.0, 0.0), ""))
        marks.append(
            Mark(
                id=row.project.id,
                rank=row.rank,
                status=row.status,
                colour=STATUS_COLOUR[row.status] if text else MUTED,
                symbol=STATUS_SYMBOL[row.status],
                kind=kind,
                x=round(x, 2),
                y=round(y, 2),
                paths=paths,
                badge=tuple(round(v, 2) for v in rect),  # type: ignore[arg-type]
                text=text,
                leader=_leader(x, y, rect, dot) if text else None,
                title=labels(row),
                href=href(row) if href and text else "",
                shown=bool(text),
            )
        )
    # the highlighted project is drawn last, over the others
    marks.sort(key=lambda m: (m.shown, -m.rank))
    return Drawing(
        width=round(width, 2),
        height=round(height, 2),
        font=font,
        image=image,
        outline=tuple(outline),
        marks=tuple(marks),
        font_family=font_family,
        css_class=css_class,
        size=(f"{_fmt(width)}{size_unit}", f"{_fmt(height)}{size_unit}") if size_unit else ("", ""),
        scale=scale,
        line=stroke,
        links=href is not None,
    )


def _shape(
    geometry: Any, at: Callable[[geo.Position], tuple[float, float]], tolerance: float
) -> tuple[str, tuple[float, float], tuple[str, ...]]:
    """How a geometry is drawn: its kind, its badge's anchor and its paths."""
    base = geo.BASE_KINDS[geometry.type]
    if base == "Point":
        points = [at(p) for p in geometry.positions()]
        xs, ys = zip(*points, strict=True)
        return "point", (sum(xs) / len(xs), sum(ys) / len(ys)), ()
    paths: list[str] = []
    longest: tuple[float, list[tuple[float, float]]] = (-1.0, [])
    for _, value in geo.parts(geometry):
        rings = value if base == "Polygon" else (value,)
        for index, ring in enumerate(rings):
            drawn = geo.simplify([at(p) for p in ring], tolerance)
            paths.append(_path(drawn, base == "Polygon"))
            size = sum(math.dist(a, b) for a, b in itertools.pairwise(drawn))
            if index == 0 and size > longest[0]:
                longest = (size, drawn)
    drawn = longest[1]
    if base == "LineString":
        return "line", geo.along(drawn), tuple(paths)
    centre = geo.centroid(drawn)
    if not geo.inside(centre, drawn):
        centre = drawn[0]
    return "polygon", centre, tuple(paths)


def svg(ctx: BuildContext, drawing: Drawing) -> Markup:
    """The drawing as inline SVG, through the `_map.svg` template (autoescaped)."""
    return Markup(ctx.env.get_template("_map.svg").render(map=drawing).strip())


# -- the base image ---------------------------------------------------------------------------


def image_bytes(ctx: BuildContext, width: float, height: float) -> tuple[bytes, str]:
    """The base image for a place `width` × `height` pixels large: a PNG reduced to those
    pixels (never enlarged), or the SVG as it is; from the build cache when unchanged."""
    settings = ctx.config.map
    assert settings is not None
    path = ctx.register.root / settings.image
    unit = image_unit(ctx, width, height)
    if unit is None:
        svg = settings.image.lower().endswith(".svg")
        return path.read_bytes(), "image/svg+xml" if svg else "image/png"
    return ctx.cached(*unit), "image/png"


def image_unit(
    ctx: BuildContext, width: float, height: float
) -> tuple[str, dict[str, Any], Callable[[], bytes]] | None:
    """The reduction of a PNG base image to `width` × `height` pixels as a unit of the build
    cache (see `BuildContext.cached`), or None: an SVG, or a PNG no larger, is used as it is."""
    settings = ctx.config.map
    assert settings is not None
    if settings.image.lower().endswith(".svg"):
        return None
    path = ctx.register.root / settings.image
    scale = min(1.0, width / settings.image_width, height / settings.image_height)
    w = max(1, round(settings.image_width * scale))
    h = max(1, round(settings.image_height * scale))
    if (w, h) == (settings.image_width, settings.image_height):
        return None
    return "map/base", {"digest": settings.digest, "w": w, "h": h}, lambda: _reduce(path, w, h)


def _reduce(path: Any, width: int, height: int) -> bytes:
    """A PNG base map reduced to `width` × `height`, as a 256-colour PNG (maps are flat
    colours; with transparency, full colour)."""
    with Image.open(path) as image:
        alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
        work = image.convert("RGBA" if alpha else "RGB")
    small = work.resize((width, height), Image.Resampling.LANCZOS)
    if not alpha:
        small = small.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True)
    return out.getvalue()


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def site_image_name(settings: MapSettings) -> str:
    """The base image's name in the site (a copy, or a reduction of a large PNG)."""
    return "map/base.svg" if settings.image.lower().endswith(".svg") else "map/base.png"


SITE_IMAGE_WIDTH = 1800  # the site's base image at most this wide (twice a wide map's width)


def caption(ctx: BuildContext) -> str:
    """The approval number (审图号) and the source, as every output shows them with the map."""
    settings = ctx.config.map
    assert settings is not None
    t = ctx.t
    parts = []
    if settings.approval:
        parts.append(t("map.approval").format(value=settings.approval))
    if settings.source:
        parts.append(t("map.source").format(value=settings.source))
    return t("map.caption_sep").join(parts)


@dataclass
class SiteMap:
    """What the site's pages need of the map: its page, its data, its drawings."""

    href: str = "map/index.html"
    geojson: str = "data/projects.geojson"
    image: str = ""
    caption: str = ""
    drawings: dict[str, Markup] = field(default_factory=dict)
