"""The `board` command: a thin click layer over the library.

Only this module turns errors into messages and exit codes: 0 success, 1 content or build
errors, 2 usage errors. Every line it prints is a catalog message (board/i18n.py), in the
language chosen by `--lang`, else BOARD_LANG, else the register's `language`, else zh-CN; the
help of every command comes from the catalog too (`msg.help.*`), put into words before click
builds it.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import build
from .compute import compute_month
from .errors import BoardError, ContentError, Problem, Severity, no_report_for
from .i18n import (
    LANGUAGES,
    Msg,
    counted,
    current_language,
    reset_language,
    translator,
    use_language,
)
from .model import Month
from .newmonth import new_month
from .validate import YEARS, Invalid, check, notices, spelled_month

DEFAULT_CONTENT = Path("content")


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


def _print_problems(problems: Sequence[Any]) -> None:
    for problem in problems:
        click.echo(problem.text(), err=True)


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
    from .load import Mapping, load_document

    path = content_dir / "board.yaml"
    if not path.is_file():
        return None
    doc = load_document(path, [])
    if doc is None or not isinstance(doc.root, Mapping):
        return None
    for key, value in doc.root.items:
        if key.value == "language" and getattr(value, "value", None) in LANGUAGES:
            return value.value  # type: ignore[union-attr]
    return None


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


def _content(content_opt: Path | None, content_arg: Path | None = None) -> Path:
    if content_opt is not None and content_arg is not None and content_opt != content_arg:
        raise click.UsageError(Msg("msg.cli.two_registers", a=content_arg, b=content_opt).text())
    return _open(content_opt or content_arg or DEFAULT_CONTENT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="board")
@click.option("-v", "--verbose", is_flag=True, help="Show what each stage does.")
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
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(name)s: %(message)s"
    )


@cli.command("check")
@_content_params(positional=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The output whose record of published months the commitments are checked against.",
)
def check_cmd(
    content_arg: Path | None, content_opt: Path | None, strict: bool, out_dir: Path
) -> None:
    """Read and validate the register; print every problem with file:line:col."""
    content_dir = _content(content_opt, content_arg)
    started = time.perf_counter()
    try:
        register, warnings = check(content_dir, strict=strict, out=out_dir)
    except ContentError as exc:
        _fail(exc, writes=False)
        return
    _print_problems(warnings)
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
    content_arg: Path | None,
    content_opt: Path | None,
    out_dir: Path,
    month: Month | None,
    strict: bool,
    force: bool,
) -> None:
    """Validate, render every output and publish it atomically to --out."""
    content_dir = _content(content_opt, content_arg)
    try:
        result = build(content_dir, out_dir, month=month, strict=strict, force=force)
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
@_content_params(positional=True)
@click.option(
    "--month",
    callback=_month,
    metavar="YYYY-MM",
    help="Month to rank (default: the latest report).",
)
def status_cmd(content_arg: Path | None, content_opt: Path | None, month: Month | None) -> None:
    """Print the month's ranking (进度排名) as a table."""
    content_dir = _content(content_opt, content_arg)
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
    t = translator(register.config.language)  # the table is the board, in its language
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


@cli.command("new-month")
@click.argument("month", callback=_month, metavar="YYYY-MM")
@_content_params(positional=False)
def new_month_cmd(month: Month, content_opt: Path | None) -> None:
    """Scaffold reports/YYYY-MM.yaml from the last report (percent carried over, texts empty).

    Never overwrites an existing file.
    """
    content_dir = _content(content_opt)
    try:
        path, count = new_month(content_dir, month)
    except BoardError as exc:
        _fail(exc)
        return
    click.echo(Msg("msg.cli.new_month", path=path, projects=counted(count, "project")).text())


# -- the office's monthly cycle: workbooks in and out, the review diff, the live preview
# (board/xlsx/, board/diff.py, board/serve.py; docs/office-cycle.md)


