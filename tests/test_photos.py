"""Site photos (形象进度照片): checked like a photo desk would, published without metadata.

The example county's photos carry what phones write (EXIF dates, make, model, a serial number,
the photographer's name, XMP, a comment, GPS on some): none of it may reach the output.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from board import photos
from board.build import BuildResult, build
from board.errors import ContentError
from board.validate import check
from tests.conftest import BOARD_YAML, CONTENT, NO_PDF, project_yaml, shoot, write_files

PRIVATE = [
    b"Exif",
    b"http://ns.adobe.com/xap/1.0/",
    b"adobe:ns:meta",
    b"Huawei",
    b"P40 Pro",
    "王建国".encode(),
    b"Wang Jianguo",
    b"SN000000",
    b"ICC_PROFILE",
    b"13800000000",
]


def assert_clean(data: bytes, where: str) -> None:
    """No EXIF, XMP, GPS, ICC profile or comment: the bytes and what Pillow reads agree."""
    for marker in PRIVATE:
        assert marker not in data, f"{where} carries {marker!r}"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG", where
        assert not image.getexif(), f"{where} has EXIF"
        assert image.getexif().get_ifd(0x8825) == {}, f"{where} has GPS"
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(
            image.info
        ), f"{where}: {sorted(image.info)}"
        image.load()  # and it is a whole image


def originals() -> dict[str, bytes]:
    return {
        p.relative_to(CONTENT).as_posix(): p.read_bytes()
        for p in (CONTENT / "photos").rglob("*")
        if p.is_file()
    }


# -- the example county, published --------------------------------------------------------------


def test_the_example_originals_do_carry_metadata() -> None:
    """The test below proves something only if the originals have what must be stripped."""
    with Image.open(CONTENT / "photos/2020-09/beiqu-wushui-1.jpg") as image:
        exif = image.getexif()
        assert exif.get_ifd(0x8825), "GPS position"
        assert exif.get_ifd(0x8769)[0x9003] == "2020:09:22 15:12:03"
        assert exif.get_ifd(0x8769)[0xA431] == "SN00000003"
        assert "xmp" in image.info and "comment" in image.info


def test_published_photos_carry_no_metadata_and_originals_are_never_published(
    example_build: BuildResult,
) -> None:
    files = example_build.files
    site = {name: data for name, data in files.items() if name.startswith("site/photos/")}
    assert len(site) == 9 * 3, "nine different photos (one sent twice), three widths each"
    for name, data in site.items():
        assert re.fullmatch(r"site/photos/[0-9a-f]{20}-\d+\.jpg", name)
        assert_clean(data, name)
    screen = files["screen/index.html"].decode()
    embedded = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', screen)
    assert embedded
    for i, data in enumerate(embedded):
        assert_clean(base64.b64decode(data), f"screen photo {i}")
    originals_bytes = set(originals().values())
    for name, data in files.items():
        assert data not in originals_bytes, f"{name} is an original"
        assert "photos/2020-" not in name, name
    # the files on disk are the files of the build
    for name in site:
        assert (example_build.out_dir / name).read_bytes() == site[name]


def test_sheets_photos_carry_no_metadata(example_build: BuildResult, tmp_path: Path) -> None:
    pdf = example_build.out_dir / "print" / "sheets-2020-09.pdf"
    subprocess.run(["pdfimages", "-all", str(pdf), str(tmp_path / "img")], check=True)
    found = sorted(tmp_path.glob("img-*.jpg"))
    assert len(found) == 7  # wushui 2, changfang 2 (Sep and Aug), yiyuan 2, daolu 1
    for path in found:
        assert_clean(path.read_bytes(), path.name)


def test_photos_are_turned_upright_by_their_exif_orientation(example_build: BuildResult) -> None:
    # beiqu-wushui-2.jpg is stored sideways (960x1280) with Orientation 6, as phones store it
    with Image.open(CONTENT / "photos/2020-09/beiqu-wushui-2.jpg") as original:
        assert original.size == (960, 1280) and original.getexif()[0x0112] == 6
    board = json.loads(example_build.files["site/data/board.json"])
    shown = next(p for p in board["projects"] if p["id"] == "beiqu-wushui")["photos"][1]
    assert shown["name"] == "photos/2020-09/beiqu-wushui-2.jpg"
    assert (shown["width"], shown["height"]) == (1280, 960)
    with Image.open(io.BytesIO(example_build.files[f"site/{shown['src']}"])) as image:
        assert image.size == (1280, 960)
        # the sky is at the top once upright
        top, bottom = image.getpixel((640, 20)), image.getpixel((640, 940))
        assert top[2] > 180 and bottom[2] < 140


def test_open_data_has_file_names_captions_and_dates(example_build: BuildResult) -> None:
    board = json.loads(example_build.files["site/data/board.json"])
    by_id = {p["id"]: p for p in board["projects"]}
    assert by_id["beiqu-wushui"]["photos"][0] == {
        "name": "photos/2020-09/beiqu-wushui-1.jpg",
        "caption": "厂区全景：构筑物全部完工",
        "taken": "2020-09-22",
        "month": "2020-09",
        "src": by_id["beiqu-wushui"]["photos"][0]["src"],
        "width": 1280,
        "height": 960,
    }
    assert by_id["henantuan-daolu"]["photos"][0]["caption"] is None
    assert by_id["xian-yiyuan"]["photos"][1]["name"] == "photos/2020-09/xian-yiyuan-2.webp"
    assert by_id["nanqu-dianshang"]["photos"] == []  # no report this month
    august = json.loads(example_build.files["site/data/board-2020-08.json"])
    assert [p["name"] for p in august["projects"][0]["photos"]] == [
        "photos/2020-08/beiqu-wushui-1.jpg"
    ]
    for name, data in example_build.files.items():
        if name.endswith(".json") and name.startswith("site/data/"):
            assert b"GPS" not in data and b"SN000" not in data, name


# -- warnings -------------------------------------------------------------------------------------


def test_the_reused_and_the_misdated_photo_are_warnings_naming_the_files_and_dates() -> None:
    _, warnings = check(CONTENT)
    photo_warnings = [w for w in warnings if "photos" in w.field]
    assert [w.text("en") for w in photo_warnings] == [
        "content/reports/2020-09.yaml:21:15: warning: projects.nanqu-changfang.photos (形象进度照片): "
        "the photo photos/2020-09/nanqu-changfang-1.jpg (2020-09) is the same photo as "
        "photos/2020-08/nanqu-changfang-1.jpg, sent in 2020-08 (a photo sent again is the "
        "commonest way a stalled site pretends to move; send a new one)",
        "content/reports/2020-09.yaml:93:9: warning: projects.henantuan-daolu.photos (形象进度照片): "
        "the photo photos/2020-09/henantuan-daolu-1.jpg was taken on 2020-06-12, outside the "
        "window of the 2020-09 report (2020-08-01 to 2020-09-30) (send photos taken this month; "
        "an old photo does not show the works as they are)",
    ]
    assert (
        photo_warnings[1]
        .text("zh-CN")
        .endswith(
            "照片photos/2020-09/henantuan-daolu-1.jpg拍摄于2020-06-12，不在2020-09报告的拍摄时段"
            "（2020-08-01至2020-09-30）内（每月应报送本月新拍的照片；往月照片不能反映当前形象进度）"
        )
    )


# -- a scratch register with photos ----------------------------------------------------------------


def jpeg(
    size: tuple[int, int] = (800, 600), taken: str | None = "2020:09:10 10:00:00", seed: int = 0
) -> bytes:
    image = Image.new("RGB", size, (90 + seed, 140, 200))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo_register(root: Path, september: str, files: dict[str, bytes]) -> Path:
    write_files(
        root,
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", deadline="2021-12-31"),
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 50, progress: 主体施工}
                """,
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a:\n    percent: 60\n"
            "    progress: 主体封顶\n" + september,
        },
    )
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as failure:
        check(root)
    return [p.text("en") for p in failure.value.problems if p.severity == "error"]


