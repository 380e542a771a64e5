"""The printed outputs, read back: the wall panel, the A4 sheets and the bulletin (docs/print.md).

The PDFs of the example county come from the session's `example_build`; they are read with pypdf
and poppler (pdftotext, pdffonts, pdfimages, pdftoppm). Pages are also rendered to PNG under
`artifacts/print/` for a person to look at.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from conftest import CONTENT, write_files
from pypdf import PdfReader

from board.build import BuildResult, render_all
from board.compute import compute_all
from board.errors import Pos, RenderError, Severity
from board.render import BuildContext, environment, pdf
from board.render import fonts as fontcheck
from board.validate import check

pytestmark = pytest.mark.slow

MM = 72 / 25.4  # PDF points per mm
PANEL = "print/panel-2020-09.pdf"
SHEETS = "print/sheets-2020-09.pdf"
BULLETIN = "print/bulletin-2020-09.pdf"
FIVE_COLUMNS = ["项目名称", "分包县领导", "分包单位", "完成时限", "具体进度"]


# -- helpers ---------------------------------------------------------------------------------------


def text(data: bytes, page: int | None = None) -> str:
    """The text of a PDF (or one page, 1-based) in drawing order, as pdftotext -raw gives it."""
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    result = subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def squash(value: str) -> str:
    """Text without whitespace: long names wrap inside table cells."""
    return re.sub(r"\s+", "", value)


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(name, embedded) of every font in the PDF, from pdffonts."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        emb = parts[-5]  # columns: name type... encoding emb sub uni object ID
        rows.append((parts[0], emb))
    return rows


def uris(page) -> list[str]:
    found = []
    for annot in page.get("/Annots", []) or []:
        action = annot.get_object().get("/A")
        if action is not None and "/URI" in action:
            found.append(str(action["/URI"]))
    return found


def context(root: Path) -> BuildContext:
    register, _ = check(root)
    boards = compute_all(register)
    return BuildContext(register, boards, boards[-1], environment(register))


def printer(ctx: BuildContext) -> pdf.Printer:
    return pdf.Printer(ctx, fontcheck.resolve(ctx.config.font))


def with_panel(src: Path, dest: Path, panel: str) -> Path:
    """A copy of the register `src` with a `panel:` block added to board.yaml."""
    shutil.copytree(src, dest)
    with (dest / "board.yaml").open("a", encoding="utf-8") as handle:
        handle.write("panel:\n" + panel)
    return dest


def reader(result: BuildResult, name: str) -> PdfReader:
    return PdfReader(io.BytesIO(result.files[name]))


# -- the example county -------------------------------------------------------------------------


def test_a_build_writes_the_three_pdfs_of_the_month(example_build: BuildResult) -> None:
    for name in (PANEL, SHEETS, BULLETIN):
        path = example_build.out_dir / name
        assert path.read_bytes() == example_build.files[name]
        assert path.read_bytes().startswith(b"%PDF-")


def test_the_panel_is_one_page_at_the_real_size_with_bleed(example_build: BuildResult) -> None:
    (page,) = reader(example_build, PANEL).pages
    trim, media = page.trimbox, page.mediabox
    assert float(trim.width) == pytest.approx(2400 * MM, abs=0.1)
    assert float(trim.height) == pytest.approx(1200 * MM, abs=0.1)
    # the 3 mm bleed on every side, outside the trim box
    assert float(media.width) == pytest.approx(2406 * MM, abs=0.1)
    assert float(media.height) == pytest.approx(1206 * MM, abs=0.1)
    assert float(trim.left) - float(media.left) == pytest.approx(3 * MM, abs=0.05)


def test_the_panel_shows_every_project_the_five_columns_and_the_hotline(
    example_build: BuildResult,
) -> None:
    ctx = context(CONTENT)
    shown = squash(text(example_build.files[PANEL]))
    for row in ctx.board.rows:
        assert squash(row.project.name) in shown
        assert squash(row.project.leader) in shown
    for label in [*FIVE_COLUMNS, "监督电话", "0310-7212345", "2020年9月", "数据截至"]:
        assert label in shown
    assert "第四疃镇" in shown  # the rare 疃 prints


def test_the_panel_qr_code_links_to_the_public_page(example_build: BuildResult) -> None:
    (page,) = reader(example_build, PANEL).pages
    assert set(uris(page)) == {"https://www.example.gov.cn/zdxm/"}
    assert "https://www.example.gov.cn/zdxm/" in squash(text(example_build.files[PANEL]))


def test_every_font_is_the_embedded_cjk_font(example_build: BuildResult) -> None:
    for name in (PANEL, SHEETS, BULLETIN):
        found = pdf_fonts(example_build.out_dir / name)
        assert found, name
        for font, embedded in found:
            # a character without a glyph would have pulled in some other font (or none); the
            # bulletin draws its four roles in their fonts (tests/test_bulletin.py)
            allowed = (
                r"[A-Z]{6}\+(Noto-Sans-CJK-SC(-Bold)?|Noto-Serif-CJK-SC(-Bold)?|AR-PL-KaitiM-GB)"
                if name == BULLETIN
                else r"[A-Z]{6}\+Noto-Sans-CJK-SC(-Bold)?"
            )
            assert re.fullmatch(allowed, font), (name, font)
            assert embedded == "yes", (name, font)
        assert "\ufffd" not in text(example_build.files[name])


def test_one_sheet_per_project_in_board_order_with_its_own_qr_link(
    example_build: BuildResult,
) -> None:
    ctx = context(CONTENT)
    pages = reader(example_build, SHEETS).pages
    texts = [squash(text(example_build.files[SHEETS], n)) for n in range(1, len(pages) + 1)]
    # each sheet starts on a page of its own (重点项目情况表 n/16); only a sheet with a change
    # log (issue 22: nanqu-changfang) may run onto a second page
    rows = ctx.board.rows
    starts = [
        next(i for i, t in enumerate(texts) if f"重点项目情况表{n}/16" in t)
        for n in range(1, len(rows) + 1)
    ]
    assert starts == sorted(starts) and len(rows) == 16
    assert len(pages) - len(rows) <= sum(1 for r in rows if r.changes)
    ends = [*starts[1:], len(pages)]
    for start, end, row in zip(starts, ends, rows, strict=True):
        page = pages[start]
        shown = "".join(texts[start:end])
        p = row.project
        assert squash(p.name) in shown
        for value in (p.leader, p.unit, "责任清单和进度清单", "历月进度", "计划进度", "实际进度"):
            assert squash(value) in shown, (p.id, value)
        for milestone in p.milestones:
            assert squash(milestone.task) in shown
            assert squash(milestone.owner) in shown
        for month in ("2020年6月", "2020年7月", "2020年8月", "2020年9月"):
            assert month in shown  # the monthly history table
        assert f"https://www.example.gov.cn/zdxm/projects/{p.id}/" in uris(page)
        if row.reason:
            assert squash(row.reason) in shown
        if row.catch_up_by:
            assert (
                f"{row.catch_up_by.year}年{row.catch_up_by.month}月{row.catch_up_by.day}日" in shown
            )


def test_the_sheets_laid_out_in_parts_are_one_tagged_document(example_build: BuildResult) -> None:
    ctx = context(CONTENT)
    assert len(pdf.sheet_parts(list(ctx.board.rows))) == 2  # 16 sheets, laid out as 2 parts
    doc = reader(example_build, SHEETS)
    tree = doc.trailer["/Root"]["/StructTreeRoot"]
    document = tree["/K"][0].get_object()
    assert document["/S"] == "/Document"
    # one section per page of the sheets, in board order, each the child of the one Document
    # element (a sheet that runs over, nanqu-changfang's with its change log, goes on in a
    # section of its own)
    sections = [kid.get_object() for kid in document["/K"]]
    pages = len(doc.pages)
    assert pages >= 16 and [s["/S"] for s in sections] == ["/Sect"] * pages
    assert {s.raw_get("/P").idnum for s in sections} == {tree["/K"][0].idnum}
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(doc.pages)}
    assert [page_of[s.raw_get("/Pg").idnum] for s in sections] == list(range(pages))
    # the parent tree maps each page's marked content and each link to elements on that page
    nums = tree["/ParentTree"]["/Nums"]
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(parents) == len(nums) // 2  # no key twice
    links = 0
    for n, page in enumerate(doc.pages):
        for element in parents[page["/StructParents"]]:
            assert page_of[element.get_object().raw_get("/Pg").idnum] == n
        for annotation in page.get("/Annots", []):
            element = parents[annotation.get_object()["/StructParent"]].get_object()
            assert element["/S"] in ("/Link", "/Figure")
            assert page_of[element.raw_get("/Pg").idnum] == n
            links += 1
    assert links >= 16 * 2  # each sheet's QR code and its address
    # the outline and the named destinations lead to each project's own sheet
    top = [item for item in doc.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [row.project.name for row in ctx.board.rows]
    # (each sheet's first page: a sheet that runs over takes the pages before the next one)
    starts = [doc.get_destination_page_number(item) for item in top]
    assert starts[0] == 0 and starts == sorted(set(starts)) and len(starts) == 16
    for n, (row, start) in enumerate(zip(ctx.board.rows, starts, strict=True), 1):
        assert f"重点项目情况表{n}/16" in squash(text(example_build.files[SHEETS], start + 1))
        destination = doc.named_destinations[f"sheet-{row.project.id}"]
        assert doc.get_destination_page_number(destination) == start


def test_the_sheets_print_the_rare_and_non_bmp_characters(example_build: BuildResult) -> None:
    shown = text(example_build.files[SHEETS])
    assert "𠮷祥建材有限公司" in shown  # U+20BB7, outside the BMP
    assert "第四疃镇人民政府" in shown


def test_the_chart_and_qr_codes_are_vector_not_images(example_build: BuildResult) -> None:
    listing = subprocess.run(
        ["pdfimages", "-list", str(example_build.out_dir / SHEETS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # no raster image but the site photos (4:3 JPEGs at 320 dpi) and the county's base map of
    # each sheet's locator (issue 26): chart and QR codes are paths
    images = [line.split() for line in listing[2:]]
    photos = [row for row in images if row[8] == "jpeg"]
    assert len(photos) == 7
    assert all(row[3:5] == ["504", "378"] for row in photos), photos
    maps = [row for row in images if row[8] != "jpeg"]
    assert len(maps) == 16 and all(290 <= int(row[12]) <= 310 for row in maps), maps


def test_the_bulletin_ranks_names_the_late_and_the_missed_promises(
    example_build: BuildResult,
) -> None:
    ctx = context(CONTENT)
    board = ctx.board
    shown = squash(text(example_build.files[BULLETIN]))
    assert "县重点项目建设办公室" in shown
    assert "关于2020年9月全县重点项目建设进度情况的通报" in shown
    assert "二〇二〇年十月九日" in shown  # the report's published: date, in Chinese numerals
    # the ranking table, in ranking order, with the movement since August
    positions = [shown.index(squash(r.project.name)) for r in board.ranking]
    assert positions == sorted(positions)
    assert "上升" in shown and "下降" in shown
    behind = shown[shown.index("二、进度滞后和超期项目") : shown.index("三、未按期赶上的项目")]
    assert len(board.behind) >= 3
    for row in board.behind:
        assert squash(row.project.name) in behind
        assert squash(row.project.leader) in behind
        assert squash(row.project.unit) in behind
        assert squash(row.reason or "未说明原因") in behind
    missed = shown[shown.index("三、未按期赶上的项目") : shown.index("四、本月调整事项")]
    assert board.missed_promises
    for row, promise in board.missed_promises:
        assert squash(row.project.name) in missed
        assert f"{promise.by.year}年{promise.by.month}月{promise.by.day}日" in missed


def test_the_pdfs_are_tagged_with_title_language_issuer_and_the_report_date(
    example_build: BuildResult,
) -> None:
    for name in (PANEL, SHEETS, BULLETIN):
        doc = reader(example_build, name)
        root = doc.trailer["/Root"]
        assert root["/Lang"] == "zh-CN"
        assert root["/MarkInfo"]["/Marked"].value is True
        assert "/StructTreeRoot" in root
        meta = doc.metadata
        assert meta.author == "县重点项目建设办公室"
        assert "2020年9月" in meta.title
        assert meta["/CreationDate"] == meta["/ModDate"] == "D:20200930000000Z"


def test_every_pdf_has_a_file_identifier_from_its_content(
    example_build: BuildResult, scratch: Path
) -> None:
    """The trailer's /ID, which archives and PDF/A check: the example's sheets are joined from
    two parts (the join gives the identifier), the scratch register's are one part (WeasyPrint
    gives it); another month's content, another identifier."""
    files, _, _ = render_all(scratch, stages=("print",))
    month = re.compile(r"-\d{4}-\d{2}\.pdf$")
    identifiers = {}
    for name, data in [
        *((n, example_build.files[n]) for n in (PANEL, SHEETS, BULLETIN)),
        *((month.sub(".pdf", n) + " (scratch)", d) for n, d in files.items() if n.endswith(".pdf")),
    ]:
        identifier = PdfReader(io.BytesIO(data)).trailer.get("/ID")
        assert identifier is not None and len(identifier) == 2, name
        assert all(len(bytes(part.original_bytes)) >= 16 for part in identifier), name
        identifiers[name] = bytes(identifier[1].original_bytes)
    assert len(identifiers) == 6 and len(set(identifiers.values())) == 6


