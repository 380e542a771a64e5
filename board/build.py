"""The pipeline, top to bottom: load → validate → compute → render → write.

Everything is read, validated and rendered in memory before the first byte is written; the
result is published atomically (see write.py).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import (
    MANIFEST,
    RenderCache,
    cache_dir,
    environment_digest,
    input_digest,
    manifest,
    shared_cache_dir,
    up_to_date,
)
from .commitments import snapshot
from .compute import compute_all
from .errors import BoardError, Pos, Problem, PublishError, RenderError, Severity, no_report_for
from .i18n import Msg, counted, dump_message, load_message
from .load import os_reason
from .model import Month
from .parallel import fewer_collections
from .published import (
    Published,
    RegisterId,
    check_owner,
    month_of,
    output_owner,
    record_dir,
    register_id,
)
from .render import BuildContext, default_templates, environment
from .validate import check
from .write import output_lock, publish, safe_output

log = logging.getLogger(__name__)

# Every output is a render stage: a module with `render(ctx) -> {relative path: bytes}`.
STAGES: tuple[tuple[str, str], ...] = (
    ("data", "board.render.data"),
    ("assets", "board.render.assets"),
    ("print", "board.render.pdf"),
    ("word", "board.render.word"),
    ("screen", "board.render.screen"),
    # after the print stage, whose parallel batch makes the site photos the cache lacks
    ("photos", "board.render.photos"),
    ("site", "board.render.site"),
    # after the site: the published months are carried forward by then (board.published)
    ("opendata", "board.render.opendata"),
)


# Stages whose files belong to one month (`print/…-YYYY-MM.…`): a past month published for the
# first time or corrected is rendered with them as of its own month (board.published). A new
# stage of per-month files (the Word copies of the bulletin and the sign-off sheet) is here too.
PAST_MONTH_STAGES: tuple[str, ...] = ("print", "word")
# The folder of each such stage's month files. A carried month whose record has files there
# keeps them (Published.apply takes a stage's files into a carried month only where its record
# has none in that folder): the stage is not rendered for it.
PAST_MONTH_FOLDER: dict[str, str] = {"print": "print/", "word": "print/"}


class Reporter:
    """Progress of a build: the time of each stage (logged at debug level, `board -v`)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started
        log.debug("%s: %.2f s", name, self.timings[name])


@dataclass
class BuildResult:
    out_dir: Path
    month: Month
    projects: int
    months: int
    files: dict[str, bytes]
    warnings: list[Problem]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the published build: nothing was rendered
    cache_hits: int = 0
    cache_misses: int = 0

    def summary(self) -> str:
        counts = {
            "month": self.month,
            "projects": counted(self.projects, "project"),
            "months": counted(self.months, "month"),
            "warnings": counted(len(self.warnings), "warning"),
            "seconds": f"{self.seconds:.1f}",
            "out": self.out_dir,
        }
        if self.up_to_date:
            return Msg("msg.build.up_to_date", **counts).text()
        if self.cache_hits:
            return Msg(
                "msg.build.built_reused",
                files=counted(len(self.files), "file"),
                reused=self.cache_hits,
                **counts,
            ).text()
        return Msg("msg.build.built", files=counted(len(self.files), "file"), **counts).text()


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_AT = re.compile(rb"xref|\d+\s+\d+\s+obj")


def pdf_structure_problem(path: Path) -> Msg | None:
    """What is wrong with the PDF file's structure, or None when it is whole.

    A cheap check for any size: the header, the `startxref … %%EOF` trailer at the very end, and
    a cross-reference table or stream where the trailer points. It finds a file cut short or
    overwritten without parsing every object (the print tests read every PDF back in full).
    """
    size = path.stat().st_size
    with path.open("rb") as file:
        if not file.read(8).startswith(b"%PDF-1."):
            return Msg("msg.build.pdf_no_header")
        file.seek(max(0, size - 1024))
        found = _STARTXREF.search(file.read())
        if found is None:
            return Msg("msg.build.pdf_no_trailer")
        offset = int(found.group(1))
        if not 0 < offset < size:
            return Msg("msg.build.pdf_offset_outside", offset=offset)
        file.seek(offset)
        if not _XREF_AT.match(file.read(32)):
            return Msg("msg.build.pdf_no_xref", offset=offset)
    return None


