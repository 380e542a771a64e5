"""Word copies: the bulletin as an editable .docx, and the leader's sign-off sheet (审阅单).

- `print/bulletin-M.docx`: the same bulletin as `print/bulletin-M.pdf` (render/bulletin.py gives
  both their parts), for the office to edit a sentence and print on its letterhead. Styles are
  named by role (公文标题, 公文正文, 一级标题, 二级标题, 版记 …), the ranking is a real Word table
  whose header row repeats on every page and whose rows never split, the page numbers are PAGE
  fields in `— 1 —` form at the outer corners (odd pages right, even pages left), A4 with the
  PDF's margins (mirrored: 订口 28 mm inside) and its grid of 22 lines × 28 characters.
- `内部/审阅-M.docx`: what changed since the month before (board/diff.py), on one page for the
  leader who signs it off, with a line for the opinion, the signature and the date; also made
  by `board diff --format docx`. Not made for the first month (there is nothing before it). An
  office paper: it goes to `内部/` (INTERNAL), never under `print/` or `site/`, which are
  uploaded as they are.

The bytes depend only on the content: fixed core properties (the report month, or
SOURCE_DATE_EPOCH) and zip entries with a fixed time, as the workbooks are written.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..diff import Review, money, review, totals_line, words_of
from ..i18n import STATUS_SYMBOL, status_legend, translator
from ..model import Month
from ..xlsx.writing import _fixed_time
from . import (
    INTERNAL,
    BuildContext,
    date_label,
    disclosure,
    month_label,
    months_to,
    pct,
    rate,
    yi,
)
from . import bulletin as official
from . import fonts as fontcheck

RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(28.95)  # 225 mm / 22 lines
BODY = Pt(16)  # 3号
TITLE = Pt(22)  # 2号
SMALL = Pt(14)  # 4号: page numbers and the 版记
TABLE = Pt(10.5)  # 五号: the ranking (3号 cannot fit nine columns)
INDENT = Pt(31.6)  # two characters of the grid (156 mm / 28 = 15.79 pt each)

# the style of each role: name, font role, size, bold, alignment
STYLE_TITLE = "公文标题"
STYLE_BODY = "公文正文"
STYLE_H1 = "一级标题"
STYLE_H2 = "二级标题"
STYLE_MARK = "发文机关标志"
STYLE_NUMBER = "发文字号"
STYLE_RECIPIENTS = "主送机关"
STYLE_SIGNATURE = "落款"
STYLE_COLOPHON = "版记"
STYLE_TABLE = "表格文字"
STYLE_PAGE = "页码"


# -- the OOXML details python-docx has no API for ------------------------------------------------


def _el(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


# successors of elements we add, in the order the OOXML schema requires (Word refuses others)
_PPR_AFTER_BDR = [
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
_RPR_AFTER_SPACING = [
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]
_PPR_AFTER_FRAME = ["w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *_PPR_AFTER_BDR]


def _border(paragraph_format: Any, **sides: tuple[str, int, str]) -> None:
    """Paragraph rules: side → (line style, width in eighths of a point, hex colour)."""
    ppr = paragraph_format.element.get_or_add_pPr()
    bdr = _el("w:pBdr")
    for side in ("top", "left", "bottom", "right", "between"):
        if side in sides:
            val, size, color = sides[side]
            bdr.append(_el(f"w:{side}", val=val, sz=str(size), space="1", color=color))
    ppr.insert_element_before(bdr, *_PPR_AFTER_BDR)


def _east_asian(rpr_owner: Any, family: str) -> None:
    """Set a run's or style's fonts: the East Asian slot is what draws Chinese text."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), family)
    fonts.set(qn("w:hint"), "eastAsia")  # shared punctuation (“”…) in the East Asian font


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, current value, end."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = _el("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run._r.append(_el("w:fldChar", fldCharType=kind))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="end"))


def _repeat_header(row: Any) -> None:
    """The row repeats at the top of every page the table runs onto (w:tblHeader)."""
    row._tr.get_or_add_trPr().append(_el("w:tblHeader"))