def test_the_same_content_builds_byte_identical_pdfs(example_build: BuildResult) -> None:
    again, _, _ = render_all(CONTENT, stages=("print",))
    for name in (PANEL, SHEETS, BULLETIN):
        assert again[name] == example_build.files[name], name


def test_nothing_is_printed_in_the_margin_up_to_the_trim_edge(
    example_build: BuildResult, artifacts: Path
) -> None:
    """The panel at 10 dpi: between the trim edge and the page margin every pixel is white."""
    folder = artifacts / "print"
    folder.mkdir(exist_ok=True)
    panel = example_build.out_dir / PANEL
    ppm = subprocess.run(
        ["pdftoppm", "-r", "10", "-gray", str(panel)], capture_output=True, check=True
    ).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", ppm)
    assert header
    width, height = int(header[1]), int(header[2])
    pixels = ppm[header.end() :]
    px = 10 / 25.4  # pixels per mm
    inner, outer = round(5 * px), round(31 * px)  # from 2 mm inside the trim to the margin
    band = [
        pixels[y * width + x]
        for y in range(height)
        for x in range(width)
        if min(x, y, width - 1 - x, height - 1 - y) in range(inner, outer)
    ]
    assert band and min(band) >= 250
    # the crop marks are drawn in the 3 mm bleed, outside the trim box (top-left corner, 72 dpi)
    corner = subprocess.run(
        ["pdftoppm", "-r", "72", "-x", "0", "-y", "0", "-W", "8", "-H", "60", "-gray", str(panel)],
        capture_output=True,
        check=True,
    ).stdout
    found = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", corner)
    assert found and min(corner[found.end() :]) < 128
    # pages to look at
    subprocess.run(["pdftoppm", "-png", "-r", "12", str(panel), str(folder / "panel")], check=True)
    for name, stem in ((SHEETS, "sheet"), (BULLETIN, "bulletin")):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-l",
                "2",
                str(example_build.out_dir / name),
                str(folder / stem),
            ],
            check=True,
        )
    assert (folder / "panel-1.png").stat().st_size > 0


