"""Site photos (形象进度照片): read, check and derive the images a report's `photos:` lists.

Photos come from the units that build the projects: they are untrusted input, like any file
sent in. So each one is

- looked at before it is decoded: a regular file (no symbolic link) under the register's
  `photos/`, a JPEG, PNG or WebP whose content matches its extension, at most `MAX_BYTES` bytes
  and `MAX_PIXELS` pixels (a decompression bomb never reaches the decoder);
- decoded in full once (a broken or truncated file is an error), and its EXIF DateTimeOriginal
  read for the date check; what was learnt is remembered by the file's content hash;
- published only as derivatives: rotated by its EXIF orientation, resized for each use (the
  site's `srcset` widths, the lobby screen's photo box, the A4 sheet at `PRINT_DPI`), re-encoded
  as a fresh JPEG that carries no metadata at all (no EXIF, GPS, XMP, ICC profile or comment).
  The originals are never published.

Derivatives are rendered through the build cache keyed by the content hash and the size, so a
monthly build pays for each photo once.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .cache import checked_bytes, file_digest, hash_bytes
from .errors import Problem, Severity
from .i18n import Msg, counted
from .model import Month, Photo

FOLDER = "photos"
MAX_PER_MONTH = 6  # photos per project per month
MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a phone's photo is 3-8 MB
MAX_PIXELS = 50_000_000  # 50 megapixels, e.g. 8660 x 5774: every phone and most cameras
FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
EXTENSIONS = {ext: fmt for fmt, exts in FORMATS.items() for ext in exts}
SITE_WIDTHS = (480, 960, 1600)  # the site's srcset
PRINT_DPI = 320  # the A4 sheet's photos: at least 300 dpi effective, with a margin
JPEG_QUALITY = 82
DATETIME_ORIGINAL = 0x9003
EXIF_IFD = 0x8769

# Pillow refuses to decode more than twice this many pixels and warns above it; the header
# check below refuses anything above MAX_PIXELS before any decoding starts.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Info:
    """What a photo file is, learnt once per content hash."""

    digest: str
    width: int  # after the EXIF orientation
    height: int
    format: str
    taken: date | None
    exif_damaged: bool = False  # an EXIF block Pillow cannot read: no date, no orientation


class PhotoError(Exception):
    """A photo file that cannot be published: the catalog message says why."""

    def __init__(self, message: Msg, hint: Msg | str = "") -> None:
        super().__init__(message.key)
        self.message = message
        self.hint = hint


# a file name, then its caption after a space, as a clerk types it in a photo list or cell:
# `photos/2020-10/a.jpg 厂区全景`, the space an ASCII or a fullwidth one (全角空格)
_WITH_CAPTION = re.compile(
    r"(?P<file>.+?\.(?:jpe?g|png|webp))[\s\u3000]+(?P<caption>\S.*)", re.IGNORECASE | re.DOTALL
)


def split_caption(text: str) -> tuple[str, str]:
    """`photos/a.jpg　厂区全景` → (`photos/a.jpg`, `厂区全景`): the file, then its caption after an
    ASCII or fullwidth space; a text without one is all file name (its caption empty)."""
    found = _WITH_CAPTION.fullmatch(text.strip())
    if found is None:
        return text.strip(), ""
    return found["file"], found["caption"].strip()


def digest_of(data: bytes) -> str:
    return hash_bytes(data)


TIFF_HEADERS = (b"II*\x00", b"MM\x00*")


def _exif(image: Image.Image) -> tuple[date | None, int, bool]:
    """EXIF DateTimeOriginal (2020:09:14 10:22:05) as a date, the orientation (1-8), and whether
    the EXIF block is damaged (Pillow warns, raises, or the block is no TIFF structure).

    A damaged block loses the date and the orientation, never the photo or the build: the
    caller says so in one warning line."""
    raw = image.info.get("exif")
    if isinstance(raw, bytes) and raw.startswith(b"Exif\x00\x00"):  # JPEG's APP1; not WebP, PNG
        raw = raw[6:]
    damaged = isinstance(raw, bytes) and bool(raw) and raw[:4] not in TIFF_HEADERS
    value: Any = None
    orientation: Any = 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # read afresh: the decoder read it already on opening, and Pillow only warned then
            exif = image.getexif() if not raw else Image.Exif()
            if raw:
                exif.load(raw)
            orientation = exif.get(0x0112, 1)
            value = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME_ORIGINAL)
        except Exception:  # Pillow raises many kinds for a damaged block
            damaged = True
    damaged = damaged or any("EXIF" in str(w.message) for w in caught)
    if orientation not in range(1, 9):
        orientation = 1
    if not isinstance(value, str):
        return None, orientation, damaged
    try:
        taken = datetime.strptime(value.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S").date()
    except ValueError:
        taken = None
    return taken, orientation, damaged


HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff(data: bytes) -> str | None:
    """The kind of an image board does not accept, told by its first bytes: GIF, HEIC (an
    iPhone's photos), AVIF, BMP, TIFF; None for anything else."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[4:8] == b"ftyp":
        brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(len(data), 64), 4)}
        if brands & {b"avif", b"avis"}:
            return "AVIF"
        if brands & HEIF_BRANDS:
            return "HEIC"
    if data[:2] == b"BM":
        return "BMP"
    if data[:4] in TIFF_HEADERS:
        return "TIFF"
    return None


