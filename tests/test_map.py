"""The county's map (issue 26): places read and checked, drawn where the coordinates say on the
site, the screen and the panel, and published as GeoJSON.

Renders go to artifacts/26/ for a person to look at.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from board import geo
from board.build import BuildResult, build, render_all
from board.errors import ContentError, Problem, Severity
from board.i18n import MESSAGES, Msg
from board.model import Month
from board.validate import check
from board.xlsx import import_workbook, template_workbook
from tests.conftest import (
    BOARD_YAML,
    CONTENT,
    axe_violations,
    copy_content,
    project_yaml,
    shoot,
    write_files,
)

SVG = "{http://www.w3.org/2000/svg}"
WEST, NORTH, EAST, SOUTH = 114.80, 36.50, 115.10, 36.26  # the scratch map's corners
IMAGE = (1000, 800)


# -- registers -------------------------------------------------------------------------------------


def map_yaml(extra: str = "", image: str = "assets/map/base.png") -> str:
    return (
        f"map:\n  image: {image}\n  top_left: [{WEST}, {NORTH}]\n  bottom_right: [{EAST}, {SOUTH}]\n"
        "  approval: 冀S(2020)012号\n  source: 县自然资源和规划局\n" + extra
    )


def located(pid: str, location: str, **fields: Any) -> str:
    """A project file whose `location:` is the given YAML block (indented two spaces)."""
    return project_yaml(pid, **fields) + "location:\n" + location


def map_register(root: Path, projects: dict[str, str], board_extra: str = "") -> Path:
    """A register with a 1000x800 PNG base map and the given projects (id → file text)."""
    files = {
        "board.yaml": BOARD_YAML + map_yaml() + board_extra,
        "reports/2020-09.yaml": "month: 2020-09\nprojects:\n"
        + "".join(f"  {pid}: {{percent: 70, progress: 施工}}\n" for pid in projects),
    }
    files.update({f"projects/{pid}.yaml": text for pid, text in projects.items()})
    write_files(root, files)
    (root / "assets" / "map").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", IMAGE, (240, 236, 220)).save(root / "assets" / "map" / "base.png")
    return root


def problems(root: Path) -> list[Problem]:
    try:
        return check(root)[1]
    except ContentError as exc:
        return exc.problems


def errors(root: Path) -> list[Problem]:
    return [p for p in problems(root) if p.severity is Severity.ERROR]


def expected_pixel(lng: float, lat: float, width: float, height: float) -> tuple[float, float]:
    """Where a WGS84 position lies on a linear map drawn width x height: the corners' bounds."""
    return (lng - WEST) / (EAST - WEST) * width, (NORTH - lat) / (NORTH - SOUTH) * height


def svg_of(html: str, marker: str = 'class="county-map') -> ET.Element:
    """The first inline SVG of a page whose class starts with `marker`, parsed as XML."""
    start = html.rindex("<svg", 0, html.index(marker))
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])


def pins(svg: ET.Element) -> dict[str, tuple[float, float]]:
    return {
        c.get("data-id", ""): (float(c.get("cx", 0)), float(c.get("cy", 0)))
        for c in svg.iter(f"{SVG}circle")
        if c.get("class") == "pin"
    }


# -- coordinate systems ----------------------------------------------------------------------------

# Published reference points of the GCJ-02 transform: googollee/eviltransform, python/test.py
# (https://github.com/googollee/eviltransform/blob/master/python/test.py), TESTS:
# wgsLat, wgsLng, gcjLat, gcjLng (Shanghai, Shenzhen, Beijing).
GCJ02_POINTS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]
# and TESTS_bd: bdLat, bdLng, wgsLat, wgsLng (Baidu's BD-09, near Hangzhou)
BD09_POINTS = [
    (29.199786, 120.019809, 29.196131605295484, 120.00877901149691),
    (29.210504, 120.036455, 29.206795749156136, 120.0253853970846),
]


@pytest.mark.parametrize("wgs_lat, wgs_lng, gcj_lat, gcj_lng", GCJ02_POINTS)
def test_gcj02_conversion_matches_the_published_points(
    wgs_lat: float, wgs_lng: float, gcj_lat: float, gcj_lng: float
) -> None:
    lng, lat = geo.wgs84_to_gcj02(wgs_lng, wgs_lat)
    assert (lng, lat) == pytest.approx((gcj_lng, gcj_lat), abs=1e-7)
    # the inverse is iterated to below a millimetre, not the usual one-step guess (metres off)
    back = geo.gcj02_to_wgs84(gcj_lng, gcj_lat)
    assert geo.distance_m(back, (wgs_lng, wgs_lat)) < 0.01
    assert geo.to_wgs84(gcj_lng, gcj_lat, "gcj02") == back
    # what the mistake costs: a few hundred metres
    assert 300 < geo.distance_m((gcj_lng, gcj_lat), (wgs_lng, wgs_lat)) < 800