# -- fitting the panel ----------------------------------------------------------------------------


def test_forty_long_projects_fit_one_panel_at_a_smaller_size(
    big_build: BuildResult, big_content: Path
) -> None:
    (page,) = reader(big_build, PANEL).pages
    assert float(page.trimbox.width) == pytest.approx(2400 * MM, abs=0.1)
    assert not [w for w in big_build.warnings if w.field == "panel"]
    shown = squash(text(big_build.files[PANEL]))
    ctx = context(big_content)
    for row in ctx.board.rows:
        assert squash(row.project.name) in shown
    # the chosen size: smaller than the example county's, never below the minimum
    big = printer(ctx)
    _, pages, size = big.panel()
    example = printer(context(CONTENT))
    _, _, example_size = example.panel()
    assert pages == 1
    assert pdf.min_font_pt(ctx.config) == 18
    assert 18 <= size < example_size
    # one render, at most two more layouts to grow, one to spread the spare height over the rows
    assert big.layouts <= 4 and example.layouts <= 4


@pytest.fixture(scope="module")
def split(
    big_register: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BuildContext, bytes, int, float]:
    """The 40 long projects at a minimum type size of 40 pt, which they do not fit on one
    panel: (register, its context with the build's warning, the panel PDF, its panel pages, the
    type size chosen)."""
    root = with_panel(
        big_register, tmp_path_factory.mktemp("split") / "content", "  min_font_pt: 40\n"
    )
    ctx = context(root)
    data, pages, size = printer(ctx).panel()
    pdf.panel_warning(ctx, data)
    return root, ctx, data, pages, size