def _write_new(path: Path, data: bytes, force: bool) -> None:
    """Write a generated file atomically; an existing file only with --force."""
    from .xlsx import atomic_write

    if path.exists() and not force:
        raise BoardError(Msg("msg.cli.exists", path=path))
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
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def template_cmd(
    out_file: Path, from_dir: Path | None, month: Month | None, all_months: bool, force: bool
) -> None:
    """Write the Excel/WPS workbook the office and the units fill in (.xlsx).

    Sheets 说明, 项目, 责任清单, 计划进度 and 报告, headers in Chinese, with cell validation.
    """
    from .xlsx import template_from, template_workbook

    notes: list[Problem] = []
    try:
        if from_dir is not None:
            data = template_from(_open(from_dir), month, all_months, notes=notes)
        else:
            data = template_workbook(months=[month] if month else [])
        _write_new(out_file, data, force)
    except BoardError as exc:
        _fail(exc)
        return
    _print_problems(notes)
    click.echo(Msg("msg.cli.wrote", path=out_file).text())


@cli.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
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
def import_cmd(
    workbook: Path, content_opt: Path | None, month: Month | None, update: bool, dry_run: bool
) -> None:
    """Import a workbook (made by board template, filled in Excel or WPS) into the register.

    Every problem is listed at once as sheet!cell; nothing is written unless the whole workbook
    is valid. Existing files are only replaced with --update.
    """
    from .xlsx import WorkbookError, import_workbook

    content_dir = _content(content_opt)
    try:
        result = import_workbook(
            workbook, content_dir, month, update=update, dry_run=dry_run, echo=click.echo
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
    _print_problems(result.warnings)
    click.echo(result.summary())


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

    Percent and status changes, new delays, reasons added, missed catch-up deadlines, movement
    in the ranking, and projects without a report: what a leader signs off before publishing.
    """
    from .diff import format_markdown, format_text, review
    from .xlsx import atomic_write

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
@click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to build into and serve.",
)
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve_cmd(content_arg: Path | None, content_opt: Path | None, out_dir: Path, port: int) -> None:
    """Build, serve the output on localhost, rebuild and reload the page on every change.

    Watches the register and the templates; a content error is shown in the page and here, and
    the last good build keeps being served.
    """
    from .load import os_reason
    from .serve import serve

    content_dir = _content(content_opt, content_arg)
    try:
        serve(content_dir, out_dir, port=port, echo=click.echo)
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


def _translate_help(language: str) -> None:
    """Put every command's and option's help into `language` from the catalog (msg.help.*)."""
    commands: list[tuple[str, click.Command]] = [("board", cli), *cli.commands.items()]
    for name, command in commands:
        command.help = Msg(f"msg.help.{name}").text(language)
        command.short_help = None
        if hasattr(command, "_help_option"):
            command._help_option = None  # click caches it with the words of its first use
        for param in command.params:
            key = f"msg.help.{name}.{param.name}"
            if isinstance(param, click.Option) and param.help and key in _HELP_KEYS:
                param.help = Msg(key).text(language)
    _click_words(language)


def _help_keys() -> set[str]:
    from .i18n import MESSAGES

    return {k for k in MESSAGES if k.startswith("msg.help.")}


_HELP_KEYS = _help_keys()

# click's own words (Usage:, Options:, its usage errors), in Chinese when zh-CN is chosen
_CLICK_ZH = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有{name!r}这个命令。",
    "No such option {name!r}.": "没有{name!r}这个选项。",
    "Invalid value for {param_hint}: {message}": "{param_hint}的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not one of {choices}.": "{value!r}不是可选值{choices}之一。",
    "{value!r} is not a valid {number_type}.": "{value!r}不是有效的{number_type}。",
    "default: {default}": "默认：{default}",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项{name!r}后面需要一个值。",
    "{name} {filename!r} does not exist.": "{name}{filename!r}不存在。",
    "{name} {filename!r} is a directory.": "{name}{filename!r}是文件夹。",
    "{name} {filename!r} is a file.": "{name}{filename!r}是文件。",
    "%(prog)s, version %(version)s": "%(prog)s，版本%(version)s",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "integer": "整数",
}


def _click_words(language: str) -> None:
    from gettext import gettext

    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    if language == "zh-CN":

        def zh(message: str) -> str:
            return _CLICK_ZH.get(message, message)

        words: Callable[[str], str] = zh
    else:
        words = gettext
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        module._ = words  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv`; returns the exit code (used by tests and `python -m board`)."""
    args = list(argv) if argv is not None else sys.argv[1:]
    token = use_language(_early_language(args))
    try:
        _translate_help(current_language())
        cli.main(args=args, prog_name="board", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    finally:
        reset_language(token)
    return 0


def entry() -> None:  # pragma: no cover - the console script
    sys.exit(main())
