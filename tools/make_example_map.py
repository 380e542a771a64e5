"""Draw the example county's base map and its GeoJSON files into content/assets/map/.

    python tools/make_example_map.py [CONTENT_DIR]

The example register needs what a county office has: its own approved map as an image, and a
few places drawn in a GIS as GeoJSON (a road as a line, a park as a polygon). A real county
uses its 标准地图 with its 审图号; this one is a clearly fictional county drawn with Pillow: an
outline, a river and a canal, roads, the built-up areas of 县城, 北区, 南区, 骆庄园区, 第四疃镇
and 河南疃镇 with their names, a scale bar, a north arrow, and "示例底图 非标准地图" printed
across it. Every shape is given in longitude and latitude (WGS84) and drawn through the same
linear frame board.yaml declares (`top_left`, `bottom_right`), so the projects' coordinates
land where the map shows their places.

Written:
- assets/map/example-county.png   the base map, 2400 x 2400 pixels (drawn at twice the size
                                  and reduced, for smooth lines)
- assets/map/county-boundary.geojson   the county's outline (for a map without an image)
- assets/map/henantuan-daolu.geojson   the 快速通道, a line
- assets/map/nanqu-huanjing.geojson    the main streets of 南区, a line
- assets/map/luozhuang-shipin.geojson  the food industry park, a polygon
- assets/map/disituan-xiangcun.geojson the model village area, a polygon

The output is deterministic (seeded shapes; the same Noto Sans CJK font gives the same PNG);
re-running it rewrites the same files.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 2400  # pixels, square
SCALE = 2  # drawn at twice the size, then reduced
WEST, EAST, NORTH = 114.78, 115.12, 36.50
# square pixels on the ground at the middle latitude: the span of latitude that 2400 pixels
# cover when 2400 pixels cover 0.34 degrees of longitude
SOUTH = round(NORTH - (EAST - WEST) * math.cos(math.radians(36.363)), 4)

LAND = (247, 243, 230)
OUTSIDE = (228, 228, 224)
WATER = (150, 196, 230)
ROAD = (255, 255, 255)
ROAD_EDGE = (190, 178, 160)
MAIN_ROAD = (252, 226, 160)
TOWN = (238, 214, 206)
ZONE = (222, 214, 236)
BORDER = (150, 90, 140)
INK = (70, 70, 80)

# the built-up areas: name, centre (lng, lat), half-size (degrees), fill, label size
PLACES = (
    ("县城", (114.946, 36.368), (0.016, 0.010), TOWN, 54),
    ("北区", (114.942, 36.404), (0.022, 0.013), ZONE, 50),
    ("南区", (114.953, 36.333), (0.022, 0.013), ZONE, 50),
    ("骆庄园区", (115.036, 36.386), (0.018, 0.013), ZONE, 50),
    ("第四疃镇", (114.858, 36.296), (0.011, 0.008), TOWN, 46),
    ("河南疃镇", (115.058, 36.262), (0.011, 0.008), TOWN, 46),
)
ROADS = (  # (width in metres as drawn, positions)
    (
        90,
        [
            (114.950, 36.496),
            (114.948, 36.440),
            (114.946, 36.368),
            (114.955, 36.300),
            (114.962, 36.228),
        ],
    ),
    (
        90,
        [
            (114.782, 36.358),
            (114.870, 36.362),
            (114.946, 36.368),
            (115.030, 36.378),
            (115.118, 36.372),
        ],
    ),
    (60, [(114.946, 36.368), (114.900, 36.330), (114.858, 36.296), (114.800, 36.255)]),
    (60, [(115.058, 36.262), (115.052, 36.300), (115.041, 36.345), (115.036, 36.386)]),
    (45, [(114.858, 36.296), (114.930, 36.280), (115.000, 36.268), (115.058, 36.262)]),
    (45, [(114.942, 36.404), (114.990, 36.440), (115.060, 36.470)]),
)
# the 快速通道 being rebuilt (henantuan-daolu): it follows the road from 河南疃镇 to 骆庄园区
FAST_ROAD = [(115.058, 36.262), (115.052, 36.300), (115.041, 36.345), (115.036, 36.386)]
NANQU_STREETS = [
    [(114.934, 36.333), (114.953, 36.334), (114.972, 36.335)],
    [(114.953, 36.322), (114.953, 36.334), (114.954, 36.345)],
]
FOOD_PARK = [
    (115.022, 36.392),
    (115.034, 36.393),
    (115.036, 36.384),
    (115.027, 36.380),
    (115.020, 36.384),
    (115.022, 36.392),
]
MODEL_VILLAGES = [
    (114.828, 36.290),
    (114.845, 36.296),
    (114.852, 36.284),
    (114.840, 36.274),
    (114.826, 36.279),
    (114.828, 36.290),
]


def xy(lng: float, lat: float) -> tuple[float, float]:
    """The pixel of a position on the drawing (the same linear frame as board.yaml's)."""
    size = SIZE * SCALE
    return (lng - WEST) / (EAST - WEST) * size, (NORTH - lat) / (NORTH - SOUTH) * size


def metres(value: float) -> float:
    """A length on the ground as drawn pixels."""
    per_degree = 111_320 * math.cos(math.radians((NORTH + SOUTH) / 2))
    return value / per_degree / (EAST - WEST) * SIZE * SCALE


def outline() -> list[tuple[float, float]]:
    """The fictional county's border: a wobbly ring around 县城, seeded, closed."""
    rng = random.Random(26)
    centre = (114.950, 36.362)
    bumps = [(rng.uniform(0.6, 1.8), rng.uniform(0, math.tau)) for _ in range(5)]
    ring = []
    for i in range(180):
        a = math.tau * i / 180
        r = 1.0 + sum(0.045 / k * math.sin(k * 2 * a + p) for k, p in bumps)
        r += 0.012 * math.sin(23 * a) + 0.006 * math.sin(41 * a + 1)
        ring.append(
            (
                round(centre[0] + 0.138 * r * math.cos(a), 5),
                round(centre[1] + 0.108 * r * math.sin(a), 5),
            )
        )
    ring.append(ring[0])
    return ring


def river() -> list[tuple[float, float]]:
    return [
        (114.780, 36.455),
        (114.830, 36.440),
        (114.880, 36.430),
        (114.920, 36.385),
        (114.975, 36.360),
        (115.010, 36.330),
        (115.060, 36.300),
        (115.120, 36.290),
    ]


def canal() -> list[tuple[float, float]]:
    return [(114.920, 36.385), (114.900, 36.340), (114.880, 36.300), (114.870, 36.226)]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "Noto Sans CJK SC:bold" if bold else "Noto Sans CJK SC"
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", name], capture_output=True, text=True, check=True
    ).stdout
    return ImageFont.truetype(path, size * SCALE)