def test_a_board_that_does_not_fit_is_split_over_balanced_panels(
    split: tuple[Path, BuildContext, bytes, int, float], artifacts: Path
) -> None:
    root, ctx, data, _, _ = split
    (warning,) = ctx.warnings
    assert warning.severity is Severity.WARNING
    assert str(warning) == (
        f"{root / 'board.yaml'}:7:3: warning: panel: the 40 projects do not fit one panel at "
        f"the minimum type size 40 pt: {PANEL} is split over 3 panels (choose a larger panel "
        "size or lower panel: min_font_pt; panel: max_panels: 1 makes this an error)"
    )
    doc = PdfReader(io.BytesIO(data))
    assert len(doc.pages) == 3
    per_page = []
    for number, page in enumerate(doc.pages, 1):
        assert float(page.trimbox.width) == pytest.approx(2400 * MM, abs=0.1)
        shown = squash(text(data, number))
        assert f"{number}/3" in shown
        per_page.append([r.project.id for r in ctx.board.rows if squash(r.project.name) in shown])
    assert [pid for ids in per_page for pid in ids] == [r.project.id for r in ctx.board.rows]
    sizes = [len(ids) for ids in per_page]
    assert max(sizes) - min(sizes) <= 2  # balanced, not 19 + 19 + 2
    folder = artifacts / "print"
    folder.mkdir(exist_ok=True)
    (folder / "split.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "8", str(folder / "split.pdf"), str(folder / "split")],
        check=True,
    )


