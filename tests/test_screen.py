"""The lobby screen, `screen/index.html`: read in a real browser (Debian's Chromium) at
1920x1080, 1080x1920 and 3840x2160, with the example county and with 40 long-named projects.

Screenshots of every page go to artifacts/screen/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from board.build import BuildResult, build
from board.render.screen import layout_for, lines_needed
from tests.conftest import CONTENT, renders_asked, shoot, write_files

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "4k": (3840, 2160)}
DAY = "?now=2020-10-05T10:00:00"  # five days after the example's data month, in the daytime


def version_of(html: str) -> str:
    match = re.search(r'<meta name="board-screen-version" content="([0-9a-f]+)">', html)
    assert match, "index.html names its version"
    return match.group(1)


def with_screen(src: Path, dest: Path, width: int, height: int, night: str = "") -> Path:
    """A copy of a register whose board.yaml sets the screen's size (and night hours)."""
    shutil.copytree(src, dest)
    board_yaml = dest / "board.yaml"
    text = re.sub(r"\nscreen:\n(?:[ #].*\n|\n)*", "\n", board_yaml.read_text(encoding="utf-8"))
    text += f"\nscreen:\n  width: {width}\n  height: {height}\n"
    if night:
        text += f'  night: "{night}"\n'
    board_yaml.write_text(text, encoding="utf-8")
    return dest


# ---------------------------------------------------------------- without a browser


def test_the_build_writes_the_screen_and_its_version(example_build: BuildResult) -> None:
    html = example_build.files["screen/index.html"].decode("utf-8")
    version = json.loads(example_build.files["screen/version.json"])
    assert version == {"version": version_of(html), "month": "2020-09"}
    assert (example_build.out_dir / "screen" / "index.html").read_text(encoding="utf-8") == html
    assert "数据截至" in html and "2020年9月" in html
    assert "0310-7212345" in html  # the supervision hotline


def test_the_page_is_self_contained(example_build: BuildResult, big_screen: BuildResult) -> None:
    for result in (example_build, big_screen):
        html = result.files["screen/index.html"].decode("utf-8")
        # loads nothing: the photos (JPEG) and the county's base map (PNG) are data: URIs
        assert not re.search(
            r'\s(?:src|href|srcset|action)\s*=\s*(?!"data:image/(?:jpeg|png);base64,)', html
        ), "loads nothing"
        assert "<link" not in html and "@import" not in html and "url(" not in html
        assert "@font-face" not in html  # system CJK fonts by name, no font download
        assert '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC"' in html
        assert "<svg" in html  # the QR code to site_url, inline


def test_same_content_same_bytes_and_a_new_version_when_it_changes(
    scratch: Path, tmp_path: Path
) -> None:
    one = build(scratch, tmp_path / "one", stages=("screen",)).files
    two = build(scratch, tmp_path / "two", stages=("screen",)).files
    assert one["screen/index.html"] == two["screen/index.html"]
    assert one["screen/version.json"] == two["screen/version.json"]
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("主体封顶", "主体封顶，开始砌筑"),
        encoding="utf-8",
    )
    three = build(scratch, tmp_path / "three", stages=("screen",)).files
    old = json.loads(one["screen/version.json"])["version"]
    new = json.loads(three["screen/version.json"])["version"]
    assert old != new
    assert version_of(three["screen/index.html"].decode("utf-8")) == new


def test_text_from_the_register_is_escaped(scratch: Path, tmp_path: Path) -> None:
    write_files(
        scratch,
        {
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a: {percent: 70, progress: "<script>alert(1)</script><b>封顶</b>"}
                  b: {percent: 60, progress: "</script><img src=x onerror=alert(2)>"}
                """
        },
    )
    html = build(scratch, tmp_path / "out", stages=("screen",)).files["screen/index.html"]
    text = html.decode("utf-8")
    assert "<script>alert" not in text and "<b>封顶</b>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;封顶&lt;/b&gt;" in text
    assert text.count("<script") == 2  # the configuration and the screen's own script


def test_a_month_without_delays_says_so(scratch: Path, tmp_path: Path) -> None:
    write_files(
        scratch,
        {
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a: {percent: 75, progress: 主体封顶}
                  b: {percent: 80, progress: 装修}
                """
        },
    )
    html = build(scratch, tmp_path / "out", stages=("screen",)).files["screen/index.html"]
    text = html.decode("utf-8")
    assert '<section class="page page-empty" data-title="进度滞后项目"' in text
    assert "本月没有进度滞后或超期的项目" in text


