"""The public website (site/): pages, open data, feed, links, safety; in Chromium: no errors, no
outside requests, axe-core, filters and sorting, scripting off, 360 px phones."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from board.build import BuildResult, render_all
from board.money import wan
from board.render.site import CSV_COLUMNS
from tests.conftest import axe_violations, project_yaml, shoot, write_files

ATOM = "{http://www.w3.org/2005/Atom}"
MONTHS = ("2020-06", "2020-07", "2020-08", "2020-09")


class Page(HTMLParser):
    """The parts of an HTML page the tests look at: links, resources, tables, text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.metas: list[dict[str, str]] = []
        self.lang: str | None = None
        self.text_parts: list[str] = []
        self.rows: list[list[str]] = []  # body rows of the table with id="board"
        self._in_board = False
        self._in_tbody = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta":
            self.metas.append(a)
        for attribute in ("href", "src"):
            if attribute in a:
                self.links.append((tag, attribute, a[attribute]))
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "table" and a.get("id") == "board":
            self._in_board = True
        if self._in_board and tag == "tbody":
            self._in_tbody = True
        if self._in_tbody and tag == "tr":
            self._row = []
        if self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if self._cell is not None and tag in ("td", "th"):
            assert self._row is not None
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if self._row is not None and tag == "tr":
            self.rows.append(self._row)
            self._row = None
        if tag == "tbody":
            self._in_tbody = False
        if tag == "table":
            self._in_board = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text_parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll `expression` from here: page.wait_for_function polls with eval inside the page,
    which the site's Content-Security-Policy (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


def site_of(result: BuildResult) -> Path:
    return result.out_dir / "site"


def page(result: BuildResult, name: str) -> Page:
    return Page((site_of(result) / name).read_text(encoding="utf-8"))


def marked(project: dict) -> str:
    """A project's name as the board's first column shows it: with its 调整 mark when a
    commitment changed, its 新增 mark in its first month (issue 22)."""
    return (
        project["name"]
        + (" 调整" if project["changes"] else "")
        + (" 新增" if project["new"] else "")
    )


