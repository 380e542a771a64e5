"""Draw the example county's site photos (形象进度照片) into content/photos/.

    python tools/make_example_photos.py [CONTENT_DIR]

The example register needs photos that look like what units send: construction scenes drawn
with Pillow (sky, ground, a structure whose height follows the project's progress, a crane,
scaffolding, spoil heaps, a little camera grain), with what a phone writes into them: EXIF
DateTimeOriginal, camera make and model, a body serial number, the photographer's name, an
XMP packet, a JPEG comment and, on some, a GPS position. The board publishes none of that (the
tests read the published images back); the dates drive the date check. Two photos are made to
show the warnings: `nanqu-changfang` sends its August photo again in September (the same
bytes under a new name), and `henantuan-daolu`'s September photo was taken in June.

The output is deterministic (seeded); re-running it rewrites the same files. Kept small:
1280x960 JPEG at quality 80, about 100 KB each.
"""

from __future__ import annotations

import io
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1280, 960)
QUALITY = 80
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


@dataclass(frozen=True)
class Shot:
    file: str  # under photos/
    kind: str  # building | plant | road | steel
    progress: float  # 0..1, how far the structure has risen
    taken: str  # EXIF DateTimeOriginal, YYYY:MM:DD HH:MM:SS
    seed: int
    gps: bool = False
    rotated: bool = False  # stored sideways with EXIF Orientation 6, as phones do
    webp: bool = False


SHOTS = (
    Shot("2020-07/beiqu-wushui-1.jpg", "plant", 0.55, "2020:07:21 09:41:12", 1, gps=True),
    Shot("2020-08/beiqu-wushui-1.jpg", "plant", 0.68, "2020:08:24 10:05:40", 2, gps=True),
    Shot("2020-09/beiqu-wushui-1.jpg", "plant", 0.78, "2020:09:22 15:12:03", 3, gps=True),
    Shot("2020-09/beiqu-wushui-2.jpg", "plant", 0.80, "2020:09:25 08:30:55", 4, rotated=True),
    Shot("2020-08/xian-yiyuan-1.jpg", "building", 0.45, "2020:08:19 16:20:31", 5),
    Shot("2020-09/xian-yiyuan-1.jpg", "building", 0.58, "2020:09:18 11:02:47", 6, gps=True),
    Shot("2020-09/xian-yiyuan-2.webp", "building", 0.60, "2020:09:27 14:44:09", 7, webp=True),
    Shot("2020-08/nanqu-changfang-1.jpg", "steel", 0.45, "2020:08:26 10:15:00", 8, gps=True),
    Shot("2020-09/henantuan-daolu-1.jpg", "road", 0.30, "2020:06:12 09:10:20", 9),
)
# the same photo sent again a month later, under a new name (the reused-photo warning)
REUSED = ("2020-08/nanqu-changfang-1.jpg", "2020-09/nanqu-changfang-1.jpg")


