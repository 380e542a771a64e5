"""Where things are: coordinate systems, the county map's frame, GeoJSON read and written.

Plain arithmetic on positions (longitude, latitude) in WGS84, GeoJSON's order, with no
dependency: a county is small enough that a map image is a linear (or Web Mercator) picture
of longitude and latitude.

- Chinese web maps (高德/AMap, 腾讯/Tencent, Google in China) give GCJ-02 coordinates, Baidu
  gives BD-09; both are WGS84 shifted by a few hundred metres. `to_wgs84` takes them back: the
  GCJ-02 forward formula is public, its inverse is found by fixed-point iteration to below a
  millimetre. CGCS2000 (天地图, the 标准地图) is WGS84 to within a metre for a board's purposes.
- `Frame`: where a position lies on the county's base image (its corners, or two control
  points) or, without an image, on a frame around the county's outline.
- `read_geojson`: a GeoJSON file (a geometry, a Feature or a FeatureCollection) as one
  `Geometry`, or a `GeoError` that says what is wrong and where in the file.
- `geojson_geometry`: a geometry as RFC 7946 GeoJSON, for the open data
  (`site/data/projects.geojson`) and for OC4IDS `locations[].geometry`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .i18n import Msg, Said
from .model import Geometry, MapSettings, Position

CRS_NAMES = ("wgs84", "gcj02", "bd09")
PROJECTIONS = ("linear", "mercator")
MAX_GEOJSON_BYTES = 5 * 1024 * 1024
MAX_POSITIONS = 100_000
EARTH_RADIUS = 6371008.8  # metres, the mean radius (distances in messages only)

# -- GCJ-02 and BD-09 ---------------------------------------------------------------------------

_KRASOVSKY_A = 6378245.0  # the ellipsoid GCJ-02's published formula is written for
_KRASOVSKY_EE = 0.00669342162296594323
_BD_PI = math.pi * 3000.0 / 180.0


def out_of_china(lng: float, lat: float) -> bool:
    """Outside the rectangle in which GCJ-02 shifts positions (everywhere else it is WGS84)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _gcj_shift(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02's shift at a WGS84 position, in degrees of longitude and latitude."""
    x, y = lng - 105.0, lat - 35.0
    ripple = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += ripple
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlng += ripple
    dlng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    rad = lat / 180.0 * math.pi
    magic = 1.0 - _KRASOVSKY_EE * math.sin(rad) ** 2
    root = math.sqrt(magic)
    dlat = dlat * 180.0 / ((_KRASOVSKY_A * (1 - _KRASOVSKY_EE)) / (magic * root) * math.pi)
    dlng = dlng * 180.0 / (_KRASOVSKY_A / root * math.cos(rad) * math.pi)
    return dlng, dlat


def wgs84_to_gcj02(lng: float, lat: float) -> Position:
    """A WGS84 position as Chinese web maps show it (GCJ-02)."""
    if out_of_china(lng, lat):
        return lng, lat
    dlng, dlat = _gcj_shift(lng, lat)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> Position:
    """The WGS84 position a GCJ-02 position stands for: the forward formula inverted by
    fixed-point iteration (the shift varies slowly, so each step gains about three digits)."""
    if out_of_china(lng, lat):
        return lng, lat
    return _inverted(wgs84_to_gcj02, lng, lat, (lng, lat), 30)


def bd09_to_gcj02(lng: float, lat: float) -> Position:
    """A Baidu (BD-09) position in GCJ-02: the usual closed form, refined by fixed-point
    iteration on the forward formula (the closed form alone is some centimetres off)."""
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _BD_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD_PI)
    return _inverted(gcj02_to_bd09, lng, lat, (z * math.cos(theta), z * math.sin(theta)), 10)


