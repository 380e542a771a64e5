"""Validation of where projects are and of the county's own map (issue 26).

- `location:` in a project file: a place name as before, or a mapping with the place name and
  either `coordinates: [longitude, latitude]` or `geometry:` a GeoJSON file under assets/ (a
  road as a line, a park as a polygon), and `crs: gcj02` (or `bd09`) for coordinates copied
  from a Chinese web map, converted to WGS84 here.
- `map:` in board.yaml: a base image (PNG or SVG under assets/) with the positions of its
  corners or two control points, or the county's outline from a GeoJSON file; its approval
  number (审图号) and source.
- between them: a place outside the map is an error at its line naming the project, with the
  likely slip as the hint (GCJ-02 coordinates without `crs: gcj02`, longitude and latitude
  swapped); projects without a place are named in one warning.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path, PurePosixPath
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from PIL import Image

from . import geo
from .errors import Pos
from .i18n import Msg, counted
from .load import Mapping, Node, Scalar, Sequence
from .model import BoardConfig, Geometry, MapSettings, Position, Project
from .validate import (
    NUMBER_RE,
    Checker,
    Field,
    Invalid,
    _chinese_quoted,
    _clean,
    _describe,
    _fields,
    bounded,
    narrow,
    parse_text,
)

LOCATION_LIMIT = 60  # the place name: as a plain `location:` text (validate.PROJECT_FIELDS)
LOCATION_FIELDS = _fields(
    Field("name", "地点名称", "text", limit=LOCATION_LIMIT),
    Field("coordinates", "坐标", "node"),
    Field("crs", "坐标系", "text"),
    Field("geometry", "范围文件", "text"),
)
MAP_FIELDS = _fields(
    Field("image", "底图", "text"),
    Field("top_left", "左上角", "node"),
    Field("bottom_right", "右下角", "node"),
    Field("control_points", "控制点", "node"),
    Field("boundary", "县界", "text"),
    Field("projection", "投影", "text"),
    Field("crs", "坐标系", "text"),
    Field("approval", "审图号", "text"),
    Field("source", "来源", "text"),
)
CONTROL_FIELDS = _fields(
    Field("pixel", "像素位置", "node", True),
    Field("coordinates", "经纬度", "node", True),
)
ASSET_PATH = re.compile(r"assets/[A-Za-z0-9._/-]+\Z")
GEOJSON_SUFFIXES = (".geojson", ".json")
IMAGE_SUFFIXES = (".png", ".svg")
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 100_000_000
GCJ_HINT_METRES = 2000  # a converted position this close to the map counts as the slip


def _title(spec: Field, prefix: str) -> str:
    return spec.title(prefix)


# -- paths under assets/ --------------------------------------------------------------------------


def asset_file(text: str, root: Path, suffixes: tuple[str, ...]) -> tuple[Path | None, Msg | None]:
    """The file a path names under the register's assets/, or why it cannot be used."""
    path = PurePosixPath(text)
    if not ASSET_PATH.match(text) or ".." in path.parts or path.suffix.lower() not in suffixes:
        return None, Msg("msg.geo.asset_path", value=text, suffixes=" ".join(suffixes))
    assets = (root / "assets").resolve()
    target = (root / text).resolve()
    if not target.is_relative_to(assets):
        return None, Msg("msg.geo.asset_outside", value=text)
    if not target.is_file():
        return None, Msg("msg.geo.asset_missing", value=text)
    return target, None


# -- coordinates ----------------------------------------------------------------------------------


def _coordinate(text: str) -> float | None:
    value = narrow(text).replace(" ", "")
    return float(value) if NUMBER_RE.match(value) else None


def parse_pair(node: Node) -> Position:
    """`[114.95, 36.38]`, or the text `114.95,36.38` a web map's coordinate picker copies:
    longitude first. Raises Invalid with the hint for a swapped pair."""
    texts: list[str] | None = None
    if isinstance(node, Sequence) and all(isinstance(i, Scalar) for i in node.items):
        texts = [i.value for i in node.items if isinstance(i, Scalar)]
    elif isinstance(node, Scalar):
        texts = re.split(r"\s*[,，、]\s*|\s+", narrow(node.value).strip())
    numbers = [_coordinate(t) for t in texts] if texts is not None else []
    if texts is None or len(numbers) != 2 or None in numbers:
        shown = _describe(node) if not isinstance(node, Scalar) else node.value.strip()
        raise Invalid(Msg("msg.geo.pair", value=shown), Msg("msg.geo.pair_hint"))
    lng, lat = numbers[0], numbers[1]
    assert lng is not None and lat is not None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        swapped = -180 <= lat <= 180 and -90 <= lng <= 90
        raise Invalid(
            Msg("msg.geo.range", lng=geo.degrees(lng), lat=geo.degrees(lat)),
            Msg("msg.geo.hint_swapped") if swapped else "",
        )
    return lng, lat


