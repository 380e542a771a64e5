"""Site photos for the website: `site/photos/<hash>-<width>.jpg`, the `srcset` of each photo.

Every photo sent with a report up to the month built is published in the widths of
`board.photos.SITE_WIDTHS` (never wider than the photo), upright, re-encoded without any
metadata; the originals under content/photos/ are never published. Each derivative comes from
the build cache when the photo's content and the size are unchanged. The lobby screen and the
A4 sheets embed their own sizes (board.render.screen, board.render.pdf).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .. import photos as photo_files
from ..model import Photo
from ..parallel import run_parallel, workers
from ..photos import photo_key, read_checked, site_variants
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


Jobs = list[tuple[Photo, list[tuple[int, int, str]]]]  # photos and their missing widths


def _missing(ctx: BuildContext, photos: list[Photo], ahead: bool) -> tuple[dict[str, bytes], Jobs]:
    """The widths found in the build cache, and those to make."""
    lookup = ctx.cache.lookup_ahead if ahead else ctx.cache.lookup
    files: dict[str, bytes] = {}
    todo: Jobs = []
    for photo in photos:
        missing = []
        for width, height, path in site_variants(photo):
            found = lookup("photo", photo_key(photo, width, height))
            if found is None:
                missing.append((width, height, path))
            else:
                files[f"site/{path}"] = found
        if missing:
            todo.append((photo, missing))
    return files, todo


def _batches(ctx: BuildContext, todo: Jobs) -> list[tuple[Jobs, Callable[[], list[list[bytes]]]]]:
    """The photos to make in one batch per core, each with its unit (a photo is decoded once
    for all its missing widths; a batch holds many photos: a photo takes milliseconds, far
    less than a process)."""
    root = ctx.register.root
    count = max(1, min(workers(), len(todo)))

    def unit(jobs: Jobs) -> Callable[[], list[list[bytes]]]:
        return lambda: [
            photo_files.derive_many(read_checked(root, photo), [(w, h) for w, h, _ in sizes])
            for photo, sizes in jobs
        ]

    return [(jobs, unit(jobs)) for jobs in (todo[k::count] for k in range(count)) if jobs]


def _keep(
    ctx: BuildContext, jobs: Jobs, made: list[list[bytes]], *, ahead: bool
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    keep = ctx.cache.prepare if ahead else ctx.cache.store
    for (photo, sizes), datas in zip(jobs, made, strict=True):
        for (width, height, path), data in zip(sizes, datas, strict=True):
            keep("photo", photo_key(photo, width, height), data)
            files[f"site/{path}"] = data
    return files


def render_site_photos(ctx: BuildContext, photos: list[Photo]) -> dict[str, bytes]:
    """Every width of every photo: from the cache (or made ahead, `ahead`), the others made
    in one batch per core."""
    files, todo = _missing(ctx, photos, ahead=False)
    batches = _batches(ctx, todo)
    for (jobs, _), made in zip(batches, run_parallel([u for _, u in batches]), strict=True):
        files.update(_keep(ctx, jobs, made, ahead=False))
    return dict(sorted(files.items()))


def ahead(ctx: BuildContext) -> list[tuple[Callable[[], Any], Callable[[Any], object]]]:
    """The site photos the build cache lacks, as units of the print stage's parallel batch
    (board.build.MonthBatch), each with what keeps its result for the stage's own lookup:
    the stage, after the print stage, then finds every width made."""
    _, todo = _missing(ctx, month_photos(ctx), ahead=True)
    return [
        (unit, functools.partial(_keep, ctx, jobs, ahead=True))
        for jobs, unit in _batches(ctx, todo)
    ]


def render(ctx: BuildContext) -> dict[str, bytes]:
    return render_site_photos(ctx, month_photos(ctx))
