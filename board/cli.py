"""The `board` command: a thin click layer over the library.

Only this module turns errors into messages and exit codes: 0 success, 1 content or build
errors, 2 usage errors. Every line it prints is a catalog message (board/i18n.py), in the
language chosen by `--lang`, else BOARD_LANG, else the register's `language`, else zh-CN; the
help of every command comes from the catalog too (`msg.help.*`), put into words before click
builds it.
"""

from __future__ import annotations

import gettext
import logging
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import build
from .compute import compute_month
from .errors import BoardError, ContentError, Problem, Severity, no_report_for
from .i18n import (
    LANGUAGES,
    LOCALE_DIR,
    Msg,
    counted,
    current_language,
    locale_name,
    reset_language,
    translator,
    use_language,
)
from .model import Month
from .newmonth import new_month
from .settled import latest_report, published_months, settle, split, summary
from .validate import YEARS, Invalid, check, notices, spelled_month, spelled_number

DEFAULT_CONTENT = Path("content")
CLICK_DOMAIN = "click"  # click's own messages: board/locale/<locale>/LC_MESSAGES/click.po
# where `build` publishes by default: its record says which months are published
DEFAULT_OUT = Path("output")


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> Month | None:
    """A month as the office types it: 2020-10, 2020.10, 2020/10, 2020年10月 (fullwidth too)."""
    if value is None:
        return None
    try:
        month = spelled_month(value)
    except Invalid:
        month = None
    if month is None:
        raise click.BadParameter(
            Msg("msg.validate.expected_got", what=Msg("msg.what.month"), value=value).text()
        )
    if not YEARS[0] <= month.year <= YEARS[1]:  # as in the register (validate.YEARS)
        raise click.BadParameter(
            Msg("msg.limit.year", value=value, low=YEARS[0], high=YEARS[1]).text()
        )
    return month