def test_layouts_follow_the_screen_size() -> None:
    landscape, portrait, uhd = (layout_for(*size) for size in SIZES.values())
    assert (landscape.wide, portrait.wide, uhd.wide) == (True, False, True)
    assert (landscape.scale, portrait.scale, uhd.scale) == (1, 1, 2)
    # 4K is laid out in its own pixels: the same design at twice the size, not a scaled bitmap
    assert uhd.board_per_column == landscape.board_per_column
    assert uhd.px(24) == "48px"
    # a portrait screen shows cards, more of them per page than a landscape table's rows fit
    assert portrait.board_per_column >= 5 and landscape.board_per_column >= 8


def test_line_estimates_are_conservative() -> None:
    assert lines_needed("北区污水处理厂", 400, 28) == 1
    assert lines_needed("北" * 14, 400, 28) == 2  # 14 × 28 = 392 px: too close to trust one line
    assert lines_needed("a" * 40, 400, 26) == 2


# ---------------------------------------------------------------- in the browser

# Overflow, as a person sees it. CJK fonts have tall ascent and descent (Noto Sans CJK: 1.45 em),
# taller than the screen's line heights, so an inline box sticks out of its line by up to a
# fifth of its font size even though no glyph does; a line of text too many sticks out by a
# whole line. Vertically a fraction of the font size is allowed, horizontally one pixel.
OVERFLOW_JS = """() => {
  const W = innerWidth, H = innerHeight, bad = [];
  const slack = (el) => Math.max(1, 0.25 * parseFloat(getComputedStyle(el).fontSize));
  const name = (el) => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + String(el.className).replace(/ +/g, '.') : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const de = document.documentElement;
  if (de.scrollWidth > W || de.scrollHeight > H) bad.push('the document scrolls');
  for (const el of document.querySelectorAll('body *')) {
    const clamp = el.parentElement && el.parentElement.closest('.clamp');
    if (clamp || el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5)
      bad.push(name(el) + ' leaves the viewport');
  }
  const boxes = '.cell, .fit, .column, .head, .strip, .foot, .info .line, .clock .date, .qr-caption,'
    + ' .status, .chip, .pct, .move, .title, .banner';
  for (const el of document.querySelectorAll(boxes)) {
    if (!el.getClientRects().length || el.classList.contains('clamp') && !el.matches('.title')) continue;
    if (el.scrollHeight > el.clientHeight + slack(el) || el.scrollWidth > el.clientWidth + 1)
      bad.push(name(el) + ' overflows');
  }
  for (const cell of document.querySelectorAll('.cell')) {
    const c = cell.getBoundingClientRect();
    if (!c.width) continue;
    for (const el of cell.querySelectorAll('*')) {
      if (el.parentElement.closest('.clamp') && el.parentElement.closest('.clamp') !== cell) continue;
      const r = el.getBoundingClientRect(), s = slack(el);
      if (!r.width && !r.height) continue;
      if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - s || r.bottom > c.bottom + s)
        bad.push(name(el) + ' leaves its cell');
    }
  }
  return bad;
}"""

MIN_FONT_JS = """() => {
  let min = Infinity, where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || el.closest('script, style, title')) continue;
    if (!el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min) { min = size; where = node.textContent.trim().slice(0, 30); }
  }
  return [min, where];
}"""