def test_a_good_photo_passes_without_warnings(tmp_path: Path) -> None:
    root = photo_register(
        tmp_path / "content",
        "    photos:\n      - photos/2020-09/a-1.jpg\n",
        {"photos/2020-09/a-1.jpg": jpeg()},
    )
    register, warnings = check(root)
    assert warnings == []
    (photo,) = register.report(register.months[-1]).entries["a"].photos
    assert (photo.width, photo.height, str(photo.taken)) == (800, 600, "2020-09-10")


def _png(size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _animated_webp() -> bytes:
    out = io.BytesIO()
    frames = [Image.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:])
    return out.getvalue()


BAD = {
    "outside photos/": (
        "      - assets/a.jpg\n",
        {"assets/a.jpg": jpeg()},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo assets/a.jpg is "
        "not inside the register's photos/ folder (put it under photos/ (such as "
        "photos/2020-09/beiqu-wushui-1.jpg), written from the register's folder)",
    ),
    "climbing out": (
        "      - photos/../../secret.jpg\n",
        {},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo "
        "photos/../../secret.jpg is not inside the register's photos/ folder",
    ),
    "missing": (
        "      - photos/2020-09/none.jpg\n",
        {},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo file "
        "photos/2020-09/none.jpg does not exist",
    ),
    "wrong extension": (
        "      - photos/a.gif\n",
        {"photos/a.gif": jpeg()},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): expected a photo file "
        "ending .jpg, .jpeg, .png or .webp, got photos/a.gif (.gif)",
    ),
    "content against extension": (
        "      - {file: photos/a.jpg, caption: 主体}\n",
        {"photos/a.jpg": _png()},
        "content/reports/2020-09.yaml:7:16: projects.a.photos (形象进度照片): the photo photos/a.jpg "
        "is a PNG image, not what its extension .jpg says (rename it to end with .png)",
    ),
    "truncated": (
        "      - photos/a.jpg\n",
        {"photos/a.jpg": jpeg()[:-400]},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo photos/a.jpg "
        "is broken or cut short and cannot be read (copy it again from the original)",
    ),
    "not an image": (
        "      - photos/a.jpg\n",
        {"photos/a.jpg": b"<html>not a photo</html>"},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo photos/a.jpg "
        "is broken or cut short and cannot be read (copy it again from the original)",
    ),
    "decompression bomb": (
        "      - photos/bomb.png\n",
        {"photos/bomb.png": _png((10000, 10000), "1")},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo "
        "photos/bomb.png is 100,000,000 pixels, more than the limit of 50,000,000 (make it "
        "smaller first (4000 pixels on the long side is plenty))",
    ),
    "animated": (
        "      - photos/a.webp\n",
        {"photos/a.webp": _animated_webp()},
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo photos/a.webp "
        "is animated; only still photos are accepted",
    ),
    "more than six": (
        "".join(f"      - photos/p{i}.jpg\n" for i in range(7)),
        {f"photos/p{i}.jpg": jpeg(seed=i) for i in range(7)},
        "content/reports/2020-09.yaml:13:9: projects.a.photos (形象进度照片): 7 photos in one "
        "month; at most 6 per project per month (choose the 6 that show the progress best)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_photos_are_errors_with_file_line_col_and_nothing_is_written(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint  # noqa: F401 - it makes Pillow lenient with truncated images, globally

    monkeypatch.chdir(tmp_path)
    listing, files, expected = BAD[case]
    root = photo_register(tmp_path / "content", "    photos:\n" + listing, files)
    found = errors_of(Path("content"))
    assert found[0].startswith(expected), found
    with pytest.raises(ContentError):
        build(Path("content"), tmp_path / "output", stages=NO_PDF)
    assert not (tmp_path / "output").exists()
    assert root.is_dir()


def test_a_symbolic_link_is_refused_even_inside_photos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(jpeg())
    root = photo_register(tmp_path / "content", "    photos:\n      - photos/a.jpg\n", {})
    (root / "photos").mkdir()
    os.symlink(outside, root / "photos" / "a.jpg")
    linked_dir = tmp_path / "dir"
    linked_dir.mkdir()
    (linked_dir / "b.jpg").write_bytes(jpeg())
    assert errors_of(Path("content")) == [
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo photos/a.jpg "
        "is a symbolic link, which is not followed (copy the photo file itself under photos/)"
    ]


def test_a_photo_above_the_byte_limit_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    photo_register(
        tmp_path / "content", "    photos:\n      - photos/a.jpg\n", {"photos/a.jpg": jpeg()}
    )
    (found,) = errors_of(Path("content"))
    size = (tmp_path / "content/photos/a.jpg").stat().st_size
    assert found == (
        f"content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo photos/a.jpg "
        f"is {size:,} bytes, more than the limit of 1,000 (make it smaller first (4000 pixels "
        "on the long side is plenty))"
    )


def test_photo_dates_are_checked_against_the_report_window(tmp_path: Path) -> None:
    root = photo_register(
        tmp_path / "content",
        "    photos:\n      - photos/old.jpg\n      - photos/late.jpg\n      - photos/ok.jpg\n"
        "      - photos/undated.jpg\n",
        {
            "photos/old.jpg": jpeg(taken="2020:07:31 18:00:00", seed=1),
            "photos/late.jpg": jpeg(taken="2020:10:01 08:00:00", seed=2),
            "photos/ok.jpg": jpeg(taken="2020:08:01 08:00:00", seed=3),  # from August's 1st
            "photos/undated.jpg": jpeg(taken=None, seed=4),
        },
    )
    _, warnings = check(root)
    undated, *dated = warnings  # the undated photo: one remark, first (issue 20)
    assert [re.sub(r".*: the photo ", "", w.text("en")).split(" (")[0] for w in dated] == [
        "photos/old.jpg was taken on 2020-07-31, outside the window of the 2020-09 report",
        "photos/late.jpg was taken on 2020-10-01, outside the window of the 2020-09 report",
    ]
    assert undated.text("en").endswith(
        "1 photo of 2020-09 without a date taken, which cannot be checked against the month: "
        "photos/undated.jpg (chat apps such as WeChat strip the date; ask the unit for the "
        "original file (WeChat's 原图, or sent as a file))"
    )


def test_the_same_photo_in_two_months_is_a_warning(tmp_path: Path) -> None:
    root = photo_register(
        tmp_path / "content",
        "    photos:\n      - photos/2020-09/again.jpg\n",
        {
            "photos/2020-08/a.jpg": jpeg(taken="2020:08:20 09:00:00"),
            "photos/2020-09/again.jpg": jpeg(taken="2020:08:20 09:00:00"),
        },
    )
    august = root / "reports/2020-08.yaml"
    august.write_text(
        "month: 2020-08\nprojects:\n  a:\n    percent: 50\n    progress: 主体施工\n"
        "    photos:\n      - photos/2020-08/a.jpg\n",
        encoding="utf-8",
    )
    _, warnings = check(root)
    assert [w.text("zh-CN").split(": ", 2)[2] for w in warnings] == [
        "照片photos/2020-09/again.jpg（2020-09）与2020-08报送的photos/2020-08/a.jpg是同一张照片"
        "（重复使用往月照片常用来掩盖停工，请报送本月新拍的照片）"
    ]


def test_derivatives_and_checks_come_from_the_cache_when_warm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = photo_register(
        tmp_path / "content",
        "    photos:\n      - photos/a.jpg\n      - photos/b.png\n",
        {"photos/a.jpg": jpeg((2000, 1500)), "photos/b.png": _png((1200, 900))},
    )
    out = tmp_path / "output"
    monkeypatch.setenv("BOARD_SHARED_CACHE", "0")  # counted from the output's own cache
    cold = build(root, out, stages=NO_PDF)
    assert cold.cache_misses >= 5  # 3 + 2 site widths, and the screen's two
    calls: list[str] = []
    original = photos.inspect

    def counting(data: bytes, shown: str, extension: str) -> Any:
        calls.append(shown)
        return original(data, shown, extension)

    monkeypatch.setattr(photos, "inspect", counting)
    monkeypatch.setattr(photos, "derive_many", lambda *a: pytest.fail("derived again"))
    warm = build(root, out, stages=NO_PDF, force=True)
    assert calls == [], "what the photos are is remembered by content hash"
    assert warm.cache_misses == 0 and warm.cache_hits == cold.cache_misses
    assert {k: v for k, v in warm.files.items() if "photos" in k} == {
        k: v for k, v in cold.files.items() if "photos" in k
    }


# -- in the browser --------------------------------------------------------------------------------

# Layout shifts as Chromium measures them (the Layout Instability API), from the first paint.
SHIFTS_JS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__shifts.push(entry.value);
}).observe({type: 'layout-shift', buffered: true});
"""

PHOTOS_JS = """() => [...document.querySelectorAll('figure.photo img')].map((img) => {
  const r = img.getBoundingClientRect();
  return {alt: img.alt, loading: img.getAttribute('loading'), src: img.getAttribute('src'),
          srcset: img.getAttribute('srcset'), w: r.width, h: r.height,
          aw: +img.getAttribute('width'), ah: +img.getAttribute('height'),
          caption: img.closest('figure').querySelector('figcaption').textContent.trim()};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_project_pages_reserve_the_photos_boxes_and_describe_them(
    browser: Any, example_build: BuildResult, width: int
) -> None:
    site = (example_build.out_dir / "site").resolve()
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(SHIFTS_JS)
    page = context.new_page()
    # first with every photo held back: the boxes must have their size before any image loads
    page.route("**/photos/*.jpg", lambda route: route.abort())
    checked = 0
    for pid in ("beiqu-wushui", "xian-yiyuan", "nanqu-changfang", "henantuan-daolu"):
        page.goto((site / "projects" / pid / "index.html").as_uri())
        shown = page.evaluate(PHOTOS_JS)
        assert shown, pid
        for ph in shown:
            assert ph["alt"], f"{pid}: a photo without alt text"
            assert ph["loading"] == "lazy"
            assert not ph["src"].startswith(("http:", "https:", "/")), ph["src"]
            assert ph["w"] > 100 and abs(ph["h"] - ph["w"] * ph["ah"] / ph["aw"]) < 1.5, ph
            checked += 1
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{pid} scrolls sideways at {width}px"
    assert checked == 4 + 3 + 2 + 1  # wushui Sep 2, Aug, Jul; yiyuan 3; changfang 2; daolu 1
    context.close()


@pytest.mark.browser
def test_project_page_photos_load_without_shifting_the_page(
    browser: Any, example_build: BuildResult
) -> None:
    site = (example_build.out_dir / "site").resolve()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(SHIFTS_JS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto((site / "projects" / "beiqu-wushui" / "index.html").as_uri())
    page.evaluate("document.getElementById('photos').scrollIntoView()")
    page.wait_for_function(
        "[...document.querySelectorAll('figure.photo img')].slice(0, 2)"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(
        "[...document.querySelectorAll('figure.photo img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    assert page.evaluate("window.__shifts.reduce((a, b) => a + b, 0)") == 0
    assert errors == [], "the CSP lets the same-origin photos in"
    captions = [ph["caption"] for ph in page.evaluate(PHOTOS_JS)]
    assert captions[0] == "厂区全景：构筑物全部完工 · 拍摄于2020年9月22日"
    context.close()


SCREEN_PHOTOS_JS = """() => {
  const page = document.querySelector('.page:not([hidden])');
  return [...page.querySelectorAll('.photo-tile')].map((tile) => {
    const img = tile.querySelector('img'), box = tile.querySelector('.photo-box');
    const r = img.getBoundingClientRect(), b = box.getBoundingClientRect();
    return {id: tile.dataset.id, alt: img.alt, w: r.width, h: r.height,
            nw: img.naturalWidth, nh: img.naturalHeight,
            inside: r.left >= b.left - 0.5 && r.right <= b.right + 0.5
                    && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5};
  });
}"""


@pytest.mark.browser
@pytest.mark.parametrize("size", ["landscape", "portrait", "4k"])
def test_the_screen_photo_page_fits_and_never_stretches(
    browser: Any, example_build: BuildResult, tmp_path: Path, artifacts: Path, size: str
) -> None:
    from tests.test_screen import DAY, MIN_FONT_JS, OVERFLOW_JS, SIZES, open_screen, with_screen

    width, height = SIZES[size]
    if size == "landscape":
        result = example_build
    else:
        content = with_screen(CONTENT, tmp_path / "content", width, height)
        result = build(content, tmp_path / "output", stages=("data", "screen"))
    context, page = open_screen(
        browser, result.out_dir / "screen" / "index.html", (width, height), DAY
    )
    kinds = page.evaluate("[...document.querySelectorAll('.page')].map((p) => p.className)")
    photo_pages = [i for i, kind in enumerate(kinds) if kind.endswith("page-photos")]
    assert photo_pages and photo_pages[-1] == len(kinds) - 1
    seen = []
    for index in photo_pages:
        page.evaluate(f"boardScreen.show({index})")
        assert page.evaluate(OVERFLOW_JS) == []
        size_px, where = page.evaluate(MIN_FONT_JS)
        assert size_px >= 24 * min(width, height) / 1080 - 0.01, where
        for tile in page.evaluate(SCREEN_PHOTOS_JS):
            assert tile["alt"]
            assert tile["inside"], tile
            assert abs(tile["w"] / tile["h"] - tile["nw"] / tile["nh"]) < 0.01, "stretched"
            assert tile["nw"] == round(tile["w"]), "sized for this screen: one pixel a pixel"
            seen.append(tile["id"])
        shoot(page, artifacts / f"screen-photos-{size}-{index}.png")
    context.close()
    # two photos at most per project: wushui 2, changfang 1, yiyuan 2, daolu 1
    assert sorted(seen) == sorted(
        ["beiqu-wushui"] * 2 + ["nanqu-changfang"] + ["xian-yiyuan"] * 2 + ["henantuan-daolu"]
    )


def test_no_photo_page_without_photos(scratch: Path, tmp_path: Path) -> None:
    result = build(scratch, tmp_path / "output", stages=("data", "screen"))
    html = result.files["screen/index.html"].decode()
    assert '<section class="page page-photos"' not in html and "data:image" not in html


def test_the_sheets_photos_print_at_300_dpi_or_better(example_build: BuildResult) -> None:
    pdf = example_build.out_dir / "print" / "sheets-2020-09.pdf"
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    # the photos are the JPEGs (each sheet also has the county's map in its locator, a PNG)
    rows = [line.split() for line in listing if line.split()[8] == "jpeg"]
    assert len(rows) == 7
    for row in rows:
        width, height, x_ppi, y_ppi = int(row[3]), int(row[4]), int(row[12]), int(row[13])
        assert (width, height) == (504, 378)  # 40 x 30 mm at 320 dpi
        assert x_ppi >= 300 and y_ppi >= 300, row
    # the latest two: nanqu-changfang's September photo and, before it, August's
    pages = {int(r[0]) for r in rows}
    assert len(pages) == 4


def test_a_hostile_caption_is_text_everywhere(tmp_path: Path) -> None:
    payload = '"><img src=x onerror=alert(1)>'
    root = photo_register(
        tmp_path / "content",
        "    photos:\n      - file: photos/a.jpg\n        caption: '" + payload + "'\n",
        {"photos/a.jpg": jpeg()},
    )
    result = build(root, tmp_path / "output", stages=NO_PDF)
    escaped = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    for name in ("site/projects/a/index.html", "screen/index.html"):
        html = result.files[name].decode()
        assert "<img src=x" not in html, name
        assert f'alt="{escaped}"' in html, name
    board = json.loads(result.files["site/data/board.json"])
    assert board["projects"][0]["photos"][0]["caption"] == payload


def test_the_workbook_template_carries_the_photo_column_and_the_investment_sheet() -> None:
    import openpyxl

    from board.model import Month
    from board.xlsx import template_from

    wb = openpyxl.load_workbook(io.BytesIO(template_from(CONTENT, month=Month(2020, 9))))
    investment = wb["年度计划投资"]
    assert [c.value for c in investment[1]] == ["编号", "年度", "年度计划投资（万元）"]
    assert [c.value for c in investment[2]] == ["beiqu-wushui", 2019, 2500]
    report = wb["报告"]
    headers = [c.value for c in report[2]]
    assert headers[-2:] == ["本年完成投资（万元）", "照片文件"]
    wushui = next(row for row in report.iter_rows(min_row=3) if row[0].value == "beiqu-wushui")
    assert wushui[-2].value == 6800
    assert wushui[-1].value == (
        "photos/2020-09/beiqu-wushui-1.jpg 厂区全景：构筑物全部完工\n"
        "photos/2020-09/beiqu-wushui-2.jpg 设备间及格栅间，曝气设备安装中"
    )


# -- the red team's list (issue 19) ----------------------------------------------------------------


def png16(size: tuple[int, int], grey: int) -> bytes:
    """A 16-bit grayscale PNG (as scanners and some phones' RAW exports write), every pixel `grey`
    of 65535; Pillow opens it as mode I;16."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    width, height = size
    header = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + struct.pack(">H", grey) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_16_bit_png_is_converted_to_its_grey_not_to_white(tmp_path: Path) -> None:
    data = png16((600, 400), 0x8000)  # 50 % grey
    with Image.open(io.BytesIO(data)) as original:
        assert original.mode == "I;16"
    root = photo_register(
        tmp_path / "content",
        "    photos:\n      - photos/grey.png\n",
        {"photos/grey.png": data},
    )
    result = build(root, tmp_path / "output", stages=NO_PDF)
    derived = [v for k, v in result.files.items() if k.startswith("site/photos/")]
    assert derived
    for jpeg_bytes in derived:
        with Image.open(io.BytesIO(jpeg_bytes)) as image:
            assert image.mode == "RGB"
            r, g, b = image.getpixel((image.width // 2, image.height // 2))
            assert all(abs(v - 128) <= 2 for v in (r, g, b)), (r, g, b)
    # the darkest and the brightest stay black and white
    for grey, expected in ((0, 0), (0xFFFF, 255)):
        with Image.open(io.BytesIO(photos.derive(png16((40, 30), grey), 40, 30))) as image:
            assert abs(image.getpixel((20, 15))[0] - expected) <= 2


@pytest.mark.parametrize(
    "listing, code",
    [
        ('      - "photos/a\\nb.jpg"\n', "U+000A"),
        ('      - {file: "photos/a\\tb.jpg", caption: 主体}\n', "U+0009"),
        ('      - "photos/a\\rb.jpg"\n', "U+000D"),
        ('      - "photos/a\\u2028b.jpg"\n', "U+2028"),
    ],
)
def test_a_control_character_in_a_photo_path_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listing: str, code: str
) -> None:
    monkeypatch.chdir(tmp_path)
    photo_register(tmp_path / "content", "    photos:\n" + listing, {"photos/a.jpg": jpeg()})
    (found,) = errors_of(Path("content"))
    assert found.startswith("content/reports/2020-09.yaml:7:"), found
    assert (
        "projects.a.photos (形象进度照片): the photo path photos/a" in found
        and f"holds the control character {code} (a line break, a tab or another invisible "
        "character) (write the path on one line, exactly as the file is named)"
        in found
    ), found
    assert "\n" not in found


def test_a_caption_longer_than_the_sheet_shows_is_a_warning_and_past_100_an_error(
    tmp_path: Path,
) -> None:
    caption = "主体结构封顶" * 5  # 30 characters: the sheet shows about 24
    root = photo_register(
        tmp_path / "content",
        f"    photos:\n      - {{file: photos/a.jpg, caption: {caption}}}\n",
        {"photos/a.jpg": jpeg()},
    )
    _, warnings = check(root)
    assert [w.text("en").split(": ", 1)[1] for w in warnings] == [
        "warning: projects.a.photos[1].caption (说明): the caption has 30 characters; the A4 sheet "
        "shows about 24 under a photo and cuts the rest (say what the photo shows, such as "
        "主体结构封顶; the details belong in the progress text)"
    ]
    assert (warnings[0].pos.line, warnings[0].pos.col) == (7, 39)
    assert (
        warnings[0]
        .text("zh-CN")
        .endswith(
            "照片说明有30个字，A4页照片下最多显示约24个字，多出的部分会被截去"
            "（写清拍的是什么即可，如“主体结构封顶”；详细情况写在具体进度里）"
        )
    )
    report = root / "reports/2020-09.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(caption, "说" * 101), "utf-8")
    (found,) = errors_of(root)
    assert found.endswith(
        "projects.a.photos[1].caption (说明): expected at most 100 characters, got 101 (the lobby "
        "screen, the wall panel and the A4 sheet show at most this many in full; shorten it "
        "(docs/content-format.md lists each field's limit))"
    )


def test_the_same_photo_in_two_projects_is_flagged(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1),
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a:
                    percent: 60
                    progress: 主体施工
                    photos: [photos/a.jpg]
                  b:
                    percent: 40
                    progress: 基础施工
                    photos: [photos/b-copy.jpg]
                """,
        },
    )
    (root / "photos").mkdir()
    (root / "photos/a.jpg").write_bytes(jpeg())
    (root / "photos/b-copy.jpg").write_bytes(jpeg())
    _, everything = check(root)
    warnings = [w for w in everything if "photos" in w.field]
    assert [w.text("en").split(": ", 1)[1] for w in warnings] == [
        "warning: projects.b.photos (形象进度照片): the photo photos/b-copy.jpg (2020-09) is the "
        "same photo as photos/a.jpg, sent for project a in 2020-09 (each project sends photos of "
        "its own site; one photo on two projects tells the public that both are being built)"
    ]
    assert (warnings[0].pos.line, warnings[0].pos.col) == (10, 14)


def _heic() -> bytes:
    """The first bytes of an iPhone's HEIC photo (an ISO BMFF `ftyp` box), then noise."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(range(256)) * 8


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    "data, kind, hint",
    [
        (_gif, "GIF", "open it in an image viewer and save it as JPEG, or run convert"),
        (_heic, "HEIC", "this is an iPhone's photo format: set the phone to Settings → Camera"),
    ],
)
def test_a_gif_or_heic_under_a_jpg_name_is_named_as_what_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Any, kind: str, hint: str
) -> None:
    monkeypatch.chdir(tmp_path)
    photo_register(
        tmp_path / "content", "    photos:\n      - photos/a.jpg\n", {"photos/a.jpg": data()}
    )
    (found,) = errors_of(Path("content"))
    assert found.startswith(
        "content/reports/2020-09.yaml:7:9: projects.a.photos (形象进度照片): the photo "
        f"photos/a.jpg is a {kind} image; only JPEG, PNG and WebP are accepted ({hint}"
    ), found


def _broken_exif_jpeg() -> bytes:
    """A JPEG whose APP1 EXIF block claims 500 entries and holds 40 bytes of them."""
    good = jpeg(taken=None)
    payload = b"Exif\x00\x00II*\x00" + struct.pack("<IH", 8, 500) + b"\xff" * 40
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return good[:2] + segment + good[2:]


def test_a_corrupt_exif_block_is_one_warning_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from board.cli import main

    monkeypatch.chdir(tmp_path)
    photo_register(
        tmp_path / "content",
        "    photos:\n      - photos/a.jpg\n",
        {"photos/a.jpg": _broken_exif_jpeg()},
    )
    assert main(["check", "content"]) == 0
    out, err = capfd.readouterr()
    lines = (out + err).splitlines()
    assert [line for line in lines if "EXIF" in line] == [
        "content/reports/2020-09.yaml:7:9: warning: projects.a.photos (形象进度照片): the photo "
        "photos/a.jpg has a damaged EXIF block: the day it was taken and its orientation cannot "
        "be read; it is published as stored, its date unchecked (export the original again from "
        "the phone or camera)"
    ]
    assert "Traceback" not in err and "UserWarning" not in err
    assert main(["build", "content", "--out", str(tmp_path / "output")]) == 0
    assert "UserWarning" not in capfd.readouterr().err
    assert main(["check", "content", "--strict"]) == 1  # a warning, an error under --strict


def test_a_caption_glyph_the_fonts_lack_is_reported_by_check_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    photo_register(
        tmp_path / "content",
        "    photos:\n      - {file: photos/a.jpg, caption: 施工中🚧}\n",
        {"photos/a.jpg": jpeg()},
    )
    assert errors_of(Path("content")) == [
        "content/reports/2020-09.yaml:7:39: projects.a.photos[1].caption (说明): the character 🚧 "
        "(U+1F6A7, CONSTRUCTION SIGN) has no glyph in the font (Noto Sans CJK SC) and would print "
        "as an empty box in print/sheets-2020-09.pdf (remove or replace the character, or add an "
        "installed font that has it to font: in board.yaml (a fallback list: font: Noto Sans CJK "
        "SC, OTHER FAMILY))"
    ]