def test_max_panels_1_fails_saying_how_many_fit_and_the_size_needed(
    big_register: Path, tmp_path: Path
) -> None:
    root = with_panel(big_register, tmp_path / "content", "  min_font_pt: 40\n  max_panels: 1\n")
    ctx = context(root)
    with pytest.raises(RenderError) as caught:
        pdf.render_panel(ctx, printer(ctx))
    message = str(caught.value)
    found = re.fullmatch(
        rf"{PANEL}: the panel holds (\d+) of the 40 projects at the minimum type size 40 pt; "
        r"all 40 fit on one panel only at about (\d+(?:\.\d)?) pt",
        message,
    )
    assert found, message
    fit, needed = int(found[1]), float(found[2])
    assert 0 < fit < 40 and 18 < needed < 40
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{root / 'board.yaml'}:7:3: panel.max_panels: max_panels is 1, but the 40 projects "
        "need 3 panels at the minimum type size 40 pt (allow more panels, choose a larger "
        "panel size, or lower panel: min_font_pt)"
    )
    # the size it names is true: at that minimum all 40 projects fit one panel
    ok = with_panel(big_register, tmp_path / "ok", f"  min_font_pt: {needed:g}\n  max_panels: 1\n")
    ok_ctx = context(ok)
    _, pages, size = printer(ok_ctx).panel()
    assert pages == 1 and size >= needed


# -- fonts -----------------------------------------------------------------------------------------


def test_a_character_without_a_glyph_fails_naming_it_the_file_and_the_field(
    scratch: Path,
) -> None:
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("主体封顶", "主体封顶\U0001f600"),
        encoding="utf-8",
    )
    with pytest.raises(RenderError) as caught:
        render_all(scratch, stages=("print",))
    (problem,) = caught.value.problems
    shown = str(problem)
    assert shown.startswith(f"{report}:3:")
    assert (
        "projects.a.progress: the character \U0001f600 (U+1F600, GRINNING FACE) has no glyph"
        in shown
    )
    assert "(Noto Sans CJK SC)" in shown and f"in {PANEL}" in shown
    assert "remove or replace the character, or add an installed font" in shown
    assert problem.text("zh-CN").startswith(
        f"{report}:3:"
    ) and "字符“\U0001f600”（U+1F600，GRINNING FACE）在字体（Noto Sans CJK SC）中没有字形" in (
        problem.text("zh-CN")
    )


def test_a_character_reference_in_markdown_is_checked_as_drawn(scratch: Path) -> None:
    project = scratch / "projects" / "a.yaml"
    project.write_text(
        project.read_text(encoding="utf-8") + 'summary: "施工中 &#x1F6A7; 请绕行"\n', "utf-8"
    )
    with pytest.raises(RenderError) as caught:
        render_all(scratch, stages=("print",))
    (problem,) = caught.value.problems
    assert str(problem.pos).startswith(f"{project}:")
    assert problem.field.startswith("summary")
    assert "(U+1F6A7, CONSTRUCTION SIGN) has no glyph" in str(problem)


