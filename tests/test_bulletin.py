"""The bulletin (通报) as an official document after GB/T 9704-2012, and its Word copies.

`print/bulletin-M.pdf` of the example county is read back with poppler and pypdf: page size,
margins and text block measured from word positions, type sizes, the 版头/版记 parts, the page
numbers at the outer corners, line-start punctuation. `print/bulletin-M.docx` and
`print/审阅-M.docx` are opened again with python-docx and converted to PDF by LibreOffice
(headless, Debian's libreoffice-writer-nogui, installed by setup.sh) and read back the same way.
Page renders of all of them go to `artifacts/bulletin/`.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import BOARD_YAML, CONTENT, project_yaml, write_files
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from board.build import BuildResult, render_all
from board.cli import main
from board.compute import compute_all
from board.errors import ContentError, RenderError
from board.render import BuildContext, environment, word
from board.render import bulletin as official
from board.validate import check

pytestmark = pytest.mark.slow

MM = 72 / 25.4
PDF = "print/bulletin-2020-09.pdf"
DOCX = "print/bulletin-2020-09.docx"
REVIEW = "内部/审阅-2020-09.docx"
NUMBER = "县重点办〔2020〕4号"  # reports 2020-06 … 2020-09: the fourth of the year
CLOSING = "，。、；：？！）》」』〕”’…"


# -- reading PDFs back ------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    x0: float  # mm from the page's left edge
    y0: float  # mm from the page's top edge
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float  # mm
    height: float
    words: tuple[Word, ...]
    lines: tuple[str, ...]  # each text line's words joined


def pages(data: bytes) -> list[Page]:
    """Every page's words and lines, from `pdftotext -bbox-layout`, in mm."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.S), 1):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        assert size is not None
        words = tuple(
            Word(text, *(float(v) / MM for v in box))
            for *box, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>",
                page,
            )
        )
        lines = tuple(
            "".join(re.findall(r">([^<]*)</word>", line))
            for line in re.findall(r"<line[^>]*>(.*?)</line>", page, re.S)
        )
        found.append(
            Page(number, float(size.group(1)) / MM, float(size.group(2)) / MM, words, lines)
        )
    return found


def raw_text(data: bytes, page: int) -> str:
    """One page's text in drawing order (a table cell's lines together), without whitespace."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def sizes(data: bytes) -> dict[str, set[float]]:
    """The type sizes (pt) each text run is drawn at, from pypdf's text visitor."""
    found: dict[str, set[float]] = {}
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text, cm, tm, font, size) -> None:
            if text.strip():
                scale = abs(cm[0] * tm[0]) or 1.0
                found.setdefault(text.strip(), set()).add(round(size * scale, 1))

        page.extract_text(visitor_text=visit)
    return found


def body_words(page: Page) -> list[Word]:
    """The page's words above the page number (which stands below the text block)."""
    return [w for w in page.words if w.y1 < 37 + 225 + 1]


def page_number(page: Page) -> list[Word]:
    return [w for w in page.words if w.y0 > 37 + 225]


def render_pngs(data: bytes, folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-", str(folder / stem)], input=data, check=True
    )
    return sorted(folder.glob(f"{stem}-*.png"))


@pytest.fixture(scope="session")
def bulletin_pages(example_build: BuildResult) -> list[Page]:
    return pages(example_build.files[PDF])


OFFICE_FONTCONFIG = (
    """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
"""
    + "".join(
        f'  <alias binding="same"><family>{office}</family>'
        f"<prefer><family>{free}</family></prefer></alias>\n"
        for office, free in (
            ("方正小标宋简体", "Noto Serif CJK SC"),
            ("仿宋_GB2312", "Noto Serif CJK SC"),
            ("黑体", "Noto Sans CJK SC"),
            ("楷体_GB2312", "AR PL KaitiM GB"),
        )
    )
    + "</fontconfig>\n"
)


