"""Site photos for the website: `site/photos/<hash>-<width>.jpg`, the `srcset` of each photo.

Every photo sent with a report up to the month built is published in the widths of
`board.photos.SITE_WIDTHS` (never wider than the photo), upright, re-encoded without any
metadata; the originals under content/photos/ are never published. Each derivative comes from
the build cache when the photo's content and the size are unchanged. The lobby screen and the
A4 sheets embed their own sizes (board.render.screen, board.render.pdf).
"""

from __future__ import annotations

from collections.abc import Callable

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


def render_site_photos(ctx: BuildContext, photos: list[Photo]) -> dict[str, bytes]:
    """Every width of every photo: from the cache, the others made in one batch per core.

    A photo is decoded once for all its missing widths; a batch holds many photos (a photo takes
    milliseconds, far less than a process).
    """
    root = ctx.register.root
    files: dict[str, bytes] = {}
    todo: list[tuple[Photo, list[tuple[int, int, str]]]] = []
    for photo in photos:
        missing = []
        for width, height, path in site_variants(photo):
            found = ctx.cache.lookup("photo", photo_key(photo, width, height))
            if found is None:
                missing.append((width, height, path))
            else:
                files[f"site/{path}"] = found
        if missing:
            todo.append((photo, missing))
    if todo:
        count = max(1, min(workers(), len(todo)))
        batches = [todo[k::count] for k in range(count)]

        def batch(jobs: list[tuple[Photo, list[tuple[int, int, str]]]]) -> Callable[[], list]:
            return lambda: [
                photo_files.derive_many(read_checked(root, photo), [(w, h) for w, h, _ in sizes])
                for photo, sizes in jobs
            ]

        for jobs, made in zip(batches, run_parallel([batch(b) for b in batches]), strict=True):
            for (photo, sizes), datas in zip(jobs, made, strict=True):
                for (width, height, path), data in zip(sizes, datas, strict=True):
                    ctx.cache.store("photo", photo_key(photo, width, height), data)
                    files[f"site/{path}"] = data
    return dict(sorted(files.items()))


def render(ctx: BuildContext) -> dict[str, bytes]:
    return render_site_photos(ctx, month_photos(ctx))
