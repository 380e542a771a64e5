"""Site photos for the website: `site/photos/<hash>-<width>.jpg`, the `srcset` of each photo.

Every photo sent with a report up to the month built is published in the widths of
`board.photos.SITE_WIDTHS` (never wider than the photo), upright, re-encoded without any
metadata; the originals under content/photos/ are never published. Each derivative comes from
the build cache when the photo's content and the size are unchanged. The lobby screen and the
A4 sheets embed their own sizes (board.render.screen, board.render.pdf).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Photo
from ..parallel import run_parallel, workers
from ..photos import derivative_unit, site_variants
from . import BuildContext


def month_photos(ctx: BuildContext) -> list[Photo]:
    """Every photo of every report up to the month built, once per content."""
    seen: dict[str, Photo] = {}
    for report in ctx.register.reports:
        if report.month > ctx.board.month:
            break
        for entry in report.entries.values():
            for photo in entry.photos:
                seen.setdefault(photo.digest, photo)
    return list(seen.values())


def render_units(
    ctx: BuildContext, units: list[tuple[str, Any, Callable[[], bytes]]]
) -> list[bytes]:
    """Derivatives from the cache, the others rendered in one batch per core.

    A photo takes milliseconds, far less than a process: the missing ones are split into as
    many batches as there are workers, not one process each.
    """
    results: list[bytes | None] = [ctx.cache.lookup(kind, data) for kind, data, _ in units]
    todo = [i for i, found in enumerate(results) if found is None]
    if todo:
        count = max(1, min(workers(), len(todo)))
        batches = [todo[k::count] for k in range(count)]

        def batch(indexes: list[int]) -> Callable[[], list[bytes]]:
            return lambda: [units[i][2]() for i in indexes]

        for indexes, rendered in zip(
            batches, run_parallel([batch(b) for b in batches]), strict=True
        ):
            for i, data in zip(indexes, rendered, strict=True):
                ctx.cache.store(units[i][0], units[i][1], data)
                results[i] = data
    return [r for r in results if r is not None]


def render(ctx: BuildContext) -> dict[str, bytes]:
    root = ctx.register.root
    names, units = [], []
    for photo in month_photos(ctx):
        for width, height, path in site_variants(photo):
            names.append(f"site/{path}")
            units.append(derivative_unit(root, photo, width, height))
    return dict(zip(names, render_units(ctx, units), strict=True))