def _no_wrap(cell: Any) -> None:
    """The cell's text never wraps (w:noWrap): "58.8%" and "已完成" stay whole."""
    tcpr = cell._tc.get_or_add_tcPr()
    if tcpr.find(qn("w:noWrap")) is None:
        # after w:tcW, w:gridSpan, w:vMerge, w:tcBorders, w:shd (the schema's order)
        tcpr.insert_element_before(
            _el("w:noWrap"), "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
        )


def _cant_split(row: Any) -> None:
    """The row never breaks across two pages (w:cantSplit, before any w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.insert(0, _el("w:cantSplit"))


# -- the document and its styles ---------------------------------------------------------------


class Sheet:
    """A docx with the page, grid and role styles of a 公文 (GB/T 9704-2012)."""

    def __init__(
        self, families: dict[str, tuple[str, bool]], language: str, compact: bool = False
    ) -> None:
        self.doc: DocxDocument = Document()
        self.families = families  # role → (font family, bold face available)
        self.language = language
        self.compact = compact  # the sign-off sheet: one page, 20 mm margins, small type
        self._style_ids: dict[str, str | None] = {}
        self._page()
        self._styles()
        if compact:
            self._compact()

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        # mirrored margins: "left" is the inner margin (订口 28 mm), "right" the outer one
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(23)  # the number's top 7 mm below the text block
        section.gutter = Mm(0)
        sect_pr = section._sectPr
        # 22 lines of 28.95 pt come from the styles' exact line spacing and 28 characters a
        # line from their character spacing, not from a document grid: a grid would snap the
        # 五号 table text to 3号 cells as well
        grid = sect_pr.find(qn("w:docGrid"))
        grid.set(qn("w:linePitch"), "579")
        settings = self.doc.settings.element
        zoom = settings.find(qn("w:zoom"))
        mirror = _el("w:mirrorMargins")
        if zoom is not None:
            zoom.addnext(mirror)
        else:
            settings.insert(0, mirror)
        self.doc.settings.odd_and_even_pages_header_footer = True

    def _style(
        self,
        name: str,
        role: str,
        size: Pt,
        *,
        bold: bool = False,
        align: Any = None,
        indent: Any = None,
        line: Any = LINE,
        before: Any = 0,
        after: Any = 0,
        color: RGBColor | None = None,
        keep_next: bool = False,
        tight: bool = False,
    ) -> None:
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.quick_style = True
        family, has_bold = self.families[role]
        _east_asian(style.element, family)
        style.font.size = size
        style.font.bold = bold and has_bold
        if color is not None:
            style.font.color.rgb = color
        if tight:
            # 156 mm / 28 characters = 15.79 pt: each 16 pt character 0.2 pt narrower
            rpr = style.element.get_or_add_rPr()
            rpr.insert_element_before(_el("w:spacing", val="-4"), *_RPR_AFTER_SPACING)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before) if before else Pt(0), Pt(after or 0)
        if line is not None:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = line
        else:
            fmt.line_spacing = 1.15
        if align is not None:
            fmt.alignment = align
        fmt.first_line_indent = indent
        fmt.keep_with_next = keep_next
        fmt.widow_control = True

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        family, _ = self.families["body"]
        _east_asian(normal.element, family)
        normal.font.size = BODY
        rpr = normal.element.get_or_add_rPr()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = _el("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "en-US" if self.language == "en" else "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
        self._style(
            STYLE_BODY, "body", BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=INDENT, tight=True
        )
        self._style(STYLE_TITLE, "title", TITLE, bold=True, align=center, line=Pt(36), after=29)
        self._style(STYLE_H1, "hei", BODY, bold=True, indent=INDENT, keep_next=True, tight=True)
        self._style(STYLE_H2, "kai", BODY, indent=INDENT, keep_next=True, tight=True)
        self._style(STYLE_MARK, "title", Pt(42), bold=True, align=center, line=None, color=RED)
        self._style(STYLE_NUMBER, "body", BODY, align=center, before=58)
        self._style(STYLE_RECIPIENTS, "body", BODY, align=left, tight=True)
        self._style(STYLE_SIGNATURE, "body", BODY, align=left)
        self._style(STYLE_COLOPHON, "body", SMALL, align=left, line=Pt(24))
        self._style(STYLE_TABLE, "body", TABLE, align=center, line=None)
        self._style(STYLE_PAGE, "body", SMALL, line=None)

    def _compact(self) -> None:
        section = self.doc.sections[0]
        section.top_margin, section.bottom_margin = Mm(18), Mm(20)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
        section.footer_distance = Mm(10)
        sizes = {
            STYLE_TITLE: (Pt(18), Pt(26)),
            STYLE_H1: (Pt(12), Pt(20)),
            STYLE_BODY: (Pt(12), Pt(20)),
            STYLE_RECIPIENTS: (Pt(12), Pt(20)),
            STYLE_SIGNATURE: (Pt(12), Pt(20)),
            STYLE_TABLE: (Pt(9), None),
        }
        for name, (size, line) in sizes.items():
            style = self.doc.styles[name]
            style.font.size = size
            fmt = style.paragraph_format
            if line is not None:
                fmt.line_spacing = line
            else:
                fmt.line_spacing = 1.0
            fmt.first_line_indent = None
        self.doc.styles[STYLE_TITLE].paragraph_format.space_after = Pt(6)
        self.doc.styles[STYLE_H1].paragraph_format.space_before = Pt(6)
        self.width_mm = 170.0

    width_mm = 156.0  # the text block's width

    def para(self, text: str, style: str) -> Any:
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.style = self.style_id(style)
        return paragraph

    def style_id(self, name: str) -> str | None:
        """A paragraph style's id (None: the default style), found once: python-docx's own
        `style=` looks the default style up among all styles for every paragraph, which was
        most of the Word copy's time."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._style_ids[name]

    def page_numbers(self) -> None:
        """`— 1 —` in 4号 at the outer corner, one character in: odd pages right, even left."""
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            paragraph = footer.paragraphs[0]
            paragraph.style = self.doc.styles[STYLE_PAGE]
            paragraph.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = SMALL
            else:
                paragraph.paragraph_format.left_indent = SMALL
            paragraph.add_run("— ")
            _field(paragraph, " PAGE ", "1")
            paragraph.add_run(" —")

    def table(
        self,
        headers: list[str],
        rows: Iterable[list[str]],
        widths: list[float],
        nowrap: Iterable[int] = (),
        size: Any = None,
    ) -> Any:
        """A real Word table, its header row repeated on every page, no row split; the cells of
        the columns `nowrap` never wrap (a figure with its unit, a status word); `size` sets
        the type of the cells (default: the 表格文字 style's)."""
        nowrap = set(nowrap)
        rows = list(rows)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # cell margins as the PDF's (0.4 mm a side), not Word's 1.9 mm: the widths are reckoned
        # from the cells' text (render/bulletin.py ranking_table)
        tblpr = table._tbl.tblPr
        margins = _el("w:tblCellMar")
        for side, twips in (("top", 0), ("left", 23), ("bottom", 0), ("right", 23)):
            margins.append(_el(f"w:{side}", w=str(twips), type="dxa"))
        tblpr.insert_element_before(
            margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
        )
        total = sum(widths)
        for index, width in enumerate(widths):
            share = Mm(self.width_mm * width / total)
            table.columns[index].width = share
            for cell in table.columns[index].cells:
                cell.width = share
        hei, hei_bold = self.families["hei"]
        cell_style = self.style_id(STYLE_TABLE)
        for r, values in enumerate([headers, *rows]):
            row = table.rows[r]
            _cant_split(row)
            if r == 0:
                _repeat_header(row)
            for cell, value in zip(row.cells, values, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = cell_style
                run = paragraph.add_run(value)  # a "\n" is a line break (a heading's two lines)
                if size is not None:
                    run.font.size = size
                if r == 0:
                    _east_asian(run._r, hei)
                    run.bold = hei_bold
            if r:
                for index in nowrap:
                    _no_wrap(row.cells[index])
        return table

    def to_bytes(self, when: datetime, title: str, author: str) -> bytes:
        core = self.doc.core_properties
        core.title, core.author, core.last_modified_by = title, author, "board"
        core.created = core.modified = core.last_printed = when
        core.revision = 1
        core.comments, core.keywords, core.subject = "", "", ""
        raw = io.BytesIO()
        self.doc.save(raw)
        return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The package with fixed entry times and attributes: same content, same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# The fonts a Windows or WPS office PC has for the four type roles of a 公文 (GB/T 9704): the
# Word copy names them, whatever stands in for them on the machine that builds the PDF.
OFFICE_FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "hei": "黑体",
    "kai": "楷体_GB2312",
}
# the free fonts of a Linux machine that board's defaults and docs name for the roles: a Word
# copy never names them (an office PC lacks them; Word would substitute a font of its choice)
FREE_FONTS = frozenset(
    name.casefold()
    for name in (
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "Noto Serif CJK",
        "Noto Sans CJK",
        "Source Han Serif SC",
        "Source Han Sans SC",
        "AR PL KaitiM GB",
        "AR PL UKai CN",
        "AR PL UMing CN",
        "AR PL SungtiL GB",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
        "Droid Sans Fallback",
    )
)


