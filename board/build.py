"""The pipeline, top to bottom: load → validate → compute → render → write.

Everything is read, validated and rendered in memory before the first byte is written; the
result is published atomically (see write.py).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import MANIFEST, RenderCache, cache_dir, input_digest, manifest, up_to_date
from .compute import compute_all
from .errors import BoardError, Pos, Problem, RenderError, Severity
from .model import Month
from .render import BuildContext, default_templates, environment
from .validate import check
from .write import publish

log = logging.getLogger(__name__)

# Every output is a render stage: a module with `render(ctx) -> {relative path: bytes}`.
STAGES: tuple[tuple[str, str], ...] = (
    ("data", "board.render.data"),
    ("assets", "board.render.assets"),
    ("photos", "board.render.photos"),
    ("print", "board.render.pdf"),
    ("screen", "board.render.screen"),
    ("site", "board.render.site"),
)


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
        if self.up_to_date:
            return (
                f"up to date {self.month}: {self.projects} projects, {self.months} months, "
                f"{len(self.warnings)} warnings; nothing changed in {self.seconds:.1f} s → {self.out_dir}"
            )
        reused = f", {self.cache_hits} reused" if self.cache_hits else ""
        return (
            f"built {self.month}: {self.projects} projects, {self.months} months, "
            f"{len(self.files)} files{reused}, {len(self.warnings)} warnings in {self.seconds:.1f} s → {self.out_dir}"
        )


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_AT = re.compile(rb"xref|\d+\s+\d+\s+obj")


def pdf_structure_problem(path: Path) -> str | None:
    """What is wrong with the PDF file's structure, or None when it is whole.

    A cheap check for any size: the header, the `startxref … %%EOF` trailer at the very end, and
    a cross-reference table or stream where the trailer points. It finds a file cut short or
    overwritten without parsing every object (the print tests read every PDF back in full).
    """
    size = path.stat().st_size
    with path.open("rb") as file:
        if not file.read(8).startswith(b"%PDF-1."):
            return "no PDF header"
        file.seek(max(0, size - 1024))
        found = _STARTXREF.search(file.read())
        if found is None:
            return "no startxref and %%EOF at the end"
        offset = int(found.group(1))
        if not 0 < offset < size:
            return f"the cross-reference offset {offset} is outside the file"
        file.seek(offset)
        if not _XREF_AT.match(file.read(32)):
            return f"no cross-reference section at offset {offset}"
    return None


def _check_tree(expected: dict[str, bytes]) -> Callable[[Path], None]:
    """The check a staged build must pass before it is published."""

    def check_staging(staging: Path) -> None:
        for name, data in expected.items():
            path = staging / name
            if not path.is_file() or path.stat().st_size == 0:
                raise RenderError(f"the build is incomplete: {name} is missing or empty")
            if path.stat().st_size != len(data):
                raise RenderError(f"the build is damaged: {name} was not written in full")
            if name.endswith(".pdf"):
                problem = pdf_structure_problem(path)
                if problem:
                    raise RenderError(
                        f"the build is damaged: {name} is not a whole PDF ({problem})"
                    )

    return check_staging


def font_subsetting_problem() -> Problem | None:
    """A loud warning when WeasyPrint runs without HarfBuzz's subsetter (libharfbuzz-subset0).

    Without it WeasyPrint falls back to subsetting the CJK font in Python, about 8.5 s per PDF
    instead of 0.2 s.
    """
    from weasyprint.text import ffi  # imported here: only builds that make PDFs pay for it

    if getattr(ffi, "harfbuzz_subset", None) is not None:
        return None
    problem = Problem(
        Pos("weasyprint"),
        "",
        "WeasyPrint did not find HarfBuzz's font subsetter: every PDF takes about 8 s longer",
        "install it: apt-get install libharfbuzz-subset0 (./setup.sh does)",
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
) -> tuple[dict[str, bytes], BuildContext, list[Problem]]:
    """Validate the register and render every output in memory; write nothing."""
    reporter = reporter or Reporter()
    cache = cache or RenderCache(None)
    with reporter.stage("load+validate"):
        register, warnings = check(content_dir, strict=strict, cache=cache)
    if isinstance(month, str):
        month = Month.parse(month)
    with reporter.stage("compute"):
        if month is not None and month not in register.months:
            known = ", ".join(str(m) for m in register.months) or "none"
            raise BoardError(f"there is no report for {month} (reports: {known})")
        boards = compute_all(register, month)
        if not boards:
            raise BoardError(
                f"{register.root}/reports: the register has no monthly report yet; run board new-month"
            )
    ctx = BuildContext(register, boards, boards[-1], environment(register), cache=cache)
    files: dict[str, bytes] = {}
    if stages is None or "print" in stages:
        problem = font_subsetting_problem()
        if problem is not None:
            warnings = [*warnings, problem]
    for name, module in STAGES:
        if stages is not None and name not in stages:
            continue
        with reporter.stage(name):
            rendered = importlib.import_module(module).render(ctx)
        clash = files.keys() & rendered.keys()
        if clash:
            raise RenderError(f"two outputs on one path: {sorted(clash)[0]}")
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
) -> BuildResult:
    """Build the board of `month` (default: the latest report) and publish it to `out_dir`.

    Raises ContentError (with every problem) or another BoardError; on any error the previous
    output is left exactly as it was. `stages` limits the outputs to the named render stages.
    When nothing changed since the published build, nothing is rendered (`force` renders anyway);
    otherwise units whose data did not change come from the build cache.
    """
    started = time.perf_counter()
    reporter = reporter or Reporter()
    out = Path(out_dir)
    if isinstance(month, str):
        month = Month.parse(month)
    options = {"month": str(month), "strict": strict, "stages": stages}
    digest = input_digest(Path(content_dir), options)
    record_path = cache_dir(out) / "last-build.json"
    if not force and up_to_date(out, digest):
        record = _read_record(record_path, digest)
        if record is not None:
            return BuildResult(
                out_dir=out,
                month=Month.parse(record["month"]),
                projects=record["projects"],
                months=record["months"],
                files={},
                warnings=[_problem(w) for w in record["warnings"]],
                seconds=time.perf_counter() - started,
                up_to_date=True,
            )
    cache = RenderCache(cache_dir(out))
    files, ctx, warnings = render_all(
        content_dir, month, strict, stages=stages, reporter=reporter, cache=cache
    )
    keep = {"README.md": (default_templates() / "output" / "README.md").read_bytes()}
    files[MANIFEST] = manifest(digest, {**keep, **files})
    with reporter.stage("write"):
        publish(out, files, check=_check_tree(files), keep=keep)
    cache.prune()
    _write_record(
        record_path,
        {
            "inputs": digest,
            "month": str(ctx.board.month),
            "projects": len(ctx.register.projects),
            "months": len(ctx.boards),
            "warnings": [dataclasses.asdict(w) for w in warnings],
        },
    )
    return BuildResult(
        out_dir=out,
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
        Pos(**data["pos"]), data["field"], data["message"], data["hint"], Severity(data["severity"])
    )