@pytest.mark.parametrize("bd_lat, bd_lng, wgs_lat, wgs_lng", BD09_POINTS)
def test_bd09_conversion_is_near_the_published_points(
    bd_lat: float, bd_lng: float, wgs_lat: float, wgs_lng: float
) -> None:
    # BD-09's public formula approximates Baidu's own transform to some tens of metres
    found = geo.to_wgs84(bd_lng, bd_lat, "bd09")
    assert geo.distance_m(found, (wgs_lng, wgs_lat)) < 50
    # and it is inverted exactly: back to the BD-09 position within a centimetre
    again = geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(*found))
    assert geo.distance_m(again, (bd_lng, bd_lat)) < 0.01


def test_outside_china_no_position_is_shifted() -> None:
    for lng, lat in ((2.35, 48.85), (-74.0, 40.7), (139.9, 35.7)):
        assert geo.gcj02_to_wgs84(lng, lat) == (lng, lat) == geo.wgs84_to_gcj02(lng, lat)


@pytest.mark.parametrize("projection", ["linear", "mercator"])
def test_two_control_points_give_the_frame_of_the_corners(projection: str) -> None:
    frame = geo.Frame(WEST, SOUTH, EAST, NORTH, *IMAGE, projection)
    points = tuple((p, frame.lnglat(*p)) for p in ((120.0, 95.0), (870.0, 710.0)))
    found = geo.frame_from_control_points(points, *IMAGE, projection)
    assert found is not None
    assert (found.west, found.south, found.east, found.north) == pytest.approx(
        (WEST, SOUTH, EAST, NORTH), abs=1e-9
    )
    # a mirrored or rotated image is refused
    assert geo.frame_from_control_points((points[1], points[0][:1] + points[1][1:]), *IMAGE) is None


# -- reading and checking --------------------------------------------------------------------------


def test_places_are_read_in_each_spelling(tmp_path: Path) -> None:
    gcj = geo.wgs84_to_gcj02(114.95, 36.40)
    root = map_register(
        tmp_path / "content",
        {
            "a": located("a", "  name: 北区\n  coordinates: [114.9, 36.3]\n", order=1),
            "b": located(
                "b", f"  name: 南区\n  coordinates: {gcj[0]:.6f},{gcj[1]:.6f}\n  crs: gcj02\n"
            ),
            "c": project_yaml("c", location="骆庄园区"),
            "d": located("d", "  name: 第四疃镇\n  coordinates: １１５．０，３６．４\n"),
        },
    )
    register, warnings = check(root)
    by_id = {p.id: p for p in register.projects}
    assert by_id["a"].location == "北区" and by_id["a"].geometry.coordinates == (114.9, 36.3)
    # six decimals, as a picker copies them: within 0.2 m
    assert geo.distance_m(by_id["b"].geometry.coordinates, (114.95, 36.40)) < 0.2
    assert by_id["b"].geometry.crs == "gcj02"
    assert by_id["c"].location == "骆庄园区" and by_id["c"].geometry is None
    assert by_id["d"].geometry.coordinates == (115.0, 36.4)  # fullwidth digits and comma
    (unplaced,) = [
        w for w in warnings if isinstance(w.message, Msg) and "unplaced" in w.message.key
    ]
    assert unplaced.pos.file.endswith("board.yaml")
    assert "1个项目没有坐标，地图上不显示：项目c（c）" in unplaced.text("zh-CN")
    assert "1 project without coordinates, not on the map: 项目c（c）" in unplaced.text("en")


def test_a_place_outside_the_map_is_an_error_at_its_line_naming_the_project(
    tmp_path: Path,
) -> None:
    # a point just inside the map's east edge, copied from 高德 (GCJ-02) without `crs: gcj02`:
    # the shift carries it some 500 m east, off the map
    inside = (EAST - 0.003, 36.40)
    gcj = geo.wgs84_to_gcj02(*inside)
    assert gcj[0] > EAST
    root = map_register(
        tmp_path / "content",
        {
            "a": located("a", f"  name: 东区\n  coordinates: [{gcj[0]:.6f}, {gcj[1]:.6f}]\n"),
            "b": located("b", "  name: 远处\n  coordinates: [116.5, 39.9]\n"),
            "c": located("c", "  name: 写反\n  coordinates: [36.40, 114.90]\n"),
            "d": located("d", "  name: 北区\n  coordinates: [114.95, 36.40]\n"),
        },
    )
    found = {p.pos.file.rsplit("/", 1)[-1]: p for p in errors(root)}
    assert sorted(found) == ["a.yaml", "b.yaml", "c.yaml"]
    a = found["a.yaml"]
    assert (a.pos.line, a.pos.col) == (9, 16)  # the value of `coordinates:`
    assert a.field == "location.coordinates (坐标)"
    zh, en = a.text("zh-CN"), a.text("en")
    assert "项目“项目a”（a）的位置" in zh and "在县地图范围" in zh
    assert "crs: gcj02" in zh and "GCJ-02" in zh and "偏移约" in zh
    assert "the place of project 项目a (a)" in en and "add crs: gcj02 under location" in en
    assert "check the coordinates" in found["b.yaml"].text("en")  # far away: no GCJ-02 hint
    assert "swapped" in found["c.yaml"].text("en")
    assert "写反" in found["c.yaml"].text("zh-CN")