def _open(data: bytes, shown: str) -> Image.Image:
    """The image with its header read and checked, not yet decoded."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*EXIF", category=UserWarning)  # see _exif
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise PhotoError(
            Msg(
                "msg.photo.too_many_pixels",
                file=shown,
                pixels=f"{int(found.group(1)):,}" if found else "?",
                limit=f"{MAX_PIXELS:,}",
            ),
            Msg("msg.photo.resize_hint"),
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        other = sniff(data)
        if other is not None:  # a GIF or an iPhone's HEIC renamed .jpg: say what it is
            raise PhotoError(
                Msg("msg.photo.other_format", file=shown, found=other),
                Msg(f"msg.photo.convert_{other.lower()}"),
            ) from None
        raise PhotoError(
            Msg("msg.photo.broken", file=shown), Msg("msg.photo.broken_hint")
        ) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoError(
            Msg(
                "msg.photo.too_many_pixels",
                file=shown,
                pixels=f"{width}×{height}",
                limit=f"{MAX_PIXELS:,}",
            ),
            Msg("msg.photo.resize_hint"),
        )
    return image


def inspect(data: bytes, shown: str, extension: str, digest: str = "") -> Info:
    """Check a photo's bytes in full (header, size, content against extension, a whole decode).

    `digest` is the bytes' SHA-256 when the caller knows it already."""
    if len(data) > MAX_BYTES:
        raise PhotoError(
            Msg("msg.photo.too_big", file=shown, size=f"{len(data):,}", limit=f"{MAX_BYTES:,}"),
            Msg("msg.photo.resize_hint"),
        )
    image = _open(data, shown)
    expected = EXTENSIONS.get(extension.lower())
    # a phone's JPEG with a second picture in it (a depth map, a preview) is read as MPO: it is
    # a JPEG, and only its first picture is used
    found_format = "JPEG" if image.format == "MPO" else (image.format or "?")
    if found_format != expected:
        raise PhotoError(
            Msg("msg.photo.wrong_extension", file=shown, found=found_format, ext=extension),
            Msg("msg.photo.wrong_extension_hint", ext=FORMATS.get(found_format, ("?",))[0]),
        )
    taken, orientation, exif_damaged = _exif(image)
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for everyone (weasyprint/images.py): a
    # photo cut short would load with a grey bottom. Here it must not.
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            frames = getattr(image, "n_frames", 1)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise PhotoError(
            Msg("msg.photo.broken", file=shown), Msg("msg.photo.broken_hint")
        ) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    if frames != 1 and found_format != "JPEG":
        raise PhotoError(Msg("msg.photo.animated", file=shown))
    width, height = image.size
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Info(digest or digest_of(data), width, height, found_format, taken, exif_damaged)


