"""Thumbnails: images (EXIF orientation applied), PDF first pages, the cache, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from desktop.catalog.extract import ExtractionError
from desktop.catalog.thumbs import make_thumbnail
from tests.formats import jpeg_bytes, png_bytes, png_header_only, sample_pdf, write_mp3

KEY = "ab" + "0" * 62


def test_jpeg_thumbnail_is_upright_and_small(tmp_path: Path) -> None:
    photo = tmp_path / "rotated.jpg"
    # Stored 400x200, EXIF orientation 6: displayed rotated 90°, so 200 wide, 400 high.
    photo.write_bytes(jpeg_bytes((400, 200), orientation=6))
    thumb = make_thumbnail(photo, "image", tmp_path / "cache", KEY, size=64)
    assert thumb == tmp_path / "cache" / "ab" / f"{KEY}.png"
    with Image.open(thumb) as img:
        assert img.format == "PNG"
        assert img.size == (32, 64)
        # The stored left half is blue; rotated clockwise it becomes the top half.
        red, _, blue = img.convert("RGB").getpixel((16, 8))
        assert blue > red
    assert not list(thumb.parent.glob("*.part"))


def test_png_with_alpha(tmp_path: Path) -> None:
    path = tmp_path / "square.png"
    path.write_bytes(png_bytes((300, 150)))
    thumb = make_thumbnail(path, "image", tmp_path, KEY, size=100)
    with Image.open(thumb) as img:
        assert img.size == (100, 50)
        assert img.mode == "RGBA"


def test_pdf_first_page(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(sample_pdf())
    thumb = make_thumbnail(path, "document", tmp_path / "cache", KEY, size=128)
    with Image.open(thumb) as img:
        # US Letter is taller than wide: the long side is the requested size.
        assert max(img.size) == pytest.approx(128, abs=1)
        assert img.size[1] > img.size[0]
        # White paper with some (anti-aliased, so grey at this size) text pixels.
        darkest, lightest = img.convert("L").getextrema()
        assert lightest == 255 and darkest < 200


def test_cached_thumbnail_is_reused(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes())
    first = make_thumbnail(path, "image", tmp_path / "cache", KEY)
    stamp = first.stat().st_mtime_ns
    path.write_bytes(b"not an image any more")  # the key says "same content": no re-read
    assert make_thumbnail(path, "image", tmp_path / "cache", KEY) == first
    assert first.stat().st_mtime_ns == stamp


def test_other_kinds_have_no_thumbnail(tmp_path: Path) -> None:
    audio = write_mp3(tmp_path / "a.mp3")
    assert make_thumbnail(audio, "audio", tmp_path / "cache", KEY) is None
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    assert make_thumbnail(docx, "document", tmp_path / "cache", KEY) is None
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("truncated.jpg", jpeg_bytes((256, 256), metadata=False)[:1500], "image"),
        ("garbage.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "image"),
        ("bomb.png", png_header_only(20_000, 20_000), "image"),
        ("broken.pdf", sample_pdf()[:200], "document"),
    ],
)
def test_broken_input_raises(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ExtractionError):
        make_thumbnail(path, kind, tmp_path / "cache", KEY)
    assert not (tmp_path / "cache" / "ab" / f"{KEY}.png").exists()
    assert not list(tmp_path.rglob("*.part"))