def test_gcj02_written_for_wgs84_coordinates_is_told_too(tmp_path: Path) -> None:
    # WGS84 coordinates just inside the west edge, marked gcj02: converted, they move some
    # 500 m west, off the map
    root = map_register(
        tmp_path / "content",
        {"a": located("a", f"  coordinates: [{WEST + 0.001}, 36.40]\n  crs: gcj02\n")},
    )
    (problem,) = errors(root)
    assert "without the crs line it lies on the map" in problem.text("en")
    assert "去掉 crs 这一行就在地图范围内" in problem.text("zh-CN")


GEOJSON_CASES = {
    "syntax": (
        '{"type": "LineString",\n "coordinates": [[114.9, 36.3] [114.95, 36.35]]}',
        "line 2, column 32",
    ),
    "open ring": (
        '{"type": "Polygon", "coordinates": [[[114.9,36.3],[114.95,36.3],[114.95,36.35],[114.9,36.35]]]}',
        "must end where it starts",
    ),
    "short line": (
        '{"type": "LineString", "coordinates": [[114.9, 36.3]]}',
        "at least 2 positions",
    ),
    "unknown type": ('{"type": "Circle", "coordinates": [114.9, 36.3]}', "type must be one of"),
    "metres": (
        '{"type": "Point", "coordinates": [38512345.2, 4021345.7]}',
        "looks like projected coordinates in metres",
    ),
    "projected crs": (
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
        '"urn:ogc:def:crs:EPSG::4547"}}, "features": []}',
        "is not longitude and latitude",
    ),
    "geometry collection": (
        '{"type": "GeometryCollection", "geometries": []}',
        "GeometryCollection",
    ),
    "mixed": (
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [114.9, 36.3]}},'
        '{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", '
        '"coordinates": [[114.9, 36.3], [114.95, 36.35]]}}]}',
        "are mixed",
    ),
    "nan": ('{"type": "Point", "coordinates": [NaN, 36.3]}', "not JSON"),
    "no geometry": ('{"type": "Feature", "properties": {}, "geometry": null}', "has no geometry"),
}


@pytest.mark.parametrize("case", list(GEOJSON_CASES))
def test_a_geometry_that_is_not_valid_geojson_is_refused(tmp_path: Path, case: str) -> None:
    text, said = GEOJSON_CASES[case]
    root = map_register(
        tmp_path / "content",
        {"a": located("a", "  name: 快速通道\n  geometry: assets/map/a.geojson\n")},
    )
    (root / "assets" / "map" / "a.geojson").write_text(text, encoding="utf-8")
    (problem,) = errors(root)
    assert problem.pos.file.endswith("a.yaml") and problem.pos.line == 9
    assert problem.field == "location.geometry (范围文件)"
    en = problem.text("en")
    assert "assets/map/a.geojson (the project's place) is not valid GeoJSON" in en
    assert said in en, en
    assert "不是有效的GeoJSON" in problem.text("zh-CN")


@pytest.mark.parametrize(
    "path, said",
    [
        ("assets/map/none.geojson", "there is no file assets/map/none.geojson"),
        ("../outside.geojson", "expected a file under assets/"),
        ("assets/map/../../x.geojson", "expected a file under assets/"),
        ("assets/map/road.kml", "expected a file under assets/"),
    ],
)
def test_a_geometry_file_must_be_under_assets(tmp_path: Path, path: str, said: str) -> None:
    root = map_register(tmp_path / "content", {"a": located("a", f"  geometry: {path}\n")})
    (problem,) = errors(root)
    assert said in problem.text("en")


def test_a_line_and_a_polygon_off_the_map_are_refused_naming_the_file(tmp_path: Path) -> None:
    root = map_register(
        tmp_path / "content",
        {"a": located("a", "  name: 快速通道\n  geometry: assets/map/road.geojson\n")},
    )
    road = {"type": "LineString", "coordinates": [[114.9, 36.3], [115.2, 36.3], [115.3, 36.3]]}
    (root / "assets" / "map" / "road.geojson").write_text(json.dumps(road), encoding="utf-8")
    (problem,) = errors(root)
    assert "2 positions of assets/map/road.geojson, the place of project 项目a (a)" in problem.text(
        "en"
    )
    assert "the first is 115.2, 36.3" in problem.text("en")


@pytest.mark.parametrize(
    "board_extra, said",
    [
        (
            "  control_points: []\n",
            "give either the corners (top_left, bottom_right) or control_points",
        ),
        ("  projection: albers\n", "projection must be linear"),
    ],
)
def test_map_settings_are_checked(tmp_path: Path, board_extra: str, said: str) -> None:
    root = map_register(tmp_path / "content", {"a": project_yaml("a")})
    board = root / "board.yaml"
    board.write_text(BOARD_YAML + map_yaml(board_extra), encoding="utf-8")
    assert any(said in p.text("en") for p in errors(root)), [p.text("en") for p in errors(root)]