class InfoMemo:
    """What `inspect` learnt, by content hash: in this process, and in the build cache if any."""

    def __init__(
        self,
        store: Any = None,
        root: Path | None = None,
        staged: dict[str, Path] | None = None,
    ) -> None:
        self.store = store  # a board.cache.RenderCache, or None
        self.root = root  # read the photos from this register (board import checks a copy)
        # photos an import is about to place in the register (`photos/2020-10/a-1.jpg` → the
        # file unpacked from a unit's zip): checked where they are, before anything is written
        self.staged = staged or {}
        self.known: dict[str, Info] = {}

    def get(self, data: bytes, shown: str, extension: str) -> Info:
        return self.get_for(digest_of(data), shown, extension, lambda: data)

    def get_for(self, digest: str, shown: str, extension: str, load: Callable[[], bytes]) -> Info:
        """What the photo whose content hash is `digest` is; `load()` gives its bytes, read
        only when the hash is not known yet (in this process or the build cache)."""
        key = {"digest": digest, "ext": extension.lower()}
        if digest + extension in self.known:
            return self.known[digest + extension]
        info = None
        if self.store is not None:
            cached = self.store.remember(("photo-info", key))
            if cached is not None:
                found = dict(cached)
                taken = found.pop("taken")
                info = Info(**found, taken=date.fromisoformat(taken) if taken else None)
        if info is None:
            info = inspect(load(), shown, extension, digest)
            if self.store is not None:
                self.store.keep(
                    ("photo-info", key),
                    {**info.__dict__, "taken": info.taken.isoformat() if info.taken else None},
                )
        self.known[digest + extension] = info
        return info


def _is_link_inside(root: Path, relative: PurePosixPath) -> bool:
    """Whether any part of the path below the register's root is a symbolic link."""
    here = root
    for part in relative.parts:
        here = here / part
        if here.is_symlink():
            return True
    return False


def check_photos(
    root: Path,
    pid: str,
    photos: tuple[Photo, ...],
    memo: InfoMemo,
    problems: list[Problem],
) -> tuple[Photo, ...]:
    """The entry's photos with what their files are; an error for each that cannot be published."""
    field = f"projects.{pid}.photos (形象进度照片)"
    root = memo.root or root
    result = []
    if len(photos) > MAX_PER_MONTH:
        problems.append(
            Problem(
                photos[MAX_PER_MONTH].pos,
                field,
                Msg("msg.photo.too_many", n=len(photos), limit=MAX_PER_MONTH),
                Msg("msg.photo.too_many_hint", limit=MAX_PER_MONTH),
            )
        )
    for photo in photos:
        try:
            checked, info = _check_one(root, photo, memo)
        except PhotoError as exc:
            problems.append(Problem(photo.pos, field, exc.message, exc.hint))
            continue
        result.append(checked)
        if info.exif_damaged:
            problems.append(
                Problem(
                    photo.pos,
                    field,
                    Msg("msg.photo.exif_damaged", file=photo.file),
                    Msg("msg.photo.exif_damaged_hint"),
                    Severity.WARNING,
                )
            )
    return tuple(result)


def _control(text: str) -> str | None:
    """The first control character (a newline, a tab, …) or line separator in `text`, shown as
    U+XXXX, or None."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return f"U+{ord(char):04X}"
    return None


def _shown(text: str) -> str:
    """A path as a message quotes it: its control characters as escapes (a newline as \\n)."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Zl", "Zp")
        else char
        for char in text
    )