def line(draw: ImageDraw.ImageDraw, points, fill, width: float) -> None:
    draw.line([xy(*p) for p in points], fill=fill, width=max(1, round(width)), joint="curve")


def label(draw, at, text, size, fill=INK, bold=True, halo=LAND) -> None:
    face = font(size, bold)
    draw.text(at, text, font=face, fill=fill, anchor="mm", stroke_width=5 * SCALE, stroke_fill=halo)


def draw_map() -> Image.Image:
    size = SIZE * SCALE
    image = Image.new("RGB", (size, size), OUTSIDE)
    draw = ImageDraw.Draw(image)
    border = [xy(*p) for p in outline()]
    draw.polygon(border, fill=LAND)
    # fields: a faint grid of plots inside the county
    rng = random.Random(7)
    for _ in range(260):
        lng, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        x, y = xy(lng, lat)
        w, h = rng.uniform(40, 120) * SCALE, rng.uniform(30, 90) * SCALE
        draw.rectangle([x, y, x + w, y + h], fill=(236, 240, 218))
    # outside the county, the neighbours' land stays grey: mask the plots outside the border
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).polygon(border, fill=255)
    grey = Image.new("RGB", (size, size), OUTSIDE)
    image = Image.composite(image, grey, mask)
    draw = ImageDraw.Draw(image)
    line(draw, river(), WATER, metres(160))
    line(draw, canal(), WATER, metres(70))
    for _, (lng, lat), (dx, dy), colour, _ in PLACES:
        x1, y1 = xy(lng - dx, lat + dy)
        x2, y2 = xy(lng + dx, lat - dy)
        draw.rounded_rectangle([x1, y1, x2, y2], radius=18 * SCALE, fill=colour)
    for width, points in ROADS:
        line(draw, points, ROAD_EDGE, metres(width) + 6 * SCALE)
    for width, points in ROADS:
        line(draw, points, MAIN_ROAD if width >= 90 else ROAD, metres(width))
    # villages: small unnamed blocks
    rng = random.Random(11)
    for _ in range(70):
        lng, lat = rng.uniform(WEST + 0.02, EAST - 0.02), rng.uniform(SOUTH + 0.02, NORTH - 0.02)
        x, y = xy(lng, lat)
        if mask.getpixel((round(x), round(y))):
            r = rng.uniform(7, 13) * SCALE
            draw.rounded_rectangle([x - r, y - r * 0.7, x + r, y + r * 0.7], radius=4, fill=TOWN)
    draw.line(border, fill=BORDER, width=7 * SCALE, joint="curve")
    draw.line(border, fill=(255, 255, 255), width=2 * SCALE, joint="curve")
    for name, (lng, lat), _, _, size_px in PLACES:
        label(draw, xy(lng, lat), name, size_px)
    label(draw, xy(114.835, 36.452), "东风渠", 30, fill=(40, 100, 160), bold=False)
    # the title block, the scale bar and the north arrow
    pad = 40 * SCALE
    draw.rectangle(
        [pad, pad, pad + 700 * SCALE, pad + 170 * SCALE],
        fill=(255, 255, 255),
        outline=INK,
        width=2 * SCALE,
    )
    draw.text(
        (pad + 30 * SCALE, pad + 22 * SCALE), "示例县地图（虚构）", font=font(56, True), fill=INK
    )
    draw.text(
        (pad + 30 * SCALE, pad + 100 * SCALE),
        "示例底图，非标准地图，不得用于其他用途",
        font=font(34),
        fill=(160, 40, 40),
    )
    km = metres(5000)
    x0, y0 = pad, size - pad - 60 * SCALE
    draw.rectangle([x0, y0, x0 + km, y0 + 14 * SCALE], fill=INK)
    draw.rectangle(
        [x0 + km / 2, y0 + 3 * SCALE, x0 + km - 3 * SCALE, y0 + 11 * SCALE], fill=(255, 255, 255)
    )
    draw.text((x0, y0 + 22 * SCALE), "0", font=font(30), fill=INK)
    draw.text((x0 + km, y0 + 22 * SCALE), "5 公里", font=font(30), fill=INK, anchor="ma")
    nx, ny = size - 130 * SCALE, 90 * SCALE
    draw.polygon(
        [(nx, ny - 50 * SCALE), (nx - 28 * SCALE, ny + 40 * SCALE), (nx, ny + 20 * SCALE)], fill=INK
    )
    draw.polygon(
        [(nx, ny - 50 * SCALE), (nx + 28 * SCALE, ny + 40 * SCALE), (nx, ny + 20 * SCALE)],
        fill=(255, 255, 255),
        outline=INK,
    )
    draw.text((nx, ny + 50 * SCALE), "北", font=font(40, True), fill=INK, anchor="ma")
    # "示例底图 非标准地图" faintly across the whole map
    stamp = Image.new("L", (size, size), 0)
    words = ImageDraw.Draw(stamp)
    face = font(64, True)
    for row in range(-2, 8):
        for col in range(-1, 3):
            at = ((col * 1800 + (row % 2) * 900) * SCALE / 2, row * 700 * SCALE / 2)
            words.text(at, "示例底图 非标准地图", font=face, fill=24)
    stamp = stamp.rotate(28, resample=Image.Resampling.BICUBIC)
    image = Image.composite(Image.new("RGB", (size, size), (120, 60, 60)), image, stamp)
    # a map is a few flat colours: 128 of them keep the lines smooth and the file small
    small = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    return small.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def feature_collection(geometry: dict, name: str) -> str:
    data = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": name}, "geometry": geometry}],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> None:
    content = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1] / "content")
    folder = content / "assets" / "map"
    folder.mkdir(parents=True, exist_ok=True)
    draw_map().save(folder / "example-county.png", optimize=True)
    files = {
        "county-boundary.geojson": (
            {"type": "Polygon", "coordinates": [outline()]},
            "示例县县界（虚构）",
        ),
        "henantuan-daolu.geojson": (
            {"type": "LineString", "coordinates": FAST_ROAD},
            "河南疃镇至骆庄园区快速通道",
        ),
        "nanqu-huanjing.geojson": (
            {"type": "MultiLineString", "coordinates": NANQU_STREETS},
            "南区主干道路",
        ),
        "luozhuang-shipin.geojson": (
            {"type": "Polygon", "coordinates": [FOOD_PARK]},
            "骆庄园区食品产业园",
        ),
        "disituan-xiangcun.geojson": (
            {"type": "Polygon", "coordinates": [MODEL_VILLAGES]},
            "第四疃镇美丽乡村示范片区",
        ),
    }
    for name, (geometry, title) in files.items():
        (folder / name).write_text(feature_collection(geometry, title), encoding="utf-8")
    print(
        f"example-county.png {SIZE}x{SIZE}: top_left [{WEST}, {NORTH}], "
        f"bottom_right [{EAST}, {SOUTH}]; {len(files)} GeoJSON files in {folder}"
    )


if __name__ == "__main__":
    main(sys.argv)