@pytest.mark.parametrize(
    "map_text, said",
    [
        ("map:\n  approval: 示例\n", "map needs a base image (image) or the county's outline"),
        ("map:\n  image: assets/map/base.png\n", "a base image needs its frame"),
        (
            "map:\n  image: assets/map/base.png\n  top_left: [115.1, 36.26]\n  bottom_right: [114.8, 36.5]\n",
            "must lie north-west of the bottom right one",
        ),
        (
            "map:\n  image: assets/map/base.gif\n  top_left: [114.8, 36.5]\n",
            "expected a file under assets/",
        ),
        (
            "map:\n  image: assets/map/base.png\n  control_points:\n"
            "    - {pixel: [0, 0], coordinates: [114.8, 36.5]}\n"
            "    - {pixel: [2000, 10], coordinates: [115.1, 36.26]}\n",
            "lies outside the image (1000×800 pixels)",
        ),
        (
            "map:\n  image: assets/map/base.png\n  control_points:\n"
            "    - {pixel: [0, 0], coordinates: [114.8, 36.26]}\n"
            "    - {pixel: [1000, 800], coordinates: [115.1, 36.5]}\n",
            "do not describe a north-up image",
        ),
        ("map:\n  boundary: assets/map/line.geojson\n", "must be a Polygon or MultiPolygon"),
    ],
)
def test_a_map_that_cannot_be_drawn_is_an_error(tmp_path: Path, map_text: str, said: str) -> None:
    root = map_register(tmp_path / "content", {"a": project_yaml("a")})
    (root / "assets" / "map" / "line.geojson").write_text(
        '{"type": "LineString", "coordinates": [[114.9, 36.3], [115.0, 36.4]]}', encoding="utf-8"
    )
    (root / "board.yaml").write_text(BOARD_YAML + map_text, encoding="utf-8")
    found = [p.text("en") for p in errors(root)]
    assert any(said in text for text in found), found


@pytest.mark.parametrize(
    "svg, said",
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>',
            "<script>",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>',
            "onload=",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'viewBox="0 0 10 10"><image xlink:href="https://evil.example/x.png"/></svg>',
            'href="https://evil.example',
        ),
        ('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "no viewBox"),
    ],
)
def test_an_svg_base_map_that_could_run_or_fetch_is_refused(
    tmp_path: Path, svg: str, said: str
) -> None:
    root = map_register(tmp_path / "content", {"a": project_yaml("a")})
    (root / "assets" / "map" / "base.svg").write_text(svg, encoding="utf-8")
    (root / "board.yaml").write_text(
        BOARD_YAML + map_yaml(image="assets/map/base.svg"), encoding="utf-8"
    )
    found = [p.text("en") for p in errors(root)]
    assert any(said in text for text in found), found


def test_without_approval_number_or_map_the_office_is_warned(tmp_path: Path) -> None:
    root = map_register(tmp_path / "content", {"a": project_yaml("a")})
    (root / "board.yaml").write_text(
        BOARD_YAML + map_yaml().replace("  approval: 冀S(2020)012号\n", ""), encoding="utf-8"
    )
    texts = [p.text("zh-CN") for p in problems(root)]
    assert any("地图没有写审图号" in t for t in texts), texts
    (root / "board.yaml").write_text(BOARD_YAML + "panel:\n  map: true\n", encoding="utf-8")
    texts = [p.text("en") for p in problems(root)]
    assert any("panel.map is set but board.yaml has no map" in t for t in texts), texts


def test_the_main_messages_in_chinese_name_the_field_and_the_fix(tmp_path: Path) -> None:
    root = map_register(
        tmp_path / "content",
        {
            "a": located("a", "  coordinates: [114.9]\n"),
            "b": located("b", "  coordinates: [114.9, 36.3]\n  crs: wgs-85\n"),
            "c": located("c", "  coordinates: [114.9, 36.3]\n  geometry: assets/map/x.geojson\n"),
        },
    )
    texts = sorted(p.text("zh-CN") for p in errors(root))
    assert texts[0].endswith(
        "坐标（location.coordinates）: 应为经度、纬度两个数（先经度后纬度），如 [114.95, 36.38]，现为列表"
        "（网络地图坐标拾取器复制的“114.95,36.38”也可以直接填写）"
    ), texts[0]
    assert "坐标系（location.crs）: 坐标系应为 wgs84、gcj02 或 bd09，现为wgs-85" in texts[1]
    assert "坐标（coordinates）和范围文件（geometry）只能写一种" in texts[2]
    for key in [k for k in MESSAGES if k.startswith(("msg.geo.", "msg.map."))]:
        assert MESSAGES[key][0] != MESSAGES[key][1]


def test_without_a_map_nothing_is_drawn_and_nothing_is_said(scratch: Path, tmp_path: Path) -> None:
    register, warnings = check(scratch)
    assert register.config.map is None and all(p.geometry is None for p in register.projects)
    assert not [w for w in warnings if "geo" in getattr(w.message, "key", "")]
    files, _, _ = render_all(scratch, stages=("data", "screen", "site"))
    assert not [n for n in files if "map" in n or n.endswith(".geojson")]
    assert 'class="page page-map"' not in files["screen/index.html"].decode("utf-8")
    assert "county-map" not in files["site/index.html"].decode("utf-8")


# -- drawn where the coordinates say ----------------------------------------------------------------

POINTS = {"a": (114.81, 36.49), "b": (115.09, 36.27), "c": (114.95, 36.38), "d": (114.96, 36.381)}