def shown_day(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def html_pages(result: BuildResult) -> list[str]:
    return sorted(n for n in result.files if n.startswith("site/") and n.endswith(".html"))


def project_ids(result: BuildResult) -> list[str]:
    data = json.loads(result.files["site/data/board.json"])
    return [p["id"] for p in data["projects"]]


# --- the folder ---------------------------------------------------------------------------------


def test_the_site_has_every_page(example_build: BuildResult) -> None:
    names = set(example_build.files)
    ids = project_ids(example_build)
    assert len(ids) == 16
    expected = {
        "site/index.html",
        "site/archive/index.html",
        "site/embed.html",
        "site/feed.xml",
        "site/site.css",
        "site/site.js",
        "site/data/projects.csv",
        "site/data/board.json",
        *(f"site/{m}/index.html" for m in MONTHS),
        *(f"site/bulletin/{m}/index.html" for m in MONTHS),
        *(f"site/data/board-{m}.json" for m in MONTHS),
        *(f"site/projects/{pid}/index.html" for pid in ids),
        "site/disclosure/index.html",  # issue 24
    }
    assert expected <= names
    for name in expected:
        assert (example_build.out_dir / name).read_bytes() == example_build.files[name]


def test_the_index_is_the_latest_board_in_full(example_build: BuildResult) -> None:
    index = page(example_build, "index.html")
    latest = page(example_build, "2020-09/index.html")
    data = json.loads(example_build.files["site/data/board.json"])
    assert index.rows == latest.rows
    assert len(index.rows) == 16
    # board order, the five columns, the percent as a number and the status as a word
    for row, project in zip(index.rows, data["projects"], strict=True):
        name, leader, unit, deadline, progress, percent, status = row
        assert (name, leader, unit) == (marked(project), project["leader"], project["unit"])
        year, month, day = project["deadline"].split("-")
        # a deadline moved (issue 22) shows the one first promised under it
        baseline = project["baseline"]["deadline"]
        assert deadline == f"{int(year)}年{int(month)}月{int(day)}日" + (
            "" if baseline == project["deadline"] else f"原定{shown_day(baseline)}"
        )
        assert project["progress"] in progress
        assert percent.startswith(f"{project['percent']}%")
        assert status.endswith(project["status_label"])
    assert "2020年9月30日" in index.text
    assert "0310-7212345" in index.text and "zdxmb@example.gov.cn" in index.text
    assert "县重点项目建设办公室" in index.text


def test_past_months_show_their_own_board(example_build: BuildResult) -> None:
    for month in MONTHS:
        data = json.loads(example_build.files[f"site/data/board-{month}.json"])
        shown = page(example_build, f"{month}/index.html")
        assert [r[0] for r in shown.rows] == [marked(p) for p in data["projects"]]
        assert [r[5].split("%")[0] for r in shown.rows] == [
            str(p["percent"]) for p in data["projects"]
        ]
        year, mm = month.split("-")
        assert f"{year}年{int(mm)}月" in shown.text
    june = page(example_build, "2020-06/index.html")
    assert "本页是2020年6月的公示，发布后保持不变。" in june.text


def test_each_month_links_its_own_pdfs_and_data(example_build: BuildResult) -> None:
    """Every month stays published with its print files, and its page links them (issue 12)."""

    def links(name: str, suffix: str) -> set[str]:
        return {v for _, _, v in page(example_build, name).links if v.endswith(suffix)}

    assert links("index.html", ".pdf") == {
        "../print/panel-2020-09.pdf",
        "../print/sheets-2020-09.pdf",
        "../print/bulletin-2020-09.pdf",
    }
    assert "../../../print/bulletin-2020-09.pdf" in links("bulletin/2020-09/index.html", ".pdf")
    assert links("2020-08/index.html", ".pdf") == {
        "../../print/panel-2020-08.pdf",
        "../../print/sheets-2020-08.pdf",
        "../../print/bulletin-2020-08.pdf",
    }
    assert links("bulletin/2020-08/index.html", ".pdf") == {
        "../../../print/bulletin-2020-08.pdf",
        "../../../print/panel-2020-08.pdf",
        "../../../print/sheets-2020-08.pdf",
    }
    assert "../data/projects-2020-08.csv" in links("2020-08/index.html", ".csv")
    assert "../data/board-2020-08.json" in links("2020-08/index.html", ".json")
    for month in ("2020-06", "2020-07", "2020-08", "2020-09"):
        for kind in ("panel", "sheets", "bulletin"):
            assert f"print/{kind}-{month}.pdf" in example_build.files


def test_a_project_page_has_every_field_the_schedule_and_the_history(
    example_build: BuildResult,
) -> None:
    data = json.loads(example_build.files["site/data/board.json"])
    project = next(p for p in data["projects"] if p["id"] == "luozhuang-fangzhi")
    shown = page(example_build, "projects/luozhuang-fangzhi/index.html")
    html = (site_of(example_build) / "projects/luozhuang-fangzhi/index.html").read_text("utf-8")
    for key in ("name", "leader", "unit", "owner", "location", "category", "progress", "reason"):
        assert project[key] and project[key] in shown.text, key
    for label in (
        "项目名称",
        "分包县领导",
        "分包单位",
        "完成时限",
        "具体进度",
        "项目业主",
        "开工时间",
    ):
        assert label in shown.text
    # amounts as the one money formatter writes them (board/money.py): 35,000
    assert f"总投资（万元）{wan(project['investment'])}" in shown.text
    assert f"累计完成投资（万元）{wan(project['invested'])}" in shown.text
    # the schedule: every milestone with its state in words
    for milestone in project["milestones"]:
        assert milestone["task"] in shown.text
    assert {"done": "已完成", "due": "未到期", "missed": "逾期未完成"}[
        project["milestones"][0]["state"]
    ] in shown.text
    # the history: one row per month, the reasons, the catch-up deadlines and their outcome
    for month in MONTHS:
        assert f'href="../../{month}/index.html"' in html
        month_data = json.loads(example_build.files[f"site/data/board-{month}.json"])
        entry = next(p for p in month_data["projects"] if p["id"] == "luozhuang-fangzhi")
        if entry["reported"]:
            assert entry["progress"] in shown.text
            if entry["problems"]:
                assert entry["problems"] in shown.text
            if entry["measures"]:
                assert entry["measures"] in shown.text
    assert "2020年8月31日" in shown.text and "逾期未赶上" in shown.text
    assert "尚未到期" in shown.text
    met = page(example_build, "projects/nanqu-huanjing/index.html")
    assert "已按期赶上" in met.text
    # the chart: inline SVG with a title and a text alternative naming every month's figures
    assert re.search(
        r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"', html
    )
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', html)
    assert desc is not None
    assert desc.group(1).count("计划") == len(MONTHS)
    assert f"2020年9月计划{project['planned']:g}%，实际{project['percent']}%" in desc.group(1)


def test_the_bulletin_page_ranks_and_names_the_projects_behind(
    example_build: BuildResult,
) -> None:
    data = json.loads(example_build.files["site/data/board.json"])
    names = {p["id"]: p["name"] for p in data["projects"]}
    shown = page(example_build, "bulletin/2020-09/index.html")
    html = (site_of(example_build) / "bulletin/2020-09/index.html").read_text("utf-8")
    assert "关于2020年9月全县重点项目建设进度情况的通报" in shown.text
    ranked = re.findall(r'<th scope="row"[^>]*><a href="../../projects/([^/]+)/index.html">', html)
    assert ranked == data["ranking"]
    behind = [p for p in data["projects"] if p["status"] in ("behind", "overdue")]
    assert behind
    section = shown.text.split("二、进度滞后和超期项目")[1].split("三、未按期赶上的项目")[0]
    for p in behind:
        assert names[p["id"]] in section
        assert (p["reason"] or "未说明原因") in section
    missed = shown.text.split("三、未按期赶上的项目")[1]
    assert names["luozhuang-fangzhi"] in missed


def test_the_archive_lists_every_month(example_build: BuildResult) -> None:
    html = (site_of(example_build) / "archive/index.html").read_text("utf-8")
    months = re.findall(r'<a href="../(\d{4}-\d\d)/index.html">', html)
    assert months == list(reversed(MONTHS))
    for month in MONTHS:
        assert f'href="../bulletin/{month}/index.html"' in html
        assert f'href="../data/board-{month}.json"' in html


def test_every_page_has_title_issuer_month_supervision_and_its_data(
    example_build: BuildResult,
) -> None:
    for name in html_pages(example_build):
        if name == "site/embed.html":
            continue
        html = example_build.files[name].decode("utf-8")
        shown = Page(html)
        assert shown.lang == "zh-CN", name
        assert re.search(
            r"<title>[^<]+ · 全县重点项目建设进度公示 · 县重点项目建设办公室</title>", html
        )
        assert "县重点项目建设办公室" in shown.text
        assert "监督电话：0310-7212345" in shown.text, name
        assert "监督邮箱：zdxmb@example.gov.cn" in shown.text, name
        assert re.search(r"数据截至：\d{4}年\d{1,2}月\d{1,2}日", shown.text), name
        data = [v for _, _, v in shown.links if re.search(r"data/board-\d{4}-\d\d\.json$", v)]
        assert data, f"{name} links no data"
        assert any(v.endswith("data/projects.csv") for _, _, v in shown.links)
        assert any(v.endswith("feed.xml") for _, _, v in shown.links)


def test_every_internal_link_resolves_to_a_file_of_the_build(example_build: BuildResult) -> None:
    out = example_build.out_dir.resolve()
    checked = 0
    for name in html_pages(example_build):
        here = (out / name).parent
        for tag, attribute, value in Page(example_build.files[name].decode("utf-8")).links:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https", "mailto", "tel"):
                assert tag == "a", f"{name}: <{tag} {attribute}={value}> loads from outside"
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: {value}"
            if not parts.path:  # a fragment on the same page
                continue
            target = (here / unquote(parts.path)).resolve()
            assert target.is_relative_to(out), f"{name}: {value} leads outside the output"
            assert target.is_file(), f"{name}: {value} does not resolve to a file"
            checked += 1
    assert checked > 500


def test_no_page_loads_anything_from_outside_and_all_have_a_csp(
    example_build: BuildResult,
) -> None:
    for name in html_pages(example_build):
        html = example_build.files[name].decode("utf-8")
        shown = Page(html)
        for tag, _, value in shown.links:
            if tag != "a":
                assert not urlsplit(value).scheme and not value.startswith("//"), (name, value)
        assert "@import" not in html and "url(" not in html
        if name == "site/embed.html":
            assert "<html" not in html and "<body" not in html and "<script" not in html
            continue
        csp = [
            m["content"] for m in shown.metas if m.get("http-equiv") == "Content-Security-Policy"
        ]
        assert csp and "default-src 'none'" in csp[0] and "script-src 'self'" in csp[0], name
        assert "<script>" not in html and " style=" not in html and "on" + "click" not in html
    css = example_build.files["site/site.css"].decode("utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_the_embed_fragment_scopes_every_style(example_build: BuildResult) -> None:
    html = example_build.files["site/embed.html"].decode("utf-8")
    assert html.startswith('<div class="zdxm-board-embed" lang="zh-CN">')
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    rules = re.sub(r"/\*.*?\*/", "", css.group(1), flags=re.S)
    rules = re.sub(r"@media[^{]*\{", "", rules)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", rules) for s in block.split(",")]
    assert selectors
    for selector in selectors:
        assert selector.startswith(".zdxm-board-embed"), selector
    # site_url is set, so links reach the published site from the CMS page
    assert 'href="https://www.example.gov.cn/zdxm/projects/beiqu-wushui/index.html"' in html
    assert Page(html).text.count("%") >= 16


def json_value(project: dict, column: str) -> object:
    """The JSON's value of a CSV column: flat, or the baseline and the count of changes
    (issue 22: baseline_deadline is the JSON's baseline.deadline, changes its length)."""
    if column.startswith("baseline_"):
        return project["baseline"][column.removeprefix("baseline_")]
    if column == "changes":
        return len(project["changes"])
    return project[column]


def test_the_csv_round_trips_with_the_rows_of_the_json(example_build: BuildResult) -> None:
    raw = (site_of(example_build) / "data/projects.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that spreadsheet programs need
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    data = json.loads(example_build.files["site/data/board.json"])
    assert len(rows) == len(data["projects"]) == 16
    assert list(rows[0]) == list(CSV_COLUMNS)
    for row, project in zip(rows, data["projects"], strict=True):
        for column in CSV_COLUMNS:
            value = json_value(project, column)
            if isinstance(value, bool):
                assert row[column] == str(value).lower()
            elif isinstance(value, int | float):
                assert float(row[column]) == value, column
            elif value and value.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert row[column] == "'" + value, column  # never a formula in a spreadsheet
            else:
                assert row[column] == (value or ""), column


def test_the_feed_is_atom_with_one_entry_per_month(example_build: BuildResult) -> None:
    root = ET.fromstring(example_build.files["site/feed.xml"])
    assert root.tag == f"{ATOM}feed"
    for field in ("title", "id", "updated", "author"):
        assert root.find(f"{ATOM}{field}") is not None, field
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"https://www.example.gov.cn/zdxm/{m}/" for m in reversed(MONTHS)
    ]
    for entry, month in zip(entries, reversed(MONTHS), strict=True):
        updated = entry.findtext(f"{ATOM}updated")
        assert updated is not None
        assert datetime.fromisoformat(updated).date().isoformat()[:7] == month
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}summary")
        links = [link.get("href") for link in entry.findall(f"{ATOM}link")]
        assert f"https://www.example.gov.cn/zdxm/{month}/index.html" in links
    assert root.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")


# --- registers written for the test -------------------------------------------------------------


def scratch_site(root: Path, board_extra: str = "", **project_a: object) -> dict[str, bytes]:
    write_files(
        root,
        {
            "board.yaml": "title: 全县重点项目建设进度公示\nissuer: 县重点项目建设办公室\n"
            "hotline: 0310-7212345\n" + board_extra,
            "projects/a.yaml": project_yaml("a", order=1, **project_a),
            "projects/b.yaml": project_yaml("b", order=2, unit="交通运输局"),
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 60, progress: 主体施工}
                  b: {percent: 20, progress: 基础施工, reason: 征地未完成, catch_up_by: 2020-09-30}
                """,
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a: {percent: 70, progress: 主体封顶}
                """,
        },
    )
    files, _, _ = render_all(root, stages=("data", "site"))
    return files