def _check_tree(expected: dict[str, bytes]) -> Callable[[Path], None]:
    """The check a staged build must pass before it is published."""

    def check_staging(staging: Path) -> None:
        for name, data in expected.items():
            path = staging / name
            if not path.is_file() or path.stat().st_size == 0:
                raise RenderError(Msg("msg.build.incomplete", name=name))
            if path.stat().st_size != len(data):
                raise RenderError(Msg("msg.build.damaged", name=name))
            if name.endswith(".pdf"):
                problem = pdf_structure_problem(path)
                if problem:
                    raise RenderError(Msg("msg.build.damaged_pdf", name=name, problem=problem))

    return check_staging


def font_subsetting_problem() -> Problem | None:
    """A loud warning when WeasyPrint runs without HarfBuzz's subsetter (libharfbuzz-subset0).

    Without it WeasyPrint falls back to subsetting the CJK font in Python, about 8.5 s per PDF
    instead of 0.2 s.
    """
    from .render.weasy import ffi  # imported here: only builds that make PDFs pay for it

    if getattr(ffi, "harfbuzz_subset", None) is not None:
        return None
    problem = Problem(
        Pos("weasyprint"),
        "",
        Msg("msg.build.no_harfbuzz_subset"),
        Msg("msg.build.fix_harfbuzz_subset"),
        Severity.WARNING,
    )
    log.warning("%s", problem)
    return problem


def render_all(
    content_dir: Path | str,
    month: Month | str | None = None,
    strict: bool = False,
    stages: tuple[str, ...] | None = None,
    reporter: Reporter | None = None,
    cache: RenderCache | None = None,
    before_site: Callable[[dict[str, bytes], BuildContext], None] | None = None,
    published: frozenset[str] = frozenset(),
    before_print: Callable[[BuildContext], None] | None = None,
    options: dict[str, Any] | None = None,
    record_of: Path | None = None,
) -> tuple[dict[str, bytes], BuildContext, list[Problem]]:
    """Validate the register and render every output in memory; write nothing.

    `published`: the months a change of which this build would publish as a correction (their
    warnings are said as a published month's, board.settled).

    `before_site(files, ctx)` runs before the site stage (which links the other outputs): the
    build carries published months forward there (board.published). `before_print(ctx)` runs
    at the start of the print stage: the build renders the past months' PDFs there in the same
    parallel batch as the month's own. `options` start the
    context's options: `preview` (board serve: every page and PDF says 预览（未发布）). With `record_of` (the
    output folder), the register's commitments are checked against its record of published
    months (board.commitments).
    """
    reporter = reporter or Reporter()
    cache = cache or RenderCache(None)
    with reporter.stage("load+validate"):
        if isinstance(month, str):
            month = Month.parse(month)
        # a report still being filled in does not stop building the months before it
        register, warnings = check(
            content_dir,
            strict=strict,
            pending=month or False,
            cache=cache,
            published=published,
            out=record_of,
        )
    with reporter.stage("compute"):
        if month is not None and month not in register.months:
            raise no_report_for(month, register.months)
        boards = compute_all(register, month)
        if not boards:
            raise BoardError(Msg("msg.build.no_reports", folder=f"{register.root}/reports"))
    env = environment(register)
    env.globals["preview"] = bool((options or {}).get("preview"))
    ctx = BuildContext(register, boards, boards[-1], env, options=dict(options or {}), cache=cache)
    files: dict[str, bytes] = {}
    if stages is None or "print" in stages:
        problem = font_subsetting_problem()
        if problem is not None:
            warnings = [*warnings, problem]
    for name, module in STAGES:
        if stages is not None and name not in stages:
            continue
        if name == "site" and before_site is not None:
            with reporter.stage("published"):
                before_site(files, ctx)
        with reporter.stage(name):
            if name == "print" and before_print is not None:
                before_print(ctx)
            rendered = render_stage(name, module, ctx)
        clash = files.keys() & rendered.keys()
        if clash:
            raise RenderError(Msg("msg.build.clash", path=sorted(clash)[0]))
        files.update(rendered)
    return files, ctx, warnings + ctx.warnings