@pytest.fixture(scope="module")
def placed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """Four projects at known places, one given in GCJ-02, one a road; data, screen and site."""
    root = tmp_path_factory.mktemp("placed") / "content"
    projects = {}
    for pid, (lng, lat) in POINTS.items():
        if pid == "d":  # written as 高德 shows it
            g = geo.wgs84_to_gcj02(lng, lat)
            projects[pid] = located(pid, f"  coordinates: [{g[0]:.7f}, {g[1]:.7f}]\n  crs: gcj02\n")
        else:
            projects[pid] = located(pid, f"  coordinates: [{lng}, {lat}]\n")
    projects["e"] = located("e", "  name: 快速通道\n  geometry: assets/map/road.geojson\n")
    map_register(root, projects)
    road = {"type": "LineString", "coordinates": [[114.85, 36.30], [114.90, 36.35], [115.0, 36.45]]}
    (root / "assets" / "map" / "road.geojson").write_text(json.dumps(road), encoding="utf-8")
    files, _, _ = render_all(root, stages=("data", "screen", "site"))
    return root, files


def test_pins_are_where_the_coordinates_say_on_the_site_and_the_screen(placed) -> None:
    _, files = placed
    site = svg_of(files["site/map/index.html"].decode("utf-8"))
    screen = svg_of(files["screen/index.html"].decode("utf-8"))
    for svg in (site, screen):
        _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
        assert width / height == pytest.approx(IMAGE[0] / IMAGE[1], rel=1e-3)
        found = pins(svg)
        assert sorted(found) == ["a", "b", "c", "d"]
        for pid, (lng, lat) in POINTS.items():
            x, y = expected_pixel(lng, lat, width, height)
            assert math.dist(found[pid], (x, y)) < 1.0, (pid, found[pid], (x, y))
        # the road: its path's vertices where its positions are
        (road,) = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "shape shape-line"]
        path = road.find(f"{SVG}path")
        assert path is not None
        vertices = [
            tuple(map(float, v.split(","))) for v in re.findall(r"[\d.]+,[\d.]+", path.get("d", ""))
        ]
        assert math.dist(vertices[0], expected_pixel(114.85, 36.30, width, height)) < 1.0
        assert math.dist(vertices[-1], expected_pixel(115.0, 36.45, width, height)) < 1.0
        # each badge: the legend's symbol and the rank, on the status colour
        for badge in (g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith("badge")):
            text = "".join(badge.find(f"{SVG}text").itertext())  # type: ignore[union-attr]
            assert text[0] in "●◐×✓○" and text[1:] == badge.get("data-rank")


def test_site_pins_link_to_project_pages_and_the_list_says_it_all(placed) -> None:
    _, files = placed
    html = files["site/map/index.html"].decode("utf-8")
    svg = svg_of(html)
    assert svg.get("aria-hidden") == "true"
    links = {a.get("href") for a in svg.iter(f"{SVG}a")}
    assert links == {f"../projects/{pid}/index.html" for pid in "abcde"}
    assert all(a.get("tabindex") == "-1" for a in svg.iter(f"{SVG}a"))
    listed = re.findall(
        r'<li><span class="map-rank">(\d+)</span>.*?href="\.\./projects/(\w)/', html
    )
    data = json.loads(files["site/data/board.json"])
    assert [pid for _, pid in listed] == data["ranking"]
    assert "审图号：冀S(2020)012号" in html and "来源：县自然资源和规划局" in html
    assert 'src="../map/map.js"' in html and files["site/map/map.js"].startswith(b"/*")
    assert Image.open(io.BytesIO(files["site/map/base.png"])).size == IMAGE
    # the board page's overview and the link to the map in every page's navigation
    index = files["site/index.html"].decode("utf-8")
    assert 'class="county-map overview"' in index and 'href="map/index.html"' in index


def test_names_are_escaped_in_the_svg(tmp_path: Path) -> None:
    hostile = '"><script>alert(1)</script><text x="0">&amp;'
    root = map_register(
        tmp_path / "content",
        {"a": located("a", "  coordinates: [114.9, 36.3]\n", name=json.dumps(hostile))},
    )
    files, _, _ = render_all(root, stages=("screen", "site"))
    for name in ("site/map/index.html", "screen/index.html"):
        svg = svg_of(files[name].decode("utf-8"))  # still well-formed XML
        assert not list(svg.iter(f"{SVG}script"))
        titles = ["".join(t.itertext()) for t in svg.iter(f"{SVG}title")]
        assert any(hostile in title for title in titles)


def test_an_outline_without_an_image_is_drawn(tmp_path: Path) -> None:
    root = map_register(
        tmp_path / "content", {"a": located("a", "  coordinates: [114.95, 36.38]\n")}
    )
    shutil.copy(CONTENT / "assets" / "map" / "county-boundary.geojson", root / "assets" / "map")
    (root / "board.yaml").write_text(
        BOARD_YAML + "map:\n  boundary: assets/map/county-boundary.geojson\n  approval: 示例\n",
        encoding="utf-8",
    )
    files, _, _ = render_all(root, stages=("data", "screen", "site"))
    svg = svg_of(files["site/map/index.html"].decode("utf-8"))
    assert not list(svg.iter(f"{SVG}image"))
    (outline,) = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "outline"]
    assert outline.get("d", "").endswith("Z")
    assert "site/map/base.png" not in files and "page-map" in files["screen/index.html"].decode()
    # the frame is the outline's extent and a margin: the point is inside the drawing
    ((x, y),) = pins(svg).values()
    _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
    assert 0 < x < width and 0 < y < height