def test_invisible_selectors_and_joiners_are_not_glyphs_to_check(scratch: Path) -> None:
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("主体封顶", "⚠\ufe0f主体封顶★\ufe0e"),
        encoding="utf-8",
    )
    files, _, _ = render_all(scratch, stages=("print",))
    assert "主体封顶" in text(files[PANEL])
    # the zero-width joiner never reaches the check (validation refuses it in content), but it
    # is no glyph either
    (face,) = fontcheck.resolve("Noto Sans CJK SC")
    where = fontcheck.Text("👩\u200d", Pos("x.yaml", 1, 1), "name", PANEL)
    (problem,) = fontcheck.missing_glyphs([where], [face])
    assert "U+1F469" in str(problem)
    assert all(fontcheck.invisible(c) for c in "\u200d\u200c\ufe0e\ufe0f\U000e0100")


def test_weasyprint_drawing_a_missing_glyph_fails_naming_the_field(scratch: Path) -> None:
    # a character no installed font has (the 😀 of other tests DejaVu Sans would draw)
    ctx = context(scratch)
    where = fontcheck.Text("进度\u16a0", Pos("reports/2020-09.yaml", 3, 5), "progress", PANEL)
    printer = pdf.Printer(ctx, fontcheck.resolve(ctx.config.font), [where])
    document = printer.layout("<html lang=zh><body><p>进度\u16a0</p></body></html>", PANEL)
    with pytest.raises(RenderError) as caught:
        printer.write(document, PANEL)
    (problem,) = caught.value.problems
    assert str(problem).startswith("reports/2020-09.yaml:3:5: progress: the character")
    assert "(U+16A0, RUNIC LETTER FEHU FEOH FE F) has no glyph" in str(problem)
    assert str(caught.value).startswith(f"{PANEL}: a glyph is missing in the font")


def test_every_legend_symbol_is_drawn_by_the_default_font() -> None:
    from board.i18n import PROMISE_SYMBOL, STATUS_SYMBOL, translator

    (face,) = fontcheck.resolve("Noto Sans CJK SC")
    t = translator("zh-CN")
    symbols = "".join(STATUS_SYMBOL.values()) + "".join(PROMISE_SYMBOL.values())
    symbols += t("movement.up") + t("movement.down") + t("movement.completed")
    assert [c for c in symbols if not face.covers(c)] == []
    assert "?" not in STATUS_SYMBOL.values()


def test_a_font_that_is_not_installed_fails_the_build(scratch: Path) -> None:
    board = scratch / "board.yaml"
    board.write_text(board.read_text(encoding="utf-8") + "font: No Such Font 2020\n", "utf-8")
    with pytest.raises(RenderError, match=r'the font "No Such Font 2020" is not installed'):
        render_all(scratch, stages=("print",))


def test_the_font_setting_is_a_fallback_list() -> None:
    assert fontcheck.families('"Noto Sans CJK SC", Noto Serif CJK SC') == [
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
    ]
    sans, serif = fontcheck.resolve("Noto Sans CJK SC, Noto Serif CJK SC")
    assert sans.covers("𠮷") and sans.covers("疃")
    assert serif.family == "Noto Serif CJK SC"
    where = fontcheck.Text("疃𠮷\U0001f600", Pos("x.yaml", 2, 3), "name", PANEL)
    (problem,) = fontcheck.missing_glyphs([where], [sans, serif])
    assert "U+1F600" in str(problem) and "Noto Sans CJK SC, Noto Serif CJK SC" in str(problem)


def test_a_fonts_characters_are_kept_for_the_next_build_and_read_again_when_it_changes(
    tmp_path: Path, monkeypatch
) -> None:
    """The check reads the font's table of characters once; later builds take it from the user's
    cache folder, unless that copy is damaged or the font file is not the same any more."""
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kai = fontcheck.find_face("AR PL KaitiM GB").file
    font = tmp_path / "kai.ttf"
    shutil.copy(kai, font)
    with TTFont(font) as read:
        truth = frozenset(read.getBestCmap())

    def codepoints() -> frozenset[int]:
        fontcheck._codepoints.cache_clear()  # as a new build process
        return fontcheck._codepoints(str(font), 0)

    assert codepoints() == truth
    (kept,) = (tmp_path / "cache" / "board" / "fonts").iterdir()
    assert codepoints() == truth
    kept.write_text("[[19968, 40959]]", encoding="ascii")  # not read from the font again
    assert codepoints() == frozenset(range(0x4E00, 0x9FFF + 1))
    kept.write_text("[[19968,", encoding="ascii")  # damaged: read from the font
    assert codepoints() == truth

    with TTFont(font) as changed:  # one character fewer, written to the same path
        for table in changed["cmap"].tables:
            table.cmap.pop(ord("疃"), None)
        changed.save(font)
    assert ord("疃") in truth and codepoints() == truth - {ord("疃")}

    monkeypatch.setenv("BOARD_SHARED_CACHE", "0")
    shutil.rmtree(tmp_path / "cache")
    assert codepoints() == truth - {ord("疃")}
    assert not (tmp_path / "cache").exists()
    fontcheck._codepoints.cache_clear()