def build(
    content_dir: Path | str = "content",
    out_dir: Path | str = "output",
    month: Month | str | None = None,
    strict: bool = False,
    reporter: Reporter | None = None,
    stages: tuple[str, ...] | None = None,
    force: bool = False,
    rebuild_history: bool = False,
    preview_of: Path | str | None = None,
) -> BuildResult:
    """Build the board of `month` (default: the latest report) and publish it to `out_dir`.

    Raises ContentError (with every problem) or another BoardError; on any error the previous
    output is left exactly as it was. The output folder is checked first (write.safe_output:
    only board's own output is ever replaced; one register's output is never another's), and
    the whole build holds its lock, so a second build on the same output is refused at once.
    A failing disk (full, read-only, permission denied) is one PublishError, never a traceback.
    `stages` limits the outputs to the named render stages. When nothing changed since the
    published build, nothing is rendered (`force` renders anyway); otherwise units whose data
    did not change come from the build cache.

    The record of published months (board.published) is verified before anything is
    published, restored from the output where it is lost, and refused where it cannot be
    trusted; `rebuild_history` renders past months again when the record and the output are
    both lost (each marked 重新生成). `preview_of` (board serve) builds a preview of the output
    `preview_of` into `out_dir`: its record is read, never written, and every page says
    预览（未发布）.
    """
    started = time.perf_counter()
    reporter = reporter or Reporter()
    if isinstance(month, str):
        month = Month.parse(month)
    preview = preview_of is not None
    out = safe_output(content_dir, out_dir, preview=preview)
    ours = register_id(content_dir)
    check_owner("output", out, output_owner(out), ours)
    published_out = out
    if preview_of is not None:
        published_out = safe_output(content_dir, preview_of)
        check_owner("output", published_out, output_owner(published_out), ours)
        if out == published_out or published_out in out.parents or out in published_out.parents:
            raise PublishError(Msg("msg.out.preview_is_output", out=out_dir, output=preview_of))
    folder = record_dir(content_dir, published_out)
    if out == folder or folder in out.parents:
        raise PublishError(Msg("msg.record.is_output", path=folder, out=out))
    try:
        with output_lock(out), fewer_collections():
            return _build_locked(
                Path(content_dir),
                Path(out_dir),
                out,
                month,
                strict,
                reporter,
                stages,
                force,
                started,
                Record(folder, published_out, ours, rebuild_history, preview),
            )
    except OSError as exc:
        raise PublishError(
            Msg(
                "msg.out.failed",
                out=out_dir,
                path=exc.filename or out,
                reason=os_reason(exc),
            )
        ) from None


@dataclass(frozen=True)
class Record:
    """Where a build finds the record of published months and how it may use it."""

    folder: Path
    out: Path  # the published output whose record it is (a preview's is another folder)
    register: RegisterId
    rebuild_history: bool
    preview: bool