@pytest.fixture(scope="session")
def office_pdfs(example_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both .docx files of the example build converted to PDF by LibreOffice, headless."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "soffice is missing: ./setup.sh installs libreoffice-writer-nogui"
    work = tmp_path_factory.mktemp("office")
    # the Word copy names the fonts of an office PC (方正小标宋简体, 仿宋_GB2312, 黑体,
    # 楷体_GB2312); LibreOffice here draws them with the free fonts the PDF uses, as an office
    # PC would with its own (a fontconfig of this run only: the machine's is left alone)
    (work / "fonts.conf").write_text(OFFICE_FONTCONFIG, encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf")}
    for name in (DOCX, REVIEW):
        (work / Path(name).name).write_bytes(example_build.files[name])
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
            str(work / Path(DOCX).name),
            str(work / Path(REVIEW).name),
        ],
        capture_output=True,
        check=True,
        timeout=180,
        env=env,
    )
    return {
        DOCX: (work / "bulletin-2020-09.pdf").read_bytes(),
        REVIEW: (work / "审阅-2020-09.pdf").read_bytes(),
    }


# -- the PDF after GB/T 9704 ----------------------------------------------------------------------


def test_the_bulletin_is_a4_with_the_standard_text_block(bulletin_pages: list[Page]) -> None:
    assert len(bulletin_pages) >= 3
    for page in bulletin_pages:
        assert (round(page.width), round(page.height)) == (210, 297)
        words = body_words(page)
        inner = 28 if page.number % 2 else 26  # 订口 28 mm: left on odd pages, right on even
        left = min(w.x0 for w in words)
        right = max(w.x1 for w in words)
        assert left >= inner - 0.5, (page.number, left)
        table_only = "项目名称" in [w.text for w in words] and not any(
            len(w.text) > 12 for w in words
        )  # a page of the ranking table alone: its first column's figures are centred
        if page.number < len(bulletin_pages) and not table_only:  # lines start at the margin
            assert left <= inner + 1.5, (page.number, left)
        assert right <= inner + 156 + 0.5, (page.number, right)
        assert max(w.y1 for w in words) <= 37 + 225 + 0.5, page.number
    # 天头 37 mm: the first line of a page that continues the body starts at the text block (a
    # last page that holds only the 版记, at its foot, continues no body: issue 24 made the
    # example's body end low on its page)
    for page in bulletin_pages[1:]:
        if "".join(page.lines).startswith("抄送"):
            continue
        top = min(w.y0 for w in body_words(page))
        assert 37 <= top <= 37 + 6, (page.number, top)
    # the text is as wide as the text block: some line reaches within a character of its edge
    widest = max(
        max(w.x1 for w in body_words(p)) - (28 if p.number % 2 else 26) for p in bulletin_pages
    )
    assert widest >= 156 - 6


def test_the_head_has_the_red_mark_35mm_down_the_number_and_the_red_rule(
    example_build: BuildResult, bulletin_pages: list[Page], artifacts: Path
) -> None:
    first = bulletin_pages[0]
    mark = next(w for w in first.words if w.text == "县重点项目建设办公室")
    assert 37 + 35 - 3 <= mark.y0 <= 37 + 35 + 3  # 上边缘至版心上边缘 35 mm
    assert abs((mark.x0 + mark.x1) / 2 - (28 + 156 / 2)) < 2  # centred
    number = next(w for w in first.words if w.text == NUMBER)
    assert number.y0 > mark.y1 + 15  # 空二行 below the mark
    assert abs((number.x0 + number.x1) / 2 - (28 + 156 / 2)) < 2
    # the mark is red, and so is the rule below the number (read from a 60 dpi render)
    from PIL import Image

    png = render_pngs(example_build.files[PDF], artifacts / "bulletin", "pdf")[0]
    image = Image.open(png).convert("RGB")
    scale = image.width / 210

    def red_rows(y0: float, y1: float) -> int:
        rows = 0
        for y in range(int(y0 * scale), int(y1 * scale) + 1):
            xs = range(int(28 * scale), int(184 * scale))
            reds = sum(1 for x in xs if _red(image.getpixel((x, y))))
            rows += reds > 0
        return rows

    assert red_rows(mark.y0, mark.y1) > 3
    rule_band = red_rows(number.y1 + 1, number.y1 + 8)
    assert rule_band >= 1
    # the rule runs the whole width of the text block
    y = next(
        y
        for y in range(int((number.y1 + 1) * scale), int((number.y1 + 8) * scale))
        if _red(image.getpixel((int(100 * scale), y)))
    )
    assert _red(image.getpixel((int(29 * scale), y))) and _red(
        image.getpixel((int(183 * scale), y))
    )