def test_markdown_and_text_from_the_register_are_made_safe(tmp_path: Path) -> None:
    summary = (
        '"<script>alert(1)</script>[点我](javascript:alert(2)) <img src=x onerror=alert(3)> '
        '[官网](https://example.gov.cn/) [邮件](mailto:a@example.gov.cn) <b onclick=x>粗</b>"'
    )
    files = scratch_site(tmp_path / "content", name='"<i>斜</i>项目&"', summary=summary)
    html = files["site/projects/a/index.html"].decode("utf-8")
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html
    assert "onclick" not in html and "<img" not in html
    assert '<a href="https://example.gov.cn/" rel="noopener noreferrer nofollow">官网</a>' in html
    assert 'href="mailto:a@example.gov.cn"' in html
    assert "&lt;i&gt;斜&lt;/i&gt;项目&amp;" in html and "<i>斜" not in html
    board = files["site/index.html"].decode("utf-8")
    assert "&lt;i&gt;斜&lt;/i&gt;项目&amp;" in board and "<i>斜" not in board


def test_labels_are_english_with_language_en(tmp_path: Path) -> None:
    files = scratch_site(tmp_path / "content", "language: en\n")
    for name in (
        "site/index.html",
        "site/projects/b/index.html",
        "site/bulletin/2020-09/index.html",
    ):
        shown = Page(files[name].decode("utf-8"))
        assert shown.lang == "en"
        assert (
            "Leader in charge" in shown.text and "Supervision hotline: 0310-7212345" in shown.text
        )
        for chinese in ("分包县领导", "监督电话", "数据截至", "进度滞后", "未报送"):
            assert chinese not in shown.text, (name, chinese)
    assert "30 September 2020" in Page(files["site/index.html"].decode("utf-8")).text
    root = ET.fromstring(files["site/feed.xml"])
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert "September 2020" in (root.find(f"{ATOM}entry/{ATOM}title").text or "")