def parse_crs(text: str) -> str:
    value = text.strip().lower().replace("-", "").replace("_", "")
    value = {"cgcs2000": "wgs84", "epsg4326": "wgs84", "epsg4490": "wgs84"}.get(value, value)
    if value not in geo.CRS_NAMES:
        raise Invalid(Msg("msg.geo.crs", value=text), Msg("msg.geo.crs_hint"))
    return value


def _read_crs(c: Checker, values: dict[str, Any], found: dict[str, Pos], field: str) -> str | None:
    """The `crs:` read with its fields (WGS84 when not written), or None after an error at it."""
    if "crs" not in values or values["crs"] is Invalid:
        return "wgs84"
    try:
        return parse_crs(values["crs"])
    except Invalid as exc:
        c.error(found["crs"], field, exc.message, exc.hint)
        return None


def _converted(geometry: Geometry, crs: str) -> Geometry:
    """A geometry written in `crs`, in WGS84."""
    if crs == "wgs84":
        return geometry

    def walk(value: Any) -> Any:
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], float):
            return geo.to_wgs84(value[0], value[1], crs)
        return tuple(walk(v) for v in value)

    return Geometry(geometry.type, walk(geometry.coordinates), geometry.file, crs)


def read_geometry_file(
    text: str, root: Path, pos: Pos, field: str, c: Checker, what: Msg
) -> Geometry | None:
    """The geometry of a GeoJSON file under assets/, or None after recording the problem."""
    path, problem = asset_file(text, root, GEOJSON_SUFFIXES)
    if problem is not None or path is None:
        c.error(pos, field, problem or "", Msg("msg.geo.file_hint"))
        return None
    try:
        geometry = geo.read_geojson(path.read_bytes())
    except geo.GeoError as exc:
        c.error(
            pos,
            field,
            Msg("msg.geo.invalid", file=text, what=what, detail=exc.message),
            Msg("msg.geo.export_hint"),
        )
        return None
    except OSError as exc:
        c.error(pos, field, Msg("msg.geo.unreadable", file=text, reason=str(exc)))
        return None
    return Geometry(geometry.type, geometry.coordinates, text)


# -- location: in a project file -----------------------------------------------------------------


def read_location(
    node: Node, root: Path, positions: dict[str, Pos], c: Checker
) -> tuple[Any, Geometry | None]:
    """A project's `location`: its place name (or Invalid) and its geometry in WGS84."""
    head = "location (建设地点)"
    if isinstance(node, Scalar):  # a place name, read as every text field is
        try:
            name = bounded(parse_text(node), LOCATION_LIMIT)
        except Invalid as exc:
            c.error(node.pos, head, exc.message, exc.hint)
            return Invalid, None
        if _chinese_quoted(node.value):
            c.warn(
                node.pos, head, Msg("msg.slip.chinese_quotes"), Msg("msg.slip.fix_chinese_quotes")
            )
        return name, None
    if not isinstance(node, Mapping):
        c.error(node.pos, head, Msg("msg.geo.location_shape", value=_describe(node)))
        return Invalid, None
    values, found, _ = c.read(node, LOCATION_FIELDS, "location.")
    for key, pos in found.items():
        positions[f"location.{key}"] = pos
    name = values.get("name", "")
    crs = _read_crs(c, values, found, "location.crs (坐标系)")
    if crs is None:
        return name, None
    if "coordinates" in values and "geometry" in values:
        c.error(
            found["geometry:key"],
            "location.geometry (范围文件)",
            Msg("msg.geo.both"),
            Msg("msg.geo.both_hint"),
        )
        return name, None
    if "coordinates" in values:
        try:
            lng, lat = parse_pair(values["coordinates"])
        except Invalid as exc:
            c.error(found["coordinates"], "location.coordinates (坐标)", exc.message, exc.hint)
            return name, None
        return name, Geometry("Point", geo.to_wgs84(lng, lat, crs), "", crs)
    if "geometry" in values and values["geometry"] is not Invalid:
        geometry = read_geometry_file(
            values["geometry"],
            root,
            found["geometry"],
            "location.geometry (范围文件)",
            c,
            Msg("msg.geo.what_location"),
        )
        return name, _converted(geometry, crs) if geometry is not None else None
    if "crs" in values:
        c.error(found["crs"], "location.crs (坐标系)", Msg("msg.geo.crs_alone"))
    return name, None