def _red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 180 and g < 120 and b < 120


def test_title_body_tables_and_page_numbers_have_the_standard_sizes(
    example_build: BuildResult,
) -> None:
    found = sizes(example_build.files[PDF])
    # 2号, in two lines broken where the words allow (GB/T 9704: 梯形, 词意完整)
    assert found["关于2020年9月全县重点项目"] == {22.0}
    assert found["建设进度情况的通报"] == {22.0}
    assert found[NUMBER] == {16.0}
    assert found["一、进度排名"] == {16.0}  # 3号
    assert found["现将2020年9月全县重点项目建设进度情况通报如下。"] == {16.0}
    # tables: 五号, or 小五 where a name would need more than three lines (docs/print.md): the
    # example's longest names need 小五
    assert found["项目名称"] == {9.0}
    assert {16.0} == found["请以上项目的分包县领导和分包单位说明原因，限期赶上。"]
    numbers = {text: size for text, size in found.items() if re.fullmatch(r"— \d+ —", text)}
    assert numbers and all(size == {14.0} for size in numbers.values())  # 4号


def test_the_body_is_set_on_the_grid_of_22_lines_of_28_characters(
    bulletin_pages: list[Page],
) -> None:
    # a full body line holds 28 characters (the first line of a paragraph 26 after its indent)
    full = [line for page in bulletin_pages for line in page.lines if len(line) == 28]
    assert full, "no body line of 28 characters"
    # lines of the body are 225/22 mm apart (on the body's last page: the 版记 may stand on a page
    # of its own after it, GB/T 9704 7.4)
    page = next(p for p in reversed(bulletin_pages) if "二〇二〇年十月九日" in p.lines)
    # (the 楷体 headings （一） sit on the same grid, but their glyphs' tops stand lower)
    tops = sorted(
        {
            round(w.y0, 1)
            for w in body_words(page)
            if w.x0 < 40 and len(w.text) > 10 and not w.text.startswith("（")
        }
    )
    steps = [b - a for a, b in itertools.pairwise(tops) if b - a < 12]
    assert steps and all(abs(step - 225 / 22) < 0.3 for step in steps), steps


def test_page_numbers_stand_at_the_outer_corners(bulletin_pages: list[Page]) -> None:
    for page in bulletin_pages:
        words = page_number(page)
        assert "".join(w.text for w in words) == f"—{page.number}—"
        top = min(w.y0 for w in words)
        assert 37 + 225 + 5 <= top <= 37 + 225 + 10  # 7 mm below the text block
        if page.number % 2:  # odd: right, one character in from the text block's edge
            assert 28 + 156 - 12 <= max(w.x1 for w in words) <= 28 + 156 - 4
        else:  # even: left
            assert 26 + 4 <= min(w.x0 for w in words) <= 26 + 12


def test_the_main_parts_and_the_colophon_at_the_foot_of_the_last_page(
    bulletin_pages: list[Page],
) -> None:
    first, last = bulletin_pages[0], bulletin_pages[-1]
    lines = [line for page in bulletin_pages for line in page.lines]
    assert "各乡镇人民政府，县直各有关单位：" in lines  # 主送机关, flush left
    recipients = next(w for w in first.words if w.text.startswith("各乡镇人民政府"))
    assert abs(recipients.x0 - 28) < 0.5
    # the 落款 ends the body; the 版记 stands at the foot of the last page, the same page when it
    # has room, else a page of its own (GB/T 9704 7.4: 版记 on the last page)
    signed = next(p for p in reversed(bulletin_pages) if "二〇二〇年十月九日" in p.lines)
    assert "县重点项目建设办公室" in signed.lines
    assert signed.number >= last.number - 1
    signature = next(w for w in signed.words if w.text == "二〇二〇年十月九日")
    issuer = next(w for w in signed.words if w.text == "县重点项目建设办公室")
    # the text block's right edge: the 订口 (28 mm) is the inner margin, left on odd pages
    right = (28 if signed.number % 2 else 26) + 156
    assert signature.x0 == pytest.approx(issuer.x0 + 2 * 156 / 28, abs=1.0)  # 右移二字
    assert right - signature.x1 == pytest.approx(2 * 156 / 28, abs=1.0)  # 右空二字
    # 版记: 抄送 and 印发, its last line on the last line of the text block
    assert any(line.startswith("抄送：县委办公室") for line in last.lines)
    printed = next(w for w in last.words if w.text.endswith("印发"))
    assert printed.text == "2020年10月9日印发"
    assert 37 + 225 - 4 <= printed.y1 <= 37 + 225 + 0.5
    right = (28 if last.number % 2 else 26) + 156
    assert printed.x1 == pytest.approx(right - 156 / 28, abs=1.0)  # 右空一字