def _build_locked(
    content_dir: Path,
    shown_out: Path,
    out: Path,
    month: Month | None,
    strict: bool,
    reporter: Reporter,
    stages: tuple[str, ...] | None,
    force: bool,
    started: float,
    where: Record,
) -> BuildResult:
    """The build, with the output's lock held from reading the register to the swap."""
    options = {
        "month": str(month),
        "strict": strict,
        "stages": stages,
        "preview_of": str(where.out) if where.preview else None,
    }
    environment = environment_digest(font_identity(Path(content_dir)))
    digest = input_digest(Path(content_dir), options, environment)
    record_path = cache_dir(out) / "last-build.json"
    # the record is verified (and restored) on every build, before anything is published
    published = Published.open(
        where.out,
        where.folder,
        where.register,
        write=not where.preview,
        rebuild_history=where.rebuild_history,
    )
    if not force and not published.repaired and not published.lost and up_to_date(out, digest):
        record = _read_record(record_path, digest)
        if record is not None:
            return BuildResult(
                out_dir=shown_out,
                month=Month.parse(record["month"]),
                projects=record["projects"],
                months=record["months"],
                files={},
                warnings=[_problem(w) for w in record["warnings"]],
                seconds=time.perf_counter() - started,
                up_to_date=True,
            )
    cache = RenderCache(cache_dir(out), environment, shared_cache_dir())
    render_options: dict[str, Any] = {"preview": True} if where.preview else {}

    past = MonthBatch(published, stages)

    def carry_forward(files: dict[str, bytes], ctx: BuildContext) -> None:
        _carry_forward(published, files, ctx, stages, past)
        past.carried = True

    files, ctx, warnings = render_all(
        content_dir,
        month,
        strict,
        stages=stages,
        reporter=reporter,
        cache=cache,
        before_site=carry_forward,
        before_print=past.start,
        published=published.correctable(),
        options=render_options,
        record_of=out,
    )
    if not past.carried:  # a build without the site stage carries forward here
        carry_forward(files, ctx)
    warnings = [*published.warnings, *warnings]
    rebuilt = [m for m in sorted(published.plans) if published.rebuilt(m)]
    if rebuilt:
        warnings.append(
            Problem(
                Pos(str(where.folder)),
                "",
                Msg(
                    "msg.record.rebuilt",
                    months="、".join(rebuilt),
                    date=published.rebuilt(rebuilt[0]),
                ),
                severity=Severity.WARNING,
            )
        )
    keep = {"README.md": (default_templates() / "output" / "README.md").read_bytes()}
    more: dict[str, Any] = {"register": where.register.data()}
    if where.preview:
        more["preview"] = True
    else:
        more["record"] = {"months": published.data()["months"]}
    files[MANIFEST] = manifest(digest, {**keep, **files}, **more)
    # the record first: its files are stored by hash, so a build that fails later leaves
    # nothing wrong in it, and a lost output/ is rebuilt from it (board/published.py)
    published.store_files(files)
    published.save()
    with reporter.stage("write"):
        publish(out, files, check=_check_tree(files), keep=keep, locked=True)
    # Published: what follows only speeds up the next build, and must not fail this one.
    if stages is None:  # a build of some stages (board serve's site and screen first) keeps
        with suppress(OSError):  # the other stages' units for the build that follows it
            cache.prune()
    with suppress(OSError):
        _write_record(
            record_path,
            {
                "inputs": digest,
                "month": str(ctx.board.month),
                "projects": len(ctx.register.projects),
                "months": len(ctx.boards),
                "warnings": [
                    {
                        "pos": dataclasses.asdict(w.pos),
                        "field": w.field,
                        "message": dump_message(w.message),
                        "hint": dump_message(w.hint),
                        "severity": str(w.severity),
                    }
                    for w in warnings
                    if not _record_warning(w)
                ],
            },
        )
    return BuildResult(
        out_dir=shown_out,
        month=ctx.board.month,
        projects=len(ctx.register.projects),
        months=len(ctx.boards),
        files=files,
        warnings=warnings,
        seconds=time.perf_counter() - started,
        timings=dict(reporter.timings),
        cache_hits=cache.hits,
        cache_misses=cache.misses,
    )


def _record_warning(problem: Problem) -> bool:
    """A warning about the record (restored, rebuilt; no record to check the commitments
    against): said by the build that did it, not repeated by an up-to-date build after it."""
    message = problem.message
    return isinstance(message, Msg) and message.key.startswith(("msg.record.", "msg.commit."))


# Stages rendered in the print stage's parallel batch (their files do not depend on the PDFs):
# a core that would wait for a month's last PDF renders them, and the build does not render
# them one after the other afterwards. Each stage's expected cost orders the batch.
BATCHED_STAGES: dict[str, tuple[str, float]] = {
    "word": ("board.render.word", 0.2),
    "screen": ("board.render.screen", 0.3),
}
SITE_MAP_WEIGHT = 0.4  # the site's map image (render/site_map.py), when a reduction
SITE_PHOTOS_WEIGHT = 0.25  # one core's share of the site photos to make (render/photos.py)
AHEAD = "ahead"  # a context's options: {stage: Ahead} rendered in the print batch