# -- open data -------------------------------------------------------------------------------------


def check_rfc7946(data: dict[str, Any]) -> None:
    """The structure RFC 7946 requires of a FeatureCollection, checked member by member."""
    assert data["type"] == "FeatureCollection" and isinstance(data["features"], list)
    assert "crs" not in data  # RFC 7946: WGS84 longitude, latitude only

    def position(p: Any) -> None:
        assert isinstance(p, list) and len(p) in (2, 3), p
        assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
        assert -180 <= p[0] <= 180 and -90 <= p[1] <= 90
        assert all(len(f"{v}".partition(".")[2]) <= 6 for v in p[:2]), p  # about 0.1 m

    def ring(r: list, exterior: bool) -> None:
        assert len(r) >= 4 and r[0] == r[-1]
        for p in r:
            position(p)
        area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(r))
        assert (area > 0) == exterior, "right-hand rule: exterior counterclockwise, holes clockwise"

    def polygon(rings: list) -> None:
        for i, r in enumerate(rings):
            ring(r, i == 0)

    checks = {
        "Point": position,
        "MultiPoint": lambda c: [position(p) for p in c],
        "LineString": lambda c: len(c) >= 2 and [position(p) for p in c],
        "MultiLineString": lambda c: [len(line) >= 2 and [position(p) for p in line] for line in c],
        "Polygon": polygon,
        "MultiPolygon": lambda c: [polygon(p) for p in c],
    }
    positions = []
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id"), str)
        geometry = feature["geometry"]
        assert geometry["type"] in checks
        checks[geometry["type"]](geometry["coordinates"])
        positions.extend(
            geo.Geometry(geometry["type"], _tuples(geometry["coordinates"])).positions()
        )
    if positions:
        west, south, east, north = data["bbox"]
        assert all(west <= x <= east and south <= y <= north for x, y in positions)


def _tuples(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], int | float):
        return tuple(value)
    return tuple(_tuples(v) for v in value)


def test_the_geojson_is_rfc_7946_with_the_status_of_the_month(example_build: BuildResult) -> None:
    data = json.loads(example_build.files["site/data/projects.geojson"])
    check_rfc7946(data)
    board = json.loads(example_build.files["site/data/board.json"])
    by_id = {p["id"]: p for p in board["projects"]}
    assert [f["id"] for f in data["features"]] == board["ranking"]  # every example project
    kinds = {f["id"]: f["geometry"]["type"] for f in data["features"]}
    assert kinds["henantuan-daolu"] == "LineString" and kinds["luozhuang-shipin"] == "Polygon"
    for feature in data["features"]:
        props = feature["properties"]
        project = by_id[feature["id"]]
        for key in ("name", "status", "status_label", "rank", "percent", "planned"):
            assert props[key] == project[key], key
        assert props["month"] == "2020-09"
        assert (
            props["page"] == f"https://www.example.gov.cn/zdxm/projects/{feature['id']}/index.html"
        )
    # the GCJ-02 coordinates of beiqu-wushui are published in WGS84
    (wushui,) = [f for f in data["features"] if f["id"] == "beiqu-wushui"]
    assert geo.distance_m(tuple(wushui["geometry"]["coordinates"]), (114.9245, 36.3955)) < 0.5
    # OC4IDS says every place as the GeoJSON does (locations[].geometry)
    oc4ids = json.loads(example_build.files["site/data/oc4ids.json"])
    places = {
        p["identifiers"][0]["id"]: p["locations"][0]
        for p in oc4ids["projects"]
        if p.get("locations")
    }
    for feature in data["features"]:
        assert places[feature["id"]]["geometry"] == feature["geometry"], feature["id"]
    assert places["beiqu-wushui"]["description"] == "北区"


def test_the_workbook_keeps_coordinates_when_it_updates_a_project(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "content")
    register, _ = check(root)
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(register, [Month(2020, 9)])))
    sheet = wb["项目"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "beiqu-gongshui")
    row[header.index("建设地点")].value = "北区东部"
    book = tmp_path / "book.xlsx"
    wb.save(book)
    import_workbook(book, root, update=True)
    after, _ = check(root)
    project = after.project("beiqu-gongshui")
    assert project.location == "北区东部"
    assert project.geometry == register.project("beiqu-gongshui").geometry


# -- in the browser ----------------------------------------------------------------------------------

MIN_TEXT_JS = """() => {
  const page = document.querySelector('.page:not([hidden])');
  let min = Infinity, where = '';
  const walker = document.createTreeWalker(page, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    // SVG text may be scaled by its viewBox: its drawn height says what a reader sees
    const drawn = el.closest('svg') ? el.getBoundingClientRect().height / 1.2 : size;
    const seen = Math.min(size, drawn);
    if (seen < min) { min = seen; where = walker.currentNode.textContent.trim().slice(0, 20); }
  }
  return [min, where];
}"""