def _inverted(
    forward: Callable[[float, float], Position],
    lng: float,
    lat: float,
    start: Position,
    steps: int,
) -> Position:
    """The position that `forward` takes to (lng, lat), by fixed-point iteration from `start`
    (the shift varies slowly: each step gains about three digits)."""
    x, y = start
    for _ in range(steps):
        f_lng, f_lat = forward(x, y)
        d_lng, d_lat = lng - f_lng, lat - f_lat
        x, y = x + d_lng, y + d_lat
        if abs(d_lng) < 1e-11 and abs(d_lat) < 1e-11:
            break
    return x, y


def gcj02_to_bd09(lng: float, lat: float) -> Position:
    """A GCJ-02 position as Baidu shows it (BD-09)."""
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _BD_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _BD_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def to_wgs84(lng: float, lat: float, crs: str) -> Position:
    """A position written in `crs` (wgs84, gcj02 or bd09) in WGS84."""
    if crs == "gcj02":
        return gcj02_to_wgs84(lng, lat)
    if crs == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))
    return lng, lat


def distance_m(a: Position, b: Position) -> float:
    """The distance between two positions in metres (haversine, on the mean sphere)."""
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))


# -- the map's frame ------------------------------------------------------------------------------


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _unmerc(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass(frozen=True)
class Frame:
    """A rectangle of the earth drawn `width` × `height` pixels, north up: the base image.

    `linear`: x follows longitude and y latitude in proportion (an image of a county cut from
    a map in geographic coordinates, the usual 标准地图 and GIS export); `mercator`: y follows
    Web Mercator (an image cut from a web map).
    """

    west: float
    south: float
    east: float
    north: float
    width: float
    height: float
    projection: str = "linear"

    def _y(self, lat: float) -> float:
        return _merc(lat) if self.projection == "mercator" else lat

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        """The pixel of a position (x to the right, y down; the image's top left is 0, 0)."""
        x = (lng - self.west) / (self.east - self.west) * self.width
        top, bottom = self._y(self.north), self._y(self.south)
        y = (top - self._y(lat)) / (top - bottom) * self.height
        return x, y

    def lnglat(self, x: float, y: float) -> Position:
        """The position of a pixel (the inverse of `xy`)."""
        lng = self.west + x / self.width * (self.east - self.west)
        top, bottom = self._y(self.north), self._y(self.south)
        value = top - y / self.height * (top - bottom)
        return lng, (_unmerc(value) if self.projection == "mercator" else value)

    def contains(self, lng: float, lat: float) -> bool:
        return self.west <= lng <= self.east and self.south <= lat <= self.north


def frame_from_control_points(
    points: tuple[tuple[tuple[float, float], Position], ...],
    width: float,
    height: float,
    projection: str = "linear",
) -> Frame | None:
    """The frame two control points (pixel, position) give an image of `width` × `height`;
    None when they do not describe a north-up image (mirrored, or the same row or column)."""
    (p1, g1), (p2, g2) = points
    if p1[0] == p2[0] or p1[1] == p2[1] or g1[0] == g2[0] or g1[1] == g2[1]:
        return None
    y_of = _merc if projection == "mercator" else (lambda v: v)
    kx = (g2[0] - g1[0]) / (p2[0] - p1[0])
    ky = (y_of(g2[1]) - y_of(g1[1])) / (p2[1] - p1[1])
    if kx <= 0 or ky >= 0:
        return None
    west = g1[0] - p1[0] * kx
    top = y_of(g1[1]) - p1[1] * ky
    bottom = top + height * ky
    un = _unmerc if projection == "mercator" else (lambda v: v)
    return Frame(west, un(bottom), west + width * kx, un(top), width, height, projection)


OUTLINE_WIDTH = 1000.0  # pixels of the frame drawn around an outline without a base image
OUTLINE_MARGIN = 0.04  # of the outline's extent, on each side


def frame_around(geometry: Geometry) -> Frame:
    """A frame around a county's outline (no base image): its extent and a margin, the
    pixels square on the ground at the middle latitude."""
    west, south, east, north = bbox(geometry.positions())
    dx = max(east - west, 1e-6) * OUTLINE_MARGIN
    dy = max(north - south, 1e-6) * OUTLINE_MARGIN
    west, east, south, north = west - dx, east + dx, south - dy, north + dy
    ground = (east - west) * math.cos(math.radians((north + south) / 2))
    height = OUTLINE_WIDTH * (north - south) / max(ground, 1e-9)
    return Frame(west, south, east, north, OUTLINE_WIDTH, round(height, 3))


def map_frame(settings: MapSettings) -> Frame:
    """The frame of the county's map as board.yaml describes it (validated)."""
    if settings.image:
        west, south, east, north = settings.bounds
        return Frame(
            west,
            south,
            east,
            north,
            settings.image_width,
            settings.image_height,
            settings.projection,
        )
    assert settings.boundary is not None
    return frame_around(settings.boundary)


def bbox(positions: Iterable[Position]) -> tuple[float, float, float, float]:
    """west, south, east, north of some positions."""
    lngs, lats = zip(*positions, strict=True)
    return min(lngs), min(lats), max(lngs), max(lats)


# -- GeoJSON in -----------------------------------------------------------------------------------

BASE_KINDS = {
    "Point": "Point",
    "MultiPoint": "Point",
    "LineString": "LineString",
    "MultiLineString": "LineString",
    "Polygon": "Polygon",
    "MultiPolygon": "Polygon",
}
MULTI = {"Point": "MultiPoint", "LineString": "MultiLineString", "Polygon": "MultiPolygon"}
GEOGRAPHIC_CRS = ("CRS84", "4326", "4490")  # WGS84 and CGCS2000 in longitude and latitude


class GeoError(Exception):
    """What is wrong with a GeoJSON file: a catalog message (and where in the file)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)
        self.message = message


def _where(path: str) -> str:
    return path or "GeoJSON"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


class _Reader:
    def __init__(self) -> None:
        self.count = 0

    def position(self, value: Any, path: str) -> Position:
        if not (isinstance(value, list) and 2 <= len(value) <= 3 and all(map(_number, value))):
            raise GeoError(Msg("msg.geo.bad_position", where=_where(path), value=_shown(value)))
        lng, lat = float(value[0]), float(value[1])
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise GeoError(Msg("msg.geo.bad_metres", where=_where(path), value=_shown(value)))
        self.count += 1
        if self.count > MAX_POSITIONS:
            raise GeoError(Msg("msg.geo.bad_too_many", most=f"{MAX_POSITIONS:,}"))
        return lng, lat

    def positions(self, value: Any, path: str, least: int) -> tuple[Position, ...]:
        if not isinstance(value, list):
            raise GeoError(Msg("msg.geo.bad_list", where=_where(path), value=_shown(value)))
        found = tuple(self.position(v, f"{path}[{i}]") for i, v in enumerate(value))
        if len(found) < least:
            raise GeoError(Msg("msg.geo.bad_short", where=_where(path), least=least))
        return found

    def ring(self, value: Any, path: str) -> tuple[Position, ...]:
        ring = self.positions(value, path, 4)
        if ring[0] != ring[-1]:
            raise GeoError(Msg("msg.geo.bad_open_ring", where=_where(path)))
        return ring

    def coordinates(self, kind: str, value: Any, path: str) -> Any:
        def listed(item: Any, where: str) -> list[Any]:
            if not isinstance(item, list) or not item:
                raise GeoError(Msg("msg.geo.bad_list", where=_where(where), value=_shown(item)))
            return item

        if kind == "Point":
            return self.position(value, path)
        if kind == "MultiPoint":
            return self.positions(value, path, 1)
        if kind == "LineString":
            return self.positions(value, path, 2)
        if kind == "MultiLineString":
            return tuple(
                self.positions(v, f"{path}[{i}]", 2) for i, v in enumerate(listed(value, path))
            )
        if kind == "Polygon":
            return tuple(self.ring(v, f"{path}[{i}]") for i, v in enumerate(listed(value, path)))
        return tuple(  # MultiPolygon
            tuple(self.ring(r, f"{path}[{i}][{j}]") for j, r in enumerate(listed(p, path)))
            for i, p in enumerate(listed(value, path))
        )

    def geometry(self, value: Any, path: str) -> Geometry:
        if not isinstance(value, dict):
            raise GeoError(Msg("msg.geo.bad_object", where=_where(path), value=_shown(value)))
        kind = value.get("type")
        if kind == "GeometryCollection":
            raise GeoError(Msg("msg.geo.bad_collection", where=_where(path)))
        if kind not in BASE_KINDS:
            raise GeoError(
                Msg(
                    "msg.geo.bad_type",
                    where=_where(path),
                    value=_shown(kind),
                    expected=", ".join(BASE_KINDS),
                )
            )
        if "coordinates" not in value:
            raise GeoError(Msg("msg.geo.bad_missing", where=_where(path), member="coordinates"))
        where = f"{path}.coordinates" if path else "coordinates"
        return Geometry(kind, self.coordinates(kind, value["coordinates"], where))


def _check_crs(data: dict[str, Any]) -> None:
    """The 2008 GeoJSON `crs` member some GIS exports still write: only longitude and latitude
    in WGS84 or CGCS2000 are accepted (a projected CRS gives metres, not degrees)."""
    crs = data.get("crs")
    if crs is None:
        return
    name = ""
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = str(crs["properties"].get("name", ""))
    if not any(name.upper().endswith(code) for code in GEOGRAPHIC_CRS):
        raise GeoError(Msg("msg.geo.bad_crs", value=name or _shown(crs)))


# Python's words for a JSON syntax error (kept in English) and the office's words for them
JSON_PROBLEMS = {
    "Expecting ',' delimiter": "缺少英文逗号“,”",
    "Expecting ':' delimiter": "缺少英文冒号“:”",
    "Expecting value": "这里缺少值",
    "Expecting property name enclosed in double quotes": "键名须用英文双引号括起",
    "Unterminated string starting at": "引号没有配对",
    "Extra data": "多出了内容",
    "Invalid control character at": "有控制字符",
    "Illegal trailing comma before end of object": "花括号末尾多了逗号",
    "Illegal trailing comma before end of array": "方括号末尾多了逗号",
}


def degrees(value: float) -> str:
    """A longitude or latitude as messages show it: up to six decimals, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def read_geojson(data: bytes) -> Geometry:
    """One geometry from a GeoJSON text: a geometry object, a Feature, or a FeatureCollection
    whose geometries are all points, all lines or all polygons (joined into one Multi-)."""
    if len(data) > MAX_GEOJSON_BYTES:
        raise GeoError(
            Msg("msg.geo.too_big", size=f"{len(data):,}", limit=f"{MAX_GEOJSON_BYTES:,}")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoError(Msg("msg.geo.not_utf8")) from None

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    try:
        value = json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        detail = Said(JSON_PROBLEMS.get(exc.msg, "写法不符合JSON格式"), exc.msg)
        raise GeoError(
            Msg("msg.geo.json_syntax", line=exc.lineno, col=exc.colno, detail=detail)
        ) from None
    except (ValueError, RecursionError) as exc:
        detail = Said("不允许 NaN、Infinity，或嵌套过深", str(exc) or type(exc).__name__)
        raise GeoError(Msg("msg.geo.json_syntax", line=1, col=1, detail=detail)) from None
    if not isinstance(value, dict):
        raise GeoError(Msg("msg.geo.bad_object", where="GeoJSON", value=_shown(value)))
    _check_crs(value)
    reader = _Reader()
    kind = value.get("type")
    if kind == "Feature":
        return _feature(reader, value, "")
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list):
            raise GeoError(Msg("msg.geo.bad_missing", where="GeoJSON", member="features"))
        parts = [_feature(reader, f, f"features[{i}]") for i, f in enumerate(features)]
        return combine(parts)
    return reader.geometry(value, "")


def _feature(reader: _Reader, value: Any, path: str) -> Geometry:
    if not isinstance(value, dict) or value.get("type") != "Feature":
        raise GeoError(Msg("msg.geo.bad_feature", where=_where(path)))
    geometry = value.get("geometry")
    where = f"{path}.geometry" if path else "geometry"
    if geometry is None:
        raise GeoError(Msg("msg.geo.bad_missing", where=_where(path), member="geometry"))
    return reader.geometry(geometry, where)


def combine(parts: list[Geometry]) -> Geometry:
    """Geometries of one base kind as one (a single one as it is, several as a Multi-)."""
    if not parts:
        raise GeoError(Msg("msg.geo.bad_empty"))
    kinds = {BASE_KINDS[p.type] for p in parts}
    if len(kinds) > 1:
        raise GeoError(Msg("msg.geo.bad_mixed", kinds=", ".join(sorted(p.type for p in parts))))
    if len(parts) == 1:
        return parts[0]
    base = kinds.pop()
    members: list[Any] = []
    for part in parts:
        members.extend(part.coordinates if part.type == MULTI[base] else [part.coordinates])
    return Geometry(MULTI[base], tuple(members))


# -- GeoJSON out (RFC 7946) -----------------------------------------------------------------------

PRECISION = 6  # decimal places of a degree: about 0.1 m


def _signed_area(ring: tuple[Position, ...]) -> float:
    return sum(
        (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _wound(polygon: tuple[tuple[Position, ...], ...]) -> list[Any]:
    """A polygon's rings by RFC 7946's right-hand rule: the exterior counterclockwise, holes
    clockwise."""
    rings = []
    for index, ring in enumerate(polygon):
        counterclockwise = _signed_area(ring) > 0
        if counterclockwise != (index == 0):
            ring = ring[::-1]
        rings.append([_pos(p) for p in ring])
    return rings


def _pos(position: Position) -> list[float]:
    return [round(position[0], PRECISION), round(position[1], PRECISION)]


def geojson_geometry(geometry: Geometry) -> dict[str, Any]:
    """A geometry as an RFC 7946 GeoJSON geometry object: WGS84 longitude, latitude (six
    decimals), polygons wound by the right-hand rule. The OC4IDS export calls this too
    (`locations[].geometry`), so both say the same place."""
    kind, value = geometry.type, geometry.coordinates
    if kind == "Point":
        coordinates: Any = _pos(value)
    elif kind in ("MultiPoint", "LineString"):
        coordinates = [_pos(p) for p in value]
    elif kind == "MultiLineString":
        coordinates = [[_pos(p) for p in line] for line in value]
    elif kind == "Polygon":
        coordinates = _wound(value)
    else:
        coordinates = [_wound(polygon) for polygon in value]
    return {"type": kind, "coordinates": coordinates}


# -- drawing helpers ----------------------------------------------------------------------------


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """A drawn line without the vertices closer than `tolerance` pixels to the one kept before
    (a county outline of thousands of points becomes a few hundred), the ends kept."""
    if len(points) <= 2:
        return points
    kept = [points[0]]
    for point in points[1:-1]:
        if math.dist(point, kept[-1]) >= tolerance:
            kept.append(point)
    kept.append(points[-1])
    return kept


def along(points: list[tuple[float, float]], fraction: float = 0.5) -> tuple[float, float]:
    """The point at `fraction` of a drawn line's length."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    total = sum(lengths)
    if total == 0:
        return points[0]
    goal = total * fraction
    for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
        if goal <= length and length > 0:
            t = goal / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        goal -= length
    return points[-1]


def centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """The centroid of a drawn ring (its vertices' mean when it has no area)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / (3 * area), cy / (3 * area)


def inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Whether a point lies inside a drawn ring (even-odd rule)."""
    x, y = point
    found = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def parts(geometry: Geometry) -> Iterator[tuple[str, Any]]:
    """A geometry's simple parts: ("Point", position), ("LineString", positions),
    ("Polygon", rings)."""
    kind, value = geometry.type, geometry.coordinates
    if kind in ("Point", "LineString", "Polygon"):
        yield kind, value
    else:
        for member in value:
            yield BASE_KINDS[kind], member
