"""The `board` command: a thin click layer over the library.

Only this module turns errors into messages and exit codes: 0 success, 1 content or build
errors, 2 usage errors.
"""

from __future__ import annotations

import logging
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .build import build
from .compute import compute_month
from .errors import BoardError, ContentError, Problem, Severity
from .i18n import Msg, translator
from .model import Month
from .newmonth import new_month
from .validate import YEARS, check

CONTENT = click.argument(
    "content_dir", default="content", type=click.Path(file_okay=False, path_type=Path)
)


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> Month | None:
    if value is None:
        return None
    try:
        month = Month.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if not YEARS[0] <= month.year <= YEARS[1]:  # as in the register (validate.YEARS)
        raise click.BadParameter(
            Msg("msg.limit.year", value=value, low=YEARS[0], high=YEARS[1]).text()
        )
    return month


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _fail(exc: BoardError) -> None:
    if isinstance(exc, ContentError):
        _print_problems(exc.problems)
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        warnings = len(exc.problems) - errors
        click.echo(Msg("msg.cli.failed_content", errors=errors, warnings=warnings).text(), err=True)
    else:
        for problem in getattr(exc, "problems", ()):
            click.echo(str(problem), err=True)
        click.echo(f"failed: {exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="board")
@click.option("-v", "--verbose", is_flag=True, help="Show what each stage does.")
def cli(verbose: bool) -> None:
    """Public boards for a county's key construction projects (重点项目公示).

    The register (default: ./content) holds board.yaml, projects/*.yaml and reports/YYYY-MM.yaml;
    see docs/content-format.md.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(name)s: %(message)s"
    )


@cli.command("check")
@CONTENT
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check_cmd(content_dir: Path, strict: bool) -> None:
    """Read and validate the register; print every problem with file:line:col."""
    started = time.perf_counter()
    try:
        register, warnings = check(content_dir, strict=strict)
    except ContentError as exc:
        _fail(exc)
        return
    _print_problems(warnings)
    click.echo(
        f"ok: {len(register.projects)} projects, {len(register.months)} months, "
        f"{len(warnings)} warnings in {time.perf_counter() - started:.1f} s"
    )


@cli.command("build")
@CONTENT
@click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to publish to.",
)
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="Month to build (default: the latest report).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Render everything even if nothing changed.")
def build_cmd(
    content_dir: Path, out_dir: Path, month: Month | None, strict: bool, force: bool
) -> None:
    """Validate, render every output and publish it atomically to --out."""
    try:
        result = build(
            content_dir,
            out_dir,
            month=month,
            strict=strict,
            force=force,
        )
    except BoardError as exc:
        _fail(exc)
        return
    _print_problems(result.warnings)
    click.echo(result.summary())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width:
            out = out[: max(0, len(out) - 1)] + "…"
            break
        out += ch
    return out + " " * (width - _width(out))


@cli.command("status")
@CONTENT
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="Month to rank (default: the latest report).",
)
def status_cmd(content_dir: Path, month: Month | None) -> None:
    """Print the month's ranking (进度排名) as a table."""
    try:
        register, _warnings = check(content_dir)
        try:
            board = compute_month(register, month)
        except ValueError as exc:
            raise BoardError(str(exc)) from None
    except BoardError as exc:
        _fail(exc)
        return
    t = translator(register.config.language)
    cols = [
        (t("rank"), 4),
        (t("movement"), 8),
        (t("name"), 34),
        (t("leader"), 20),
        (t("actual"), 8),
        (t("planned"), 8),
        (t("variance"), 6),
        (t("status"), 8),
    ]
    click.echo(f"{register.config.title} · {t('ranking')} {board.month}")
    click.echo("  ".join(_cell(h, w) for h, w in cols).rstrip())
    for row in board.ranking:
        move = "—" if row.movement is None else ("=" if row.movement == 0 else f"{row.movement:+d}")
        values = [
            str(row.rank),
            move,
            row.project.name,
            row.project.leader,
            f"{row.actual}%",
            f"{row.planned:g}%",
            f"{row.variance:+g}",
            t(f"status.{row.status}"),
        ]
        click.echo("  ".join(_cell(v, w) for v, (_, w) in zip(values, cols, strict=True)).rstrip())
    counts = ", ".join(f"{t('status.' + k)} {v}" for k, v in board.counts.items())
    click.echo(f"{len(board.rows)} projects: {counts}")


@cli.command("new-month")
@click.argument("month", callback=_month, metavar="YYYY-MM")
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The register.",
)
def new_month_cmd(month: Month, content_dir: Path) -> None:
    """Scaffold reports/YYYY-MM.yaml from the last report (percent carried over, texts empty).

    Never overwrites an existing file.
    """
    try:
        path, count = new_month(content_dir, month)
    except BoardError as exc:
        _fail(exc)
        return
    click.echo(
        f"wrote {path}: {count} projects, percent carried over from the last report; fill in 具体进度"
    )


# -- the office's monthly cycle: workbooks in and out, the review diff, the live preview
# (board/xlsx/, board/diff.py, board/serve.py; docs/office-cycle.md)

_CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The register.",
)


def _write_new(path: Path, data: bytes, force: bool) -> None:
    """Write a generated file atomically; an existing file only with --force."""
    from .xlsx import atomic_write

    if path.exists() and not force:
        raise BoardError(f"{path} already exists; give another --out, or --force to replace it")
    atomic_write(path, data)


@cli.command("template")
@click.option(
    "--out",
    "out_file",
    default="board-template.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write.",
)
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Fill it from this register: its projects, and the report for --month.",
)
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="The report sheet's month (with --from, default: the month after the latest report).",
)
@click.option(
    "--all-months", is_flag=True, help="With --from: one report sheet for every month (round trip)."
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def template_cmd(
    out_file: Path, from_dir: Path | None, month: Month | None, all_months: bool, force: bool
) -> None:
    """Write the Excel/WPS workbook the office and the units fill in (.xlsx).

    Sheets 说明, 项目, 责任清单, 计划进度 and 报告, headers in Chinese, with cell validation.
    """
    from .xlsx import template_from, template_workbook

    try:
        if from_dir is not None:
            data = template_from(from_dir, month, all_months)
        else:
            data = template_workbook(months=[month] if month else [])
        _write_new(out_file, data, force)
    except BoardError as exc:
        _fail(exc)
        return
    click.echo(f"wrote {out_file}")


@cli.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@_CONTENT_OPTION
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="The report's month, when the sheet does not say (or to pick one of several).",
)
@click.option(
    "--update",
    is_flag=True,
    help="Replace existing files that change; the changes are shown first.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def import_cmd(
    workbook: Path, content_dir: Path, month: Month | None, update: bool, dry_run: bool
) -> None:
    """Import a workbook (made by board template, filled in Excel or WPS) into the register.

    Every problem is listed at once as sheet!cell; nothing is written unless the whole workbook
    is valid. Existing files are only replaced with --update.
    """
    from .xlsx import WorkbookError, import_workbook

    try:
        result = import_workbook(
            workbook, content_dir, month, update=update, dry_run=dry_run, echo=click.echo
        )
    except WorkbookError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"failed: {exc}; nothing was written", err=True)
        sys.exit(1)
    except BoardError as exc:
        _fail(exc)
        return
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(result.summary())


@cli.command("export")
@CONTENT
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="Month to export (default: the latest report).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write (default: board-YYYY-MM.xlsx).",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def export_cmd(content_dir: Path, month: Month | None, out_file: Path | None, force: bool) -> None:
    """Write the month's board and ranking to .xlsx for internal circulation."""
    from .xlsx import export_workbook

    try:
        if month is None:
            register, _ = check(content_dir)
            if register.latest is None:
                raise BoardError("the register has no monthly report yet; run board new-month")
            month = register.latest
        data = export_workbook(content_dir, month)
        out_file = out_file or Path(f"board-{month}.xlsx")
        _write_new(out_file, data, force)
    except BoardError as exc:
        _fail(exc)
        return
    click.echo(f"wrote {out_file}: the board and ranking of {month}")


@cli.command("diff")
@click.argument("from_month", required=False, callback=_month, metavar="[FROM]")
@click.argument("to_month", required=False, callback=_month, metavar="[TO]")
@_CONTENT_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="Plain text for the terminal, or a Markdown page.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
def diff_cmd(
    from_month: Month | None,
    to_month: Month | None,
    content_dir: Path,
    fmt: str,
    out_file: Path | None,
) -> None:
    """Show what changed from FROM to TO (default: the previous and the latest month).

    Percent and status changes, new delays, reasons added, missed catch-up deadlines, movement
    in the ranking, and projects without a report: what a leader signs off before publishing.
    """
    from .diff import format_markdown, format_text, review
    from .xlsx import atomic_write

    try:
        register, _ = check(content_dir)
        rv = review(register, from_month, to_month)
    except BoardError as exc:
        _fail(exc)
        return
    text = format_markdown(rv) if fmt == "md" else format_text(rv)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        atomic_write(out_file, text.encode("utf-8"))
        click.echo(f"wrote {out_file}: {rv.before.month} → {rv.after.month}")


@cli.command("serve")
@CONTENT
@click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to build into and serve.",
)
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve_cmd(content_dir: Path, out_dir: Path, port: int) -> None:
    """Build, serve the output on localhost, rebuild and reload the page on every change.

    Watches the register and the templates; a content error is shown in the page and here, and
    the last good build keeps being served.
    """
    from .serve import serve

    try:
        serve(content_dir, out_dir, port=port, echo=click.echo)
    except BoardError as exc:
        _fail(exc)
    except OSError as exc:
        click.echo(f"failed: cannot serve on 127.0.0.1:{port}: {exc.strerror}", err=True)
        sys.exit(1)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv`; returns the exit code (used by tests and `python -m board`)."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="board", standalone_mode=True
        )
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


def entry() -> None:  # pragma: no cover - the console script
    sys.exit(main())