def _families(roles: dict[str, fontcheck.Role]) -> dict[str, tuple[str, bool]]:
    """The family each role's style names, and whether it is set bold.

    The font the office listed first, when it is an office's own font (仿宋_GB2312, FangSong,
    方正仿宋_GBK: Word on the office's PC uses it even where the build machine has only the
    stand-in); where the office listed a free Linux font first (board's defaults), the font a
    Windows/WPS office has for that role (OFFICE_FONTS). The office fonts are drawn in their
    own weight, never made bold (小标宋 and 黑体 are heavy already)."""
    found_families = {}
    for role, found in roles.items():
        if found.wanted.casefold() in FREE_FONTS and role in OFFICE_FONTS:
            found_families[role] = (OFFICE_FONTS[role], False)
        else:
            found_families[role] = (found.wanted, found.bold and not found.substituted)
    return found_families


# -- the bulletin -------------------------------------------------------------------------------


def _status(t: Any, key: str) -> str:
    """A status as every output shows it: the legend's symbol and word (i18n.STATUS_SYMBOL)."""
    return f"{STATUS_SYMBOL[key]} {t('status.' + key)}"


def bulletin_docx(ctx: BuildContext) -> bytes:
    """`print/bulletin-M.docx`: the PDF's bulletin, editable, with its parts and styles."""
    config, board, t = ctx.config, ctx.board, ctx.t
    language = config.language
    doc = official.bulletin(ctx)
    sheet = Sheet(_families(official.roles(ctx)), language)
    zh = language == "zh-CN"
    sp = "" if zh else " "
    c, sc, cm, st = (t(f"print.{k}") for k in ("colon", "semicolon", "comma", "stop"))

    def date_text(day: Any) -> str:
        return date_label(day, language)

    if ctx.print_mark:  # 预览（未发布）, 重新生成: on every page's head, as in the PDF
        section = sheet.doc.sections[0]
        for header in (section.header, section.even_page_header):
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(ctx.print_mark)
            run.font.color.rgb = RED
            run.font.bold = True
    # 版头
    mark = sheet.para(doc.mark, STYLE_MARK)
    mark.paragraph_format.space_before = Mm(35)
    for run in mark.runs:
        run.font.size = Pt(official.mark_size(doc.mark))
    number = sheet.para(doc.number, STYLE_NUMBER)
    number.paragraph_format.space_after = Mm(4)
    _border(number.paragraph_format, bottom=("single", 10, "E60012"))
    # 主体
    title = sheet.para("", STYLE_TITLE)
    title.paragraph_format.space_before = Pt(58)
    for i, line in enumerate(doc.title_lines or (doc.title,)):
        run = title.add_run(line)
        if i < len(doc.title_lines) - 1:
            run.add_break()  # the title's lines broken at natural places (GB/T 9704 7.3.1)
    if doc.correction:
        correction = sheet.para(doc.correction, STYLE_H2)
        correction.paragraph_format.keep_with_next = False
        correction.paragraph_format.space_after = LINE
    if doc.recipients:
        sheet.para(doc.recipients, STYLE_RECIPIENTS)
    sheet.para(
        t("print.bulletin_intro").format(month=month_label(board.month, language)), STYLE_BODY
    )
    totals = board.totals  # the county's investment, as the PDF's opening sentence says it
    sheet.para(
        t("print.bulletin_totals").format(
            n=totals.projects,
            investment=yi(totals.investment),
            annual=yi(totals.annual_investment),
            months=months_to(board.month, language),
            year=yi(totals.invested_year),
            rate=rate(totals.investment_rate),
            note=totals.year_note.text(language) if totals.year_note else "",
        ),
        STYLE_BODY,
    )
    sheet.para(doc.headings["ranking"], STYLE_H1)
    layout = official.ranking_table(board, t)
    legend = "".join(
        f"　{_status(t, item.status)}" for item in status_legend(language, config.labels)
    )
    legend_line = sheet.para(f"{t('legend')}{c}{legend.strip()}　{t('legend.pct')}", STYLE_TABLE)
    # the heading and the legend go with the table's first rows (else they stay alone at the
    # foot of page 1 while the table starts on page 2)
    legend_line.paragraph_format.keep_with_next = True
    for run in legend_line.runs:
        run.font.size = Pt(min(9.0, layout.size))  # one line, as the PDF's
    columns = official.RANKING_COLUMNS
    headers = ["\n".join(layout.head(k)) for k in columns]
    rows = [list(official.ranking_cells(r, t).values()) for r in board.ranking]
    nowrap = [i for i, key in enumerate(columns) if key not in official.WRAPPING]
    table = sheet.table(
        headers,
        rows,
        [layout.width(k) for k in columns],
        nowrap=nowrap,
        size=Pt(layout.size),
    )
    for row in table.rows[1:]:
        for index in (2, 3, 4):
            row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    if doc.reporting_note:
        sheet.para(doc.reporting_note, STYLE_TABLE).alignment = WD_ALIGN_PARAGRAPH.LEFT
    sheet.para(doc.headings["behind"], STYLE_H1)
    if board.behind:
        for i, r in enumerate(board.behind, 1):
            sheet.para(official.sub_number(i, language) + r.project.name, STYLE_H2)
            text = (
                f"{t('leader')}{c}{r.project.leader}{sc}{t('unit')}{c}{r.project.unit}{st}"
                f"{t('status.' + r.status)}{cm}{t('actual')}{sp}{r.actual}%{cm}"
                f"{t('planned')}{sp}{pct(r.planned)}%"
            )
            if r.behind_by:
                text += f"{cm}{t('print.behind_by')}{sp}{pct(r.behind_by)}{sp}{t('print.points')}"
            text += f"{st}{t('reason')}{c}{r.reason or t('print.no_reason')}{st}"
            text += f"{t('catch_up_by')}{c}{official.catch_up_text(r, t, date_text)}{st}"
            sheet.para(text.strip(), STYLE_BODY)
        sheet.para(t("print.demand"), STYLE_BODY)
    else:
        sheet.para(t("print.none_behind"), STYLE_BODY)
    sheet.para(doc.headings["missed"], STYLE_H1)
    missed = official.missed_by_project(board)
    if missed:
        for i, (r, promises) in enumerate(missed, 1):
            sheet.para(official.sub_number(i, language) + r.project.name, STYLE_H2)
            said = official.missed_text(promises, t, date_text, lambda m: month_label(m, language))
            text = (
                f"{t('leader')}{c}{r.project.leader}{sc}{t('unit')}{c}{r.project.unit}{st}"
                f"{said}{sc}"
                f"{t('actual')}{sp}{r.actual}%{cm}{t('planned')}{sp}{pct(r.planned)}%{st}"
            )
            sheet.para(text.strip(), STYLE_BODY)
    else:
        sheet.para(t("print.none_missed"), STYLE_BODY)
    if doc.reporting:  # 未按时报送 (issue 23), a block of its own, kept on one page
        sheet.para(doc.headings["reporting"], STYLE_H1)
        for i, line in enumerate(doc.reporting, 1):
            paragraph = sheet.para(line, STYLE_BODY)
            paragraph.paragraph_format.keep_with_next = i < len(doc.reporting)
    _adjust_section(ctx, sheet, doc.headings["adjust"])
    if "disclosure" in doc.headings:  # issue 24
        heading = doc.headings["disclosure"]
        disclosure.docx_section(ctx, sheet, lambda i: official.sub_number(i, language), heading)
    # 落款 and 成文日期: two characters in from the right; the date two characters right of the
    # 落款's first character (or, when longer, itself two characters in)
    grid = 156 / 28
    issuer_right, date_right = 2, 2
    if zh:
        date_right = issuer_right + len(doc.issuer) - 2 - len(doc.date_text)
        if date_right < 2:
            issuer_right += 2 - date_right
            date_right = 2
    # the 落款 never stands alone on a page: the body's last paragraph keeps with it
    sheet.doc.paragraphs[-1].paragraph_format.keep_with_next = True
    sheet.doc.paragraphs[-1].paragraph_format.keep_together = True
    for text, right, before in ((doc.issuer, issuer_right, LINE), (doc.date_text, date_right, 0)):
        line = sheet.para(text, STYLE_SIGNATURE)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.space_before = before
        line.paragraph_format.right_indent = Mm(grid * right)
        line.paragraph_format.keep_with_next = text == doc.issuer
    # 版记 in a frame at the foot of the last page, between its rules
    _colophon(sheet, doc, t("print.cc") + c)
    sheet.page_numbers()
    return sheet.to_bytes(_fixed_time(board.month), doc.title, doc.issuer)