PAGE_JS = """() => {
  const page = document.querySelector('.page:not([hidden])');
  const items = [...page.querySelectorAll('[data-id]')];
  const clamped = items.map((el) => {
    const name = el.querySelector('.name');
    // cut short: at least half a line more than it shows (see OVERFLOW_JS on CJK line boxes)
    const line = name && parseFloat(getComputedStyle(name).lineHeight);
    return name && name.scrollHeight > name.clientHeight + line / 2 ? el.dataset.id : null;
  }).filter(Boolean);
  return {
    kind: page.className.replace(/.*page-/, ''),
    ids: items.map((el) => el.dataset.id),
    clamped: clamped,
    visible: document.querySelectorAll('.page:not([hidden])').length,
    missedHidden: [...page.querySelectorAll('.missed')].filter((el) => {
      const r = el.getBoundingClientRect(), box = el.closest('.cell').getBoundingClientRect();
      return r.right > box.right + 1 || r.bottom > box.bottom + 1;
    }).length,
    // a leader's name and title, and who answers for a project behind: wrapped, never cut
    leadersCut: [...page.querySelectorAll('.clamp.leader, .clamp.who')].filter((el) =>
      el.scrollHeight > el.clientHeight + parseFloat(getComputedStyle(el).lineHeight) / 2
    ).map((el) => el.textContent),
    number: document.getElementById('page-number').textContent,
    title: document.getElementById('page-title').textContent,
  };
}"""


# How much of the page area a page fills: each column from its top to the bottom of its last
# item (a row, a card, a photo, the empty note), over the page's height times its columns.
FILL_JS = """() => {
  const page = document.querySelector('.page:not([hidden])');
  const height = page.getBoundingClientRect().height;
  const columns = [...page.querySelectorAll(':scope > .column')];
  let used = 0;
  for (const column of columns) {
    const top = column.getBoundingClientRect().top;
    let bottom = top;
    for (const el of column.querySelectorAll('[data-id], .empty, .thead'))
      bottom = Math.max(bottom, el.getBoundingClientRect().bottom);
    used += bottom - top;
  }
  return {kind: page.className.replace(/.*page-/, ''), fill: used / (columns.length * height)};
}"""


def under_half_used(fills: list[tuple[str, float]]) -> list[str]:
    """The pages less than half used that are not the last page of their kind."""
    last = {kind: index for index, (kind, _) in enumerate(fills)}
    return [
        f"page {index + 1} ({kind}) {fill:.0%} used"
        for index, (kind, fill) in enumerate(fills)
        if fill < 0.5 and last[kind] != index
    ]


def test_a_page_under_half_used_is_found() -> None:
    """The fill check names a half-empty page that is not the last of its kind."""
    fills = [("board", 0.9), ("board", 0.3), ("ranking", 0.4), ("detail", 0.2), ("detail", 0.6)]
    assert under_half_used(fills) == ["page 4 (detail) 20% used"]


@pytest.fixture(scope="module")
def screens(
    example_build: BuildResult, big_register: Path, tmp_path_factory
) -> dict[tuple[str, str], BuildResult]:
    """Both registers built for every size; only the data and the screen, to be quick."""
    root = tmp_path_factory.mktemp("screens")
    built = {("example", "landscape"): example_build}
    for register, src in (("example", CONTENT), ("big", big_register)):
        for size in SIZES:
            if (register, size) in built:
                continue
            content = with_screen(src, root / f"{register}-{size}" / "content", *SIZES[size])
            built[register, size] = build(
                content, content.parent / "output", stages=("data", "screen")
            )
    return built


@pytest.fixture(scope="module")
def big_screen(screens: dict) -> BuildResult:
    """The 40 long-named projects at the default size, 1920x1080."""
    return screens["big", "landscape"]


