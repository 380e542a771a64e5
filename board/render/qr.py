"""QR codes, generated locally with segno as inline SVG (vector: sharp on screen and in print)."""

from __future__ import annotations

import functools
import io

import segno
from markupsafe import Markup


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, label: str = "", size: str = "100%") -> Markup:
    """An inline <svg> QR code for `url` that scales to its box (`size` sets width and height).

    `label` becomes the SVG's <title> and aria-label; the caller shows the address as text too.
    Made once per build for each address (a project's sheet of every month shows the same one:
    segno's mask search is a few milliseconds a code).
    """
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, border=2, omitsize=True)
    svg = buffer.getvalue().decode("ascii")
    attributes = f' role="img" width="{size}" height="{size}" shape-rendering="crispEdges"'
    if label:
        escaped = Markup.escape(label)
        attributes += f' aria-label="{escaped}"'
        svg = svg.replace(">", f"><title>{escaped}</title>", 1)
    return Markup(svg.replace("<svg", "<svg" + attributes, 1))
