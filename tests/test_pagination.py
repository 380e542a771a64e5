"""Print pagination on registers of 16, 40, 120 and 400 projects, read back from the PDFs.

What a reader of the printed bulletin and sheets checks: no table row is split over two pages
(no page starts with the rest of a row from the page before), header rows repeat on every page
a table runs onto, no heading is left alone at a page foot, every page of a project's sheet
carries the project's name (续 on continuation pages) and 第n页 共N页 of that project, and
numbers with their unit, rank changes, statuses and dates are never broken inside.

The PDFs are read back two ways: their tags (WeasyPrint writes one table-row element per page
fragment of a row, so a split row shows as one row more than the HTML has, each fragment on
its own page) and their words with positions (poppler's `pdftotext -bbox-layout`). The checks
name no column and no layout detail, so the bulletin's layout may change (issue 16).

The example's bulletin and sheets are the session's build of it (`example_build`), read as
published. The generated registers' bulletins are printed in full, their sheets in their first
parts: one of the 40 (8 sheets of sixteen months of long texts, which run onto continuation
pages), two of the 120 (16 sheets, the two parts joined as a build joins them) and one of the
400 (25 sheets). A sheet is laid out by itself in its part, the same whatever the register's
size but for its number (n/400): the sheets after those parts are the same checks on more of
the same generated projects, and would take minutes more of the suite (the 40's all five
parts: 23 CPU s; the 400's second part 4 CPU s).
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from conftest import CONTENT
from pypdf import PdfReader

from board.build import BuildResult
from board.compute import compute_all
from board.generate import generate_register
from board.parallel import run_parallel
from board.render import BuildContext, environment, pdf
from board.render import fonts as fontcheck
from board.render.bulletin import roles as bulletin_roles
from board.render.pdfjoin import join_tagged
from board.validate import check
from tests.test_print import squash
from tests.test_print import text as pdf_text

SIZES = (16, 40, 120, 400)
# the generated registers: projects, months of reports, the sheets' parts printed
GENERATED = ((40, 16, 1), (120, 6, 2), (400, 4, 1))


@dataclass
class Printed:
    """The bulletin and the sheets of one register, with the HTML they were laid out from."""

    ctx: BuildContext
    bulletin: bytes
    bulletin_html: str
    sheets: bytes
    sheets_html: str
    sheet_ids: list[str]
    parts: int  # the sheets' parts printed and joined


def _context(root: Path) -> BuildContext:
    register, _ = check(root)
    boards = compute_all(register)
    return BuildContext(register, boards, boards[-1], environment(register))


Unit = tuple[str, dict, Callable[[], bytes]]


def _units(root: Path, parts: int) -> tuple[BuildContext, pdf.Printer, list[Unit]]:
    """A register's sheets (the first `parts` parts) and bulletin, as units to render."""
    ctx = _context(root)
    printer = pdf.Printer(ctx, fontcheck.resolve(ctx.config.font))
    return ctx, printer, [*printer.sheets_units()[:parts], printer.bulletin_unit()]


def _printed(
    ctx: BuildContext, printer: pdf.Printer, sheets_pdf: bytes, bulletin: bytes, parts: int
) -> Printed:
    """The register's Printed from its PDFs: the sheets of the first `parts` parts, joined,
    and the bulletin."""
    sheets = pdf.sheet_parts(printer.sheet_values())[:parts]
    ids = [s["row"].project.id for part in sheets for s in part]
    html = "".join(
        ctx.render(
            "print/sheets.html",
            sheets=part,
            total=len(ctx.board.rows),
            dense=set(),
            **printer.values(),
        )
        for part in sheets
    )
    bulletin_html = printer.bulletin_html()
    return Printed(ctx, bulletin, bulletin_html, sheets_pdf, html, ids, len(sheets))