def _port(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    """A TCP port, 1 to 65535 (fullwidth digits as the office may type them)."""
    from .serve import PORTS

    text = spelled_number(str(value))
    if not text.isdigit() or not PORTS[0] <= int(text) <= PORTS[1]:
        raise click.BadParameter(
            Msg("msg.cli.port", value=str(value), low=PORTS[0], high=PORTS[1]).text()
        )
    return int(text)


def _print_problems(problems: Sequence[Any]) -> None:
    for problem in problems:
        click.echo(problem.text(), err=True)


_VERBOSE = "board_verbose"  # ctx.meta: True with --verbose (before or after the command)


def _verbose_option(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.find_root().meta[_VERBOSE] = True
    return value


def _published(content_dir: Path) -> frozenset[str]:
    """The months the record beside the default output holds as published, when that output is
    the register's own (`output/` beside `content/`, where `board build` publishes); a command
    without --out has no other record to ask."""
    try:
        beside = content_dir.resolve().parent == Path.cwd().resolve()
    except OSError:
        beside = False
    return published_months(DEFAULT_OUT) if beside else frozenset()


def _print_warnings(warnings: Sequence[Any]) -> None:
    """The warnings; those of published months (board.settled) in one line unless --verbose."""
    shown, settled = split(warnings)
    if click.get_current_context().find_root().meta.get(_VERBOSE):
        shown = list(warnings)
    _print_problems(shown)
    line = summary(settled) if len(shown) < len(warnings) else None
    if line is not None:
        click.echo(line.text(), err=True)


def _fail(exc: BoardError, writes: bool = True) -> None:
    """Print the problems and the failure; `writes`: the command would have written files
    (a `check` never writes, so it never says that nothing was written)."""
    if isinstance(exc, ContentError):
        _print_problems(exc.problems)
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        warnings = len(exc.problems) - errors
        waiting = getattr(exc, "waiting", None)
        if waiting is not None:
            file, missing, before = waiting
            click.echo(
                Msg(
                    "msg.cycle.latest_missing",
                    file=file,
                    n=counted(missing, "project"),
                    before=before or "YYYY-MM",
                ).text(),
                err=True,
            )
        click.echo(
            Msg(
                "msg.cli.failed_content" if writes else "msg.cli.check_failed",
                errors=counted(errors, "error"),
                warnings=counted(warnings, "warning"),
            ).text(),
            err=True,
        )
    else:
        _print_problems(getattr(exc, "problems", ()))
        click.echo(Msg("msg.cli.failed", reason=exc.message).text(), err=True)
    sys.exit(1)


# -- the language ------------------------------------------------------------------------------

_CHOSEN = "board_language_chosen"  # ctx.meta: True when --lang or BOARD_LANG chose the language


def _lang_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        use_language(value)
        ctx.meta[_CHOSEN] = True
    elif os.environ.get("BOARD_LANG") in LANGUAGES:
        ctx.meta[_CHOSEN] = True
    return value


def _register_language(content_dir: Path) -> str | None:
    """The `language:` of the register's board.yaml, read without validating anything."""
    from .load import board_settings

    language = board_settings(content_dir).get("language")
    return language if language in LANGUAGES else None


def _open(content_dir: Path) -> Path:
    """The register a command works on; its `language` is the language of the messages unless
    --lang or BOARD_LANG chose one."""
    ctx = click.get_current_context()
    if not ctx.find_root().meta.get(_CHOSEN):
        language = _register_language(content_dir)
        if language is not None:
            use_language(language)
    return content_dir


# -- naming the register: `--content DIR` on every command, or the old positional argument -----


def _version(ctx: click.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(Msg("msg.cli.version", version=__version__).text())
        ctx.exit()


def _content_params(positional: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--content DIR` (or `-c`) on every command; commands that took the register as their
    argument still do (`board check content`). Both name the same thing."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        f = click.option(
            "--content",
            "-c",
            "content_opt",
            type=click.Path(file_okay=False, path_type=Path),
            help="The register (default: ./content).",
        )(f)
        if positional:
            f = click.argument(
                "content_arg",
                required=False,
                metavar="[CONTENT]",
                type=click.Path(file_okay=False, path_type=Path),
            )(f)
        return f

    return decorate


def _output_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out DIR`: the output folder (default `output/`), with what it is to this command."""
    return click.option(
        "--out",
        "out_dir",
        default=str(DEFAULT_OUT),
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help,
    )


def _content(content_opt: Path | None, content_arg: Path | None = None) -> Path:
    if content_opt is not None and content_arg is not None and content_opt != content_arg:
        raise click.UsageError(Msg("msg.cli.two_registers", a=content_arg, b=content_opt).text())
    return _open(content_opt or content_arg or DEFAULT_CONTENT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, param, value: _version(ctx, value),
    help="Show the version and exit.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    callback=_verbose_option,
    help="Show what each stage does, and every warning of published months.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    callback=_lang_option,
    is_eager=True,
    expose_value=False,
    help="Language of the messages (default: BOARD_LANG, else the register's language, else zh-CN).",
)
def cli(verbose: bool) -> None:
    """Public boards for a county's key construction projects (重点项目公示).

    The register (default: ./content) holds board.yaml, projects/*.yaml and reports/YYYY-MM.yaml;
    see docs/content-format.md.
    """
    # -v shows board's own steps; the libraries' debug lines (every EXIF tag Pillow reads, every
    # table fontTools subsets) stay out: their warnings and errors still show
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("board").setLevel(logging.DEBUG if verbose else logging.WARNING)


@cli.command("check")
@_content_params(positional=True)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (not those of published months)."
)
@_output_option("The output whose record of published months the commitments are checked against.")
def check_cmd(
    content_arg: Path | None, content_opt: Path | None, strict: bool, out_dir: Path
) -> None:
    """Read and validate the register; print every problem with file:line:col."""
    content_dir = _content(content_opt, content_arg)
    started = time.perf_counter()
    try:
        register, warnings = check(
            content_dir, strict=strict, published=_published(content_dir), out=out_dir
        )
    except ContentError as exc:
        _fail(exc, writes=False)
        return
    _print_warnings(warnings)
    click.echo(
        Msg(
            "msg.cli.check_ok",
            projects=counted(len(register.projects), "project"),
            months=counted(len(register.months), "month"),
            warnings=counted(len(warnings), "warning"),
            seconds=f"{time.perf_counter() - started:.1f}",
        ).text()
    )


@cli.command("build")
@_content_params(positional=True)
@_output_option("Folder to publish to.")
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="Month to build (default: the latest report).",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (not those of published months)."
)
@click.option("--force", is_flag=True, help="Render everything even if nothing changed.")
@click.option(
    "--rebuild-history",
    is_flag=True,
    help="Where the record and the output are both lost, render past months again (marked).",
)
# board serve's child builds (board/serve.py): a preview of --preview-of built into --out
@click.option("--preview-of", type=click.Path(file_okay=False, path_type=Path), hidden=True)
@click.option("--stages", hidden=True)
def build_cmd(
    content_arg: Path | None,
    content_opt: Path | None,
    out_dir: Path,
    month: Month | None,
    strict: bool,
    force: bool,
    rebuild_history: bool,
    preview_of: Path | None,
    stages: str | None,
) -> None:
    """Validate, render every output and publish it atomically to --out."""
    content_dir = _content(content_opt, content_arg)
    try:
        result = build(
            content_dir,
            out_dir,
            month=month,
            strict=strict,
            force=force,
            rebuild_history=rebuild_history,
            preview_of=preview_of,
            stages=tuple(stages.split(",")) if stages else None,
        )
    except BoardError as exc:
        _fail(exc)
        return
    _print_warnings(result.warnings)
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
@_content_params(positional=True)
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="Month to rank (default: the latest report).",
)
@click.option(
    "--missing",
    is_flag=True,
    help="List the units whose report of the month has not come in (a 催报 message to paste).",
)
def status_cmd(
    content_arg: Path | None, content_opt: Path | None, month: Month | None, missing: bool
) -> None:
    """Print the month's ranking (进度排名) as a table; with --missing, the units not reported."""
    content_dir = _content(content_opt, content_arg)
    if missing:
        _missing(content_dir, month)
        return
    try:
        register, warnings = check(content_dir, pending=month or True)
        if month is not None and month not in register.months:
            raise no_report_for(month, register.months)
        try:
            board = compute_month(register, month)
        except ValueError:
            raise BoardError(Msg("msg.build.no_reports_yet")) from None
    except BoardError as exc:
        _fail(exc, writes=False)
        return
    _print_problems(notices(warnings))
    t = translator(
        register.config.language, register.config.labels
    )  # the table is the board, in its language
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
    counts = translator(current_language())("site.comma").join(
        f"{t('status.' + k)} {v}" for k, v in board.counts.items()
    )
    click.echo(
        Msg(
            "msg.cli.status_counts", projects=counted(len(board.rows), "project"), counts=counts
        ).text()
    )


def _missing(content_dir: Path, month: Month | None) -> None:
    """`board status --missing`: the units whose workbook has not come in, ready to paste into a
    message to them (催报)."""
    from .xlsx.units import missing_units, said_day

    try:
        month, found = missing_units(content_dir, month)
    except BoardError as exc:
        _fail(exc, writes=False)
        return
    if found is None:
        click.echo(Msg("msg.missing.no_ledger", month=month).text())
        return
    from .render import month_label

    words = month_label(month, current_language())
    due = Msg("msg.units.due_on", day=said_day(found.due)) if found.due else Msg("msg.units.no_due")
    waiting = found.not_in
    if not waiting:
        click.echo(Msg("msg.missing.none", month=words, n=len(found.units)).text())
        return
    click.echo(
        Msg(
            "msg.missing.head", month=words, n=len(waiting), today=said_day(found.as_of), due=due
        ).text()
    )
    for i, unit in enumerate(waiting, 1):
        names = translator(current_language())("site.list_sep").join(p.name for p in unit.projects)
        click.echo(Msg("msg.missing.line", i=i, unit=unit.unit, projects=names).text())
    if found.past_due:
        click.echo(Msg("msg.missing.ask_late").text())
    elif found.due:
        click.echo(Msg("msg.missing.ask_before", day=said_day(found.due)).text())


@cli.command("new-month")
@click.argument("month", callback=_month, metavar="YYYY-MM")
@_content_params(positional=False)
def new_month_cmd(month: Month, content_opt: Path | None) -> None:
    """Scaffold reports/YYYY-MM.yaml from the last report (percent and invested carried over,
    texts empty).

    Never overwrites an existing file. A unit that did not report: delete its lines, or write
    reported: false.
    """
    content_dir = _content(content_opt)
    try:
        path, count, asked = new_month(content_dir, month)
    except BoardError as exc:
        _fail(exc)
        return
    click.echo(Msg("msg.cli.new_month", path=path, projects=counted(count, "project")).text())
    if asked:
        click.echo(Msg("msg.cli.new_month_year", projects=counted(asked, "project")).text())


# -- a new register, and the record of published months (board/published.py) --------------


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path), metavar="DIR")
def init_cmd(folder: Path) -> None:
    """Make a new, empty register (board.yaml in Chinese, projects/, reports/) for a county.

    Only in a new or empty folder; board.yaml gets the register's id.
    """
    from .newregister import init_register

    try:
        register_id = init_register(folder)
    except BoardError as exc:
        _fail(exc)
        return
    click.echo(Msg("msg.init.done", path=folder, id=register_id).text())


@cli.group("archive")
def archive_group() -> None:
    """Check, back up and restore the record of published months."""


def _archive_params(f: Callable[..., Any]) -> Callable[..., Any]:
    f = _output_option(
        "The output folder (the record is beside it, or at archive: in board.yaml)."
    )(f)
    return _content_params(positional=False)(f)


def _record_of(content_opt: Path | None, out_dir: Path) -> tuple[Path, Any]:
    from .published import record_dir, register_id

    content_dir = _content(content_opt)
    out = Path(os.path.realpath(out_dir))
    return record_dir(content_dir, out), register_id(content_dir)


@archive_group.command("verify")
@_archive_params
def archive_verify_cmd(content_opt: Path | None, out_dir: Path) -> None:
    """Check every file of the record against its SHA-256; exit 1 on any problem."""
    from .archive import verify

    try:
        folder, register = _record_of(content_opt, out_dir)
        found, problems = verify(folder, register)
    except BoardError as exc:
        _fail(exc, writes=False)
        return
    for problem in problems:
        click.echo(problem.text(), err=True)
    if problems:
        click.echo(
            Msg("msg.cli.failed", reason=Msg("msg.archive.failed", n=len(problems))).text(),
            err=True,
        )
        sys.exit(1)
    if found is None:
        click.echo(Msg("msg.archive.none", folder=folder).text())
        return
    click.echo(
        Msg(
            "msg.archive.ok",
            folder=folder,
            months=counted(found.months, "month"),
            versions=found.versions,
            files=counted(found.files, "file"),
        ).text()
    )


@archive_group.command("export")
@click.argument("zip_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.zip")
@_archive_params
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def archive_export_cmd(
    zip_file: Path, content_opt: Path | None, out_dir: Path, force: bool
) -> None:
    """Export the record as a zip (record.json, every file and SHA256SUMS) to keep elsewhere."""
    from .archive import export

    try:
        folder, register = _record_of(content_opt, out_dir)
        if zip_file.exists() and not force:
            raise BoardError(Msg("msg.cli.exists", path=zip_file))
        found = export(folder, register, zip_file)
    except BoardError as exc:
        _fail(exc)
        return
    except OSError as exc:
        _fail(BoardError(Msg("msg.record.unreadable", path=zip_file, reason=_reason(exc))))
        return
    click.echo(
        Msg(
            "msg.archive.exported",
            path=zip_file,
            months=counted(found.months, "month"),
            files=counted(found.files, "file"),
        ).text()
    )


@archive_group.command("restore")
@click.argument("zip_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.zip")
@_archive_params
def archive_restore_cmd(zip_file: Path, content_opt: Path | None, out_dir: Path) -> None:
    """Restore the record from a zip made by board archive export, every file checked first."""
    from .archive import restore

    try:
        folder, register = _record_of(content_opt, out_dir)
        found, written = restore(zip_file, folder, register)
    except BoardError as exc:
        _fail(exc)
        return
    except OSError as exc:
        _fail(BoardError(Msg("msg.record.unreadable", path=folder, reason=_reason(exc))))
        return
    if not written:
        click.echo(Msg("msg.archive.unchanged", folder=folder, path=zip_file).text())
        return
    click.echo(
        Msg(
            "msg.archive.restored",
            path=zip_file,
            folder=folder,
            months=counted(found.months, "month"),
            files=counted(written, "file"),
        ).text()
    )


def _reason(exc: OSError) -> Any:
    from .load import os_reason

    return os_reason(exc)


# -- the office's monthly cycle: workbooks in and out, the review diff, the live preview
# (board/xlsx/, board/diff.py, board/serve.py; docs/office-cycle.md)


def _write_new(path: Path, data: bytes, force: bool) -> None:
    """Write a generated file atomically; an existing file only with --force."""
    from .write import atomic_write

    if path.exists() and not force:
        raise BoardError(Msg("msg.cli.exists", path=path))
    atomic_write(path, data)


@cli.command("template")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path),
    help="The workbook to write (default: board-template.xlsx); with --by-unit, the folder "
    "(default: 报表-YYYY-MM).",
)
@click.option(
    "--from",
    "--content",
    "-c",
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
@click.option(
    "--by-unit",
    is_flag=True,
    help="One workbook per responsible unit (分包单位), into the folder --out.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def template_cmd(
    out_file: Path | None,
    from_dir: Path | None,
    month: Month | None,
    all_months: bool,
    by_unit: bool,
    force: bool,
) -> None:
    """Write the Excel/WPS workbook the office and the units fill in (.xlsx).

    Sheets 说明, 项目, 责任清单, 计划进度 and 报告, headers in Chinese, with cell validation.
    With --by-unit: one workbook per unit, holding only its projects, signed for this register.
    """
    from .xlsx import template_from, template_workbook

    notes: list[Problem] = []
    try:
        if by_unit:
            from .xlsx.units import issue_workbooks

            content_dir = _open(from_dir or DEFAULT_CONTENT)
            issued = issue_workbooks(content_dir, out_file, month, force=force)
            _print_problems(issued.notes)
            click.echo(
                Msg(
                    "msg.units.issued",
                    n=len(issued.files),
                    folder=issued.folder,
                    month=issued.month,
                    due=Msg("msg.units.due_on", day=issued.due)
                    if issued.due
                    else Msg("msg.units.no_due"),
                ).text()
            )
            return
        out = out_file or Path("board-template.xlsx")
        if from_dir is not None:
            data = template_from(_open(from_dir), month, all_months, notes=notes)
        else:
            data = template_workbook(months=[month] if month else [])
        _write_new(out, data, force)
    except BoardError as exc:
        _fail(exc)
        return
    _print_problems(notes)
    click.echo(Msg("msg.cli.wrote", path=out).text())


@cli.command("import")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@_content_params(positional=False)
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
@click.option(
    "--partial",
    is_flag=True,
    help="Units' workbooks: import the right ones and list the others (default: all or nothing).",
)
def import_cmd(
    workbooks: tuple[Path, ...],
    content_opt: Path | None,
    month: Month | None,
    update: bool,
    dry_run: bool,
    partial: bool,
) -> None:
    """Import workbooks (made by board template, filled in Excel or WPS) into the register.

    The county's workbook, or any number of units' workbooks and zips (board template
    --by-unit), or folders of them. Every problem is listed at once as file, sheet and cell;
    nothing is written unless every file is right (or --partial). Existing files of the county
    workbook are only replaced with --update.
    """
    from .xlsx import ImportResult, WorkbookError, import_workbook
    from .xlsx.units import import_units, is_unit_workbook

    content_dir = _content(content_opt)
    units = len(workbooks) > 1 or any(is_unit_workbook(p) for p in workbooks)
    result: ImportResult
    try:
        if units:
            result = import_units(
                list(workbooks),
                content_dir,
                month,
                update=update,
                dry_run=dry_run,
                partial=partial,
                echo=click.echo,
            )
        else:
            result = import_workbook(
                workbooks[0], content_dir, month, update=update, dry_run=dry_run, echo=click.echo
            )
    except WorkbookError as exc:
        _print_problems(exc.problems)
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        click.echo(
            Msg(
                "msg.import.failed",
                errors=Msg("msg.errors.workbook", errors=counted(errors, "error")),
            ).text(),
            err=True,
        )
        sys.exit(1)
    except BoardError as exc:
        _fail(exc)
        return
    _print_problems(getattr(result, "refusals", []))  # --partial: the files not imported
    _print_warnings(settle(result.warnings, latest_report(content_dir), _published(content_dir)))
    taken = getattr(result, "taken", None)
    if taken is not None:
        for file, unit, rows, photos in taken:
            click.echo(
                Msg(
                    "msg.units.taken",
                    file=file,
                    unit=unit,
                    rows=counted(rows, "project"),
                    photos=photos,
                ).text()
            )
    click.echo(result.summary())
    if taken is not None:
        if result.refused:  # type: ignore[attr-defined]
            click.echo(
                Msg(
                    "msg.units.refused",
                    n=len(result.refused),  # type: ignore[attr-defined]
                    names="、".join(result.refused),  # type: ignore[attr-defined]
                ).text()
            )
        missing = result.missing  # type: ignore[attr-defined]
        click.echo(
            Msg("msg.units.still_missing", n=len(missing), names="、".join(missing)).text()
            if missing
            else Msg("msg.units.all_in", month=result.month).text()  # type: ignore[attr-defined]
        )


@cli.command("export")
@_content_params(positional=True)
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
def export_cmd(
    content_arg: Path | None,
    content_opt: Path | None,
    month: Month | None,
    out_file: Path | None,
    force: bool,
) -> None:
    """Write the month's board and ranking to .xlsx for internal circulation."""
    from .xlsx import export_workbook

    content_dir = _content(content_opt, content_arg)
    try:
        register, warnings = check(content_dir, pending=month or True)
        if month is None:
            if register.latest is None:
                raise BoardError(Msg("msg.build.no_reports_yet"))
            month = register.latest
        data = export_workbook(content_dir, month)
        out_file = out_file or Path(f"board-{month}.xlsx")
        _write_new(out_file, data, force)
    except BoardError as exc:
        _fail(exc)
        return
    _print_problems(notices(warnings))
    click.echo(Msg("msg.cli.exported", path=out_file, month=month).text())


@cli.command("diff")
@click.argument("from_month", required=False, callback=_month, metavar="[FROM]")
@click.argument("to_month", required=False, callback=_month, metavar="[TO]")
@_content_params(positional=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "docx"]),
    default="text",
    show_default=True,
    help="Plain text for the terminal, a Markdown page, or the sign-off sheet as Word "
    "(docx: written to --out, else to 审阅-TO.docx in this folder).",
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
    content_opt: Path | None,
    fmt: str,
    out_file: Path | None,
) -> None:
    """Show what changed from FROM to TO (default: the previous and the latest month).

    The county's investment, percent and status changes, new delays, reasons added, missed
    catch-up deadlines, movement in the ranking, invested to date fallen or not given, and
    projects without a report: what a leader signs off before publishing.

    \b
    board diff                                        to read it
    board diff --format docx --out 审阅-YYYY-MM.docx  the sheet the leader signs
    """
    from .diff import format_markdown, format_text, review
    from .write import atomic_write

    content_dir = _content(content_opt)
    try:
        register, warnings = check(content_dir, pending=to_month or True)
        rv = review(register, from_month, to_month)
    except BoardError as exc:
        _fail(exc, writes=False)
        return
    _print_problems(notices(warnings))
    if fmt == "docx":
        from .render.word import review_docx, review_roles

        target = out_file or Path(f"审阅-{rv.after.month}.docx")
        atomic_write(target, review_docx(rv, review_roles(register.config)))
        click.echo(
            Msg("msg.review.wrote", path=target, before=rv.before.month, after=rv.after.month)
        )
        return
    text = format_markdown(rv) if fmt == "md" else format_text(rv)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        atomic_write(out_file, text.encode("utf-8"))
        click.echo(
            Msg(
                "msg.cli.diff_wrote", path=out_file, before=rv.before.month, after=rv.after.month
            ).text()
        )


@cli.command("serve")
@_content_params(positional=True)
@_output_option("Folder to build into and serve.")
@click.option(
    "--port",
    default="8000",
    show_default=True,
    callback=_port,
    metavar="PORT",
    help="Port on 127.0.0.1.",
)
def serve_cmd(content_arg: Path | None, content_opt: Path | None, out_dir: Path, port: int) -> None:
    """Build, serve the output on localhost, rebuild and reload the page on every change.

    Watches the register and the templates; a content error is shown in the page and here, and
    the last good build keeps being served.
    """
    from .load import os_reason
    from .serve import serve

    content_dir = _content(content_opt, content_arg)
    try:
        verbose = bool(click.get_current_context().find_root().meta.get(_VERBOSE))
        serve(content_dir, out_dir, port=port, echo=click.echo, verbose=verbose)
    except BoardError as exc:
        _fail(exc)
    except OSError as exc:
        click.echo(Msg("msg.cli.serve_failed", port=port, reason=os_reason(exc)).text(), err=True)
        sys.exit(1)


# `--lang` is also taken after the command (`board check --lang en`), as people type it
for _command in cli.commands.values():
    _command.params.append(
        click.Option(
            ["--lang"],
            type=click.Choice(LANGUAGES),
            callback=_lang_option,
            is_eager=True,
            expose_value=False,
            hidden=True,
        )
    )
    # and `--verbose` too (`board check --verbose`, as the summary of published months says)
    _command.params.append(
        click.Option(
            ["-v", "--verbose", "verbose_after"],
            is_flag=True,
            callback=_verbose_option,
            is_eager=True,
            expose_value=False,
            hidden=True,
        )
    )


# -- help in the chosen language ---------------------------------------------------------------


def _early_language(argv: Sequence[str]) -> str:
    """The language before click parses anything, so that help is built in it: --lang, else
    BOARD_LANG, else the language of the register named on the command line (or ./content)."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGUAGES:
            return args[i + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    if os.environ.get("BOARD_LANG") in LANGUAGES:
        return os.environ["BOARD_LANG"]
    content = DEFAULT_CONTENT
    for i, arg in enumerate(args):
        if arg in ("--content", "-c", "--from") and i + 1 < len(args):
            content = Path(args[i + 1])
        elif arg.startswith("--content="):
            content = Path(arg.split("=", 1)[1])
    try:
        return _register_language(content) or current_language()
    except OSError:
        return current_language()


def _all_commands() -> list[tuple[str, click.Command]]:
    """Every command with the name its help is filed under (`board`, `check`, `archive.verify`)."""
    found: list[tuple[str, click.Command]] = [("board", cli)]

    def walk(group: click.Group, prefix: str) -> None:
        for name, command in group.commands.items():
            found.append((f"{prefix}{name}", command))
            if isinstance(command, click.Group):
                walk(command, f"{prefix}{name}.")

    walk(cli, "")
    return found


def _own_help_options() -> None:
    """`-h/--help` as a declared option of every command, so that its help is put into words
    like every other option's (click would otherwise make its own once and keep its words)."""
    for _, command in _all_commands():
        command.add_help_option = False
        click.help_option("-h", "--help")(command)


def _catalog_words(key: str, language: str) -> str | None:
    try:
        return Msg(key).text(language)
    except KeyError:
        return None


_METAVARS: dict[int, str] = {}  # each parameter's metavar as declared (English), by id()


def _metavar(param: click.Parameter, language: str) -> str | None:
    """A parameter's placeholder in the usage line in `language` (msg.metavar.*): [CONTENT]
    becomes [登记材料], a folder option's DIRECTORY 文件夹; a format (YYYY-MM) stays."""
    if id(param) not in _METAVARS:
        declared = param.metavar
        if declared is None and isinstance(param.type, click.Path):
            declared = "DIRECTORY" if not param.type.file_okay else "FILE"
            if param.type.file_okay and param.type.dir_okay:
                declared = "PATH"
        if declared is None:
            return None
        _METAVARS[id(param)] = declared
    declared = _METAVARS[id(param)]
    bare = declared.strip("[]")
    words = _catalog_words(f"msg.metavar.{bare.lower()}", language)
    return declared.replace(bare, words) if words else declared


def _translate_help(language: str) -> None:
    """Put every command's and option's help into `language` from the catalog (msg.help.*),
    and the usage line's placeholders (msg.metavar.*)."""
    for name, command in _all_commands():
        command.help = Msg(f"msg.help.{name}").text(language)
        # `board --help` shortens each command's line word by word; Chinese has no spaces, so a
        # long first sentence would shrink to "...": in Chinese the first paragraph, wrapped
        command.short_help = command.help.split("\n\n")[0] if language == "zh-CN" else None
        command.options_metavar = Msg("msg.metavar.options").text(language)
        if isinstance(command, click.Group):
            command.subcommand_metavar = Msg("msg.metavar.command").text(language)
        for param in command.params:
            metavar = _metavar(param, language)
            if metavar is not None:
                param.metavar = metavar
            if not isinstance(param, click.Option) or not param.help:
                continue
            key = (
                "msg.help.option_help" if param.name == "help" else f"msg.help.{name}.{param.name}"
            )
            words = _catalog_words(key, language)
            if words is not None:
                param.help = words


@contextmanager
def _click_language(language: str) -> Iterator[None]:
    """click's own words (Usage:, its usage errors) in `language`, through gettext as click
    asks for them: its default text domain is bound to board's catalog folder
    (board/locale/<locale>/LC_MESSAGES/click.mo) and gettext's LANGUAGE names the language."""
    domain, before = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(CLICK_DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(CLICK_DOMAIN)
    os.environ["LANGUAGE"] = locale_name(language)
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if before is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = before


_own_help_options()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv`; returns the exit code (used by tests and `python -m board`)."""
    args = list(argv) if argv is not None else sys.argv[1:]
    token = use_language(_early_language(args))
    try:
        _translate_help(current_language())
        with _click_language(current_language()):
            cli.main(args=args, prog_name="board", standalone_mode=True)  # always exits
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    finally:
        reset_language(token)


def entry() -> None:  # pragma: no cover - the console script
    sys.exit(main())