def test_a_project_not_reported_this_month_says_so_with_its_last_figures(tmp_path: Path) -> None:
    files = scratch_site(tmp_path / "content")
    board = Page(files["site/index.html"].decode("utf-8"))
    b = board.rows[1]
    assert (
        b[4] == "基础施工 （数据为2020年8月）"
        and b[5].startswith("20%")
        and b[6].endswith("未报送")
    )
    project = Page(files["site/projects/b/index.html"].decode("utf-8"))
    assert "征地未完成" in project.text and "2020年9月30日" in project.text
    # the promise of 2020-09-30 was not checked by a report on or after it: missed
    assert "逾期未赶上" in project.text


def test_without_site_url_feed_and_embed_use_stable_relative_addresses(tmp_path: Path) -> None:
    first = scratch_site(tmp_path / "one")
    again = scratch_site(tmp_path / "two")
    site = {k: v for k, v in first.items() if k.startswith("site/")}
    assert site == {k: v for k, v in again.items() if k.startswith("site/")}  # deterministic
    root = ET.fromstring(first["site/feed.xml"])
    ids = [e.findtext(f"{ATOM}id") or "" for e in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    embed = first["site/embed.html"].decode("utf-8")
    assert 'href="projects/a/index.html"' in embed and 'href="index.html"' in embed


# --- in Chromium --------------------------------------------------------------------------------


class Recorder:
    """Every request a page makes; anything outside the allowed prefix is refused and recorded."""

    def __init__(self, allowed: str) -> None:
        self.allowed = allowed
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []

    def attach(self, context: object) -> None:
        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            self.requests.append(url)
            if url.startswith(self.allowed) or url.startswith("data:"):
                r.continue_()  # type: ignore[attr-defined]
            else:
                self.outside.append(url)
                r.abort()  # type: ignore[attr-defined]

        context.route("**/*", route)  # type: ignore[attr-defined]

    def watch(self, page: object) -> None:
        page.on(  # type: ignore[attr-defined]
            "console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text)
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))  # type: ignore[attr-defined]

        def failed(r: object) -> None:
            # a lazily loaded photo still on its way when the test moves to the next page is
            # cut off by the navigation, not refused (test_photos checks every photo loads)
            if r.resource_type == "image" and r.failure == "net::ERR_ABORTED":  # type: ignore[attr-defined]
                return
            self.errors.append(f"failed: {r.url}")  # type: ignore[attr-defined]

        page.on("requestfailed", failed)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def served(example_build: BuildResult) -> Iterator[str]:
    """The output folder over a local http.server on 127.0.0.1, as the county's web server would."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(example_build.out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_every_page_loads_without_errors_or_outside_requests(
    browser: object, example_build: BuildResult, served: str
) -> None:
    site = site_of(example_build).resolve()
    names = [n.removeprefix("site/") for n in html_pages(example_build)]
    for base in (site.as_uri() + "/", served):
        recorder = Recorder(base)
        context = browser.new_context()  # type: ignore[attr-defined]
        recorder.attach(context)
        tab = context.new_page()
        recorder.watch(tab)
        for name in names:
            tab.goto(base + name)
            assert tab.title() or name == "embed.html"
        context.close()
        assert recorder.outside == []
        assert recorder.errors == []
        assert sum(r.endswith("site.css") for r in recorder.requests) >= len(names) - 1
        assert any(r.endswith("site.js") for r in recorder.requests)


@pytest.mark.browser
@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "projects/luozhuang-fangzhi/index.html",
        "2020-07/index.html",
        "bulletin/2020-09/index.html",
        "archive/index.html",
        "embed.html",
        "projects/beiqu-wushui/index.html",  # issue 24: the eight categories
        "disclosure/index.html",  # issue 24: the county's disclosure
    ],
)
@pytest.mark.parametrize("width", [1280, 360])
def test_axe_core_finds_no_violations(
    browser: object, example_build: BuildResult, name: str, width: int
) -> None:
    # the page's CSP forbids inline scripts, as it should: axe is injected past it
    context = browser.new_context(  # type: ignore[attr-defined]
        bypass_csp=True, viewport={"width": width, "height": 900}
    )
    tab = context.new_page()
    if name == "embed.html":  # the fragment as the county's CMS shows it: inside its own page
        fragment = example_build.files["site/embed.html"].decode("utf-8")
        tab.set_content(
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政府网站</title>'
            f"</head><body><main><h1>重点项目公示</h1>{fragment}</main></body></html>"
        )
    else:
        tab.goto((site_of(example_build) / name).resolve().as_uri())
    result = axe_violations(tab)
    context.close()
    assert result == []


def visible_rows(tab: object) -> list[dict[str, str]]:
    return tab.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('#board tbody tr'))
            .filter(r => !r.hidden)
            .map(r => ({status: r.dataset.status, unit: r.dataset.unit, leader: r.dataset.leader,
                        name: r.cells[0].querySelector('a').textContent.trim(),
                        percent: Number(r.cells[5].dataset.value)}))"""
    )


