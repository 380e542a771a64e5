"""The bulletin after the clerk's eye (issue 20), PDF and Word copy, at 16 and 40 projects.

Read back from word positions (poppler's `pdftotext -bbox`): the ranking table begins on page 1
under its heading, its header row on every page it runs onto; each name in at most three lines
of its column; the title broken at a natural place; each project behind and each project with a
missed deadline listed once, its 限期赶上 said once without a symbol; the last page holds the
落款, not the 版记 alone. The Word copy: the same table with cells that never wrap a figure or a
status (read back from LibreOffice's PDF), the title's two lines, the office's fonts. A month
corrected after it was published (-r2) carries 更正 under its title in both copies, and its
page on the site says it was corrected.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import test_bulletin as tb
from conftest import CONTENT
from docx import Document
from docx.oxml.ns import qn

from board.build import BuildResult, build
from board.compute import BoardMonth, compute_all
from board.i18n import translator
from board.render import bulletin as official
from board.validate import check
from tests.test_print import context, printer

pytestmark = pytest.mark.slow

T = translator("zh-CN")


def _register(result: BuildResult, big_content: Path) -> Path:
    return CONTENT if result.projects == 16 else big_content


def _board(content: Path):
    register, _ = check(content)
    return compute_all(register)[-1]


@pytest.fixture(scope="module", params=[16, 40])
def printed(request, example_build: BuildResult, big_build: BuildResult, big_content: Path):
    """(build, register folder, the bulletin's pages read back) for 16 and for 40 projects."""
    result = example_build if request.param == 16 else big_build
    data = result.files[f"print/bulletin-{result.month}.pdf"]
    return result, _register(result, big_content), tb.pages(data)


def _lines_in(words: list[tb.Word], x0: float, x1: float) -> list[tuple[float, str]]:
    """The text lines of the words whose centre lies between x0 and x1 (mm), top to bottom."""
    inside = sorted(
        (w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1), key=lambda w: (round(w.y0), w.x0)
    )
    lines: list[tuple[float, str]] = []
    for word in inside:
        if lines and abs(lines[-1][0] - word.y0) < 1.0:
            lines[-1] = (lines[-1][0], lines[-1][1] + word.text)
        else:
            lines.append((word.y0, word.text))
    return lines


def test_the_ranking_table_begins_on_page_1_under_its_heading(printed) -> None:
    """The heading, the legend, the header row and the first rows together: on page 1 when it
    has room for them below the opening (the 版头, title and the county's totals take most of
    it), else all together at the top of page 2, never the heading alone at the foot of page 1."""
    _result, _, pages = printed
    start = next(p for p in pages if any(w.text == "一、进度排名" for w in p.words))
    heading = next(w for w in start.words if w.text == "一、进度排名")
    header = next(w for w in start.words if w.text == T("name"))
    assert header.y0 > heading.y1, "the table's header row under the heading"
    rows = sorted(
        (w for w in start.words if re.fullmatch(r"\d+(\.\d+)?%", w.text) and w.y0 > header.y1),
        key=lambda w: w.y0,
    )
    assert rows, "the page of the heading holds rows of the table, not its heading alone"
    if start.number > 1:
        # page 1 had no room: what the heading, legend, header and first row take is more
        # than what is left under page 1's last line (GB/T 9704: the text block ends 262 mm)
        needed = rows[0].y1 - heading.y0
        left = 37 + 225 - max(w.y1 for w in tb.body_words(pages[0]))
        assert start.number == 2 and needed > left, (needed, left)
        assert heading.y0 < 37 + 10, "the heading opens page 2"
    # the header row on top of every page the table runs onto
    for page in pages:
        cells = [w for w in page.words if re.fullmatch(r"\d+(\.\d+)?%", w.text)]
        if cells and page.number > 1:
            head = [w for w in page.words if w.text == T("name")]
            assert head and head[0].y1 < min(w.y0 for w in cells), page.number


def test_each_name_takes_at_most_three_lines_of_its_column(printed) -> None:
    _result, content, pages = printed
    board = _board(content)
    table = official.ranking_table(board, T)
    names = [r.project.name for r in board.ranking]
    lines: list[str] = []
    for page in pages:
        inner = 28 if page.number % 2 else 26
        x0 = inner + sum(table.width(k) for k in official.RANKING_COLUMNS[:2])
        x1 = x0 + table.width("name")
        head = [w for w in page.words if w.text == T("name")]
        if not head:
            continue  # no part of the table on this page
        top = head[0].y1  # the table's rows: below its header row, above what follows it
        after = [w.y0 for w in page.words if w.text == "二、进度滞后和超期项目" and w.y0 > top]
        bottom = min(after, default=37 + 225)
        words = [w for w in tb.body_words(page) if top < w.y0 < bottom]
        lines += [text for _, text in _lines_in(words, x0, x1)]
    taken: dict[str, int] = {}
    at = 0
    for name in names:
        text, count = "", 0
        while text != name.replace(" ", ""):
            assert at < len(lines), (name, text)
            text += lines[at]
            at += 1
            count += 1
            assert len(text) <= len(name), (name, text)
        taken[name] = count
    assert max(taken.values()) <= 3, {n: c for n, c in taken.items() if c > 3}
    assert table.size in official.TABLE_SIZES  # 五号, or 小五 where three lines need it


def test_each_project_is_listed_once_and_its_deadline_said_once(printed) -> None:
    result, content, pages = printed
    board = _board(content)
    text = "".join(line for page in pages for line in page.lines)
    behind_at = text.index("二、进度滞后和超期项目")
    missed_at = text.index("三、未按期赶上的项目")
    end = text.index("、本月调整事项")  # the section after it: 四 (or 五 after 未按时报送)
    behind, missed = text[behind_at:missed_at], text[missed_at:end]
    for row in board.behind:
        assert behind.count(row.project.name) == 1, row.project.name
    listed = {r.project.id for r, _ in board.missed_promises}
    for row in board.ranking:
        expected = 1 if row.project.id in listed else 0
        assert missed.count(row.project.name) == expected, row.project.name
    # the site's bulletin page too
    page = result.files[f"site/bulletin/{result.month}/index.html"].decode("utf-8")
    site_missed = page[page.index('id="missed-title"') :]
    for row in board.ranking:
        expected = 1 if row.project.id in listed else 0
        assert site_missed.count(f"<strong>{row.project.name}</strong>") == expected
    # 限期赶上 said once per project, without the promise's symbol (…)
    assert "…" not in behind and T("promise") not in behind
    paragraphs = re.split(r"（[一二三四五六七八九十百]+）", behind)[1:]
    assert len(paragraphs) == len(board.behind)
    for paragraph in paragraphs:
        assert paragraph.count(T("catch_up_by") + "：") == 1, paragraph
        dates = re.findall(r"\d{4}年\d+月\d+日", paragraph[paragraph.index("限期赶上：") :])
        assert len(dates) == len(set(dates)), paragraph


def test_the_title_breaks_at_a_natural_place() -> None:
    for month in ("2020年9月", "2020年12月"):
        parts = T("print.title_breaks").format(month=month).split("|")
        lines = official.title_lines(parts, official.TITLE_EM)
        assert lines == (f"关于{month}全县重点项目", "建设进度情况的通报")
    # three lines in a diamond when the words need them: the middle one the longest
    assert official.title_lines(["甲" * 6, "乙" * 12, "丙" * 6], 13) == (
        "甲" * 6,
        "乙" * 12,
        "丙" * 6,
    )


@pytest.fixture(scope="module")
def four_months(big_register: Path, tmp_path_factory) -> tuple[BoardMonth, str, str]:
    """The 40 long projects' four months (`big_build` publishes their last two): the board of
    the latest month, its bulletin's text read back from the PDF (rendered alone) and its
    bulletin page on the site (a build of the data and the site)."""
    ctx = context(big_register)
    _, _, make = printer(ctx).bulletin_unit()
    text = "".join(line for page in tb.pages(make()) for line in page.lines)
    out = tmp_path_factory.mktemp("four-months") / "output"
    result = build(big_register, out, stages=("data", "site"))
    page = result.files[f"site/bulletin/{result.month}/index.html"].decode("utf-8")
    return ctx.board, text, page


def test_a_project_that_missed_two_deadlines_is_listed_once_with_both(four_months) -> None:
    board, text, page = four_months
    twice = [(r, ps) for r, ps in official.missed_by_project(board) if len(ps) > 1]
    assert twice, "the four months hold projects that missed two catch-up deadlines"
    missed = text[text.index("三、未按期赶上的项目") : text.index("、本月调整事项")]
    site_missed = page[page.index('id="missed-title"') :]
    for row, promises in twice:
        name = row.project.name
        assert missed.count(name) == 1, name
        assert site_missed.count(f"<strong>{name}</strong>") == 1, name
        # its paragraph in the bulletin and its entry on the site: every deadline, in order
        said = missed[missed.index(name) :]
        said = said[: said.index("实际进度")]
        dates = [f"限期{p.by.year}年{p.by.month}月{p.by.day}日，逾期未赶上" for p in promises]
        assert re.findall(r"限期\d{4}年\d+月\d+日，逾期未赶上", said) == dates, said
        entry = site_missed[site_missed.index(f"<strong>{name}</strong>") :]
        entry = entry[: entry.index("</dl>")]
        times = re.findall(r'<time datetime="([0-9-]+)">', entry)
        assert times == [p.by.isoformat() for p in promises], entry


def test_the_last_page_holds_the_signature_with_the_colophon(printed) -> None:
    _result, _, pages = printed
    last = pages[-1]
    assert any(line.endswith("印发") for line in last.lines)
    assert "县重点项目建设办公室" in last.lines[:-3] or any(
        "〇" in line and line.endswith("日") for line in last.lines
    ), "the 落款 and 成文日期 stand on the page of the 版记"


# -- the Word copy -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office(example_build: BuildResult, big_build: BuildResult, tmp_path_factory) -> dict:
    """Both Word copies as LibreOffice lays them out (with the office fonts' stand-ins)."""
    work = tmp_path_factory.mktemp("office20")
    (work / "fonts.conf").write_text(tb.OFFICE_FONTCONFIG, encoding="utf-8")
    names = {}
    for size, result in ((16, example_build), (40, big_build)):
        path = work / f"b{size}.docx"
        path.write_bytes(result.files[f"print/bulletin-{result.month}.docx"])
        names[size] = path
    soffice = shutil.which("soffice")
    assert soffice is not None
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *map(str, names.values()),
        ],
        capture_output=True,
        check=True,
        timeout=300,
        env={
            "FONTCONFIG_FILE": str(work / "fonts.conf"),
            "PATH": "/usr/bin:/bin",
            "HOME": str(work),
        },
    )
    return {size: (work / f"b{size}.pdf").read_bytes() for size in names}


