"""The build cache: an unchanged rebuild renders nothing, and a cached build equals a cold one."""

from __future__ import annotations

import ctypes.util
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from board.build import STAGES, build
from board.cache import MANIFEST
from board.cli import main
from board.generate import generate_register
from tests.conftest import NO_PDF


@pytest.fixture(autouse=True)
def own_cache_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count what a build renders and reuses from its output's own cache: the
    user's shared cache (filled by the other tests) is off, but in the tests of it below."""
    monkeypatch.setenv("BOARD_SHARED_CACHE", "0")


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_nothing_changed_renders_nothing(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(scratch, out, stages=NO_PDF)
    before = digest(out)
    second = build(scratch, out, stages=NO_PDF)
    assert second.up_to_date and second.files == {}
    assert second.summary().startswith(
        "up to date 2020-09: 2 projects, 2 months, 1 warning; nothing changed"
    )
    # the first build warned that there was no record of published months yet (issue 22); it
    # made one, so the second says only what still holds
    assert [str(w) for w in second.warnings] == [
        str(w) for w in first.warnings if "record of published months" not in str(w)
    ]
    assert len(first.warnings) == 2
    assert digest(out) == before


def test_a_damaged_output_is_rebuilt(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    before = digest(out)
    (out / "site" / "data" / "board.json").unlink()
    result = build(scratch, out, stages=NO_PDF)
    assert not result.up_to_date
    assert digest(out) == before


def test_a_changed_report_rebuilds_and_equals_a_cold_build(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out)
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("主体封顶", "主体封顶，内部装修"),
        encoding="utf-8",
    )
    warm = build(scratch, out)
    assert not warm.up_to_date
    cold = build(scratch, tmp_path / "cold", force=True)
    assert digest(out) == digest(tmp_path / "cold")
    assert warm.files == cold.files


def test_changed_templates_invalidate_the_build(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    (scratch / "templates").mkdir()
    (scratch / "templates" / "unused.txt").write_text("x", encoding="utf-8")
    assert not build(scratch, out, stages=NO_PDF).up_to_date


def test_the_manifest_lists_every_published_file(scratch: Path, tmp_path: Path) -> None:
    import json

    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    published = digest(out)
    del published[MANIFEST]
    assert listed == published


def test_force_renders_again(capsys, monkeypatch, scratch: Path, tmp_path: Path) -> None:
    monkeypatch.setattr("board.build.STAGES", tuple(s for s in STAGES if s[0] in NO_PDF))
    out = tmp_path / "out"
    assert main(["build", str(scratch), "--out", str(out)]) == 0
    assert main(["build", str(scratch), "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("up to date 2020-09")
    assert main(["build", str(scratch), "--out", str(out), "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("built 2020-09")


def test_missing_font_subsetter_is_a_loud_warning(monkeypatch, caplog) -> None:
    from weasyprint.text import ffi

    from board.build import font_subsetting_problem

    assert font_subsetting_problem() is None  # the set-up installs libharfbuzz-subset0
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    problem = font_subsetting_problem()
    assert problem is not None
    assert str(problem) == (
        "weasyprint: warning: WeasyPrint did not find HarfBuzz's font subsetter: every PDF takes about"
        " 8 s longer (install it: apt-get install libharfbuzz-subset0 (./setup.sh does))"
    )
    assert "libharfbuzz-subset0" in caplog.text


LIBRARIES = """
import json, subprocess, sys
commands = []
real = subprocess.Popen.__init__
def recorded(self, args, *more, **options):
    commands.append(args if isinstance(args, str) else " ".join(map(str, args)))
    real(self, args, *more, **options)
subprocess.Popen.__init__ = recorded
import {module}
from weasyprint.text import ffi
names = [n for n in vars(ffi) if not n.startswith("_") and type(getattr(ffi, n)).__name__ == "FFILibrary"]
maps = [line.split()[-1] for line in open("/proc/self/maps") if ".so" in line]
opened = sorted({{m for m in maps if any(k in m for k in ("pango", "harfbuzz", "gobject", "fontconfig"))}})
print(json.dumps({{"commands": commands, "libraries": opened, "names": sorted(names)}}))
"""


def test_weasyprint_opens_the_same_libraries_without_running_a_compiler() -> None:
    # WeasyPrint's library search ran ldconfig 22 times and gcc 16 in every build (render/weasy.py)
    def opened(module: str) -> dict:
        code = LIBRARIES.format(module=module)
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    plain, board = opened("weasyprint"), opened("board.render.weasy")
    assert any("gcc" in command for command in plain["commands"])  # what it saves
    assert board["commands"] == []
    assert board["libraries"] == plain["libraries"]
    assert any("harfbuzz-subset" in library for library in board["libraries"])
    assert board["names"] == plain["names"]


def test_a_build_s_own_process_imports_neither_openpyxl_nor_python_docx() -> None:
    """The bulletin reads the ledger of received reports and the carry-forward files the
    office's papers under 内部/ in every build; the workbook and Word libraries stay with the
    commands and the processes that need them (0.1 s of every build's start)."""
    code = (
        "import sys\n"
        "from board.build import internal_out_of_print\n"
        "from board.xlsx import ledger\n"
        "moved = internal_out_of_print({'print/审阅-2020-09.docx': b''})\n"
        "print(sorted(moved), 'openpyxl' in sys.modules, 'docx' in sys.modules)\n"
        "from board.xlsx import WorkbookError, import_workbook\n"  # still there when asked for
        "print(WorkbookError.__module__, import_workbook.__module__, 'openpyxl' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "['内部/审阅-2020-09.docx'] False False",
        "board.xlsx.layout board.xlsx.importer True",
    ]
    import board.xlsx

    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        board.xlsx.no_such_name  # noqa: B018


def test_a_module_that_needs_the_library_search_is_imported_with_it(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from board.render.weasy import import_fast

    (tmp_path / "needs_search").mkdir()
    (tmp_path / "needs_search" / "__init__.py").write_text("from . import lib\n")
    (tmp_path / "needs_search" / "lib.py").write_text(
        "import ctypes.util\n"
        "found = ctypes.util.find_library('c')\n"
        "if found is None:  # as WeasyPrint does: its advice, then the error\n"
        "    print('please install c')\n"
        "    raise OSError('cannot load library c')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    search = ctypes.util.find_library
    try:
        module = import_fast("needs_search.lib")
        assert module.found == search("c")
        assert capsys.readouterr().out == ""  # the first attempt's advice is not shown
        assert ctypes.util.find_library is search  # the search as it was, for everyone else
    finally:
        for name in [m for m in sys.modules if m.startswith("needs_search")]:
            del sys.modules[name]


def test_one_changed_report_lays_out_again_only_the_sheets_part_it_is_in(tmp_path: Path) -> None:
    content = generate_register(tmp_path / "content", projects=17, months=1)
    out = tmp_path / "out"
    first = build(content, out)
    # 17 sheets in 3 parts (8, 8 and 1); the panel, the bulletin, the parts and the joined sheets
    assert (first.cache_hits, first.cache_misses) == (0, 6)
    report = content / "reports" / "2020-06.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('progress: "', 'progress: "（已核实）', 1), encoding="utf-8")
    warm = build(content, out)
    # the progress text is on the panel and on one sheet; the bulletin and two parts are reused
    assert (warm.cache_hits, warm.cache_misses) == (3, 3)
    build(content, tmp_path / "cold", force=True)
    assert digest(out) == digest(tmp_path / "cold")


# -- the key knows what rendered the bytes (issue 21) ----------------------------------------------


def photo_scratch(scratch: Path) -> Path:
    """The scratch register with two photos in September: units of the build cache (their
    derivatives for the site and the screen) that a no-PDF build renders."""
    from tests.test_photos import _png, jpeg

    (scratch / "photos").mkdir()
    (scratch / "photos" / "a.jpg").write_bytes(jpeg((1200, 900)))
    (scratch / "photos" / "b.png").write_bytes(_png((1000, 700)))
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(
        "month: 2020-09\nprojects:\n"
        "  a: {percent: 70, progress: 主体封顶, photos: [photos/a.jpg]}\n"
        "  b: {percent: 60, progress: 主体施工, photos: [photos/b.png]}\n",
        encoding="utf-8",
    )
    return scratch


def test_a_new_version_of_a_renderer_renders_everything_anew(
    scratch: Path, tmp_path: Path, monkeypatch
) -> None:
    import board.cache

    content, out = photo_scratch(scratch), tmp_path / "out"
    cold = build(content, out, stages=NO_PDF)
    assert cold.cache_misses >= 4 and cold.cache_hits == 0
    assert build(content, out, stages=NO_PDF).up_to_date
    assert board.cache.dependency_versions()["weasyprint"]  # recorded, as installed
    real = board.cache.package_version

    def upgraded(name: str, installed: dict[str, str] | None = None) -> str:
        return "999.0" if name == "pillow" else real(name, installed)

    monkeypatch.setattr(board.cache, "package_version", upgraded)
    after = build(content, out, stages=NO_PDF)
    assert not after.up_to_date, "the whole-build answer knows the renderers' versions"
    assert (after.cache_hits, after.cache_misses) == (0, cold.cache_misses)
    assert build(content, out, stages=NO_PDF).up_to_date


def test_each_renderer_and_font_is_in_the_key(monkeypatch) -> None:
    import board.cache

    names = set(board.cache.dependency_versions())
    assert {
        "weasyprint",
        "pydyf",
        "fonttools",
        "pillow",
        "python-docx",
        "jinja2",
        "openpyxl",
    } <= names
    digests = {board.cache.environment_digest([("/f.ttc", 0, 10, 1)])}
    digests.add(board.cache.environment_digest([("/f.ttc", 0, 10, 2)]))  # a new mtime
    digests.add(board.cache.environment_digest([("/f.ttc", 0, 11, 1)]))  # a new size
    digests.add(board.cache.environment_digest([("/f.ttc", 0, 10, 1), ("/g.ttf", 0, 5, 1)]))
    monkeypatch.setattr(board.cache, "package_version", lambda name, installed=None: "1")
    digests.add(board.cache.environment_digest([("/f.ttc", 0, 10, 1)]))
    assert len(digests) == 5


def test_the_font_files_are_the_configured_families_as_fontconfig_has_them(scratch: Path) -> None:
    from board.render import fonts

    assert fonts.configured_families(scratch) == [
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "AR PL KaitiM GB",
    ]
    found = fonts.font_files(fonts.configured_families(scratch))
    used = {fonts.find_face(name).file for name in ("Noto Sans CJK SC", "AR PL KaitiM GB")}
    assert used <= {Path(f) for f, *_ in found}
    for file, _index, size, mtime in found:
        assert (size, mtime) == (Path(file).stat().st_size, Path(file).stat().st_mtime_ns)
    (scratch / "board.yaml").write_text(
        (scratch / "board.yaml").read_text(encoding="utf-8")
        + "font: Noto Serif CJK SC, Noto Sans CJK SC\nbulletin:\n  kai_font: 楷体_GB2312, AR PL KaitiM GB\n",
        encoding="utf-8",
    )
    assert fonts.configured_families(scratch) == [
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "楷体_GB2312",
        "AR PL KaitiM GB",
    ]


def test_a_font_file_installed_or_changed_renders_everything_anew(
    scratch: Path, tmp_path: Path, monkeypatch
) -> None:
    """fontconfig is pointed at one more folder of fonts (FONTCONFIG_FILE), as a font package
    installs one: a file of a configured family there, then the same file with a new mtime."""
    import os
    import shutil

    from board.render import fonts

    extra = tmp_path / "fonts"
    extra.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<include>/etc/fonts/fonts.conf</include><dir>{extra}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    content, out = photo_scratch(scratch), tmp_path / "out"
    cold = build(content, out, stages=NO_PDF)
    assert build(content, out, stages=NO_PDF).up_to_date

    kai = fonts.find_face("AR PL KaitiM GB").file
    shutil.copy(kai, extra / "kai-copy.ttf")
    assert str(extra / "kai-copy.ttf") in {f for f, *_ in fonts.font_files(["AR PL KaitiM GB"])}
    installed = build(content, out, stages=NO_PDF)
    assert not installed.up_to_date
    units = cold.cache_hits + cold.cache_misses  # (hits: from the user's shared cache)
    assert (installed.cache_hits, installed.cache_misses) == (0, units)
    assert build(content, out, stages=NO_PDF).up_to_date

    stamp = (extra / "kai-copy.ttf").stat().st_mtime_ns + 10**9
    os.utime(extra / "kai-copy.ttf", ns=(stamp, stamp))
    changed = build(content, out, stages=NO_PDF)
    assert not changed.up_to_date
    assert (changed.cache_hits, changed.cache_misses) == (0, units)


def test_each_photo_is_hashed_once_per_build(scratch: Path, tmp_path: Path, monkeypatch) -> None:
    """The whole build's digest hashes every file of the register; the check, the site's and
    the screen's derivatives (in forked workers too) use that hash, not their own."""
    import board.cache
    import board.photos

    content, out = photo_scratch(scratch), tmp_path / "out"
    photos = {(content / "photos" / n).read_bytes(): n for n in ("a.jpg", "b.png")}
    log = tmp_path / "hashed.log"
    real = board.cache.hash_bytes

    def counting(data: bytes) -> str:
        if data in photos:  # appended to a file: the forked workers count too
            with log.open("a", encoding="utf-8") as file:
                file.write(photos[data] + "\n")
        return real(data)

    monkeypatch.setattr(board.cache, "hash_bytes", counting)
    monkeypatch.setattr(board.photos, "hash_bytes", counting)
    monkeypatch.setattr(board.cache, "RACY_NS", 0)  # the photos were written a moment ago
    monkeypatch.setattr(board.cache, "_DIGESTS", {})  # as a fresh process
    result = build(content, out, stages=NO_PDF)
    assert sum("photos/" in name for name in result.files) >= 4
    assert sorted(log.read_text(encoding="utf-8").split()) == ["a.jpg", "b.png"]
    log.unlink()
    build(content, out, stages=NO_PDF, force=True)  # the same process: nothing hashed again
    assert not log.exists()


def test_a_photo_changed_after_its_hash_is_never_published(scratch: Path, tmp_path: Path) -> None:
    import board.cache
    from board.photos import read_checked
    from board.validate import check

    content = photo_scratch(scratch)
    register, _ = check(content)
    (photo,) = register.report(register.months[-1]).entries["a"].photos
    assert read_checked(content, photo) == (content / "photos" / "a.jpg").read_bytes()
    (content / "photos" / "a.jpg").write_bytes(b"\xff\xd8 another picture")
    try:
        read_checked(content, photo)
    except OSError as exc:
        assert "changed during the build" in str(exc)
    else:
        raise AssertionError("a swapped photo was read as the checked one")
    assert board.cache.file_digest(content / "photos" / "a.jpg") != photo.digest


# -- what an earlier build learnt about a sheet (issue 21's build speed) ------------------------


def test_a_sheet_known_to_run_over_is_laid_out_with_its_page_count_at_once_same_bytes(
    tmp_path: Path,
) -> None:
    from board.build import render_all
    from board.cache import RenderCache
    from board.render import fonts, pdf
    from tests.conftest import CONTENT

    cache = RenderCache(tmp_path / "cache")
    _, ctx, _ = render_all(CONTENT, stages=(), cache=cache)
    faces = fonts.resolve(ctx.config.font)
    laid: list[int] = []  # how many sheets each layout had

    def counted(printer: pdf.Printer) -> pdf.Printer:
        layout = printer.layout

        def counting(html: str, output: str) -> object:
            laid.append(html.count('<section class="sheet'))
            return layout(html, output)

        printer.layout = counting  # type: ignore[method-assign]
        return printer

    first = counted(pdf.Printer(ctx, faces))
    _, data, make = first.sheets_units()[0]
    before = make()  # nothing known yet
    # what the layout learnt: the example's first part has a sheet that runs over its page
    # (its long change log) and sheets that fit
    part = pdf.sheet_parts(first.sheet_values())[0]
    learnt = [fact[1] for fact in first._sheet_facts(part, data["html"], "").values()]
    assert learnt == [None] * len(part)  # the facts' key has the assets in it
    learnt = [fact[1] for fact in first._sheet_facts(part, data["html"], data["assets"]).values()]
    over = len(part) - learnt.count(1)
    assert over >= 1 and 1 in learnt
    # every sheet laid out once; the one that ran over once more, with its page count (共N页)
    assert laid == [len(part), over]
    assert len(PdfReader(io.BytesIO(before)).pages) == sum(learnt)
    laid[:] = []
    second = counted(pdf.Printer(ctx, faces))
    _, data_again, make_again = second.sheets_units()[0]
    assert data_again == data  # the same part (a build takes it from the cache; not here)
    assert make_again() == before
    # known to run over, it was laid out with its page count at once: one layout in all
    assert laid == [len(part)]


def test_a_sheet_is_laid_out_with_the_count_its_project_took_last_a_guess_checked_same_bytes(
    tmp_path: Path,
) -> None:
    """After a change to a project whose sheet ran over (its sheet's HTML is new: no fact for
    it), the sheet is laid out with the count its project's sheet took last, at once. A wrong
    guess is laid out again: the bytes never depend on it."""
    import shutil

    from board.build import render_all
    from board.cache import RenderCache
    from board.render import fonts, pdf
    from tests.conftest import CONTENT

    def part_maker(content: Path, cache: RenderCache, laid: list[int]):  # type: ignore[no-untyped-def]
        _, ctx, _ = render_all(content, stages=(), cache=cache)
        printer = pdf.Printer(ctx, fonts.resolve(ctx.config.font))
        layout = printer.layout

        def counting(html: str, output: str) -> object:
            laid.append(html.count('<section class="sheet'))
            return layout(html, output)

        printer.layout = counting  # type: ignore[method-assign]
        return printer, printer.sheets_units()[0]

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shared = RenderCache(tmp_path / "shared")
    part_maker(content, shared, [])[1][2]()  # laid out before the change
    report = content / "reports" / "2020-09.yaml"
    text = report.read_text(encoding="utf-8")
    at = text.index("  nanqu-changfang:\n    percent: 46")  # its sheet runs over (change log)
    report.write_text(
        text[:at] + text[at:].replace("percent: 46", "percent: 47", 1), encoding="utf-8"
    )
    laid: list[int] = []
    _, (_, _, make) = part_maker(content, RenderCache(tmp_path / "alone"), laid)
    alone = make()  # nothing known: the sheet that runs over is laid out twice
    assert len(laid) == 2
    laid = []
    printer, (_, data, make) = part_maker(content, shared, laid)
    assert make() == alone
    assert laid == [laid[0]], "laid out once: the count its sheet took before the change"
    # a wrong guess (a sheet that fits said to take 3 pages): laid out again, the same bytes
    part = pdf.sheet_parts(printer.sheet_values())[0]
    facts = printer._sheet_facts(part, data["html"], data["assets"])
    fits = [pid for pid, (_, pages, _) in facts.items() if pages == 1]
    wrong = RenderCache(tmp_path / "wrong")
    wrong.keep(facts[fits[0]][2], 3)
    laid = []
    assert part_maker(content, wrong, laid)[1][2]() == alone
    assert len(laid) == 2


def test_a_month_already_published_has_nothing_rendered_again(
    scratch: Path, tmp_path: Path, monkeypatch
) -> None:
    from board.render import pdf, word

    out = tmp_path / "out"
    build(scratch, out)  # publishes 2020-08 and 2020-09
    (scratch / "reports" / "2020-10.yaml").write_text(
        "month: 2020-10\nprojects:\n  a: {percent: 80, progress: 装修}\n"
        "  b: {percent: 70, progress: 主体封顶}\n",
        encoding="utf-8",
    )
    rendered: list[tuple[str, str]] = []
    # one process: the Word copies render in the print stage's batch, counted here
    monkeypatch.setenv("BOARD_JOBS", "1")
    for module in (pdf, word):
        original = module.render

        def counting(ctx, original=original, kind=module.__name__):  # type: ignore[no-untyped-def]
            rendered.append((kind.rsplit(".", 1)[1], str(ctx.board.month)))
            return original(ctx)

        monkeypatch.setattr(module, "render", counting)
    build(scratch, out)
    # the new month's PDFs and Word copies only: 2020-08 and 2020-09 come from the record
    assert sorted(rendered) == [("pdf", "2020-10"), ("word", "2020-10")]
    assert (out / "print" / "bulletin-2020-09.docx").is_file()


def test_the_site_photos_are_made_in_the_print_batch_and_taken_by_their_stage(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build with PDFs makes the site photos the cache lacks in the print stage's parallel
    batch; the photos stage, after it, finds every width made. Without PDFs (the preview's
    site first), the stage makes them itself: the same files."""
    from board.render import photos

    content = photo_scratch(scratch)
    asked: list[int] = []  # the widths given to be made, each time
    real = photos._batches

    def batches(ctx, todo):  # type: ignore[no-untyped-def]
        asked.append(sum(len(sizes) for _, sizes in todo))
        return real(ctx, todo)

    monkeypatch.setattr(photos, "_batches", batches)
    monkeypatch.setenv("BOARD_JOBS", "2")
    with_pdfs = build(content, tmp_path / "out")
    made, *then = asked
    assert made > 0 and then == [0], asked  # made ahead, once; none left for the stage
    asked.clear()
    without = build(content, tmp_path / "site-first", stages=NO_PDF)
    assert asked == [made]
    site = {n: d for n, d in with_pdfs.files.items() if n.startswith("site/photos/")}
    assert len(site) == made
    assert site == {n: d for n, d in without.files.items() if n.startswith("site/photos/")}
    # each photo's widths counted once: the misses of the build with PDFs are the PDFs' and
    # the others'
    pdfs = build(content, tmp_path / "pdfs-only", stages=("data", "print"))
    assert with_pdfs.cache_misses == without.cache_misses + pdfs.cache_misses


def test_the_stages_rendered_in_the_print_batch_keep_their_units_and_say_their_warnings(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen and the Word copies render in the print stage's parallel batch (board.build
    MonthBatch), in other processes: the cache units they use are counted and kept for the
    next build, and their warnings said once, as when one process renders everything."""
    from board.errors import Pos, Problem, Severity
    from board.render import screen

    content = photo_scratch(scratch)
    (content / "board.yaml").write_text(
        (content / "board.yaml").read_text(encoding="utf-8")
        + "bulletin:\n  body_font: 仿宋_GB2312, Noto Serif CJK SC\n",
        encoding="utf-8",
    )
    real = screen.render

    def saying(ctx):  # type: ignore[no-untyped-def]
        # a warning of the screen's own (none says one today: the mechanism is what is tested)
        ctx.warnings.append(
            Problem(Pos("board.yaml"), "screen", "the screen's", "", Severity.WARNING)
        )
        return real(ctx)

    monkeypatch.setattr(screen, "render", saying)
    results = {}
    for jobs in ("2", "1"):
        monkeypatch.setenv("BOARD_JOBS", jobs)
        out = tmp_path / f"out-{jobs}"
        results[jobs] = (build(content, out), build(content, out, force=True))
    for first, again in results.values():
        # every unit the second build needs (the screen's photos too) was kept by the first
        assert again.cache_misses == 0 and again.cache_hits >= 8
        for result in (first, again):
            said = [w.text("en") for w in result.warnings if w.field == "bulletin.body_font"]
            assert len(said) == 1 and "stands in" in said[0]
        assert [w.message for w in first.warnings if w.field == "screen"] == ["the screen's"]
    counts = {
        jobs: [(r.cache_hits, r.cache_misses) for r in pair] for jobs, pair in results.items()
    }
    assert counts["2"] == counts["1"]
    assert results["2"][0].files == results["1"][0].files


def test_the_preview_of_the_site_first_keeps_the_pdfs_cache_for_the_build_after_it(
    scratch: Path, tmp_path: Path
) -> None:
    from board.serve import FIRST_STAGES

    out, preview = tmp_path / "out", tmp_path / "preview"
    build(scratch, out)
    first = build(scratch, preview, preview_of=out)  # board serve: the first preview, whole
    assert first.cache_misses > 0
    # then, after a save: the site and screen first, then everything (board/serve.py); the
    # first step does not throw away the PDFs' units it did not render
    build(scratch, preview, preview_of=out, stages=FIRST_STAGES)
    whole = build(scratch, preview, preview_of=out)
    assert not whole.up_to_date
    assert (whole.cache_hits, whole.cache_misses) == (first.cache_misses, 0)


def test_a_second_output_takes_the_units_from_the_users_shared_cache(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The units one output rendered (each month's panel, bulletin, sheets) are found by a
    build of the same register into another output (the user's cache folder,
    board.cache.shared_cache_dir), with the bytes of a cold build; BOARD_SHARED_CACHE=0 turns
    it off."""
    monkeypatch.delenv("BOARD_SHARED_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    first = build(scratch, tmp_path / "one")
    units = first.cache_misses
    assert first.cache_hits == 0 and units >= 8  # 2 months: panel, bulletin, a part, the join
    assert len(list((tmp_path / "user-cache" / "board" / "units").iterdir())) >= units
    second = build(scratch, tmp_path / "two")
    assert (second.cache_hits, second.cache_misses) == (units, 0)
    assert second.files == first.files
    monkeypatch.setenv("BOARD_SHARED_CACHE", "0")
    third = build(scratch, tmp_path / "three")
    assert (third.cache_hits, third.cache_misses) == (0, units)
    assert third.files == first.files


def test_the_shared_cache_keeps_under_its_limit_the_least_recently_used_going(
    tmp_path: Path,
) -> None:
    """Past its limit the shared cache is cut to three quarters of it, the files used longest
    ago first (a hit touches its file)."""
    import os

    from board.cache import prune_shared

    folder = tmp_path / "units"
    folder.mkdir()
    names = [hashlib.sha256(str(age).encode()).hexdigest() for age in range(10)]
    for age, name in enumerate(names):  # names[0] the most recently used, names[9] the least
        path = folder / name
        path.write_bytes(b"x" * 100)
        when = 1_700_000_000 - age * 60
        os.utime(path, (when, when))
    (folder / "notes.txt").write_bytes(b"y" * 5000)  # not a unit: never counted nor deleted
    prune_shared(folder, 1000)  # 1000 bytes of units: at the limit, nothing goes
    assert len(list(folder.iterdir())) == 11
    prune_shared(folder, 900)  # over: cut to 675 bytes, the six most recently used
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names[:6], "notes.txt"])


def test_every_pdfs_key_has_the_assets_it_may_fetch(scratch: Path) -> None:
    """A county's own templates may show an image of assets/ on the panel or the bulletin (a
    logo), as a summary may on a sheet: a new image under the same name is a new key for every
    PDF, never the PDF of the image before (nor another register's, from the shared cache)."""
    from board.render import pdf
    from tests.test_print import context, printer

    (scratch / "assets").mkdir()
    (scratch / "assets" / "logo.png").write_bytes(b"\x89PNG the county's first logo")
    ctx = context(scratch)
    first = printer(ctx).assets_digest
    keys = [ctx.cache.key(*unit[:2]) for unit in pdf._units(ctx)[1]]
    (scratch / "assets" / "logo.png").write_bytes(b"\x89PNG the county's new logo")
    assert printer(context(scratch)).assets_digest != first
    ctx = context(scratch)
    again = [ctx.cache.key(*unit[:2]) for unit in pdf._units(ctx)[1]]
    assert len(keys) == len(again) >= 3  # the panel, the bulletin, the sheets' part
    assert not set(keys) & set(again)


def test_a_shared_cache_that_cannot_be_written_never_fails_the_build(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's cache folder unusable (here a file where the folder would be, as on a full
    or read-only home): the build publishes from its own cache, as without the shared one."""
    monkeypatch.delenv("BOARD_SHARED_CACHE")
    (tmp_path / "not-a-folder").write_text("a file", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    first = build(scratch, tmp_path / "one")
    assert first.cache_misses >= 8
    again = build(scratch, tmp_path / "one", force=True)
    # the month built again from the output's own cache (the month before is carried as published)
    assert again.cache_misses == 0 and again.cache_hits >= 4


def test_templates_compiled_once_are_kept_for_the_next_build_and_a_changed_one_is_new(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every build compiled some forty templates again: they are kept compiled in the user's
    cache (board.cache.TemplateCache); a template edited since, here the register's own copy
    of a site template, is compiled anew and shows its new words."""
    import jinja2

    from board.render import environment
    from board.validate import check

    monkeypatch.delenv("BOARD_SHARED_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        compiled.append(name or "")
        return compile_template(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    register, _ = check(scratch)
    names = ["print/sheets.html", "site/board.html", "screen/index.html"]
    for name in names:
        environment(register).get_template(name)
    assert set(names) <= set(compiled)
    assert list((tmp_path / "user-cache" / "board" / "templates").rglob("__jinja2_*"))
    compiled.clear()
    for name in names:  # a new build's environment: nothing compiled
        environment(register).get_template(name)
    assert compiled == []
    own = scratch / "templates" / "site" / "board.html"
    own.parent.mkdir(parents=True)
    own.write_text("第一版 {{ config.title }}", encoding="utf-8")
    register, _ = check(scratch)
    first = environment(register).get_template("site/board.html").render(config=register.config)
    own.write_text("第二版 {{ config.title }}", encoding="utf-8")
    again = environment(register).get_template("site/board.html").render(config=register.config)
    assert first.startswith("第一版") and again.startswith("第二版")
    monkeypatch.setenv("BOARD_SHARED_CACHE", "0")
    assert environment(register).bytecode_cache is None


def test_compiled_templates_of_old_versions_are_pruned_and_nothing_else(tmp_path: Path) -> None:
    """The compiled templates of the four versions written last are kept (the running one's
    always); older versions' go, and only what Jinja wrote: another file keeps its folder."""
    import os

    from board.cache import prune_templates

    folder = tmp_path / "templates"
    names = [hashlib.sha256(str(age).encode()).hexdigest()[:16] for age in range(7)]
    for name in names:
        (folder / name).mkdir(parents=True)
        (folder / name / "__jinja2_x.cache").write_bytes(b"code")
    (folder / names[5] / "notes.txt").write_text("mine", encoding="utf-8")
    for age, name in enumerate(names):  # names[0] written last, names[6] first
        when = 1_700_000_000 - age * 60
        os.utime(folder / name, (when, when))
    (folder / "not-a-version").mkdir()
    prune_templates(folder / names[6])  # the running version: written first, kept
    left = {p.name for p in folder.iterdir()}
    assert left == {*names[:3], names[5], names[6], "not-a-version"}
    assert not (folder / names[5] / "__jinja2_x.cache").exists()
    assert (folder / names[5] / "notes.txt").read_text(encoding="utf-8") == "mine"