def open_screen(browser: Any, path: Path, size: tuple[int, int], query: str = DAY, **options):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **options)
    page = context.new_page()
    page.goto(path.as_uri() + query)
    return context, page


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("register", ["example", "big"])
def test_every_page_fits_is_legible_and_shows_every_project(
    browser: Any, screens: dict, artifacts: Path, register: str, size: str
) -> None:
    result = screens[register, size]
    width, height = SIZES[size]
    board = (
        json.loads(result.files["site/data/board.json"])
        if "site/data/board.json" in (result.files)
        else None
    )
    context, page = open_screen(browser, result.out_dir / "screen" / "index.html", (width, height))
    shots = artifacts / "screen"
    shots.mkdir(exist_ok=True)
    for old in shots.glob(f"{register}-{size}-*.*") if renders_asked() else ():
        old.unlink()
    count = page.evaluate("boardScreen.count()")
    html = result.files["screen/index.html"].decode("utf-8")
    assert count == html.count('<section class="page '), "the pages cut at build time all fit"
    seen: dict[str, list[str]] = {}
    clamped: set[str] = set()
    details: set[str] = set()
    fills: list[tuple[str, float]] = []
    smallest = 24 * min(width, height) / 1080
    for index in range(count):
        page.evaluate(f"boardScreen.show({index})")
        info = page.evaluate(PAGE_JS)
        assert info["visible"] == 1
        assert info["missedHidden"] == 0, "a missed catch-up deadline is never cut off"
        assert info["number"] == f"{index + 1}/{count}"
        problems = page.evaluate(OVERFLOW_JS)
        assert problems == [], f"page {index + 1}: {problems[:5]}"
        size_px, where = page.evaluate(MIN_FONT_JS)
        assert size_px >= smallest - 0.01, f"page {index + 1}: {where!r} is {size_px}px"
        seen.setdefault(info["kind"], []).extend(info["ids"])
        fill = page.evaluate(FILL_JS)
        fills.append((fill["kind"], fill["fill"]))
        if info["kind"] in ("board", "behind"):
            clamped.update(info["clamped"])
            assert info["leadersCut"] == [], f"page {index + 1}: cut {info['leadersCut']}"
        if info["kind"] == "detail":
            assert info["clamped"] == [], "detail cards show the whole name"
            details.update(info["ids"])
        shot = shots / f"{register}-{size}-{index + 1:02d}"
        if size == "4k":  # a 4K PNG takes a second to encode; a JPEG shows as much
            shoot(page, f"{shot}.jpg", type="jpeg", quality=80)
        else:
            shoot(page, f"{shot}.png")
    context.close()
    # pages filled: none under half used unless it is the last (or only) page of its kind
    assert under_half_used(fills) == [], fills
    ids = re.findall(r'<div class="(?:row grid|card)" data-id="([^"]+)"', html)
    projects = sorted(set(ids))
    assert len(projects) == (16 if register == "example" else 40)
    assert sorted(seen["board"]) == projects, "every project is on one board page, once"
    assert sorted(seen["ranking"]) == projects
    assert clamped <= details, "a name cut short has a detail card with the whole name"
    if register == "big" and size != "portrait":  # a portrait card has room for 46 characters
        assert clamped, "the very long names are clamped on the board pages"
    if board is not None:
        behind = [p["id"] for p in board["projects"] if p["status"] in ("behind", "overdue")]
        assert sorted(seen.get("behind", [])) == sorted(behind)
        order = {pid: board["ranking"].index(pid) for pid in board["ranking"]}
        assert seen["ranking"] == sorted(seen["ranking"], key=order.get)


@pytest.mark.browser
def test_rotation_advances_and_wraps_around(browser: Any, example_build: BuildResult) -> None:
    """The page's own timer turns the pages: the test moves the page's clock (Playwright's fake
    timers), never waits for the wall clock, so a busy machine cannot make it miss a page. The
    fake clock is paused: installed alone, it also runs on with the wall clock, and a busy
    machine's slow steps between two moves turned a page early."""
    index = example_build.out_dir / "screen" / "index.html"
    width, height = SIZES["landscape"]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    start = datetime(2020, 10, 5, 10, 0, 0)
    page.clock.install(time=start)
    page.clock.pause_at(start + timedelta(seconds=1))  # from here only run_for moves it
    page.goto(index.as_uri() + DAY + "&seconds=15")
    count = page.evaluate("boardScreen.count()")
    assert count >= 4
    seen = [page.evaluate("boardScreen.current()")]
    for _ in range(count + 1):
        page.clock.run_for(14_000)  # not yet: a page stays its 15 seconds
        assert page.evaluate("boardScreen.current()") == seen[-1]
        page.clock.run_for(1_000)
        seen.append(page.evaluate("boardScreen.current()"))
    context.close()
    assert seen == [*range(count), 0, 1], "every page in turn, then from the start"