# -- map: in board.yaml ---------------------------------------------------------------------------

UNSAFE_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
OUTSIDE_URL = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.IGNORECASE)
SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def svg_problem(data: bytes) -> tuple[Msg | None, tuple[float, float]]:
    """What makes an SVG unfit for a public page (scripts, event attributes, links out,
    entities), and its size (the viewBox's, else width and height)."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return Msg("msg.map.svg_unsafe", what="<!DOCTYPE>/<!ENTITY>"), (0, 0)
    try:
        root = SafeET.fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        return Msg("msg.map.image_bad", kind="SVG", detail=str(exc)), (0, 0)
    if _local(root.tag) != "svg":
        return Msg("msg.map.image_bad", kind="SVG", detail=_local(root.tag)), (0, 0)
    for element in root.iter():
        tag = _local(str(element.tag))
        if tag in UNSAFE_TAGS:
            return Msg("msg.map.svg_unsafe", what=f"<{tag}>"), (0, 0)
        for name, value in element.attrib.items():
            local = _local(name)
            if local.lower().startswith("on"):
                return Msg("msg.map.svg_unsafe", what=f"{local}="), (0, 0)
            if local == "href" and not (value.startswith("#") or SAFE_DATA.match(value)):
                return Msg("msg.map.svg_unsafe", what=f'href="{value[:40]}"'), (0, 0)
            if local == "style" and OUTSIDE_URL.search(value):
                return Msg("msg.map.svg_unsafe", what="style url()"), (0, 0)
        if tag == "style" and element.text and OUTSIDE_URL.search(element.text):
            return Msg("msg.map.svg_unsafe", what="<style> url()"), (0, 0)
    size = _svg_size(root)
    if size is None:
        return Msg("msg.map.svg_size"), (0, 0)
    return None, size


def _svg_size(root: Any) -> tuple[float, float] | None:  # an ElementTree element
    box = root.get("viewBox")
    if box:
        parts = re.split(r"[\s,]+", box.strip())
        try:
            w, h = float(parts[2]), float(parts[3])
        except (IndexError, ValueError):
            return None
        return (w, h) if w > 0 and h > 0 else None
    try:
        w = float(re.sub(r"px\Z", "", root.get("width", "").strip()))
        h = float(re.sub(r"px\Z", "", root.get("height", "").strip()))
    except ValueError:
        return None
    return (w, h) if w > 0 and h > 0 else None


def read_image(text: str, root: Path) -> tuple[dict[str, Any] | None, Msg | None]:
    """The base image's size and digest, or why it cannot be used."""
    path, problem = asset_file(text, root, IMAGE_SUFFIXES)
    if problem is not None or path is None:
        return None, problem
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None, Msg("msg.map.image_big", file=text, limit=f"{MAX_IMAGE_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        return None, Msg("msg.geo.unreadable", file=text, reason=str(exc))
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".svg":
        problem, (width, height) = svg_problem(data)
        if problem is not None:
            return None, problem
        return {"width": width, "height": height, "digest": digest}, None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return None, Msg("msg.map.image_bad", kind="PNG", detail=str(image.format))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return None, Msg("msg.map.image_pixels", file=text, width=width, height=height)
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a broken file
        return None, Msg("msg.map.image_bad", kind="PNG", detail=str(exc) or type(exc).__name__)
    return {"width": float(width), "height": float(height), "digest": digest}, None


def read_map(node: Node, root: Path, c: Checker) -> MapSettings | None:
    """board.yaml's `map:`; None after recording its problems."""
    values, pos, mapping = c.read(node, MAP_FIELDS, "map.", "mapping")
    if mapping is None:
        return None
    ok = c.ok(values, *MAP_FIELDS)
    settings: dict[str, Any] = {
        k: values[k] for k in ("approval", "source") if k in values and values[k] is not Invalid
    }
    projection = values.get("projection", "linear")
    if projection is not Invalid and projection not in geo.PROJECTIONS:
        c.error(
            pos["projection"], "map.projection (投影)", Msg("msg.map.projection", value=projection)
        )
        ok = False
    crs = _read_crs(c, values, pos, "map.crs (坐标系)")
    if crs is None:
        crs, ok = "wgs84", False
    if "boundary" in values and values["boundary"] is not Invalid:
        boundary = read_geometry_file(
            values["boundary"],
            root,
            pos["boundary"],
            "map.boundary (县界)",
            c,
            Msg("msg.geo.what_boundary"),
        )
        if boundary is not None and geo.BASE_KINDS[boundary.type] != "Polygon":
            c.error(
                pos["boundary"],
                "map.boundary (县界)",
                Msg("msg.map.boundary_kind", file=values["boundary"], value=boundary.type),
            )
            boundary = None
        if boundary is None:
            ok = False
        else:
            settings["boundary"] = _converted(boundary, crs)
    if "image" in values and values["image"] is not Invalid:
        found, problem = read_image(values["image"], root)
        if problem is not None or found is None:
            c.error(pos["image"], "map.image (底图)", problem or "", Msg("msg.map.image_hint"))
            ok = False
        else:
            frame = _image_frame(values, pos, found, projection, crs, mapping, c)
            if frame is None:
                ok = False
            else:
                settings.update(
                    image=values["image"],
                    image_width=found["width"],
                    image_height=found["height"],
                    digest=found["digest"],
                    bounds=(frame.west, frame.south, frame.east, frame.north),
                )
    elif any(k in values for k in ("top_left", "bottom_right", "control_points")):
        c.error(mapping.pos, "map.image (底图)", Msg("msg.map.frame_without_image"))
        ok = False
    if "image" not in values and "boundary" not in values:
        c.error(mapping.pos, "map (地图)", Msg("msg.map.nothing"), Msg("msg.map.nothing_hint"))
        ok = False
    if not ok:
        return None
    if not settings.get("approval"):
        c.warn(
            pos.get("approval", mapping.pos),
            "map.approval (审图号)",
            Msg("msg.map.no_approval"),
            Msg("msg.map.no_approval_hint"),
        )
    return MapSettings(projection=projection, **_clean(settings))


def _image_frame(
    values: dict[str, Any],
    pos: dict[str, Pos],
    image: dict[str, Any],
    projection: str,
    crs: str,
    mapping: Mapping,
    c: Checker,
) -> geo.Frame | None:
    """The image's frame from its corners or from two control points (converted from `crs`)."""
    width, height = image["width"], image["height"]
    corners = "top_left" in values or "bottom_right" in values
    if corners and "control_points" in values:
        c.error(
            pos["control_points:key"], "map.control_points (控制点)", Msg("msg.map.both_frames")
        )
        return None
    if corners:
        found: dict[str, Position] = {}
        for key in ("top_left", "bottom_right"):
            title = _title(MAP_FIELDS[key], "map.")
            if key not in values:
                c.error(
                    mapping.pos, title, Msg("msg.map.corner_missing"), Msg("msg.map.frame_hint")
                )
                return None
            try:
                found[key] = geo.to_wgs84(*parse_pair(values[key]), crs)
            except Invalid as exc:
                c.error(pos[key], title, exc.message, exc.hint)
                return None
        (west, north), (east, south) = found["top_left"], found["bottom_right"]
        if not (west < east and south < north):
            c.error(
                pos["bottom_right"],
                "map.bottom_right (右下角)",
                Msg(
                    "msg.map.corners_order",
                    top_left=f"{geo.degrees(west)}, {geo.degrees(north)}",
                    bottom_right=f"{geo.degrees(east)}, {geo.degrees(south)}",
                ),
            )
            return None
        return geo.Frame(west, south, east, north, width, height, projection)
    if "control_points" not in values:
        c.error(mapping.pos, "map.image (底图)", Msg("msg.map.no_frame"), Msg("msg.map.frame_hint"))
        return None
    node = values["control_points"]
    title = "map.control_points (控制点)"
    if not isinstance(node, Sequence) or len(node.items) != 2:
        c.error(pos["control_points"], title, Msg("msg.map.control_points", value=_describe(node)))
        return None
    points = []
    for i, item in enumerate(node.items, 1):
        cv, cp, _ = c.read(item, CONTROL_FIELDS, f"map.control_points[{i}].")
        if not c.ok(cv, "pixel", "coordinates") or "pixel" not in cv or "coordinates" not in cv:
            return None
        try:
            pixel = _pixel(cv["pixel"], width, height)
        except Invalid as exc:
            c.error(cp["pixel"], f"map.control_points[{i}].pixel (像素位置)", exc.message, exc.hint)
            return None
        try:
            where = geo.to_wgs84(*parse_pair(cv["coordinates"]), crs)
        except Invalid as exc:
            c.error(
                cp["coordinates"],
                f"map.control_points[{i}].coordinates (经纬度)",
                exc.message,
                exc.hint,
            )
            return None
        points.append((pixel, where))
    frame = geo.frame_from_control_points(tuple(points), width, height, projection)
    if frame is None:
        c.error(pos["control_points"], title, Msg("msg.map.control_degenerate"))
    return frame


def _pixel(node: Node, width: float, height: float) -> tuple[float, float]:
    if isinstance(node, Sequence) and len(node.items) == 2:
        numbers = [_coordinate(i.value) if isinstance(i, Scalar) else None for i in node.items]
        if None not in numbers:
            x, y = numbers[0], numbers[1]
            assert x is not None and y is not None
            if 0 <= x <= width and 0 <= y <= height:
                return x, y
            raise Invalid(
                Msg(
                    "msg.map.pixel_outside",
                    value=f"{x:g}, {y:g}",
                    width=f"{width:g}",
                    height=f"{height:g}",
                )
            )
    raise Invalid(Msg("msg.map.pixel", value=_describe(node)))


# -- between the map and the projects -------------------------------------------------------------


def _raw(position: Position, crs: str) -> Position:
    """A WGS84 position as the register wrote it in `crs`."""
    if crs == "gcj02":
        return geo.wgs84_to_gcj02(*position)
    if crs == "bd09":
        return geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(*position))
    return position