# the rest of a figure or a status broken in its cell: "%", ".4%", "成", "推进", "位" on a line
# of their own (a cell's lines are lines of their own in poppler's reading)
BROKEN = re.compile(r"^(%|\.\d+%?|\d%|成|进|后|期|送|推进|滞后|超期|报送|完成|位)$")


def test_docx_cells_never_break_a_figure_or_a_status(office: dict, artifacts: Path) -> None:
    for size, data in office.items():
        tb.render_pngs(data, artifacts / "20b", f"docx-{size}")
        lines = [line for page in tb.pages(data) for line in page.lines]
        assert [line for line in lines if BROKEN.match(line)] == [], size
    # the check finds a broken cell
    assert BROKEN.match("%") and BROKEN.match("成") and not BROKEN.match("已完成")


def test_docx_figure_cells_do_not_wrap_and_fonts_are_the_office_ones(
    example_build: BuildResult,
) -> None:
    doc = Document(io.BytesIO(example_build.files["print/bulletin-2020-09.docx"]))
    table = doc.tables[0]
    for row in table.rows[1:]:
        for index, key in enumerate(official.RANKING_COLUMNS):
            wraps = row.cells[index]._tc.tcPr.find(qn("w:noWrap")) is None
            assert wraps == (key in official.WRAPPING), key
    title = next(p for p in doc.paragraphs if p.style.name == "公文标题")
    assert title.text == "关于2020年9月全县重点项目\n建设进度情况的通报"
    fonts = {
        name: doc.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("公文标题", "公文正文", "一级标题", "二级标题", "发文机关标志")
    }
    assert fonts == {
        "公文标题": "方正小标宋简体",
        "公文正文": "仿宋_GB2312",
        "一级标题": "黑体",
        "二级标题": "楷体_GB2312",
        "发文机关标志": "方正小标宋简体",
    }
    # the run-level fonts of the table's header cells are the East Asian 黑体 too
    head = table.rows[0].cells[0].paragraphs[0].runs[0]._r.rPr.rFonts
    assert head.get(qn("w:eastAsia")) == "黑体" and head.get(qn("w:hint")) == "eastAsia"