def test_a_qr_code_is_kept_for_the_next_build_and_nothing_else_is_taken_from_there(
    tmp_path: Path, monkeypatch
) -> None:
    """segno's mask search was 0.12 s of every build's start; a code made once comes from the
    user's cache folder, but only in segno's own form: that folder's text goes into the pages."""
    import io as bytes_io

    from board.render import qr

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    url = "https://example.gov.cn/zdxm/projects/beiqu-wushui/"
    code = segno.make(url, error="m")
    buffer = bytes_io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, border=2, omitsize=True)
    fresh = buffer.getvalue().decode("ascii")

    assert qr.code_svg(url) == fresh
    (kept,) = (tmp_path / "cache" / "board" / "qr").iterdir()
    other = qr.code_svg("https://example.gov.cn/")  # another address, another file
    assert len(list(kept.parent.iterdir())) == 2
    kept.write_text(other, encoding="ascii")  # taken from there: not made again
    assert qr.code_svg(url) == other
    for planted in (
        fresh.replace('class="segno">', 'class="segno" onload="alert(1)">'),
        fresh.replace("</svg>", "<script>alert(1)</script></svg>"),
        fresh[:-20],
    ):
        kept.write_text(planted, encoding="ascii")
        assert qr.code_svg(url) == fresh  # not segno's form: made again, and kept again
        assert kept.read_text(encoding="ascii") == fresh

    monkeypatch.setenv("BOARD_SHARED_CACHE", "0")
    shutil.rmtree(tmp_path / "cache")
    assert qr.code_svg(url) == fresh
    assert not (tmp_path / "cache").exists()


# -- fetching ---------------------------------------------------------------------------------------


