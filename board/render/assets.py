"""Images from the register's assets/ that the summaries show, copied into `site/assets/`.

Only images that validation accepted (inside assets/, an image suffix, present) are copied;
nothing else under content/ ever reaches the output.
"""

from __future__ import annotations

from ..markup import image_sources
from . import BuildContext


def render(ctx: BuildContext) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    root = ctx.register.root
    assets = (root / "assets").resolve()
    for project in ctx.register.projects:
        for src in image_sources(project.summary):
            path = (root / src).resolve()
            if path.is_relative_to(assets) and path.is_file():
                files[f"site/{src}"] = path.read_bytes()
    return files