LIST_JS = """() => [...document.querySelectorAll('.page-map')].flatMap((p) =>
  [...p.querySelectorAll('.map-item')].map((li) => li.dataset.id))"""

FITS_JS = """() => {
  const page = document.querySelector('.page:not([hidden])'), bad = [];
  const box = page.getBoundingClientRect();
  for (const el of page.querySelectorAll('.map-figure, .map-list, .map-item, .map-caption, svg')) {
    const r = el.getBoundingClientRect();
    if (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1) bad.push(el.className.baseVal ?? el.className);
  }
  for (const el of page.querySelectorAll('.map-list, .map-column, .map-caption')) {
    if (el.scrollHeight > el.clientHeight + 2) bad.push('overflows: ' + el.className);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def big_with_map(big_register: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The 40 long-named projects placed on the example's map (two left without a place)."""
    root = tmp_path_factory.mktemp("bigmap") / "content"
    shutil.copytree(big_register, root)
    shutil.copytree(CONTENT / "assets", root / "assets", dirs_exist_ok=True)
    board = (CONTENT / "board.yaml").read_text(encoding="utf-8")
    (root / "board.yaml").write_text(
        (root / "board.yaml").read_text(encoding="utf-8") + "\n" + board[board.index("map:") :],
        encoding="utf-8",
    )
    for i, path in enumerate(sorted((root / "projects").glob("*.yaml"))):
        if i in (7, 23):
            continue
        text = path.read_text(encoding="utf-8")
        lng = 114.84 + (i * 37 % 100) / 100 * 0.22
        lat = 36.27 + (i * 53 % 100) / 100 * 0.19
        text = re.sub(
            r"^location: (.*)$",
            rf"location:\n  name: \1\n  coordinates: [{lng:.4f}, {lat:.4f}]",
            text,
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")
    return build(root, root.parent / "output", stages=("data", "screen", "site"))


@pytest.mark.browser
@pytest.mark.parametrize("register", ["example", "big"])
def test_the_screen_map_page_at_1080_has_no_text_under_24_px(
    browser: Any,
    example_build: BuildResult,
    big_with_map: BuildResult,
    artifacts: Path,
    register: str,
) -> None:
    result = example_build if register == "example" else big_with_map
    folder = artifacts / "26"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((result.out_dir / "screen" / "index.html").as_uri() + "?now=2020-10-05T10:00:00")
    kinds = page.evaluate("[...document.querySelectorAll('.page')].map((p) => p.className)")
    indexes = [i for i, kind in enumerate(kinds) if "page-map" in kind]
    assert indexes, "the map is a page of the rotation"
    assert indexes[0] == 1 + max(i for i, k in enumerate(kinds) if "page-ranking" in k)
    for n, index in enumerate(indexes, 1):
        page.evaluate(f"boardScreen.show({index})")
        smallest, where = page.evaluate(MIN_TEXT_JS)
        assert smallest >= 24 - 0.01, f"{where!r} is {smallest}px"
        assert page.evaluate(FITS_JS) == []
        assert page.locator(".page:not([hidden]) svg.county-map circle.pin").count() > 0
        shoot(page, folder / f"screen-map-{register}-{n}.png")
    listed = page.evaluate(LIST_JS)
    board = json.loads(result.files["site/data/board.json"])
    assert listed == board["ranking"], "every project once, in ranking order"
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_the_site_map_page_is_clean_for_axe(
    browser: Any, example_build: BuildResult, artifacts: Path, width: int
) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto((example_build.out_dir / "site" / "map" / "index.html").resolve().as_uri())
    result = axe_violations(tab)
    (artifacts / "26").mkdir(exist_ok=True)
    shoot(tab, artifacts / "26" / f"site-map-{width}.png", full_page=True)
    context.close()
    assert result == []


@pytest.mark.browser
def test_the_zoom_works_offline_under_the_csp_and_keyboard_users_have_the_list(
    browser: Any, example_build: BuildResult
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    messages: list[str] = []
    requests: list[str] = []
    tab.on("console", lambda m: messages.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto((example_build.out_dir / "site" / "map" / "index.html").resolve().as_uri())
    assert tab.locator("#map-controls").is_visible()
    before = tab.locator("#map-frame svg").get_attribute("viewBox")
    tab.get_by_role("button", name="放大").click()
    zoomed = tab.locator("#map-frame svg").get_attribute("viewBox")
    assert zoomed != before
    w0, w1 = float(before.split()[2]), float(zoomed.split()[2])  # type: ignore[union-attr]
    assert w1 == pytest.approx(w0 / 1.6, rel=1e-3)
    tab.get_by_role("button", name="放大").press("ArrowRight")
    assert tab.locator("#map-frame svg").get_attribute("viewBox") != zoomed
    tab.get_by_role("button", name="全图").click()
    reset = tab.locator("#map-frame svg").get_attribute("viewBox")
    assert [float(v) for v in reset.split()] == [float(v) for v in before.split()]  # type: ignore[union-attr]
    # the keyboard reaches every project through the list, not through the map's pins
    tab.keyboard.press("Tab")
    focused = []
    for _ in range(60):
        tab.keyboard.press("Tab")
        focused.append(
            tab.evaluate(
                "document.activeElement.closest('svg') ? 'svg' : document.activeElement.getAttribute('href')"
            )
        )
    assert "svg" not in focused
    assert sum(1 for f in focused if f and f.startswith("../projects/")) >= 16
    context.close()
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m], messages
    assert all(r.startswith("file://") for r in requests), requests


# -- the panel's inset and the sheets' locators ---------------------------------------------------------


@pytest.fixture(scope="module")
def panel_with_map(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example's September alone (only its panel and sheets are read), printed with the
    panel's map inset."""
    root = copy_content(tmp_path_factory.mktemp("inset") / "content", months=1)
    board = root / "board.yaml"
    board.write_text(
        board.read_text(encoding="utf-8").replace("  bleed: 3mm\n", "  bleed: 3mm\n  map: true\n"),
        encoding="utf-8",
    )
    return build(root, root.parent / "output", stages=("data", "print"))


def _images(path: Path) -> list[list[str]]:
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [line.split() for line in listing[2:]]


@pytest.mark.slow
def test_the_panel_has_the_inset_at_print_resolution(
    panel_with_map: BuildResult, artifacts: Path
) -> None:
    panel = panel_with_map.out_dir / "print" / "panel-2020-09.pdf"
    (page,) = PdfReader(panel).pages
    text = page.extract_text()
    compact = re.sub(r"\s+", "", text)
    assert "项目分布图" in compact and "审图号：示例底图，非标准地图" in compact
    assert "图中数字为本月进度排名" in compact
    # the base map, embedded once as an image at 72-150 dpi of the panel (large-format print)
    (image,) = [row for row in _images(panel) if row[2] == "image"]
    width, x_ppi = int(image[3]), int(image[12])
    assert width <= 2400  # never more pixels than the base image has
    assert 72 <= x_ppi <= 151, image
    # the badges are text: every rank of the ranking is drawn on the map
    board = json.loads(panel_with_map.files["site/data/board.json"])
    for rank in range(1, len(board["ranking"]) + 1):
        assert f"{rank}" in text
    folder = artifacts / "26"
    folder.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "14", str(panel), str(folder / "panel-with-inset")], check=True
    )
    # the inset is beside the table, not over it: the table's last column is left of the map
    words = subprocess.run(
        ["pdftotext", "-bbox", str(panel), "-"], capture_output=True, text=True, check=True
    ).stdout
    status_right = max(
        float(m.group(1))
        for m in re.finditer(r'xMax="([\d.]+)" yMax="[\d.]+">(正常推进|进度滞后)<', words)
    )
    title_left = min(
        float(m.group(1))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">项目分布图<', words
        )
    )
    assert status_right < title_left


