"""Join tagged PDFs rendered in parts into one, keeping what makes them accessible.

The A4 sheets are laid out in parts, in parallel processes (WeasyPrint uses one core per
document). Joining their pages alone would lose the tags that screen readers use; this joins
the structure trees as well, with qpdf (through pikepdf):

- the pages, in order, with their links;
- the logical structure: each part's `Document` element's children become children of the
  first part's, and the parent tree (the map from marked content and links back to their
  elements) is renumbered part by part;
- the outline (bookmarks) and the named destinations;
- distinct font subset names: every part subsets the same fonts and WeasyPrint names a subset
  after its font (`TSPJMR+Noto-Sans-CJK-SC` in every part), but the PDF standard wants each
  subset's tag unique, and a print server that caches fonts by name would draw one part's
  characters with another part's subset. Subsets sharing a name get new tags, from their data.

Each part is closed as soon as it is copied (its stream data copied along), so memory holds the
joined document and one part, not every part at once. The first part gives the catalog (language, viewer preferences), the document information
(title, author, dates) and the namespaces. The output is deterministic: the same parts give the
same bytes (qpdf's deterministic file identifier).
"""

from __future__ import annotations

import hashlib
import io
import string
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, Object, OutlineItem, Stream


def join_tagged(parts: list[bytes]) -> bytes:
    """One tagged PDF with the pages of `parts` in order (each part a tagged PDF of WeasyPrint)."""
    if len(parts) == 1:
        return parts[0]
    base = pikepdf.open(io.BytesIO(parts[0]))
    tree = base.Root.StructTreeRoot
    document = _document(tree)
    nums = _flat_nums(tree)
    next_key = _next_key(nums)
    names = _dests(base)
    with base.open_outline() as outline:
        for data in parts[1:]:
            other = pikepdf.open(io.BytesIO(data))
            first = len(base.pages)
            index = {page.obj.objgen: first + i for i, page in enumerate(other.pages)}
            base.pages.extend(other.pages)
            # the other part's parent-tree keys follow this part's
            for page in base.pages[first:]:
                if Name.StructParents in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + next_key
                for annotation in page.obj.get(Name.Annots, Array()):
                    if Name.StructParent in annotation:
                        annotation.StructParent = int(annotation.StructParent) + next_key
            other_tree = other.Root.StructTreeRoot
            kids = _document(other_tree).K
            for kid in kids:  # detach from the other part's Document before copying
                if Name.P in kid:
                    del kid.P
            other_nums = _flat_nums(other_tree)
            # one foreign copy of everything needed (qpdf walks it in C++ and maps objects
            # already copied, such as the pages, to their copies)
            held = other.make_indirect(Dictionary(K=kids, Nums=other_nums))
            copied = base.copy_foreign(held)
            for kid in copied.K:
                kid.P = document
                document.K.append(kid)
            copied_nums = copied.Nums
            for i in range(0, len(copied_nums), 2):
                nums.append(int(copied_nums[i]) + next_key)
                nums.append(copied_nums[i + 1])
            next_key += _next_key(other_nums)
            with other.open_outline() as other_outline:
                outline.root.extend(_copy_items(other_outline.root, index, base))
            if names is not None and Name.Names in other.Root:
                other_dests = _dests(other)
                if other_dests is not None:
                    for key, value in other_dests.items():
                        names[key] = _copy(base, value)
            # qpdf would read the copied streams' data from the part when saving: take it now,
            # then let the part go
            _take_stream_data(base.pages[first:])
            other.close()
    if Name.ParentTreeNextKey in tree:
        tree.ParentTreeNextKey = next_key
    unique_subset_names(base)
    buffer = io.BytesIO()
    base.save(
        buffer,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    base.close()
    return buffer.getvalue()


def _copy(base: pikepdf.Pdf, value: Object) -> Object:
    """`value` of another part in `base`: indirect objects through qpdf's foreign copy (which
    maps objects already copied, such as pages, to their copies), direct ones item by item."""
    if isinstance(value, Object) and value.is_indirect:
        return base.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(base, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(base, item) for key, item in value.items()})
    return value


def _take_stream_data(pages: Any) -> None:
    """Give every stream the pages reach (contents, fonts, images, forms, appearances) its own
    copy of its raw data, so that it no longer reads from the part it was copied from."""
    seen: set[tuple[int, int]] = set()
    stack: list[Object] = [page.obj for page in pages]
    while stack:
        value = stack.pop()
        if value.is_indirect:
            if value.objgen in seen:
                continue
            seen.add(value.objgen)
        if isinstance(value, Stream):
            value.write(
                value.read_raw_bytes(),
                filter=value.get(Name.Filter),  # type: ignore[arg-type]  # as the stream had it
                decode_parms=value.get(Name.DecodeParms),  # type: ignore[arg-type]
                type_check=False,
            )
        if isinstance(value, Dictionary | Stream):
            items = [item for key, item in value.items() if key not in _BACK]
        elif isinstance(value, Array):
            items = list(value)
        else:
            continue
        stack.extend(item for item in items if isinstance(item, Dictionary | Array | Stream))