def test_the_fetcher_serves_only_files_in_assets(tmp_path: Path) -> None:
    assets = tmp_path / "content" / "assets"
    assets.mkdir(parents=True)
    (assets / "plan.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("secret")
    (assets / "escape.png").symlink_to(tmp_path / "secret.txt")
    fetcher = pdf.AssetFetcher(assets)
    assert fetcher.fetch((assets / "plan.png").as_uri()).read() == b"\x89PNG fake"
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    for url in (
        "https://example.com/x.png",
        "http://127.0.0.1/x.png",
        (tmp_path / "secret.txt").as_uri(),
        (assets / "escape.png").as_uri(),
        (assets / ".." / "secret.txt").as_uri(),
    ):
        with pytest.raises(RenderError, match="refused to fetch"):
            fetcher.fetch(url)


def test_a_template_that_fetches_from_the_network_fails_the_build(scratch: Path) -> None:
    write_files(
        scratch,
        {"templates/print/a4.css": "body { background: url(https://example.com/bg.png); }\n"},
    )
    with pytest.raises(RenderError) as caught:
        render_all(scratch, stages=("print",))
    # a4.css is in the bulletin and the sheets; the bulletin is rendered (and reported) first
    assert str(caught.value) == (
        f"{BULLETIN}: refused to fetch https://example.com/bg.png: the printed outputs read only "
        "files in content/assets/"
    )


def test_images_from_assets_print_and_source_date_epoch_sets_the_date(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    (scratch / "assets").mkdir(exist_ok=True)
    segno.make("plan").save(str(scratch / "assets" / "plan.png"), kind="png", scale=4)
    project = scratch / "projects" / "a.yaml"
    project.write_text(
        project.read_text(encoding="utf-8") + "summary: '总平面图 ![总平面图](assets/plan.png)'\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1601510400")  # 2020-10-01 00:00:00 UTC
    files, _, _ = render_all(scratch, stages=("print",))
    sheets = PdfReader(io.BytesIO(files[SHEETS]))
    assert sheets.metadata["/CreationDate"] == "D:20201001000000Z"
    (tmp_path / "sheets.pdf").write_bytes(files[SHEETS])
    listing = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "sheets.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    assert len(listing) == 1 and listing[0].split()[0] == "1"  # the plan, on project a's sheet
    # WeasyPrint logged nothing (no ignored CSS, no failed fetch)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    # without site_url there is no QR code and no link, and nothing fails
    assert all(uris(page) == [] for page in sheets.pages)


def test_an_asset_that_is_not_an_image_fails_the_build(scratch: Path) -> None:
    (scratch / "assets").mkdir(exist_ok=True)
    (scratch / "assets" / "plan.png").write_bytes(b"this is not a PNG")
    project = scratch / "projects" / "a.yaml"
    project.write_text(
        project.read_text(encoding="utf-8") + "summary: '![总平面图](assets/plan.png)'\n",
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match=rf"^{SHEETS}: Failed to load image at .*plan\.png"):
        render_all(scratch, stages=("print",))


def word_heights(data: bytes, page: int, word: str) -> list[float]:
    """The heights (pt) of a word's boxes on a page, as poppler reads them back."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        float(m.group(2)) - float(m.group(1))
        for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)
        if word in m.group(3)
    ]


def test_split_panels_are_fitted_again_and_no_text_is_below_the_minimum(
    split: tuple[Path, BuildContext, bytes, int, float],
) -> None:
    _, _, data, pages, size = split
    # 14 rows fit a panel at the minimum, each of the 3 panels holds 13 or 14: the size is
    # fitted again for the rows each panel holds, above the minimum
    assert pages == 3 and size > 40.5
    # the web address and the notes are never below the minimum size (a CJK line box is about
    # 1.45 times the type size; 1.3 leaves room for rounding)
    for page in (1, 2, 3):
        heights = word_heights(data, page, "example.gov.cn")
        assert heights and min(heights) >= 40 * 1.3, heights


def test_a_panel_spreads_its_spare_height_over_its_rows() -> None:
    ctx = context(CONTENT)
    spread = printer(ctx)
    data, _, size = spread.panel()
    laid = spread.measure(
        spread.layout(
            spread.panel_html(size, [list(ctx.board.rows)], pdf.panel_page(ctx.config)), PANEL
        ),
        size,
        1,
    )
    # without spreading, part of the page is an empty band; the written panel fills it
    assert laid.available - laid.need > 0.03 * laid.available
    (page,) = PdfReader(io.BytesIO(data)).pages
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    foot_top = min(
        float(m.group(1))
        for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', out)
        if "欢迎社会各界监督" in m.group(2)
    )
    # the lowest line above the footer: the last row, or the footnotes (调整说明, issue 22)
    # under the rows
    rows_bottom = max(
        float(m.group(1))
        for m in re.finditer(r'yMax="([\d.]+)">([^<]*)</word>', out)
        if float(m.group(1)) < foot_top
    )
    height = float(page.mediabox.height)
    assert (foot_top - rows_bottom) < 0.08 * height


def test_every_sheet_is_set_in_one_size_and_a_county_may_set_its_own(
    scratch: Path, tmp_path: Path
) -> None:
    """The sheets are one series in one type size (8 pt, docs/print.md); a county that wants
    larger type puts its own copy of sheets.css in the register's templates/ (docs/zh-CN/展板印刷.md)."""

    def sizes(root: Path) -> set[float]:
        """The type sizes (pt) of the cells of each sheet's table of fields."""
        pr = printer(context(root))
        document = pr.layout(pr.sheets_html(), "sheets")
        found: set[float] = set()

        def visit(box: object, inside: bool) -> None:
            inside = inside or (type(box).__name__ == "TableBox" and "fields" in pdf._classes(box))
            if inside and type(box).__name__ == "TableCellBox":
                found.add(round(box.style["font_size"] * 72 / 96, 2))  # type: ignore[attr-defined]
            for child in getattr(box, "children", []):
                visit(child, inside)

        for page in document.pages:
            visit(page._page_box, False)
        return found

    assert sizes(scratch) == {8.0}
    default = Path(pdf.__file__).parents[2] / "templates" / "print" / "sheets.css"
    css = default.read_text(encoding="utf-8")
    assert "html { font-size: 8pt;" in css
    own = scratch / "templates" / "print" / "sheets.css"
    own.parent.mkdir(parents=True)
    own.write_text(css.replace("html { font-size: 8pt;", "html { font-size: 9.5pt;"), "utf-8")
    assert sizes(scratch) == {9.5}