@pytest.fixture(scope="session")
def printed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, Printed]:
    """The four registers printed once a session: the three generated ones' units in one
    parallel batch, then the example (16) as the session's build published it (asked for
    after the batch: another worker may be building it meanwhile)."""
    prepared = {}
    for size, months, parts in GENERATED:
        root = generate_register(
            tmp_path_factory.mktemp(f"p{size}") / "content",
            projects=size,
            months=months,
            long_texts=size < 400,
        )
        prepared[size] = _units(root, parts)
    units = [unit for _, _, own in prepared.values() for unit in own]
    made = run_parallel(
        [make for _, _, make in units], weights=[len(data["html"]) for _, data, _ in units]
    )
    example_build: BuildResult = request.getfixturevalue("example_build")
    ctx = _context(CONTENT)
    month = ctx.board.month
    result = {
        16: _printed(
            ctx,
            pdf.Printer(ctx, fontcheck.resolve(ctx.config.font)),
            example_build.files[f"print/sheets-{month}.pdf"],
            example_build.files[f"print/bulletin-{month}.pdf"],
            len(pdf.sheet_parts(ctx.board.rows)),
        )
    }
    for size, (ctx, printer, own) in prepared.items():
        mine, made = made[: len(own)], made[len(own) :]
        result[size] = _printed(ctx, printer, join_tagged(mine[:-1]), mine[-1], len(own) - 1)
    return result


# -- reading the PDFs back ---------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    pages: set[int]
    children: list[Element]


@functools.lru_cache(maxsize=8)
def structure(data: bytes) -> Element:
    """The tag tree of a tagged PDF, each element with the pages its content is drawn on (read
    once for the checks that walk it)."""
    document = pikepdf.open(io.BytesIO(data))
    numbers = {page.objgen: i for i, page in enumerate(document.pages)}

    def read(value: object, page: int | None) -> Element | None:
        if isinstance(value, int):
            return Element("#mc", {page} if page is not None else set(), [])
        if not isinstance(value, pikepdf.Dictionary):
            return None
        if value.get("/Pg") is not None:
            page = numbers[value.Pg.objgen]
        if "/MCID" in value:
            return Element("#mc", {page} if page is not None else set(), [])
        kids = value.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
        children = [child for item in items if (child := read(item, page)) is not None]
        pages = set().union(*(c.pages for c in children)) if children else set()
        return Element(str(value.get("/S", "/?"))[1:], pages, children)

    root = read(document.Root.StructTreeRoot, None)
    assert root is not None
    return root


def walk(element: Element):
    yield element
    for child in element.children:
        yield from walk(child)


def body_rows(root: Element) -> list[Element]:
    return [
        row
        for body in walk(root)
        if body.tag == "TBody"
        for row in body.children
        if row.tag == "TR"
    ]


class _Rows(HTMLParser):
    """Counts the table rows of an HTML document outside <thead>."""

    def __init__(self) -> None:
        super().__init__()
        self.head = 0
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "thead":
            self.head += 1
        elif tag == "tr" and not self.head:
            self.rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self.head -= 1


def html_rows(html: str) -> int:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def lines(data: bytes) -> list[list[str]]:
    """Each page's text lines as poppler lays them out (words with positions, joined)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    tree = ElementTree.fromstring(re.sub(rb'xmlns="[^"]+"', b"", out))
    return [
        [" ".join(w.text or "" for w in line.iter("word")) for line in page.iter("line")]
        for page in tree.iter("page")
    ]


def page_texts(data: bytes) -> list[str]:
    """Each page's text without white space, in the order it is drawn (poppler's `pdftotext
    -raw`: a cell's lines together; pages ended by form feeds)."""
    pages = pdf_text(data).split("\f")[: len(PdfReader(io.BytesIO(data)).pages)]
    return [squash(page) for page in pages]


# -- the property: no row split, headers repeated, headings kept with what follows ---------------