_BACK = {"/Parent", "/P", "/StructParents", "/StructParent"}  # up the tree, not down


def _document(tree: Object) -> Object:
    """The `Document` element at the top of a WeasyPrint structure tree."""
    kids = tree.K
    top = kids[0] if isinstance(kids, Array) else kids
    if top.get(Name.S) != Name.Document:
        raise ValueError("the structure tree does not start with a Document element")
    return top


def _flat_nums(tree: Object) -> Array:
    parents = tree.ParentTree
    if Name.Kids in parents:  # WeasyPrint writes one flat /Nums array
        raise ValueError("the parent tree has kids: not a WeasyPrint structure tree")
    nums = parents.Nums
    if not isinstance(nums, Array):
        raise ValueError("the parent tree has no /Nums array")
    return nums


def _next_key(nums: Array) -> int:
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _dests(pdf: pikepdf.Pdf) -> NameTree | None:
    catalog_names = pdf.Root.get(Name.Names)
    if catalog_names is None or Name.Dests not in catalog_names:
        return None
    return NameTree(catalog_names.Dests)


def _copy_items(items: list[OutlineItem], index: dict, base: pikepdf.Pdf) -> Iterator[OutlineItem]:
    """Outline items of another part, their destinations pointing at the copied pages."""
    for item in items:
        copy = OutlineItem(item.title)
        destination = item.destination
        if isinstance(destination, Array) and len(destination) > 0:
            target = destination[0]
            page = index.get(target.objgen) if isinstance(target, Dictionary) else None
            if page is not None:
                copy.destination = Array([base.pages[page].obj, *_copy(base, destination)[1:]])
        copy.is_closed = item.is_closed
        copy.children.extend(_copy_items(item.children, index, base))
        yield copy


def _font_data(font: Object) -> bytes:
    """The embedded font program of a font dictionary (its descendant's, for a Type0 font)."""
    descriptor = font.get(Name.FontDescriptor)
    if descriptor is None and Name.DescendantFonts in font:
        descriptor = font.DescendantFonts[0].get(Name.FontDescriptor)
    if descriptor is None:
        return b""
    for key in (Name.FontFile, Name.FontFile2, Name.FontFile3):
        if key in descriptor:
            return descriptor[key].read_raw_bytes()
    return b""


def _tag(data: bytes, salt: int) -> str:
    digest = hashlib.sha256(data + salt.to_bytes(4, "big")).digest()
    return "".join(string.ascii_uppercase[b % 26] for b in digest[:6])


def unique_subset_names(pdf: pikepdf.Pdf) -> int:
    """Give every font subset of `pdf` a BaseFont name no other subset has; return how many
    were renamed. A subset is named TAG+Font (PDF 32000 9.6.4); subsets that share a name get
    a tag from the hash of their font data, so the output stays deterministic."""
    fonts: dict[str, list[Object]] = {}
    for obj in pdf.objects:
        if (
            isinstance(obj, Dictionary)
            and obj.get(Name.Type) == Name.Font
            and obj.get(Name.Subtype) != Name.CIDFontType0
            and obj.get(Name.Subtype) != Name.CIDFontType2
            and "+" in str(obj.get(Name.BaseFont, ""))
        ):
            fonts.setdefault(str(obj.BaseFont), []).append(obj)
    used = set(fonts)
    renamed = 0
    for name in sorted(fonts):
        same = fonts[name]
        if len(same) < 2:
            continue
        base = name.split("+", 1)[1]
        for font in same[1:]:  # the first keeps its name
            data = _font_data(font)
            salt = 0
            new = f"/{_tag(data, salt)}+{base}"
            while new in used:
                salt += 1
                new = f"/{_tag(data, salt)}+{base}"
            used.add(new)
            _rename(font, Name(new))
            renamed += 1
    return renamed


def _rename(font: Object, name: Name) -> None:
    """Rename a (Type0) font, its descendant font and their font descriptors alike."""
    font.BaseFont = name
    for descendant in font.get(Name.DescendantFonts, Array()):
        descendant.BaseFont = name
        if Name.FontDescriptor in descendant:
            descendant.FontDescriptor.FontName = name
    if Name.FontDescriptor in font:
        font.FontDescriptor.FontName = name
