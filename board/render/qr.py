"""QR codes, generated locally with segno as inline SVG (vector: sharp on screen and in print)."""

from __future__ import annotations

import functools
import io
import re

import segno
from markupsafe import Markup

from ..cache import keep, read_kept, user_cache_file


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, label: str = "", size: str = "100%") -> Markup:
    """An inline <svg> QR code for `url` that scales to its box (`size` sets width and height).

    `label` becomes the SVG's <title> and aria-label; the caller shows the address as text too.
    Made once per build for each address (a project's sheet of every month shows the same one),
    and kept for the next build (`code_svg`).
    """
    svg = code_svg(url)
    attributes = f' role="img" width="{size}" height="{size}" shape-rendering="crispEdges"'
    if label:
        escaped = Markup.escape(label)
        attributes += f' aria-label="{escaped}"'
        svg = svg.replace(">", f"><title>{escaped}</title>", 1)
    return Markup(svg.replace("<svg", "<svg" + attributes, 1))


# the form of the files in `~/.cache/board/qr/`: one more when `code_svg` asks segno for
# another kind of code (error correction, border)
QR_FORMAT = "1"

# segno's SVG of a code as board asks for it: one path, its modules as relative moves; nothing
# else is taken from the cache (it goes into the pages as markup)
SEGNO_SVG = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 \d+ \d+" class="segno">'
    r'<path class="qrline" stroke="#000" d="[Mmhv0-9. -]+"/></svg>'
)


def code_svg(url: str) -> str:
    """segno's SVG of the code for `url` (error correction M, a border of 2 modules).

    segno's search of the best mask takes about 7 ms a code: 0.12 s of the example's 17 at the
    start of every build, before its sheets could be laid out. A code made once is kept in the
    user's cache (`~/.cache/board/qr/`, named by the address and segno's version) and taken
    from there when it is exactly of segno's form (`SEGNO_SVG`); anything else there is made
    again."""
    kept = user_cache_file("qr", [QR_FORMAT, segno.__version__, url], ".svg")
    found = read_kept(kept) if kept is not None else None
    if found is not None and SEGNO_SVG.fullmatch(found):
        return found
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, border=2, omitsize=True)
    svg = buffer.getvalue().decode("ascii")
    if kept is not None and SEGNO_SVG.fullmatch(svg):
        keep(kept, svg.encode("ascii"))
    return svg