def _check_one(root: Path, photo: Photo, memo: InfoMemo) -> tuple[Photo, Info]:
    code = _control(photo.file)
    if code is not None:  # a newline or a tab in a path: no file is named so, and a log lies
        raise PhotoError(
            Msg("msg.photo.control", file=_shown(photo.file), code=code),
            Msg("msg.photo.control_hint"),
        )
    name = photo.file.replace("\\", "/")
    relative = PurePosixPath(name)
    if (
        relative.is_absolute()
        or ".." in relative.parts
        or len(relative.parts) < 2
        or relative.parts[0] != FOLDER
    ):
        raise PhotoError(Msg("msg.photo.outside", file=photo.file), Msg("msg.photo.outside_hint"))
    extension = relative.suffix
    if extension.lower() not in EXTENSIONS:
        raise PhotoError(
            Msg("msg.photo.extension", file=photo.file, ext=extension or "—"),
            Msg("msg.photo.extension_hint"),
        )
    staged = memo.staged.get(relative.as_posix())
    if staged is None and _is_link_inside(root, relative):
        raise PhotoError(Msg("msg.photo.symlink", file=photo.file), Msg("msg.photo.symlink_hint"))
    path = staged or root.joinpath(*relative.parts)
    if not path.is_file():
        raise PhotoError(Msg("msg.photo.missing", file=photo.file), Msg("msg.photo.missing_hint"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PhotoError(
                Msg("msg.photo.too_big", file=photo.file, size=f"{size:,}", limit=f"{MAX_BYTES:,}"),
                Msg("msg.photo.resize_hint"),
            )
        # hashed once per build (cache.file_digest: the whole build's digest hashed it already);
        # the bytes are read only when what the photo is is not known by its hash
        digest = file_digest(path)
        info = memo.get_for(digest, photo.file, extension, lambda: checked_bytes(path, digest))
    except OSError:
        raise PhotoError(Msg("msg.photo.broken", file=photo.file)) from None
    checked = replace(
        photo,
        file=name,
        digest=info.digest,
        width=info.width,
        height=info.height,
        taken=info.taken,
    )
    return checked, info


def date_problems(history: list[tuple[Month, str, tuple[Photo, ...]]]) -> list[Problem]:
    """Warnings for photos taken outside their report's window, and for photos sent again;
    one remark for a month's photos that carry no date to check (a photo sent through WeChat
    loses its EXIF date).

    `history` is one project's (month, project id, photos) in month order, only the months it
    reported. A photo of report M should be taken from the first day of the month of the
    project's previous report (or of the month before M, for its first report) to M's last day.
    """
    found: list[Problem] = []
    seen: dict[str, tuple[Month, str]] = {}
    previous: Month | None = None
    for month, pid, photos in history:
        field = f"projects.{pid}.photos (形象进度照片)"
        earliest = (previous or month.prev()).first_day
        undated = [photo for photo in photos if photo.taken is None]
        if undated:  # one remark for the month's photos without a date (WeChat strips it)
            found.append(
                Problem(
                    undated[0].pos,
                    field,
                    Msg(
                        "msg.photo.undated",
                        n=counted(len(undated), "photo"),
                        files=", ".join(photo.file for photo in undated),
                        month=str(month),
                    ),
                    Msg("msg.photo.undated_hint"),
                    Severity.WARNING,
                )
            )
        for photo in photos:
            if photo.taken is not None and not earliest <= photo.taken <= month.last_day:
                found.append(
                    Problem(
                        photo.pos,
                        field,
                        Msg(
                            "msg.photo.misdated",
                            file=photo.file,
                            taken=photo.taken.isoformat(),
                            month=str(month),
                            earliest=earliest.isoformat(),
                            latest=month.last_day.isoformat(),
                        ),
                        Msg("msg.photo.misdated_hint"),
                        Severity.WARNING,
                    )
                )
            first = seen.get(photo.digest)
            if first is not None and first[0] != month:
                found.append(
                    Problem(
                        photo.pos,
                        field,
                        Msg(
                            "msg.photo.reused",
                            file=photo.file,
                            month=str(month),
                            first_file=first[1],
                            first_month=str(first[0]),
                        ),
                        Msg("msg.photo.reused_hint"),
                        Severity.WARNING,
                    )
                )
            else:
                seen.setdefault(photo.digest, (month, photo.file))
        previous = month
    return found


def shared_problems(sent: list[tuple[Month, str, tuple[Photo, ...]]]) -> list[Problem]:
    """Warnings for a photo (the same content, under any name) sent for two projects.

    `sent` is every (month, project id, photos) of the register in month order; each photo is
    named once per project that shares it, at its own line, with the first project that sent it.
    """
    first: dict[str, tuple[str, Month, str]] = {}  # digest → (project, month, file)
    said: set[tuple[str, str]] = set()
    found: list[Problem] = []
    for month, pid, photos in sent:
        for photo in photos:
            if not photo.digest:
                continue
            other = first.setdefault(photo.digest, (pid, month, photo.file))
            if other[0] == pid or (photo.digest, pid) in said:
                continue
            said.add((photo.digest, pid))
            found.append(
                Problem(
                    photo.pos,
                    f"projects.{pid}.photos (形象进度照片)",
                    Msg(
                        "msg.photo.other_project",
                        file=photo.file,
                        month=str(month),
                        other=other[0],
                        other_file=other[2],
                        other_month=str(other[1]),
                    ),
                    Msg("msg.photo.other_project_hint"),
                    Severity.WARNING,
                )
            )
    return found


# -- derivatives ------------------------------------------------------------------------------


def fit(width: int, height: int, box_w: float, box_h: float) -> tuple[int, int]:
    """The largest size of the photo's aspect within the box, never larger than the photo."""
    scale = min(box_w / width, box_h / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def site_variants(photo: Photo) -> list[tuple[int, int, str]]:
    """(width, height, path under site/) of each srcset variant, smallest first."""
    sizes: list[tuple[int, int]] = []
    for target in SITE_WIDTHS:
        w, h = fit(photo.width, photo.height, target, target * 4)
        if sizes and w <= sizes[-1][0]:
            break
        sizes.append((w, h))
    return [(w, h, f"photos/{photo.digest[:20]}-{w}.jpg") for w, h in sizes]


def derive_many(data: bytes, sizes: list[tuple[int, int]]) -> list[bytes]:
    """The photo rotated upright, resized to each (width, height) and re-encoded without
    metadata; decoded once for all the sizes."""
    largest = max(sizes)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*EXIF", category=UserWarning)  # see _exif
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    with image:
        _taken, orientation, damaged = _exif(image)  # a damaged block: no rotation
        if image.format == "JPEG":
            # decode at a reduced scale when every target is much smaller (the decoder's own
            # downscaling is exact to a power of two and several times faster)
            target = (largest[1], largest[0]) if orientation in (5, 6, 7, 8) else largest
            image.draft("RGB", target)
        if damaged:
            upright = image.copy()
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                upright = ImageOps.exif_transpose(image)
        upright = _eight_bit(upright)
        if upright.mode in ("RGBA", "LA") or (
            upright.mode == "P" and "transparency" in upright.info
        ):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        else:
            upright = upright.convert("RGB")
    results = []
    for width, height in sizes:
        resized = upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        # a new image from the pixels alone: nothing of the original's info (EXIF, XMP, ICC,
        # comments) can travel with it
        clean = Image.frombytes("RGB", resized.size, resized.tobytes())
        out = io.BytesIO()
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        results.append(out.getvalue())
    return results


def _eight_bit(image: Image.Image) -> Image.Image:
    """A 16-bit grey image (a PNG of 16 bits per sample opens as I;16) scaled to 8 bits: Pillow's
    own conversion clips every value above 255, and the photo would come out white."""
    if image.mode == "I" or image.mode.startswith("I;16"):
        wide = image if image.mode == "I" else image.convert("I")
        return wide.point(lambda value: value * (1 / 256)).convert("L")
    return image


def derive(data: bytes, width: int, height: int) -> bytes:
    """One derivative (see `derive_many`)."""
    return derive_many(data, [(width, height)])[0]


def read_checked(root: Path, photo: Photo) -> bytes:
    """The photo's bytes, refused if they are not the bytes that were checked."""
    # changed since it was checked: never publish that (hashed again only if its identity
    # changed since it was hashed: cache.checked_bytes)
    return checked_bytes(root.joinpath(*PurePosixPath(photo.file).parts), photo.digest)


def derivative_unit(
    root: Path, photo: Photo, width: int, height: int
) -> tuple[str, dict[str, Any], Callable[[], bytes]]:
    """A derivative as a unit of the build cache: (kind, key data, render), keyed by the
    content hash and the size (see `BuildContext.cached` and `cached_parallel`)."""

    def make() -> bytes:
        return derive(read_checked(root, photo), width, height)

    return "photo", photo_key(photo, width, height), make


def photo_key(photo: Photo, width: int, height: int) -> dict[str, Any]:
    """What a derivative is made from: the photo's content and the size."""
    return {"digest": photo.digest, "w": width, "h": height}


def derivative(
    root: Path,
    photo: Photo,
    width: int,
    height: int,
    cached: Callable[[str, Any, Callable[[], bytes]], bytes],
) -> bytes:
    """One derivative through the build cache (`BuildContext.cached`)."""
    return cached(*derivative_unit(root, photo, width, height))


def photo_data(photo: Photo, month: Month) -> dict[str, Any]:
    """A photo in the open data: its name, caption, date and the largest published image."""
    width, height, src = site_variants(photo)[-1]
    return {
        "name": photo.file,
        "caption": photo.caption or None,
        "taken": photo.taken.isoformat() if photo.taken else None,
        "month": str(month),
        "src": src,
        "width": width,
        "height": height,
    }


def print_size(photo: Photo, box_mm: tuple[float, float]) -> tuple[float, float, int, int]:
    """(placed width mm, placed height mm, pixel width, pixel height) for a box on paper.

    The pixels are the placed size at PRINT_DPI (never upsampled: a small photo prints smaller).
    """
    dots_w = box_mm[0] / 25.4 * PRINT_DPI
    dots_h = box_mm[1] / 25.4 * PRINT_DPI
    w, h = fit(photo.width, photo.height, dots_w, dots_h)
    return w / PRINT_DPI * 25.4, h / PRINT_DPI * 25.4, w, h
