"""Markdown from the register, made safe.

Several departments write the register, so Markdown is untrusted: raw HTML is dropped (script,
style and iframe with their content), links may only go to http, https and mailto, and images
may only come from the register's `assets/` folder, written `![说明](assets/plan.png)`.
Validation reports any other image as an error (`image_problems`); rendering drops it anyway.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

import markdown as markdown_lib
import nh3
from markupsafe import Markup

from .i18n import Msg

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "code",
    "blockquote",
    "img",
}
DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "svg",
    "math",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
ASSET_RE = re.compile(r"assets/[A-Za-z0-9._/-]+\Z")
LINK_RE = re.compile(r"(https?://|mailto:)", re.IGNORECASE)
IMG_SRC_RE = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _html(text: str) -> str:
    return markdown_lib.markdown(text, output_format="html")


def is_asset_path(src: str) -> bool:
    """A relative path inside assets/ with an image suffix and no way out of the folder."""
    if not ASSET_RE.match(src):
        return False
    path = PurePosixPath(src)
    return ".." not in path.parts and path.suffix.lower() in IMAGE_SUFFIXES


def image_problems(text: str, root: Path) -> list[Msg]:
    """What is wrong with each image the Markdown refers to (empty when all are fine)."""
    problems = []
    assets = (root / "assets").resolve()
    for src in IMG_SRC_RE.findall(_html(text)):
        src = src.replace("&amp;", "&")
        if not is_asset_path(src):
            problems.append(Msg("msg.markup.image_kind", src=src))
            continue
        target = (root / src).resolve()
        if not target.is_relative_to(assets):
            problems.append(Msg("msg.markup.image_outside", src=src))
        elif not target.is_file():
            problems.append(Msg("msg.markup.image_missing", src=src))
    return problems


def image_sources(text: str) -> list[str]:
    """The asset paths of the images in the Markdown (for copying them into the site)."""
    return [s for s in IMG_SRC_RE.findall(_html(text)) if is_asset_path(s)]


def markdown_html(text: str, asset_prefix: str = "") -> Markup:
    """Sanitised HTML for `text`; image sources become `asset_prefix + 'assets/...'`."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return asset_prefix + value if is_asset_path(value) else None
        if tag == "a" and attribute == "href":
            return value if LINK_RE.match(value) else None
        return value

    clean = nh3.clean(
        _html(text),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={"a": {"href", "title"}, "img": {"src", "alt"}},
        attribute_filter=keep,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    # an image whose source was refused is dropped whole rather than left without one
    clean = re.sub(r"<img(?![^>]*\bsrc=)[^>]*>", "", clean)
    return Markup(clean)


def plain_text(text: str) -> str:
    """Markdown as plain text, made safe first (the open data's descriptions are text): the
    words of links and emphasis stay, their targets and any raw HTML do not."""
    clean = nh3.clean(str(markdown_html(text)), tags=set())
    return " ".join(html.unescape(clean).split())