class MonthBatch:
    """The print stage's parallel batch, and the past months a build renders
    (board.published), planned at the start of the print stage: their PDFs are rendered in one
    batch with the month's own (a first build publishes every past month), together with the
    month's Word copies and screen (`BATCHED_STAGES`), so that no core waits for one month's
    last document."""

    def __init__(self, published: Published, stages: tuple[str, ...] | None) -> None:
        self.published = published
        self.stages = stages
        # each past-month stage's months and their contexts, as the batch made them
        self.months: dict[str, list[tuple[str, BuildContext]]] = {}
        self.rendered: set[str] = set()  # the past months whose PDFs are in the batch
        self.carried = False  # the published months were carried forward (`_carry_forward`)

    def plan(self, ctx: BuildContext) -> None:
        if not self.published.plans:
            self.published.plan(ctx.register, [b.month for b in ctx.boards], ctx.board.month, ctx.t)

    def wanted(self, name: str) -> bool:
        return self.stages is None or name in self.stages

    def start(self, ctx: BuildContext) -> None:
        """Plan the months; render the batch: the PDFs of the month built and of the first
        past months, the other stages of those months."""
        from .render import photos, site_map
        from .render.pdf import prerender

        self.plan(ctx)
        for name in PAST_MONTH_STAGES:
            self.months[name] = past_months(self.published, ctx, name)
        month = str(ctx.board.month)
        first = _print_batches([(month, ctx), *self.months["print"]])[0]
        self.rendered = {m for m, _ in first[1:]}
        side: list[tuple[str, BuildContext]] = []
        for name in BATCHED_STAGES:
            if self.wanted(name):
                side.append((name, ctx))
                past = self.months.get(name, [])
                side += [(name, context) for m, context in past if m in self.rendered]
        extra: list[tuple[Callable[[], Any], float]] = [
            (_stage_unit(name, context), BATCHED_STAGES[name][1]) for name, context in side
        ]
        # units of later stages, each with what keeps its result in the build cache for them
        kept: list[tuple[Callable[[], Any], float, Callable[[Any], object]]] = []
        # the site's map image, reduced from a large PNG (about 0.4 s at 1800 pixels)
        base = site_map.base_unit(ctx) if self.wanted("site") else None
        if base is not None and ctx.cache.lookup_ahead(base[0], base[1]) is None:
            prepare = functools.partial(ctx.cache.prepare, base[0], base[1])
            kept.append((base[2], SITE_MAP_WEIGHT, prepare))
        # the site photos the cache lacks (about 0.3 s of a first build)
        if self.wanted("photos"):
            kept += [(unit, SITE_PHOTOS_WEIGHT, keep) for unit, keep in photos.ahead(ctx)]
        extra += [(unit, weight) for unit, weight, _ in kept]
        results = prerender([context for _, context in first], extra)
        for (_, _, keep), made in zip(kept, results[len(side) :], strict=True):
            if made is not None:  # else made in its place, which says why
                keep(made)
        for (name, context), result in zip(side, results[: len(side)], strict=True):
            if result is not None:  # else rendered in its place, which says why
                context.options.setdefault(AHEAD, {})[name] = result


def render_stage(name: str, module: str, ctx: BuildContext) -> dict[str, bytes]:
    """A stage's files for `ctx`: rendered now, or taken as the print batch rendered them."""
    ready: Ahead | None = ctx.options.get(AHEAD, {}).pop(name, None)
    if ready is None:
        rendered: dict[str, bytes] = importlib.import_module(module).render(ctx)
        return rendered
    return ready.take(ctx)


@dataclass
class Ahead:
    """A stage rendered in the print batch, perhaps in another process: its files, and what it
    did to the context (the warnings it said, the cache units it used), handed to the build in
    the stage's place."""

    files: dict[str, bytes]
    warnings: list[Problem]
    used: set[str]  # the build cache's units it used: kept by the cache's prune
    hits: int
    misses: int

    def take(self, ctx: BuildContext) -> dict[str, bytes]:
        # a warning said once a build (e.g. the bulletin's fonts, board.render.bulletin.roles),
        # which the stage in another process said again: said once
        ctx.warnings.extend(w for w in self.warnings if w not in ctx.warnings)
        ctx.cache.used |= self.used
        ctx.cache.hits += self.hits
        ctx.cache.misses += self.misses
        return self.files


def _stage_unit(name: str, ctx: BuildContext) -> Callable[[], Ahead]:
    """A stage's render as a unit of the print batch (see `Ahead`)."""

    def run() -> Ahead:
        cache = ctx.cache
        before = (len(ctx.warnings), set(cache.used), cache.hits, cache.misses)
        files = importlib.import_module(BATCHED_STAGES[name][0]).render(ctx)
        said = ctx.warnings[before[0] :]
        del ctx.warnings[before[0] :]  # as if not rendered yet, when rendered in this process
        ahead = Ahead(
            files, said, cache.used - before[1], cache.hits - before[2], cache.misses - before[3]
        )
        cache.used, cache.hits, cache.misses = before[1:]
        return ahead

    return run


def past_months(
    published: Published, ctx: BuildContext, name: str
) -> list[tuple[str, BuildContext]]:
    """The past months whose files of stage `name` this build renders, as of each month."""
    to_render = set(published.months_to_render())
    found = []
    for i, board in enumerate(ctx.boards[:-1]):
        month = str(board.month)
        if month in to_render or published.carried_without(month, PAST_MONTH_FOLDER[name]):
            plan = published.plans.get(month)
            options = {k: v for k, v in ctx.options.items() if k != AHEAD}
            options["rebuilt"] = published.rebuilt(month)
            if plan is not None and plan.state == "correct":
                options["correction"] = plan.versions[-1]  # 更正: its date and changes
            past = dataclasses.replace(
                ctx, boards=ctx.boards[: i + 1], board=board, warnings=[], options=options
            )
            found.append((month, past))
    return found


