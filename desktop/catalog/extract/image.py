"""Still images through Pillow: size, EXIF (date, camera, GPS), IPTC and XMP captions."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image, IptcImagePlugin, UnidentifiedImageError

from .archive import parse_xml
from .base import Extracted, ExtractionError
from .dates import iso_date

_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
_TAG_DESCRIPTION, _TAG_MAKE, _TAG_MODEL, _TAG_ARTIST, _TAG_DATETIME = 270, 271, 272, 315, 306
_TAG_ORIENTATION = 274
_TAG_DATETIME_ORIGINAL = 36867
_XP_TITLE, _XP_COMMENT, _XP_AUTHOR, _XP_KEYWORDS = 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E
_IPTC_TITLE, _IPTC_KEYWORDS, _IPTC_BYLINE, _IPTC_CAPTION = (2, 5), (2, 25), (2, 80), (2, 120)
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"


@contextmanager
def open_image(path: Path) -> Iterator[Image.Image]:
    """Open an image with the decompression-bomb guard as a hard error."""
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as img:
                yield img
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ExtractionError(f"image is too large to decode safely ({exc})") from exc
        except UnidentifiedImageError as exc:
            raise ExtractionError("not a recognised image file") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ExtractionError(f"image is damaged: {exc}") from exc


def load_checked(img: Image.Image, draft_size: tuple[int, int] | None = None) -> None:
    """Decode the pixel data once so a truncated or corrupt file is caught now."""
    if img.format == "JPEG":
        # Decoding at reduced scale (down to 1/8) still reads every byte of the file, at a
        # fraction of the cost of the full picture.
        img.draft("RGB", draft_size or (max(1, img.width // 8), max(1, img.height // 8)))
    img.load()


def extract_image(path: Path) -> Extracted:
    with open_image(path) as img:
        item = Extracted(kind="image", width=img.width, height=img.height)
        item.extra["format"] = img.format
        item.extra["mode"] = img.mode
        frames = getattr(img, "n_frames", 1)
        if frames > 1:
            item.extra["frames"] = frames
        load_checked(img)
        for reader in (_read_exif, _read_iptc, _read_xmp, _read_png_text):
            try:
                reader(img, item)
            except Exception as exc:  # odd metadata must not cost us a readable picture
                item.extra.setdefault("metadata_errors", []).append(f"{reader.__name__}: {exc}")
    description = item.extra.get("description")
    item.text = "\n".join(t for t in (item.title, description) if t)
    return item


def _read_exif(img: Image.Image, item: Extracted) -> None:
    exif = img.getexif()
    if not exif:
        return
    sub = exif.get_ifd(_IFD_EXIF)
    item.created = iso_date(sub.get(_TAG_DATETIME_ORIGINAL) or exif.get(_TAG_DATETIME))
    item.modified = iso_date(exif.get(_TAG_DATETIME))
    camera = " ".join(_clean(exif.get(t)) or "" for t in (_TAG_MAKE, _TAG_MODEL)).strip()
    if camera:
        item.extra["camera"] = camera
    if exif.get(_TAG_ORIENTATION) not in (None, 1):
        item.extra["orientation"] = exif.get(_TAG_ORIENTATION)
    item.title = _xp(exif.get(_XP_TITLE)) or item.title
    description = _clean(exif.get(_TAG_DESCRIPTION)) or _xp(exif.get(_XP_COMMENT))
    if description:
        item.extra["description"] = description
    item.creator = _clean(exif.get(_TAG_ARTIST)) or _xp(exif.get(_XP_AUTHOR)) or item.creator
    _add_keywords(item, re.split(r"[;,]\s*", _xp(exif.get(_XP_KEYWORDS)) or ""))
    gps = _gps(exif.get_ifd(_IFD_GPS))
    if gps:
        item.extra["gps"] = gps


def _clean(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    return " ".join(value.replace("\x00", " ").split()) or None


def _xp(value: Any) -> str | None:
    """Windows XP* tags hold UTF-16LE, as bytes or as a tuple of byte values."""
    if isinstance(value, tuple | list):
        value = bytes(value)
    if isinstance(value, bytes):
        return _clean(value.decode("utf-16-le", errors="replace"))
    return _clean(value)


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1]) if value[1] else 0.0
    return float(value)


def _gps(gps: dict[int, Any]) -> dict[str, float] | None:
    try:
        lat_ref, lat, lon_ref, lon = (gps[k] for k in (1, 2, 3, 4))
        latitude = sum(_rational(v) / 60**i for i, v in enumerate(lat))
        longitude = sum(_rational(v) / 60**i for i, v in enumerate(lon))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if str(lat_ref).upper().startswith("S"):
        latitude = -latitude
    if str(lon_ref).upper().startswith("W"):
        longitude = -longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {"lat": round(latitude, 6), "lon": round(longitude, 6)}


def _iptc_text(value: bytes) -> str | None:
    try:
        return _clean(value.decode("utf-8"))
    except UnicodeDecodeError:
        return _clean(value.decode("latin-1"))


def _read_iptc(img: Image.Image, item: Extracted) -> None:
    iptc = IptcImagePlugin.getiptcinfo(img) or {}
    for key, value in iptc.items():
        values = value if isinstance(value, list) else [value]
        texts = [t for t in (_iptc_text(v) for v in values) if t]
        if not texts:
            continue
        if key == _IPTC_KEYWORDS:
            _add_keywords(item, texts)
        elif key == _IPTC_TITLE and not item.title:
            item.title = texts[0]
        elif key == _IPTC_CAPTION and "description" not in item.extra:
            item.extra["description"] = texts[0]
        elif key == _IPTC_BYLINE and not item.creator:
            item.creator = texts[0]


def _xmp_packet(img: Image.Image) -> bytes | None:
    packet = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp")
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    return packet or None


def _read_xmp(img: Image.Image, item: Extracted) -> None:
    packet = _xmp_packet(img)
    if not packet:
        return
    start = packet.find(b"<x:xmpmeta")
    end = packet.rfind(b"</x:xmpmeta>")
    if start >= 0 and end > start:
        packet = packet[start : end + len(b"</x:xmpmeta>")]
    try:
        root = parse_xml(packet, "XMP metadata")
    except ExtractionError:
        return  # broken XMP: keep what EXIF and IPTC gave
    title = _rdf_values(root, "title")
    description = _rdf_values(root, "description")
    creator = _rdf_values(root, "creator")
    if title and not item.title:
        item.title = title[0]
    if description and "description" not in item.extra:
        item.extra["description"] = description[0]
    if creator and not item.creator:
        item.creator = ", ".join(creator)
    _add_keywords(item, _rdf_values(root, "subject"))


def _rdf_values(root: Any, name: str) -> list[str]:
    """Values of dc:<name>, written as an element (with rdf:li items) or an attribute."""
    values: list[str] = []
    for element in root.iter(f"{_DC}{name}"):
        items = [li.text for li in element.iter(f"{_RDF}li")]
        values.extend(items or [element.text])
    for description in root.iter(f"{_RDF}Description"):
        values.append(description.get(f"{_DC}{name}"))
    return [v for v in (_clean(x) for x in values) if v]


def _read_png_text(img: Image.Image, item: Extracted) -> None:
    info = getattr(img, "text", None) or {}
    if not isinstance(info, dict):
        return
    item.title = item.title or _clean(info.get("Title"))
    item.creator = item.creator or _clean(info.get("Author"))
    if "description" not in item.extra and (desc := _clean(info.get("Description"))):
        item.extra["description"] = desc
    _add_keywords(item, re.split(r"[;,]\s*", info.get("Keywords", "") or ""))
    item.created = item.created or iso_date(info.get("Creation Time"))


def _add_keywords(item: Extracted, words: list[str]) -> None:
    for word in words:
        word = word.strip()
        if word and word not in item.keywords:
            item.keywords.append(word)