def split_rows(data: bytes, html: str) -> list[str]:
    """What is wrong with the tables of a PDF, as a list of findings (empty: nothing)."""
    root = structure(data)
    rows = body_rows(root)
    found = []
    expected = html_rows(html)
    if len(rows) != expected:
        found.append(f"{len(rows)} row fragments for {expected} rows: {len(rows) - expected} split")
    found += [f"a row on pages {sorted(r.pages)}" for r in rows if len(r.pages) > 1]
    return found


def headers_missing(data: bytes) -> list[str]:
    """Table fragments with column headers that lack the header row on their page."""
    missing = []
    for table in (e for e in walk(structure(data)) if e.tag == "Table"):
        parts = {child.tag for child in table.children}
        rows = [r for child in table.children if child.tag == "TBody" for r in child.children]
        first_cells = [c.tag for c in rows[0].children] if rows else []
        if first_cells and first_cells[0] == "TD" and "THead" not in parts:
            missing.append(f"a table on page {min(table.pages) + 1} without its header row")
    return missing


def lonely_headings(data: bytes) -> list[str]:
    """Headings whose following content starts on a later page."""
    order = [e for e in walk(structure(data)) if e.pages]
    lonely = []
    for i, element in enumerate(order):
        if element.tag in ("H1", "H2", "H3") and i + len(element.children) + 1 < len(order):
            after = order[i + 1 + sum(1 for _ in walk(element)) - 1]
            if min(after.pages) > max(element.pages):
                lonely.append(f"a heading at the foot of page {max(element.pages) + 1}")
    return lonely


# the rest of "53.6%", "▲上升1位", "（续）", a status word, a date ("2020年12月31日")
BROKEN = re.compile(
    r"^([%位](\s|$)|续）|(推进|滞后|超期|报送|完成)$|\d{1,2}日|月\d{1,2}日|\d{1,2}月\d{1,2}日)"
)


def broken_cells(data: bytes) -> list[str]:
    """Lines starting with the rest of a number's unit, a rank change, a status or a date."""
    return [
        f"page {n}: {line!r}"
        for n, page in enumerate(lines(data), 1)
        for line in page
        if BROKEN.match(line)
    ]


@pytest.mark.parametrize("size", SIZES)
def test_no_row_of_the_bulletin_is_split_over_two_pages(printed: dict, size: int) -> None:
    p = printed[size]
    assert split_rows(p.bulletin, p.bulletin_html) == []
    assert headers_missing(p.bulletin) == []
    assert lonely_headings(p.bulletin) == []
    # every project's row is on the page its name is on, the name whole
    pages = page_texts(p.bulletin)
    for row in p.ctx.board.ranking:
        name = re.sub(r"\s+", "", row.project.name)
        assert any(name in text for text in pages), row.project.name


@pytest.mark.parametrize("size", SIZES)
def test_no_row_of_the_sheets_is_split_and_headers_repeat(printed: dict, size: int) -> None:
    p = printed[size]
    assert split_rows(p.sheets, p.sheets_html) == []
    assert headers_missing(p.sheets) == []
    assert lonely_headings(p.sheets) == []


@pytest.mark.parametrize("size", SIZES)
def test_numbers_ranks_statuses_and_dates_never_wrap_inside(printed: dict, size: int) -> None:
    p = printed[size]
    assert broken_cells(p.bulletin) == []
    assert broken_cells(p.sheets) == []


@pytest.mark.parametrize("size", SIZES)
def test_every_sheet_page_names_its_project_and_counts_its_pages(printed: dict, size: int) -> None:
    p = printed[size]
    names = {r.project.id: re.sub(r"\s+", "", r.project.name) for r in p.ctx.board.rows}
    texts = page_texts(p.sheets)
    total = len(p.ctx.board.rows)
    sheet = p.ctx.t("print.sheet")
    number = {r.project.id: i for i, r in enumerate(p.ctx.board.rows, 1)}
    first_pages = {f"{sheet}{number[pid]}/{total}": pid for pid in p.sheet_ids}
    pages_of: dict[str, list[int]] = {}
    owner = ""
    for n, text in enumerate(texts):
        # a sheet's first page carries its number (重点项目情况表 n/N); the pages after it are
        # its continuation pages
        owner = next((pid for key, pid in first_pages.items() if key in text), owner)
        pages_of.setdefault(owner, []).append(n)
    assert list(pages_of) == p.sheet_ids  # every sheet, in order
    continued = 0
    for pid, numbers in pages_of.items():
        count = len(numbers)
        for n, page in enumerate(numbers, 1):
            assert f"第{n}页共{count}页" in texts[page], (pid, n, count)
            if n > 1:
                continued += 1
                assert names[pid] + "（续）" in texts[page]
    if size == 40:  # sixteen months of long texts: sheets run over, the check saw 续 pages
        assert continued > 0