def _carry_forward(
    published: Published,
    files: dict[str, bytes],
    ctx: BuildContext,
    stages: tuple[str, ...] | None,
    past: MonthBatch,
) -> None:
    """Published months as they were published; first publications and corrections rendered.

    The print stage renders the month built; a past month that is published for the first
    time (no record of it: a new output, or one whose record was lost) or corrected is rendered
    here as of its own month, with the register's data as it is now (its PDFs, mostly, in the
    print stage already: `MonthBatch`). A past month rendered again because its record was lost
    (--rebuild-history) carries 重新生成 on every PDF page.
    """
    past.plan(ctx)
    for name, module in STAGES:
        if name not in PAST_MONTH_STAGES or (stages is not None and name not in stages):
            continue
        months = past.months[name] if name in past.months else past_months(published, ctx, name)
        # those rendered in the print stage's batch first, then the others (the PDFs in batches)
        later = [m for m in months if m[0] not in past.rendered]
        groups = [[m for m in months if m[0] in past.rendered]]
        groups += _print_batches(later) if name == "print" else [later]
        for i, group in enumerate(groups):
            if name == "print" and i and len(group) > 1:
                # the PDFs of these months in one parallel batch: no core waits for one
                # month's last document
                importlib.import_module(module).prerender([context for _, context in group])
            for month, context in group:
                # only the month's own files: a stage may also write files of no month
                rendered = render_stage(name, module, context)
                files.update((n, d) for n, d in rendered.items() if month_of(n) == month)
    carried = internal_out_of_print(published.apply(files))
    # the commitments each month published now shows, for the next check (issue 22)
    published.record_commitments(
        {str(b.month): snapshot(ctx.register, b.month) for b in ctx.boards}
    )
    files.clear()
    files.update(carried)
    ctx.options["published"] = published.links()
    # the header of each month's CSV as published: its Table Schema in the Data Package
    from .render.opendata import PUBLISHED_HEADERS, csv_header

    ctx.options[PUBLISHED_HEADERS] = {
        name: csv_header(data)
        for name, data in carried.items()
        if name.startswith("site/data/projects-") and name.endswith(".csv")
    }


def _print_batches(
    months: list[tuple[str, BuildContext]],
) -> list[list[tuple[str, BuildContext]]]:
    """Months whose PDFs are rendered, in batches of consecutive months with enough units to
    keep every core busy (about 6 a core: the panel, the bulletin and the sheets' parts of each
    month; a last batch with fewer joins the one before): small registers batch all their
    months, large ones one month at a time (their PDFs are held in memory until their month is
    published in `files`)."""
    from .parallel import workers
    from .render.pdf import sheet_parts

    enough = 6 * workers()
    batches: list[list[tuple[str, BuildContext]]] = []
    units: list[int] = []
    for month, past in months:
        if not batches or units[-1] >= enough:
            batches.append([])
            units.append(0)
        batches[-1].append((month, past))
        units[-1] += 2 + len(sheet_parts(list(past.board.rows)))
    if len(batches) > 1 and units[-1] < enough:
        last = batches.pop()
        batches[-1] += last
    return batches


# An office paper that a record made before issue 19 carries under print/ (the sign-off sheet):
# moved to 内部/, out of the tree the office uploads.
_INTERNAL_IN_PRINT = re.compile(r"print/(审阅-[^/]+)\Z")


def internal_out_of_print(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with every office paper under 内部/, none under print/ or site/."""
    from .render import INTERNAL

    moved: dict[str, bytes] = {}
    for name, data in files.items():
        found = _INTERNAL_IN_PRINT.match(name)
        moved[f"{INTERNAL}/{found.group(1)}" if found else name] = data
    return moved


def font_identity(content_dir: Path) -> list[tuple[str, int, int, int]]:
    """The identity of every font file of the families board.yaml names (render/fonts.py)."""
    from .render import fonts

    return fonts.font_files(fonts.configured_families(content_dir))


def _read_record(path: Path, digest: str) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("inputs") == digest else None


def _write_record(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _problem(data: dict) -> Problem:
    return Problem(
        Pos(**data["pos"]),
        data["field"],
        load_message(data["message"]),
        load_message(data["hint"]),
        Severity(data["severity"]),
    )