def _adjust_section(ctx: BuildContext, sheet: Sheet, heading: str) -> None:
    """本月调整事项 (issue 22), as the PDF's section says it (templates/print/adjust.html)."""
    board, t = ctx.board, ctx.t
    words = ctx.adjust
    language = ctx.config.language
    c, sc, st = t("print.colon"), t("print.semicolon"), t("print.stop")
    sheet.para(heading, STYLE_H1)
    if not (board.decided or board.withdrawn or board.added):
        sheet.para(t("print.adjust_none"), STYLE_BODY)
        return
    summary = t("print.adjust_summary").format(
        n=len(board.decided_projects), m=len(board.decided), d=len(board.delayed)
    )
    if board.delayed_often:
        names = words.often(board.delayed_often)
        summary += t("print.adjust_often").format(names=names)
    sheet.para(summary, STYLE_BODY)
    items: list[tuple[str, str]] = []
    for project, changes in board.decided_by_project:
        text = f"{t('leader')}{c}{project.leader}{sc}{t('unit')}{c}{project.unit}{st}"
        text += "".join(
            words.step_text(words.step(change), change in board.overdue_moved) + st
            for change in changes
        )
        items.append((project.name, text))
    for project in board.withdrawn:
        text = f"{t('leader')}{c}{project.leader}{sc}{t('unit')}{c}{project.unit}{st}"
        text += words.withdrawn_text(project) + t("adjust.withdrawn_tail") + st
        items.append((f"{t('print.adjust_withdrawn')}{c}{project.name}", text))
    for row in board.added:
        project = row.project
        text = f"{t('leader')}{c}{project.leader}{sc}{t('unit')}{c}{project.unit}{st}"
        text += words.added_text(project) + st
        items.append((f"{t('print.adjust_added')}{c}{project.name}", text))
    for i, (head, text) in enumerate(items, 1):
        sheet.para(official.sub_number(i, language) + head, STYLE_H2)
        sheet.para(text.strip(), STYLE_BODY)