@pytest.mark.browser
def test_filters_and_sorting_work_by_mouse_and_keyboard(
    browser: object, example_build: BuildResult, artifacts: Path
) -> None:
    data = json.loads(example_build.files["site/data/board.json"])
    names = [p["name"] for p in data["projects"]]
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto((site_of(example_build) / "index.html").resolve().as_uri())
    assert tab.is_visible("#filters")
    assert tab.text_content("#filter-count") == "显示16个项目，共16个"

    tab.select_option("#f-status", "behind")
    rows = visible_rows(tab)
    assert len(rows) == data["counts"]["behind"] > 0
    assert {r["status"] for r in rows} == {"behind"}
    assert tab.text_content("#filter-count") == f"显示{len(rows)}个项目，共16个"

    tab.select_option("#f-status", "")
    unit = data["projects"][0]["unit"]
    tab.select_option("#f-unit", unit)
    assert {r["name"] for r in visible_rows(tab)} == {
        p["name"] for p in data["projects"] if p["unit"] == unit
    }
    leader = data["projects"][0]["leader"]
    tab.select_option("#f-leader", leader)
    assert {r["name"] for r in visible_rows(tab)} == {
        p["name"] for p in data["projects"] if p["unit"] == unit and p["leader"] == leader
    }
    tab.click("#filters button[type=reset]")
    wait_until(tab, "document.querySelectorAll('#board tbody tr:not([hidden])').length == 16")

    # sorting by the percent column: the header is a button, aria-sort says the order
    header = tab.locator("#board thead th").nth(5)
    header.locator("button").click()
    percents = [r["percent"] for r in visible_rows(tab)]
    assert percents == sorted(percents) and header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    percents = [r["percent"] for r in visible_rows(tab)]
    assert percents == sorted(percents, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    shoot(tab, artifacts / "site-sorted.png")

    # the keyboard: Tab reaches the sort buttons, Enter sorts by the deadline
    tab.locator("#board thead th").nth(3).locator("button").focus()
    tab.keyboard.press("Enter")
    deadlines = tab.evaluate(
        "() => Array.from(document.querySelectorAll('#board tbody tr')).map(r => r.cells[3].dataset.value)"
    )
    assert deadlines == sorted(deadlines)
    tab.keyboard.press("Shift+Tab")
    focused = tab.evaluate("() => document.activeElement.textContent")
    assert focused.startswith("分包单位")

    assert tab.input_value("#f-sort") == "3:asc"  # the select follows the headers

    # the sort select (phones show no table header): the percent, highest first
    tab.select_option("#f-sort", "5:desc")
    percents = [r["percent"] for r in visible_rows(tab)]
    assert percents == sorted(percents, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"

    # reset restores the board order
    tab.click("#filters button[type=reset]")
    wait_until(tab, "!document.querySelector('#board th[aria-sort]')")
    assert [r["name"] for r in visible_rows(tab)] == names
    context.close()


@pytest.mark.browser
def test_without_scripting_the_table_is_complete(
    browser: object, example_build: BuildResult
) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto((site_of(example_build) / "index.html").resolve().as_uri())
    assert not tab.is_visible("#filters")  # the controls would do nothing
    rows = tab.locator("#board tbody tr")
    assert rows.count() == 16
    assert all(rows.nth(i).is_visible() for i in range(16))
    assert tab.locator("#board thead th button").count() == 0
    context.close()


@pytest.fixture(scope="module")
def big_site(big_register: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site of the register of 40 projects with very long texts (no PDFs: faster)."""
    files, ctx, _ = render_all(big_register, stages=("data", "assets", "site"))
    out = tmp_path_factory.mktemp("big-site")
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out / "site", str(ctx.board.month)


@pytest.mark.browser
def test_at_360_px_nothing_overflows_and_the_table_becomes_a_list(
    browser: object, big_site: tuple[Path, str], artifacts: Path
) -> None:
    site, month = big_site
    ids = [p["id"] for p in json.loads((site / "data/board.json").read_bytes())["projects"]]
    context = browser.new_context(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    tab = context.new_page()
    for name in (
        "index.html",
        f"projects/{ids[0]}/index.html",
        f"{month}/index.html",
        f"bulletin/{month}/index.html",
        "archive/index.html",
        "embed.html",
    ):
        tab.goto((site / name).as_uri())
        width = tab.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width} px wide at 360 px"
        too_wide = tab.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > 361)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
        )
        assert too_wide == [], name
        shot = name.replace("/", "_").replace(".html", "")
        shoot(tab, artifacts / f"site-360-{shot}.png", full_page=True)
    tab.goto((site / "index.html").as_uri())
    # a row is a card: the labels of the columns are shown beside each value
    label = tab.evaluate(
        "() => getComputedStyle(document.querySelector('#board tbody td'), '::before').content"
    )
    assert "分包县领导" in label
    assert (
        tab.evaluate("() => getComputedStyle(document.querySelector('#board thead tr')).position")
        == "absolute"
    )
    context.close()


@pytest.mark.browser
def test_the_print_stylesheet_hides_the_controls(
    browser: object, example_build: BuildResult
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto((site_of(example_build) / "index.html").resolve().as_uri())
    assert tab.is_visible("#filters")
    tab.emulate_media(media="print")
    assert not tab.is_visible("#filters") and not tab.is_visible("nav")
    assert tab.locator("#board tbody tr").count() == 16 and tab.is_visible("#board")
    context.close()


def test_csv_text_is_never_a_formula(tmp_path: Path) -> None:
    files = scratch_site(
        tmp_path / "content", name='"=HYPERLINK(\\"http://evil.example\\",\\"点击\\")"'
    )
    rows = list(csv.DictReader(io.StringIO(files["site/data/projects.csv"].decode("utf-8-sig"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example","点击")'
    assert rows[1]["variance"].startswith("-")  # a negative number stays a number
    float(rows[1]["variance"])