def test_a_split_row_is_found_by_the_check(tmp_path: Path) -> None:
    """The check fails on a bulletin whose rows may split (the CSS rules removed): a ranking of
    40 projects with long names, over several pages, then splits a row at a page's foot."""
    root = generate_register(tmp_path / "content", projects=40, months=4, long_texts=True)
    css_path = Path(pdf.__file__).parents[2] / "templates" / "print" / "a4.css"
    css = css_path.read_text("utf-8")
    (root / "templates" / "print").mkdir(parents=True)
    (root / "templates" / "print" / "a4.css").write_text(
        css.replace("tr, .legend, figure { break-inside: avoid; page-break-inside: avoid; }", ""),
        "utf-8",
    )
    bulletin_css = css_path.with_name("bulletin.css").read_text("utf-8")
    rule = "table.ranking tr { break-inside: avoid; }"
    assert rule in bulletin_css
    (root / "templates" / "print" / "bulletin.css").write_text(
        bulletin_css.replace(rule, ""), "utf-8"
    )
    ctx = _context(root)
    printer = pdf.Printer(ctx, fontcheck.resolve(ctx.config.font))
    data = printer.bulletin_unit()[2]()
    html = printer.bulletin_html()
    assert split_rows(data, html)


# -- font subsets ----------------------------------------------------------------------------------


def subset_names(data: bytes) -> list[str]:
    """The BaseFont name of every font dictionary in a PDF, read back (one per font object)."""
    document = pikepdf.open(io.BytesIO(data))
    return [
        str(obj.BaseFont)
        for obj in document.objects
        if isinstance(obj, pikepdf.Dictionary)
        and obj.get("/Type") == "/Font"
        and obj.get("/Subtype") == "/Type0"
    ]


def subset_pattern(families: set[str]) -> re.Pattern[str]:
    """A subset's name: a tag of six capitals, "+" and one of the families (spaces as "-"),
    regular or bold (PDF 32000 9.6.4; WeasyPrint names a font after its family and style)."""
    names = "|".join(re.escape(f.replace(" ", "-")) for f in sorted(families))
    return re.compile(rf"/[A-Z]{{6}}\+(?:{names})(?:-Bold)?")


@pytest.mark.parametrize("size", SIZES)
def test_every_font_subset_has_a_name_of_its_own(printed: dict, size: int) -> None:
    p = printed[size]
    # the sheets are set in the register's font; the bulletin in its four type roles' fonts
    # (标题 and 正文 Noto Serif CJK SC, 黑体 Noto Sans CJK SC Bold, 楷体 AR PL KaitiM GB)
    sheet_fonts = {f.family for f in fontcheck.resolve(p.ctx.config.font)}
    role_fonts = {f.family for role in bulletin_roles(p.ctx).values() for f in role.faces}
    assert len(role_fonts) > 1
    for data, families in ((p.sheets, sheet_fonts), (p.bulletin, role_fonts)):
        names = subset_names(data)
        assert names and len(names) == len(set(names)), sorted(names)
        pattern = subset_pattern(families)
        assert all(pattern.fullmatch(n) for n in names), sorted(names)
    # sheets joined from parts, each part with its own subsets
    if p.parts > 1:
        assert len(subset_names(p.sheets)) > 2