def sky(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int) -> None:
    top = (110 + rng.randint(-10, 10), 160 + rng.randint(-10, 10), 215)
    bottom = (200, 215, 228)
    for y in range(horizon):
        f = y / horizon
        draw.line(
            [(0, y), (SIZE[0], y)],
            fill=tuple(round(a + (b - a) * f) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(4):  # clouds
        cx, cy = rng.randint(0, SIZE[0]), rng.randint(30, horizon // 2)
        for _ in range(6):
            r = rng.randint(25, 60)
            x, y = cx + rng.randint(-70, 70), cy + rng.randint(-15, 15)
            draw.ellipse([x - r * 1.6, y - r, x + r * 1.6, y + r], fill=(238, 241, 245))


def ground(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int) -> None:
    for y in range(horizon, SIZE[1]):
        f = (y - horizon) / (SIZE[1] - horizon)
        draw.line(
            [(0, y), (SIZE[0], y)],
            fill=(round(150 - 40 * f), round(130 - 35 * f), 100 - round(30 * f)),
        )
    for _ in range(5):  # spoil heaps and gravel
        x, w, h = rng.randint(-100, SIZE[0]), rng.randint(160, 320), rng.randint(40, 90)
        base = horizon + rng.randint(60, 260)
        draw.polygon([(x, base), (x + w // 2, base - h), (x + w, base)], fill=(122, 104, 80))
    # a site fence with the blue-and-white hoarding
    for x in range(0, SIZE[0], 80):
        draw.rectangle(
            [x, SIZE[1] - 150, x + 78, SIZE[1] - 70],
            fill=(40, 90, 170) if x // 80 % 2 else (228, 232, 236),
        )


def crane(draw: ImageDraw.ImageDraw, x: int, base: int, height: int) -> None:
    yellow = (230, 180, 30)
    top = base - height
    for y in range(top, base, 24):  # the lattice mast
        draw.line([(x - 12, y), (x + 12, y + 24)], fill=yellow, width=3)
        draw.line([(x + 12, y), (x - 12, y + 24)], fill=yellow, width=3)
    draw.line([(x - 12, top), (x - 12, base)], fill=yellow, width=4)
    draw.line([(x + 12, top), (x + 12, base)], fill=yellow, width=4)
    draw.line([(x - 160, top), (x + 420, top)], fill=yellow, width=8)  # the jib
    draw.line([(x, top - 60), (x + 380, top)], fill=(90, 90, 90), width=2)
    draw.line([(x, top - 60), (x - 150, top)], fill=(90, 90, 90), width=2)
    draw.rectangle([x - 150, top + 4, x - 100, top + 40], fill=(120, 120, 120))  # counterweight
    draw.line([(x + 300, top), (x + 300, top + 220)], fill=(60, 60, 60), width=2)  # the hook


def building(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int, progress: float) -> None:
    floors = max(2, round(16 * progress))
    left, width, floor_h = 360, 520, 34
    base = horizon + 120
    for i in range(floors):
        y = base - (i + 1) * floor_h
        finished = i < floors - 2
        draw.rectangle(
            [left, y, left + width, y + floor_h - 4],
            fill=(196, 192, 184) if finished else (170, 170, 168),
        )
        draw.rectangle(
            [left, y + floor_h - 6, left + width, y + floor_h], fill=(120, 118, 112)
        )  # slab
        if finished:
            for wx in range(left + 20, left + width - 30, 46):
                draw.rectangle([wx, y + 6, wx + 26, y + floor_h - 10], fill=(70, 90, 110))
    top = base - floors * floor_h
    for x in range(left - 16, left + width + 20, 20):  # scaffolding with green netting
        draw.line([(x, top - 20), (x, base)], fill=(60, 120, 70), width=2)
    for y in range(top - 20, base, 40):
        draw.line([(left - 16, y), (left + width + 16, y)], fill=(60, 120, 70), width=2)
    crane(draw, left + width + 140, base, floors * floor_h + 160)


def plant(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int, progress: float) -> None:
    base = horizon + 160
    for i in range(4):  # round tanks, the later ones still rings of formwork
        cx = 200 + i * 270
        built = progress * 4 - i
        w = 110
        if built > 0.5:
            draw.rectangle([cx - w, base - 120, cx + w, base], fill=(185, 185, 180))
            draw.ellipse([cx - w, base - 150, cx + w, base - 90], fill=(150, 160, 158))
            draw.ellipse([cx - w + 14, base - 142, cx + w - 14, base - 98], fill=(80, 110, 120))
        elif built > 0:
            for k in range(6):
                draw.rectangle(
                    [cx - w + k * 38, base - 90, cx - w + k * 38 + 22, base], fill=(170, 120, 60)
                )
    draw.rectangle(
        [900, base - 230, 1200, base - 30], fill=(205, 200, 190)
    )  # the equipment building
    for wx in range(920, 1180, 52):
        draw.rectangle([wx, base - 200, wx + 30, base - 160], fill=(70, 90, 110))
    crane(draw, 1080, base - 30, round(260 + 200 * progress))


def steel(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int, progress: float) -> None:
    base = horizon + 150
    bays = 12
    for i in range(bays):
        x = 120 + i * 90
        draw.rectangle([x, base - 260, x + 12, base], fill=(110, 60, 40))  # steel columns
        if i < bays * progress:
            draw.polygon(
                [(x, base - 260), (x + 45, base - 300), (x + 90, base - 260)],
                outline=(110, 60, 40),
                width=8,
            )
    draw.line([(120, base - 262), (120 + bays * 90, base - 262)], fill=(110, 60, 40), width=6)
    crane(draw, 1160, base, 420)


def road(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int, progress: float) -> None:
    vx = SIZE[0] // 2
    draw.polygon(
        [(vx - 30, horizon), (vx + 30, horizon), (SIZE[0] + 200, SIZE[1]), (-200, SIZE[1])],
        fill=(160, 140, 110),
    )
    paved = horizon + (SIZE[1] - horizon) * (1 - progress)
    draw.polygon(
        [(vx - 200, paved), (vx + 200, paved), (SIZE[0], SIZE[1]), (0, SIZE[1])], fill=(90, 90, 92)
    )
    for k in range(8):  # traffic cones
        y = horizon + 40 + k * 60
        x = vx + (y - horizon) * 0.9
        draw.polygon([(x, y - 24), (x - 10, y), (x + 10, y)], fill=(240, 110, 30))
    draw.rectangle([160, horizon + 160, 380, horizon + 240], fill=(230, 170, 30))  # a roller
    draw.ellipse([150, horizon + 200, 250, horizon + 300], fill=(70, 70, 70))
    draw.ellipse([300, horizon + 210, 390, horizon + 300], fill=(70, 70, 70))


DRAW = {"building": building, "plant": plant, "steel": steel, "road": road}


def scene(shot: Shot) -> Image.Image:
    rng = random.Random(shot.seed)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    horizon = 420 + rng.randint(-30, 30)
    sky(draw, rng, horizon)
    ground(draw, rng, horizon)
    DRAW[shot.kind](draw, rng, horizon, shot.progress)
    image = image.filter(ImageFilter.GaussianBlur(1.1))
    grain = Image.effect_noise(SIZE, 18).convert("RGB")
    image = Image.blend(image, grain, 0.06)
    return image


def exif_for(shot: Shot) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Huawei"  # Make
    exif[0x0110] = "P40 Pro"  # Model
    exif[0x013B] = "王建国"  # Artist: the photographer's name
    exif[0x0132] = shot.taken  # DateTime
    if shot.rotated:
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    ifd = exif.get_ifd(EXIF_IFD)
    ifd[0x9003] = shot.taken  # DateTimeOriginal
    ifd[0xA431] = f"SN{shot.seed:08d}"  # BodySerialNumber
    if shot.gps:
        gps = exif.get_ifd(GPS_IFD)
        gps[1] = "N"
        gps[2] = (39.0, 17.0, 30.0 + shot.seed)
        gps[3] = "E"
        gps[4] = (116.0, 46.0, 12.0 + shot.seed)
    return exif


def save(shot: Shot, path: Path) -> None:
    image = scene(shot)
    if shot.rotated:  # the sensor's pixels lie sideways; Orientation 6 puts them upright
        image = image.transpose(Image.Transpose.ROTATE_90)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Wang Jianguo"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    if shot.webp:
        image.save(out, "WEBP", quality=QUALITY, exif=exif_for(shot), xmp=xmp)
    else:
        image.save(
            out,
            "JPEG",
            quality=QUALITY,
            exif=exif_for(shot),
            xmp=xmp,
            comment="拍摄人 王建国 13800000000",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def main(argv: list[str]) -> None:
    content = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1] / "content")
    photos = content / "photos"
    for shot in SHOTS:
        save(shot, photos / shot.file)
    shutil.copyfile(photos / REUSED[0], photos / REUSED[1])
    total = sum(p.stat().st_size for p in photos.rglob("*") if p.is_file())
    print(f"{len(SHOTS) + 1} photos, {total:,} bytes in {photos}")


if __name__ == "__main__":
    main(sys.argv)
