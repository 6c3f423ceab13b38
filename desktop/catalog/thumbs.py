"""Thumbnails of images and of a PDF's first page, cached by content hash."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageOps

from .extract.base import ExtractionError
from .extract.image import load_checked, open_image
from .extract.pdf import open_pdf

THUMBNAIL_KINDS = frozenset({"image", "document"})


def thumbnail_path(cache_dir: Path, key: str) -> Path:
    # Two-character shards keep any one folder small in a big library.
    return Path(cache_dir) / key[:2] / f"{key}.png"


def make_thumbnail(path: Path, kind: str, cache_dir: Path, key: str, size: int = 256) -> Path | None:
    """A PNG thumbnail (at most `size` pixels a side) of an image or a PDF's first page.

    Returns the cached file when it already exists, None for kinds without a picture
    (and for documents that are not PDFs); raises ExtractionError for broken input.
    """
    path = Path(path)
    if kind not in THUMBNAIL_KINDS or (kind == "document" and path.suffix.lower() != ".pdf"):
        return None
    target = thumbnail_path(cache_dir, key)
    if target.is_file():
        return target
    try:
        picture = _render_pdf(path, size) if kind == "document" else _render_image(path, size)
    except ExtractionError:
        raise
    except Exception as exc:  # whatever the decoder tripped on, the input is at fault
        raise ExtractionError(f"cannot make a thumbnail: {exc}") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target, then rename: a reader never sees half a PNG, and two
    # workers making the same thumbnail do not trip over each other's temporary file.
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        picture.save(part, "PNG", optimize=True)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def _render_image(path: Path, size: int) -> Image.Image:
    with open_image(path) as img:
        load_checked(img, draft_size=(size, size))
        picture = ImageOps.exif_transpose(img)
        picture.thumbnail((size, size), Image.Resampling.LANCZOS)
        return _displayable(picture)


def _displayable(img: Image.Image) -> Image.Image:
    if img.mode in ("RGB", "RGBA", "L", "LA"):
        return img.copy()
    has_alpha = "A" in img.mode or (img.mode == "P" and "transparency" in img.info)
    return img.convert("RGBA" if has_alpha else "RGB")


def _render_pdf(path: Path, size: int) -> Image.Image:
    doc = open_pdf(path)
    try:
        if len(doc) == 0:
            raise ExtractionError("PDF has no pages")
        page = doc[0]
        try:
            width, height = page.get_size()
            scale = size / max(width, height, 1)
            bitmap = page.render(scale=scale)
            return bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        doc.close()
