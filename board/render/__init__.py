"""Stage 5, render: every output is rendered from one `BuildContext` through Jinja templates.

Templates come from the register's own `templates/` first, then the defaults shipped with the
package; `{% extends "default:site/base.html" %}` reaches the original of a shadowed file.
Jinja runs with autoescape and StrictUndefined: a typo in a template fails the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from .. import money
from ..cache import RenderCache, template_cache
from ..compute import BoardMonth
from ..errors import Problem
from ..i18n import (
    DATE_FORMAT,
    MONTH_FORMAT,
    PROMISE_SYMBOL,
    STATUS_COLOUR,
    STATUS_INK,
    STATUS_ORDER,
    STATUS_SYMBOL,
    month_names,
    movement_label,
    status_legend,
    translator,
)
from ..markup import markdown_html
from ..model import Month, Register
from ..parallel import run_parallel

if TYPE_CHECKING:
    from .adjust import Words

INTERNAL = "内部"  # the output's folder of the office's own papers (render/word.py): never uploaded


def default_templates() -> Path:
    """The folder of the default templates: the installed copy, or `templates/` of a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "templates"  # a wheel installs the top-level templates/ here
    if installed.is_dir():
        return installed
    return package.parent / "templates"


def month_label(month: Month, language: str) -> str:
    return MONTH_FORMAT[language].format(
        year=month.year, month=month.month, name=month_names(language)[month.month - 1]
    )


def date_label(day: date, language: str) -> str:
    return DATE_FORMAT[language].format(
        year=day.year, month=day.month, day=day.day, name=month_names(language)[day.month - 1]
    )


def months_to(month: Month, language: str) -> str:
    """The months of the year up to `month`, as 本年完成投资 is labelled: 1-9月 (1月 in January)."""
    t = translator(language)
    key = "print.month_only" if month.month == 1 else "print.months_to"
    name = month_names(language)[month.month - 1] if language == "en" else month.month
    return t(key).format(month=name)


def yi(value: float) -> str:
    """An amount in 万元 written in 亿元, two decimals, as county totals are (18.84): the one
    money formatter (board/money.py), the `yi` filter."""
    return money.yi(value)


def wan(value: float) -> str:
    """An amount in 万元 as tables write it (44,445, 1,234,567.5): the `wan` filter."""
    return money.wan(value)


def pct(value: float) -> str:
    """A percent without trailing zeros: 75, 53.6 (the `pct` filter). Never an amount: amounts
    go through `wan` or `yi` (board/money.py)."""
    return f"{value:g}"


def rate(value: float | None) -> str:
    """A completion rate, or — when it cannot be computed (the `rate` filter)."""
    return "—" if value is None else pct(value)


def signed(value: float) -> str:
    """A variance or gain with its sign: +3, -1.5, 0 (the `signed` filter)."""
    return f"{value:+g}" if value else "0"


def environment(register: Register) -> jinja2.Environment:
    """The Jinja environment for a register: its templates shadow the defaults."""
    defaults = jinja2.FileSystemLoader(str(default_templates()))
    loaders: list[jinja2.BaseLoader] = []
    if register.templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(register.templates)))
    loaders.append(jinja2.PrefixLoader({"default": defaults}, delimiter=":"))
    loaders.append(defaults)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=template_cache(),
    )
    language = register.config.language
    env.globals["language"] = language
    env.globals["preview"] = False  # board serve's builds: every page says 预览（未发布）
    env.filters["month_label"] = lambda m: month_label(m, language)
    env.filters["date_label"] = lambda d: date_label(d, language)
    env.filters["markdown"] = markdown_html
    env.filters["pct"] = pct
    env.filters["yi"] = yi
    env.filters["wan"] = wan
    env.filters["months_to"] = lambda m: months_to(m, language)
    env.filters["rate"] = rate
    env.filters["signed"] = signed
    # a catalog message computed once (compute.py), such as what a county total covers, in words
    env.filters["words"] = lambda message: message.text(language) if message else ""
    # the one status legend and the one way to say a movement (i18n): templates derive nothing
    env.globals["legend_items"] = status_legend(language, register.config.labels)
    env.globals["status_symbol"] = STATUS_SYMBOL
    env.globals["status_colour"] = STATUS_COLOUR
    env.globals["status_ink"] = STATUS_INK
    env.globals["promise_symbol"] = PROMISE_SYMBOL
    env.globals["legend_css"] = legend_css
    t = translator(language, register.config.labels)
    env.globals["t"] = t
    env.globals["section_headings"] = lambda *keys: _headings(keys, t, language)
    # issue 22: changes of commitments in words (render/adjust.py), one way for every output
    from .adjust import Words

    words = Words(
        language,
        lambda d: date_label(d, language),
        register.config.thresholds,
        register.config.labels,
    )
    env.globals["adjust"] = words
    env.filters["adjust_step"] = lambda item: (item[0], words.step(item[1]))
    env.filters["withdrawn_item"] = lambda project: (project, words.withdrawn_text(project))
    env.filters["added_item"] = lambda project: (project, words.added_text(project))
    env.filters["movement"] = lambda row: movement_label(row.movement_kind, row.movement, t)
    return env