@pytest.mark.slow
def test_each_sheet_has_a_locator_map_with_the_approval_number(
    panel_with_map: BuildResult,
) -> None:
    sheets = panel_with_map.out_dir / "print" / "sheets-2020-09.pdf"
    reader = PdfReader(sheets)
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    # one sheet per project; a long change log (nanqu-changfang, issue 22) runs onto a page of
    # its own, headed （续）
    firsts = [text for text in texts if "（续）" not in text]
    assert len(firsts) == 16 and len(texts) - len(firsts) <= 1
    for text in firsts:
        assert "审图号：示例底图，非标准地图" in text  # under the locator
    for text in texts:
        assert "地图来源：虚构示例县（tools/make_example_map.py绘制）" in text  # at the page's foot
    maps = [row for row in _images(sheets) if row[8] != "jpeg"]  # the photos are JPEGs
    assert len(maps) == 16  # one locator per sheet, the base map at 300 dpi of its 40 mm
    assert all(290 <= int(row[12]) <= 310 for row in maps), maps


@pytest.mark.parametrize(
    "value, found", [("true", True), ("TRUE", True), ("是", True), ("false", False), ("yes", None)]
)
def test_panel_map_is_true_or_false(tmp_path: Path, value: str, found: bool | None) -> None:
    """`panel: map:` as YAML writes it, as an Excel cell imports it (TRUE), or in Chinese."""
    root = map_register(tmp_path / "content", {"a": project_yaml("a")})
    (root / "board.yaml").write_text(
        BOARD_YAML + map_yaml() + f"panel:\n  map: {value}\n", encoding="utf-8"
    )
    if found is None:
        (problem,) = errors(root)
        assert "expected true or false, got yes" in problem.text("en")
    else:
        assert check(root)[0].config.panel.map is found


def test_a_plain_place_name_is_read_as_before(tmp_path: Path) -> None:
    """`location: 北区` as every register wrote it: a name, no place on the map, no warning
    about coordinates without a map; Chinese quotes are still a warning."""
    write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", location="“北区”"),
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 施工}\n",
        },
    )
    register, warnings = check(tmp_path / "content")
    assert register.project("a").location == "“北区”"
    assert register.project("a").geometry is None
    assert [w.message.key for w in warnings if isinstance(w.message, Msg)] == [
        "msg.slip.chinese_quotes"
    ]