@pytest.mark.browser
def test_page_turns_shift_the_content_a_little_and_keep_it_on_screen(
    browser: Any, example_build: BuildResult
) -> None:
    index = example_build.out_dir / "screen" / "index.html"
    context, page = open_screen(browser, index, SIZES["landscape"])
    page.evaluate("document.getElementById('frame').style.transition = 'none'")  # not eased
    positions = set()
    for _ in range(5):
        page.evaluate("boardScreen.next()")
        box = page.locator("#frame").bounding_box()
        positions.add((round(box["x"]), round(box["y"])))
        assert page.evaluate(OVERFLOW_JS) == []
    context.close()
    assert len(positions) >= 3
    assert all(abs(x - 8) <= 6 and abs(y - 8) <= 6 for x, y in positions), positions


@pytest.mark.browser
def test_with_scripting_off_the_first_page_shows(browser: Any, big_screen: BuildResult) -> None:
    index = big_screen.out_dir / "screen" / "index.html"
    context, page = open_screen(browser, index, SIZES["landscape"], "", java_script_enabled=False)
    info = page.evaluate  # evaluate still runs in the page's isolated world with scripting off
    assert page.locator(".page:not([hidden])").count() == 1
    assert page.locator(".page").first.is_visible()
    assert (
        page.locator(".page").first.locator("[data-id]").count()
        == layout_for(*SIZES["landscape"]).board_per_column
    )
    assert page.locator("#page-number").inner_text() == f"1/{page.locator('.page').count()}"
    assert info(OVERFLOW_JS) == []
    context.close()


@pytest.mark.browser
def test_clock_date_and_data_age(browser: Any, example_build: BuildResult) -> None:
    index = example_build.out_dir / "screen" / "index.html"
    context, page = open_screen(browser, index, SIZES["landscape"], "?now=2020-11-08T09:30:00")
    assert page.locator("#clock-time").inner_text().startswith("09:30")
    assert page.locator("#clock-date").inner_text() == "2020年11月8日"
    assert page.locator("#clock-weekday").inner_text() == "星期日"
    assert page.locator("#banner").inner_text() == ""  # 39 days after 30 September
    page.goto(index.as_uri() + "?now=2020-11-10T09:30:00")
    banner = page.locator("#banner").inner_text()
    assert "数据已超过40天未更新" in banner and "2020年9月" in banner and "41天" in banner
    assert page.locator("#banner").is_visible()
    context.close()


@pytest.mark.browser
def test_night_hours_show_only_a_dim_clock_and_the_title(
    browser: Any, example_build: BuildResult
) -> None:
    index = example_build.out_dir / "screen" / "index.html"  # the example sets 22:00-07:00
    context, page = open_screen(browser, index, SIZES["landscape"], "?now=2020-10-05T23:15:00")
    assert page.locator(".night-view").is_visible()
    assert page.locator(".night-time").inner_text() == "23:15"
    assert page.locator(".night-title").inner_text() == "全县重点项目建设进度公示"
    for hidden in (".head", ".strip", ".pages", ".foot"):
        assert not page.locator(hidden).is_visible()
    color = page.evaluate("getComputedStyle(document.querySelector('.night-time')).color")
    assert max(int(c) for c in re.findall(r"\d+", color)[:3]) < 128, f"dimmed, got {color}"
    page.goto(index.as_uri() + "?now=2020-10-05T07:00:00")
    assert not page.locator(".night-view").is_visible()
    assert page.locator(".head").is_visible()
    context.close()