def _headings(keys: tuple[str, ...], t: Callable[[str], str], language: str) -> dict[str, str]:
    from .bulletin import section_headings  # bulletin.py imports this module

    return section_headings(keys, t, language)


def legend_css(scope: str = "") -> str:
    """The status colours of the one legend as CSS: `.status-KEY .mark` on its colour, dark ink.

    Each output's stylesheet includes this instead of naming colours of its own, so the legend
    is defined once (board/i18n.py). `scope` prefixes every selector (the embeddable table).
    """
    rules = [
        f"{scope}.status .mark {{ display: inline-block; min-width: 1.3em; padding: 0 0.15em; "
        f"border-radius: 0.2em; text-align: center; color: {STATUS_INK}; font-weight: bold; }}",
        f"{scope}.status {{ white-space: nowrap; }}",
        f"{scope}.legend .legend-item {{ margin-right: 0.9em; white-space: nowrap; }}",
    ]
    for key in STATUS_ORDER:
        rules.append(f"{scope}.status-{key} .mark {{ background: {STATUS_COLOUR[key]}; }}")
    return "\n".join(rules) + "\n"


@dataclass
class BuildContext:
    """What every renderer gets: the register, every month's board, the month being built."""

    register: Register
    boards: tuple[BoardMonth, ...]  # every reported month up to `board.month`, oldest first
    board: BoardMonth  # the month being built
    env: jinja2.Environment
    options: dict[str, Any] = field(default_factory=dict)
    cache: RenderCache = field(default_factory=lambda: RenderCache(None))
    warnings: list[Problem] = field(default_factory=list)  # stages add what the build should report

    def cached(self, kind: str, data: Any, render: Callable[[], bytes]) -> bytes:
        """Render a unit, or take it from the build cache when `data` is what it was made from.

        `data` must cover everything the unit depends on (JSON-able, or bytes); `kind` names the
        unit's template, so two kinds never share an entry.
        """
        return self.cache.get_or_render(kind, data, render)

    @property
    def config(self):
        return self.register.config

    @property
    def adjust(self) -> Words:
        """Changes of commitments in words (render/adjust.py), as the templates say them."""
        words: Words = self.env.globals["adjust"]  # type: ignore[assignment]
        return words

    @cached_property
    def t(self) -> Callable[[str], str]:
        return translator(self.register.config.language, self.register.config.labels)

    def cached_parallel(
        self,
        units: list[tuple[str, Any, Callable[[], bytes]]],
        weights: list[float] | None = None,
    ) -> list[bytes]:
        """Like `cached` for independent units; those not in the cache render in parallel.

        Each unit is rendered in a forked process of its own, as many at once as there are
        cores, so independent documents (the panel, the bulletin, the sheets' parts) use every
        core; the heaviest first (`weights`, one per unit: its expected cost). With one core,
        one unit to render, or BOARD_JOBS=1, they render here, one after the other.
        """
        results: list[bytes | None] = [self.cache.lookup(kind, data) for kind, data, _ in units]
        todo = [i for i, found in enumerate(results) if found is None]
        rendered = run_parallel(
            [units[i][2] for i in todo],
            weights=[weights[i] for i in todo] if weights is not None else None,
        )
        for i, data in zip(todo, rendered, strict=True):
            kind, key_data, _ = units[i]
            self.cache.store(kind, key_data, data)
            results[i] = data
        return [r for r in results if r is not None]

    @property
    def print_mark(self) -> str:
        """The line every page of a PDF carries, or "": 预览（未发布） in a preview (board serve),
        重新生成 with the day for a past month rendered again because its record was lost
        (`options["rebuilt"]`, board.published). Never text from the register."""
        marks = []
        if self.options.get("preview"):
            marks.append(self.t("print.preview"))
        rebuilt = self.options.get("rebuilt")
        if rebuilt:
            day = date_label(date.fromisoformat(rebuilt), self.config.language)
            marks.append(self.t("print.rebuilt").format(date=day))
        return " · ".join(marks)

    def render(self, template: str, **values: Any) -> str:
        """Render a template with the context's common values plus `values`."""
        return self.env.get_template(template).render(
            config=self.config,
            board=self.board,
            boards=self.boards,
            print_mark=self.print_mark,
            **values,
        )