def test_no_line_starts_with_closing_punctuation(bulletin_pages: list[Page]) -> None:
    starts = [line for page in bulletin_pages for line in page.lines if line[:1] in CLOSING]
    assert starts == []


def test_ranking_rows_never_split_and_the_header_repeats(
    example_build: BuildResult, bulletin_pages: list[Page]
) -> None:
    register, _ = check(CONTENT)
    board = compute_all(register)[-1]
    # the pages of the table: those with a figure of its own (a cell such as 54%)
    cell = re.compile(r"\d+(\.\d+)?%")
    tables = [p for p in bulletin_pages if any(cell.fullmatch(w.text) for w in p.words)]
    assert tables  # (the 40 projects of test_bulletin_clerk.py run over page breaks)
    for page in tables:
        header = next(w for w in page.words if w.text == "项目名称")
        figures = [w for w in page.words if cell.fullmatch(w.text)]
        assert header.y1 < min(w.y0 for w in figures), page.number  # the header on top
    # every row is whole on one page: its name, wrapped in its cell, is not cut in two
    table_text = [raw_text(example_build.files[PDF], p.number) for p in tables]
    for row in board.ranking:
        assert any(row.project.name in text for text in table_text), row.project.name
    figures = [w for p in tables for w in p.words if cell.fullmatch(w.text)]
    assert len(figures) == 2 * len(board.ranking)  # planned and actual of every row


def test_the_bulletin_draws_each_role_in_its_font(
    example_build: BuildResult, tmp_path: Path
) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(example_build.files[PDF])
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    names = {line.split()[0].split("+", 1)[-1] for line in out.stdout.splitlines()[2:]}
    assert {
        "Noto-Serif-CJK-SC-Bold",  # 标题 and 发文机关标志 (小标宋's stand-in)
        "Noto-Serif-CJK-SC",  # 正文
        "Noto-Sans-CJK-SC-Bold",  # 黑体: 一、 headings
        "AR-PL-KaitiM-GB",  # 楷体: (一) headings
    } <= names


# -- the bulletin's parts, settings and fonts ---------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2020, 10, 9), "二〇二〇年十月九日"),
        (date(2021, 12, 31), "二〇二一年十二月三十一日"),
        (date(2020, 1, 20), "二〇二〇年一月二十日"),
        (date(2019, 11, 10), "二〇一九年十一月十日"),
    ],
)
def test_the_date_of_writing_is_in_chinese_numerals(day: date, text: str) -> None:
    assert official.chinese_date(day) == text


def bulletin_register(root: Path, bulletin: str = "", reports: int = 2) -> Path:
    files = {
        "board.yaml": BOARD_YAML + bulletin,
        "projects/a.yaml": project_yaml("a", order=1),
        "projects/b.yaml": project_yaml("b", order=2),
    }
    for month in range(1, reports + 1):
        files[f"reports/2020-{month:02d}.yaml"] = (
            f"month: 2020-{month:02d}\nprojects:\n  a: {{percent: {10 * month}, progress: 施工}}\n"
        )
    return write_files(root, files)