@pytest.mark.browser
def test_without_night_hours_the_board_shows_all_night(
    browser: Any, big_screen: BuildResult
) -> None:
    index = big_screen.out_dir / "screen" / "index.html"  # the generated register sets none
    context, page = open_screen(browser, index, SIZES["landscape"], "?now=2020-10-05T03:00:00")
    assert not page.locator(".night-view").is_visible()
    assert page.locator(".head").is_visible()
    context.close()


@pytest.mark.browser
def test_opened_as_a_file_it_reloads_on_a_timer(browser: Any, example_build: BuildResult) -> None:
    index = example_build.out_dir / "screen" / "index.html"
    context, page = open_screen(browser, index, SIZES["landscape"], DAY + "&reload=0.5")
    page.evaluate("window.loadedBefore = true")
    page.wait_for_function("window.loadedBefore === undefined", timeout=10_000)
    assert page.locator(".page:not([hidden])").count() == 1
    context.close()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(example_build: BuildResult, tmp_path: Path) -> Iterator[tuple[str, Path, Any]]:
    """A copy of the example's screen served over HTTP on 127.0.0.1; stop() takes it down."""
    root = tmp_path / "www"
    shutil.copytree(example_build.out_dir / "screen", root / "screen")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stopped = []

    def stop() -> None:
        if not stopped:
            server.shutdown()
            server.server_close()
            stopped.append(True)

    yield f"http://127.0.0.1:{server.server_address[1]}/screen/", root / "screen", stop
    stop()


def publish_new_version(screen: Path, version: str) -> None:
    html = (screen / "index.html").read_text(encoding="utf-8")
    html = re.sub(r'(name="board-screen-version" content=")[0-9a-f]+', rf"\g<1>{version}", html)
    html = re.sub(r'("version": ")[0-9a-f]+', rf"\g<1>{version}", html)
    (screen / "index.html").write_text(html, encoding="utf-8")
    (screen / "version.json").write_text(json.dumps({"version": version}), encoding="utf-8")


@pytest.mark.browser
def test_served_it_reloads_when_a_new_build_is_published(browser: Any, served) -> None:
    url, screen, _ = served
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(url + DAY + "&poll=0.3")
    old = page.evaluate("boardScreen.version")
    page.evaluate("window.loadedBefore = true")
    page.wait_for_timeout(1000)  # polls that find the same version change nothing
    assert page.evaluate("window.loadedBefore") is True
    publish_new_version(screen, "0123456789abcdef")
    page.wait_for_function("window.loadedBefore === undefined", timeout=10_000)
    assert page.evaluate("boardScreen.version") == "0123456789abcdef" != old
    assert page.locator("#banner").inner_text() == ""
    context.close()


@pytest.mark.browser
def test_served_it_keeps_its_page_while_the_server_is_down(browser: Any, served) -> None:
    url, _, stop = served
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(url + "?now=2020-10-05T10:20:00&poll=0.3")
    page.evaluate("window.loadedBefore = true")
    rows = page.locator(".page:not([hidden]) [data-id]").count()
    stop()
    page.wait_for_function("document.body.classList.contains('offline')", timeout=10_000)
    banner = page.locator("#banner").inner_text()
    assert "无法连接服务器" in banner and "10:20" in banner and "2020年9月" in banner
    assert "5天" in banner  # how old the data is
    assert page.evaluate("window.loadedBefore") is True, "still the same page, not an error page"
    assert page.locator(".page:not([hidden]) [data-id]").count() == rows
    assert page.evaluate(OVERFLOW_JS) == []
    context.close()


@pytest.mark.browser
def test_a_half_published_build_does_not_reload_into_an_error(browser: Any, served) -> None:
    """version.json is new but the page cannot be fetched: keep showing the old page."""
    url, screen, _ = served
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(url + DAY + "&poll=0.3")
    page.evaluate("window.loadedBefore = true")
    (screen / "index.html").rename(screen / "index.old")
    (screen / "version.json").write_text('{"version": "fedcba9876543210"}', encoding="utf-8")
    page.wait_for_timeout(1500)  # five polls
    assert page.evaluate("window.loadedBefore") is True
    assert page.evaluate("boardScreen.version") != "fedcba9876543210"
    context.close()