def outside_hint(frame: geo.Frame, position: Position, crs: str) -> Msg:
    """The likely slip when a position lies outside the map: the other coordinate system
    (GCJ-02 copied from 高德 without `crs: gcj02`, or the other way round), BD-09, or longitude
    and latitude swapped; otherwise where to look."""
    raw = _raw(position, crs)
    for other in geo.CRS_NAMES:
        if other == crs:
            continue
        moved = geo.to_wgs84(*raw, other)
        if frame.contains(*moved):
            metres = round(geo.distance_m(moved, position), -1)
            key = "msg.geo.hint_wgs84" if other == "wgs84" else f"msg.geo.hint_{other}"
            return Msg(key, metres=f"{metres:.0f}")
    if frame.contains(*geo.to_wgs84(raw[1], raw[0], crs)):
        return Msg("msg.geo.hint_swapped")
    return Msg("msg.geo.hint_outside")


def check_places(config: BoardConfig, projects: list[Project], c: Checker) -> None:
    """Every project's place against the county's map: outside it is an error."""
    if config.map is None:
        return
    frame = geo.map_frame(config.map)
    area = Msg(
        "msg.geo.area",
        west=f"{frame.west:.4f}",
        east=f"{frame.east:.4f}",
        south=f"{frame.south:.4f}",
        north=f"{frame.north:.4f}",
    )
    for project in projects:
        geometry = project.geometry
        if geometry is None:
            continue
        outside = [p for p in geometry.positions() if not frame.contains(*p)]
        if not outside:
            continue
        first = _raw(outside[0], geometry.crs)
        where = f"{geo.degrees(first[0])}, {geo.degrees(first[1])}"
        if geometry.file:
            c.error(
                project.positions.get("location.geometry", project.source),
                "location.geometry (范围文件)",
                Msg(
                    "msg.geo.outside_file",
                    name=project.name,
                    id=project.id,
                    file=geometry.file,
                    n=len(outside),
                    first=where,
                    area=area,
                ),
                outside_hint(frame, outside[0], geometry.crs),
            )
        else:
            c.error(
                project.positions.get("location.coordinates", project.source),
                "location.coordinates (坐标)",
                Msg("msg.geo.outside", name=project.name, id=project.id, value=where, area=area),
                outside_hint(frame, outside[0], geometry.crs),
            )


def warn_unplaced(config: BoardConfig, projects: tuple[Project, ...], c: Checker) -> None:
    """One warning naming every project without a place, when the register uses the map."""
    if config.map is None and not any(p.geometry for p in projects):
        return
    missing = [p for p in projects if p.geometry is None]
    if not missing:
        return
    pos = config.positions.get("map:key") or missing[0].source
    c.warn(
        pos,
        "location (建设地点)",
        Msg(
            "msg.geo.unplaced",
            n=counted(len(missing), "project"),
            names="、".join(f"{p.name}（{p.id}）" for p in missing[:10])
            + ("…" if len(missing) > 10 else ""),
        ),
        Msg("msg.geo.unplaced_hint"),
    )