def test_the_number_counts_the_reported_months_of_the_year_from_first_number(
    tmp_path: Path,
) -> None:
    root = bulletin_register(
        tmp_path / "content",
        "bulletin:\n  number: 县重点办〔{year}〕{n}号 ({month}月)\n  first_number: 7\n",
        reports=3,
    )
    register, _ = check(root)
    numbers = [
        official.document_number(register, m, register.config.bulletin) for m in register.months
    ]
    assert numbers == [
        "县重点办〔2020〕7号 (1月)",
        "县重点办〔2020〕8号 (2月)",
        "县重点办〔2020〕9号 (3月)",
    ]


def test_bad_bulletin_settings_are_errors_in_both_languages(tmp_path: Path) -> None:
    root = bulletin_register(
        tmp_path / "content",
        "bulletin:\n  number: 县重点办〔{yaer}〕{n}号\n  first_number: 0\n  body_font: ' , '\n",
    )
    (root / "reports/2020-02.yaml").write_text(
        "month: 2020-02\npublished: 2020-01-31\nprojects:\n  a: {percent: 20, progress: 施工}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as failure:
        check(root)
    texts = [p.text("en") for p in failure.value.problems]
    assert any(
        t.endswith(
            "bulletin.number (发文字号): the pattern 县重点办〔{yaer}〕{n}号 has {yaer}; it may only"
            " name {year}, {month} and {n}, exactly so (no format, conversion, index or attribute)"
            " (such as 县重点办〔{year}〕{n}号)"
        )
        for t in texts
    ), texts
    assert any(
        t.endswith(
            "bulletin.first_number (起始序号): expected a whole number from 1 to 9999, got 0"
        )
        for t in texts
    )
    assert any(
        t.endswith(
            "bulletin.body_font (正文字体): expected one or more font names separated by commas, got nothing"
        )
        for t in texts
    )
    assert any(
        t.endswith("published (印发日期): expected a date in or after 2020-02, got 2020-01-31")
        for t in texts
    )
    chinese = [p.text("zh-CN") for p in failure.value.problems]
    assert any(t.endswith("印发日期2020-01-31早于报告月份2020-02") for t in chinese), chinese
    assert any(
        "发文字号格式县重点办〔{yaer}〕{n}号中有{yaer}；只能原样写 {year}（年）、{month}（月）、"
        "{n}（序号），不带格式、下标或属性" in t
        for t in chinese
    )


def test_an_office_font_not_installed_is_reported_once_naming_the_stand_in(
    tmp_path: Path,
) -> None:
    root = bulletin_register(
        tmp_path / "content",
        "bulletin:\n  body_font: 仿宋_GB2312, Noto Serif CJK SC\n  kai_font: 楷体_GB2312, AR PL KaitiM GB\n",
    )
    files, _, warnings = render_all(root, stages=("print", "word"))
    assert "print/bulletin-2020-02.pdf" in files and "print/bulletin-2020-02.docx" in files
    mine = [w for w in warnings if w.field.startswith("bulletin.")]
    assert [w.text("en").split(": warning: ", 1)[1] for w in mine] == [
        'bulletin.body_font: the bulletin\'s body font "仿宋_GB2312" is not installed; '
        '"Noto Serif CJK SC" stands in (install that font and build again, or name only'
        " installed fonts in bulletin: body_font)",
        'bulletin.kai_font: the bulletin\'s 楷体 (second-level headings) font "楷体_GB2312" is'
        ' not installed; "AR PL KaitiM GB" stands in (install that font and build again, or'
        " name only installed fonts in bulletin: kai_font)",
    ]
    assert [w.pos.line for w in mine] == [5, 5]  # the bulletin: settings in board.yaml
    assert (
        mine[0].message.text("zh-CN")
        == "通报正文字体“仿宋_GB2312”未安装，由“Noto Serif CJK SC”代替"
    )
    # the .docx names the office's font: Word on the office's machine uses it
    styles = Document(io.BytesIO(files["print/bulletin-2020-02.docx"])).styles
    fonts = styles["公文正文"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_role_without_any_installed_font_fails_the_build(tmp_path: Path) -> None:
    root = bulletin_register(tmp_path / "content", "bulletin:\n  hei_font: 黑体, 方正黑体简体\n")
    with pytest.raises(RenderError) as failure:
        render_all(root, stages=("print",))
    assert [p.text("en").split(": ", 1)[1] for p in failure.value.problems] == [
        "bulletin.hei_font: none of the bulletin's 黑体 (first-level headings) fonts"
        " (黑体、方正黑体简体) is installed (install one of them (Debian: fonts-noto-cjk,"
        " fonts-arphic-gkai00mp) or change bulletin: hei_font in board.yaml)"
    ]


# -- the Word copy --------------------------------------------------------------------------


def test_the_docx_has_the_parts_styles_by_role_and_the_page(example_build: BuildResult) -> None:
    doc = Document(io.BytesIO(example_build.files[DOCX]))
    by_style: dict[str, list[str]] = {}
    for paragraph in doc.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["发文机关标志"] == ["县重点项目建设办公室"]
    assert by_style["发文字号"] == [NUMBER]
    assert by_style["公文标题"] == ["关于2020年9月全县重点项目\n建设进度情况的通报"]
    assert by_style["主送机关"] == ["各乡镇人民政府，县直各有关单位："]
    assert by_style["一级标题"] == [
        "一、进度排名",
        "二、进度滞后和超期项目",
        "三、未按期赶上的项目",
        "四、本月调整事项",  # issue 22
        "五、信息公开逾期事项",  # issue 24: the example county has disclosure sections
    ]
    assert by_style["二级标题"][0].startswith("（一）")
    assert by_style["落款"] == ["县重点项目建设办公室", "二〇二〇年十月九日"]
    assert [t for t in by_style["版记"] if t] == [
        "抄送：县委办公室，县人大常委会办公室，县政府办公室，县政协办公室。",
        "县重点项目建设办公室\t2020年10月9日印发",
    ]
    styles = doc.styles
    assert styles["公文标题"].font.size == Pt(22)
    assert styles["公文正文"].font.size == Pt(16)
    assert styles["一级标题"].font.bold is False  # 黑体 is heavy already: never made bold
    assert styles["发文机关标志"].font.color.rgb == word.RED
    east_asian = {
        name: styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("公文标题", "公文正文", "一级标题", "二级标题")
    }
    # the fonts a Windows/WPS office has, not the Linux stand-ins the PDF is drawn with
    assert east_asian == {
        "公文标题": "方正小标宋简体",
        "公文正文": "仿宋_GB2312",
        "一级标题": "黑体",
        "二级标题": "楷体_GB2312",
    }
    section = doc.sections[0]
    page = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    assert [round(length.mm) for length in page] == [210, 297, 37, 35]
    assert [round(section.left_margin.mm), round(section.right_margin.mm)] == [28, 26]
    assert doc.settings.element.find(qn("w:mirrorMargins")) is not None
    assert doc.settings.odd_and_even_pages_header_footer


def test_the_docx_ranking_is_a_word_table_with_a_repeated_header_row(
    example_build: BuildResult,
) -> None:
    register, _ = check(CONTENT)
    board = compute_all(register)[-1]
    doc = Document(io.BytesIO(example_build.files[DOCX]))
    table = doc.tables[0]
    header, *rows = table.rows
    assert [c.text.replace("\n", "") for c in header.cells] == [
        "排名",
        "名次变化",
        "项目名称",
        "分包县领导",
        "分包单位",
        "实际进度",
        "计划进度",
        "偏差",
        "状态",
    ]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows)
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert [r.cells[2].text for r in rows] == [r.project.name for r in board.ranking]
    assert [r.cells[5].text for r in rows] == [f"{r.actual}%" for r in board.ranking]


def test_the_docx_page_numbers_are_page_fields_at_the_outer_corners(
    example_build: BuildResult,
) -> None:
    section = Document(io.BytesIO(example_build.files[DOCX])).sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        instr = paragraph._p.findall(f".//{qn('w:instrText')}")
        assert [i.text.strip() for i in instr] == ["PAGE"]
        assert paragraph.alignment.name.lower() == align
        assert paragraph.style.font.size == Pt(14)


def test_the_word_copies_are_byte_identical_for_the_same_content(
    example_build: BuildResult,
) -> None:
    register, _ = check(CONTENT)
    boards = compute_all(register)
    ctx = BuildContext(register, boards, boards[-1], environment(register))
    again = word.render(ctx)
    assert again[DOCX] == example_build.files[DOCX]
    assert again[REVIEW] == example_build.files[REVIEW]
    with zipfile.ZipFile(io.BytesIO(again[DOCX])) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2020-09-30T00:00:00Z" in core


def test_the_bulletin_page_links_the_word_copy(example_build: BuildResult) -> None:
    page = (example_build.out_dir / "site/bulletin/2020-09/index.html").read_text("utf-8")
    assert 'href="../../../print/bulletin-2020-09.docx"' in page
    assert "下载2020年9月通报（Word 可编辑版）" in page
    home = (example_build.out_dir / "site/index.html").read_text("utf-8")
    assert 'href="../print/bulletin-2020-09.docx"' in home
    assert "审阅" not in home  # the sign-off sheet is the office's paper, not linked
    assert (example_build.out_dir / DOCX).read_bytes() == example_build.files[DOCX]


def test_libreoffice_opens_the_docx_as_the_same_a4_bulletin(
    office_pdfs: dict, artifacts: Path
) -> None:
    data = office_pdfs[DOCX]
    render_pngs(data, artifacts / "bulletin", "docx")
    found = pages(data)
    assert len(found) >= 3
    for page in found:
        assert (round(page.width), round(page.height)) == (210, 297)
        words = body_words(page)
        inner = 28 if page.number % 2 else 26
        assert min(w.x0 for w in words) >= inner - 0.5, page.number
        assert max(w.x1 for w in words) <= inner + 156 + 0.5, page.number
        assert "".join(w.text for w in page_number(page)) == f"—{page.number}—"
        numbers = page_number(page)
        if page.number % 2:
            assert max(w.x1 for w in numbers) > 150
        else:
            assert min(w.x0 for w in numbers) < 60
    text = "".join(line for page in found for line in page.lines)
    assert NUMBER in text and "关于2020年9月全县重点项目建设进度情况的通报" in text
    last = found[-1]
    printed = next(w for w in last.words if w.text.endswith("印发"))
    assert 37 + 225 - 4 <= printed.y1 <= 37 + 225 + 1  # the 版记 at the foot of the last page
    sized = sizes(data)
    assert sized["关于"] == {22.0}  # LibreOffice draws a run per script: 关于 | 2020 | 年 …
    assert sized["县重点办〔"] == {16.0}


# -- the sign-off sheet ----------------------------------------------------------------------


def test_the_sign_off_sheet_lists_the_changes_with_a_signature_line(
    example_build: BuildResult, office_pdfs: dict, artifacts: Path
) -> None:
    doc = Document(io.BytesIO(example_build.files[REVIEW]))
    texts = [p.text for p in doc.paragraphs]
    assert "2020年9月公示审阅单" in texts
    assert "对比月份：2020年8月 → 2020年9月" in texts
    assert texts[-2:] == ["审阅意见：", "审阅人（签字）：\t日期：　　年　　月　　日"]
    names = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "南区电子商务产业园及快递物流分拣中心建设项目" in names  # 未报送
    data = office_pdfs[REVIEW]
    render_pngs(data, artifacts / "bulletin", "review")
    found = pages(data)
    # 15 of the 16 projects changed in September: two pages, the signature never alone on the
    # second, but under the last project listed
    assert len(found) <= 2
    last = found[-1].lines
    assert any(line.startswith("审阅人（签字）：") for line in last)
    assert any(line.startswith("审阅意见") for line in last)
    assert any("骆庄园区年产3万吨" in line for line in last)  # ranked 16th, listed last


def test_board_diff_writes_the_sign_off_sheet_as_docx(tmp_path: Path, capsys) -> None:
    out = tmp_path / "审阅.docx"
    code = main(["diff", "--content", str(CONTENT), "--format", "docx", "--out", str(out)])
    assert code in (0, None)
    assert capsys.readouterr().out.strip() == f"wrote {out}: 2020-08 → 2020-09"
    doc = Document(str(out))
    assert doc.tables and doc.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_no_line_ends_with_opening_punctuation(bulletin_pages: list[Page]) -> None:
    ends = [line for page in bulletin_pages for line in page.lines if line[-1:] in "（《「『〔“‘"]
    assert ends == []


def test_an_english_board_gets_the_same_layout_in_english_words(tmp_path: Path) -> None:
    root = bulletin_register(
        tmp_path / "content", "language: en\nbulletin:\n  number: No. {n}/{year}\n"
    )
    (root / "reports/2020-02.yaml").write_text(
        "month: 2020-02\npublished: 2020-03-05\nprojects:\n  a: {percent: 20, progress: 施工}\n",
        encoding="utf-8",
    )
    files, _, _ = render_all(root, stages=("print", "word"))
    data = files["print/bulletin-2020-02.pdf"]
    text = "".join(raw_text(data, p) for p in range(1, len(pages(data)) + 1))
    assert "No.2/2020" in text
    assert "Bulletinontheprogressofthekeyprojects,February2020" in text
    assert "县重点项目建设办公室5March2020" in text  # 落款 and the date in words
    assert "printed5March2020" in text
    doc = Document(io.BytesIO(files["print/bulletin-2020-02.docx"]))
    assert [p.text for p in doc.paragraphs if p.style.name == "落款"] == [
        "县重点项目建设办公室",
        "5 March 2020",
    ]


def test_the_workbook_carries_the_bulletin_date_and_settings(tmp_path: Path) -> None:
    import openpyxl

    from board.xlsx import import_workbook, template_from

    book = tmp_path / "book.xlsx"
    book.write_bytes(template_from(CONTENT, all_months=True))
    wb = openpyxl.load_workbook(book)
    sheet = wb["报告 2020-09"]
    assert (sheet["D1"].value, sheet["E1"].value.date()) == ("印发日期", date(2020, 10, 9))
    settings = {row[1].value: row[2].value for row in wb["设置"].iter_rows(min_row=2)}
    assert settings["bulletin.number"] == "县重点办〔{year}〕{n}号"
    assert settings["bulletin.recipients"] == "各乡镇人民政府，县直各有关单位"
    content = tmp_path / "content"
    # the workbook names the site photos; the files themselves come beside it (docs/office-cycle.md)
    shutil.copytree(CONTENT / "photos", content / "photos")
    import_workbook(book, content)
    register, _ = check(content)
    assert register.report(register.latest).published == date(2020, 10, 9)
    assert register.config.bulletin.number == "县重点办〔{year}〕{n}号"


def test_weasyprint_understands_every_rule_of_the_bulletin(caplog) -> None:
    from board.render import fonts
    from board.render.pdf import Printer

    register, _ = check(CONTENT)
    boards = compute_all(register)
    ctx = BuildContext(register, boards, boards[-1], environment(register))
    printer = Printer(ctx, fonts.resolve(register.config.font))
    with caplog.at_level("WARNING", logger="weasyprint"):
        printer.layout(printer.bulletin_html(), PDF)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_bulletin_setting_without_a_glyph_fails_naming_the_setting(tmp_path: Path) -> None:
    root = bulletin_register(tmp_path / "content", "bulletin:\n  cc: 县委办公室😀\n")
    with pytest.raises(RenderError) as failure:
        render_all(root, stages=("print",))
    assert [p.text("en").split(": ", 1)[1] for p in failure.value.problems] == [
        "bulletin.cc: the character 😀 (U+1F600, GRINNING FACE) has no glyph in the font"
        " (Noto Sans CJK SC) and would print as an empty box in print/bulletin-2020-02.pdf"
        " (remove or replace the character, or add an installed font that has it to font: in"
        " board.yaml (a fallback list: font: Noto Sans CJK SC, OTHER FAMILY))"
    ]
    assert failure.value.problems[0].pos.line == 5  # the bulletin: settings in board.yaml


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (31, "三十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (400, "四百"),
    ],
)
def test_heading_numbers_in_chinese_numerals_beyond_ninety_nine(n: int, words: str) -> None:
    """A register with more than 99 late projects numbers its (一) headings on: （一百）."""
    assert official.chinese_number(n) == words