def _colophon(sheet: Sheet, doc: official.Bulletin, cc_label: str) -> None:
    """The 版记 at the foot of the last page (7.4 of the standard): 抄送 and 印发 in 4号, between
    rules as wide as the text block (the first and last 0.35 mm, the one between 0.25 mm).

    Each line is a paragraph in a frame of its own, placed so that the 印发 line is the last
    line of the text block: Word and LibreOffice both place a frame at a distance from the top
    margin (not at its bottom), and LibreOffice splits one frame whose lines have different
    rules, so each frame's place is computed from its lines."""
    per_line = int((156 - 2 * 156 / 28) / (14 / 72 * 25.4))  # 4号 characters a line
    line = 24  # pt, the 版记's exact line spacing
    thick, thin = ("single", 8, "000000"), ("single", 6, "000000")
    bottom = 225 / 25.4 * 72  # the text block's height in pt
    # (text, lines, its rule below); the first rule is an empty 1 pt line of its own, since
    # LibreOffice drops the frame of a paragraph with rules of two weights
    lines: list[tuple[str, int, tuple[str, int, str]]] = [("", 0, thick)]
    if doc.cc:
        cc = f"{cc_label}{doc.cc}"
        if sheet.language == "zh-CN" and cc[-1] not in "。.":
            cc += "。"
        lines.append((cc, -(-len(cc) // per_line), thin))
    lines.append((f"{doc.printed_by}\t{doc.printed_text}", 1, thick))
    top = bottom - sum(max(count * line, 1) + 3 for _, count, _ in lines)
    for index, (text, count, rule) in enumerate(lines):
        if index:  # LibreOffice loses a frame that directly follows another one
            spacer = sheet.para("", STYLE_COLOPHON)
            spacer.paragraph_format.line_spacing = Pt(1)
        paragraph = sheet.para(text, STYLE_COLOPHON)
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = SMALL
        if count and text.startswith(cc_label) and sheet.language == "zh-CN":
            # a second line aligns under the first office after 抄送：
            fmt.left_indent = Pt(14 + 14 * len(cc_label))
            fmt.first_line_indent = Pt(-14 * len(cc_label))
        if count:
            fmt.tab_stops.add_tab_stop(Mm(156) - SMALL - SMALL, WD_TAB_ALIGNMENT.RIGHT)
        else:
            fmt.line_spacing = Pt(1)
        frame = _el(
            "w:framePr",
            w=str(round(156 / 25.4 * 1440)),
            wrap="notBeside",
            vAnchor="margin",
            hAnchor="margin",
            xAlign="center",
            y=str(round(top * 20)),
        )
        paragraph._p.get_or_add_pPr().insert_element_before(frame, *_PPR_AFTER_FRAME)
        _border(fmt, bottom=rule)
        top += max(count * line, 1) + 3


# -- the sign-off sheet -------------------------------------------------------------------------


def review_rows(rv: Review) -> list[list[str]]:
    """One row per project that changed, in ranking order: what the leader signs off.

    The same facts as `board diff` (diff.py), gathered by project so that a month fits on one
    page: actual progress, status and rank before → after, and what needs a word (a new delay
    with its reason and catch-up deadline, a deadline missed, no report).
    """
    t = translator(rv.register.config.language, rv.register.config.labels)
    zh = rv.register.config.language == "zh-CN"
    sep, colon = ("；", "：") if zh else ("; ", ": ")
    percent = {c.row.project.id: c for c in rv.percent}
    status = {c.row.project.id: c for c in rv.status}
    moves = {m.row.project.id: m for m in rv.moves}
    delayed = {r.project.id for r in rv.new_delays}
    reasons = {r.project.id for r in rv.reasons}
    missed: dict[str, list[Any]] = {}
    for row, promise in rv.missed:
        missed.setdefault(row.project.id, []).append(promise)
    silent = {r.project.id for r in rv.no_report}
    # issue 22: the commitments changed, and the projects added, between the two months
    words = words_of(rv)
    commitments: dict[str, list[str]] = {}
    for project, change in rv.changes:
        step = words.step(change)
        commitments.setdefault(project.id, []).append(
            f"{t('review.changes_note')}{colon}{step.label} {step.before} → {step.after}"
        )
    added = {r.project.id for r in rv.added}
    invested = {c.row.project.id: c for c in rv.invested}
    rows = []
    for row in rv.after.ranking:
        pid = row.project.id
        changed = (
            percent,
            status,
            moves,
            missed,
            silent,
            delayed,
            reasons,
            invested,
            commitments,
            added,
        )
        if not any(pid in found for found in changed):
            continue
        moved = percent.get(pid)
        if moved is not None:
            before = "—" if moved.before is None else f"{moved.before}%"
            actual = f"{before} → {moved.after}%（{moved.delta:+d}）"
        else:
            actual = f"{row.actual}%"
        state = status.get(pid)
        state_text = (
            f"{t('status.' + state.before)} → {t('status.' + state.after)}"
            if state
            else t("status." + row.status)
        )
        move = moves.get(pid)
        rank = f"{move.before} → {move.after}" if move else str(row.rank)
        notes = []
        if pid in delayed:
            notes.append(t("review.new_delay"))
        if pid in delayed or pid in reasons:
            notes.append(f"{t('reason')}{colon}{row.reason or t('diff.no_reason')}")
            if row.catch_up_by:
                notes.append(f"{t('catch_up_by')}{colon}{row.catch_up_by}")
        for promise in missed.get(pid, []):
            notes.append(f"{t('catch_up_by')} {promise.by} {t('catch_up.missed')}")
        if pid in silent:
            notes.append(t("status.no_report"))
        if pid in invested:
            fell = invested[pid]
            after_text = (
                t("diff.not_given")
                if fell.after is None
                else t("review.amount").format(amount=money(fell.after))
            )
            notes.append(t("review.invested").format(before=money(fell.before), after=after_text))
        if pid in added:
            notes.append(f"{t('adjust.new')} {words.added_text(row.project)}")
        notes += commitments.get(pid, [])
        rows.append([row.project.name, actual, state_text, rank, sep.join(notes)])
    for project in rv.withdrawn:  # no longer ranked: listed after the ranking
        notes = [f"{t('adjust.withdrawn')} {words.withdrawn_text(project)}"]
        notes += commitments.get(project.id, [])
        rows.append([project.name, "—", "—", "—", sep.join(notes)])
    return rows


def review_docx(rv: Review, roles: dict[str, fontcheck.Role]) -> bytes:
    """`审阅-M.docx`: the changes from the month before, for the leader's signature: one page
    for a usual month; when it runs over, the last project stays with the signature."""
    config = rv.register.config
    language = config.language
    t = translator(language, config.labels)
    sheet = Sheet(_families(roles), language, compact=True)
    after = month_label(rv.after.month, language)
    title_text = t("review.title").format(month=after)
    title = sheet.para(config.title, STYLE_RECIPIENTS)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sheet.para(title_text, STYLE_TITLE)
    compared = t("review.compared").format(
        before=month_label(rv.before.month, language), after=after
    )
    sheet.para(compared, STYLE_RECIPIENTS)
    colon = "：" if language == "zh-CN" else ": "
    counts = t("site.list_sep").join(
        f"{t('status.' + key)} {n}" for key, n in rv.after.counts.items()
    )
    sheet.para(f"{t('diff.counts')}{colon}{counts}", STYLE_RECIPIENTS)
    if totals_line(rv):
        sheet.para(totals_line(rv), STYLE_RECIPIENTS)
    rows = review_rows(rv)
    sheet.para(t("review.changes").format(n=len(rows)), STYLE_H1)
    if rows:
        headers = [t("name"), t("actual"), t("status"), t("rank"), t("review.notes")]
        table = sheet.table(headers, rows, [27, 19, 17, 8, 29])
        for row in table.rows[1:]:
            for index in (0, 4):
                row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
        # a month of many changes runs over: the last project stays with the signature
        for cell in table.rows[-1].cells:
            cell.paragraphs[-1].paragraph_format.keep_with_next = True
    else:
        sheet.para(t("diff.none"), STYLE_BODY)
    opinion = sheet.para(t("review.opinion"), STYLE_SIGNATURE)
    opinion.paragraph_format.space_before = Pt(10)
    opinion.paragraph_format.keep_with_next = True
    # room for the leader's words, then the signature and the date on one line
    signature = sheet.para(f"{t('review.signature')}\t{t('review.date')}", STYLE_SIGNATURE)
    signature.paragraph_format.space_before = Pt(36)
    signature.paragraph_format.tab_stops.add_tab_stop(Mm(95))
    sheet.page_numbers()
    return sheet.to_bytes(_fixed_time(rv.after.month), title_text, config.issuer)


def review_roles(ctx_config: Any) -> dict[str, fontcheck.Role]:
    """The type roles for `board diff --format docx`, outside a build (no warnings to add)."""
    found: dict[str, fontcheck.Role] = {}
    for role, key, name in official.ROLES:
        resolved = fontcheck.resolve_role(key, name, getattr(ctx_config.bulletin, key))
        found[role] = resolved or fontcheck.Role(
            key, name, fontcheck.families(getattr(ctx_config.bulletin, key))[0], (), False
        )
    return found


def review_name(month: Month) -> str:
    return f"{INTERNAL}/审阅-{month}.docx"


def render(ctx: BuildContext) -> dict[str, bytes]:
    """`print/bulletin-M.docx`, and `内部/审阅-M.docx` when there is a month before."""
    month = ctx.board.month
    files = {f"print/bulletin-{month}.docx": bulletin_docx(ctx)}
    if ctx.board.previous_month is not None:
        rv = review(ctx.register, ctx.board.previous_month, month)
        files[review_name(month)] = review_docx(rv, official.roles(ctx))
    return files