# -- a corrected month ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> BuildResult:
    """The example built, then August's report corrected (a percent and its text) and built
    again: August is published anew as -r2."""
    content = tmp_path_factory.mktemp("corr") / "content"
    shutil.copytree(CONTENT, content)
    out = content.parent / "output"
    build(content, out)
    report = content / "reports" / "2020-08.yaml"
    text = report.read_text(encoding="utf-8")
    first = re.search(r"percent: (\d+)", text)
    assert first is not None
    value = int(first.group(1))
    text = text[: first.start()] + f"percent: {value + 1}" + text[first.end() :]
    report.write_text(text, encoding="utf-8")
    return build(content, out)


def test_a_corrected_bulletin_says_so_under_its_title(corrected: BuildResult) -> None:
    pdf = corrected.files["print/bulletin-2020-08-r2.pdf"]
    first = tb.pages(pdf)[0]
    text = "".join(first.lines)
    assert "更正" in text and "本通报以此版为准" in text
    title = next(w for w in first.words if w.text.startswith("建设进度情况的通报"))
    note = next(w for w in first.words if "更正" in w.text)
    recipients = next(w for w in first.words if w.text.startswith("各乡镇人民政府"))
    assert title.y1 < note.y0 < recipients.y0  # under the title, before the 主送机关
    assert re.search(r"（\d{4}年\d+月\d+日更正：.+?实际进度\d+%→\d+%", text)
    # the first version stays as it was, without a correction
    assert "更正" not in "".join(tb.pages(corrected.files["print/bulletin-2020-08.pdf"])[0].lines)
    doc = Document(io.BytesIO(corrected.files["print/bulletin-2020-08-r2.docx"]))
    paragraphs = [p.text for p in doc.paragraphs]
    at = next(i for i, p in enumerate(paragraphs) if p.startswith("关于2020年8月"))
    assert paragraphs[at + 1].startswith("（") and "更正" in paragraphs[at + 1]
    # the month's page: corrected, not "does not change"
    page = corrected.files["site/2020-08/index.html"].decode("utf-8")
    assert "发布后保持不变" not in page and "已于" in page and "更正" in page
