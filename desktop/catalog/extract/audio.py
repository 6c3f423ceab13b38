"""Audio files through mutagen: tags (title, artist, album, date, genre) and duration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mutagen

from .base import Extracted, ExtractionError
from .dates import iso_date

# The same fact under the names each tag system uses: mutagen's "easy" keys (ID3 in MP3,
# Vorbis comments, MP4), raw ID3 frames (WAV, AIFF) and ASF attributes (WMA).
_KEYS = {
    "title": ("title", "TIT2", "Title"),
    "artist": ("artist", "albumartist", "TPE1", "TPE2", "Author", "WM/AlbumArtist"),
    "album": ("album", "TALB", "WM/AlbumTitle"),
    "date": ("date", "originaldate", "year", "TDRC", "TDOR", "TYER", "WM/Year"),
    "genre": ("genre", "TCON", "WM/Genre"),
    "language": ("language", "TLAN", "WM/Language"),
    "comment": ("comment", "description", "COMM", "Description"),
}


def read_media(path: Path) -> mutagen.FileType | None:
    """Open any file mutagen knows (read-only); None when it recognises nothing."""
    try:
        return mutagen.File(path, easy=True)
    except mutagen.MutagenError as exc:
        raise ExtractionError(f"audio file is damaged: {_reason(exc, path)}") from exc


def _reason(exc: Exception, path: Path) -> str:
    # mutagen names the full path in some messages; the user knows which file it is.
    text = str(exc).replace(repr(str(path)), "the file").replace(str(path), "the file")
    return text.strip() or type(exc).__name__


def extract_audio(path: Path) -> Extracted:
    media = read_media(path)
    if media is None:
        raise ExtractionError("not a recognised audio file")
    item = Extracted(kind="audio")
    info = getattr(media, "info", None)
    length = getattr(info, "length", None)
    item.duration = round(float(length), 3) if length else None
    for name in ("bitrate", "sample_rate", "channels", "codec"):
        value = getattr(info, name, None)
        if value:
            item.extra[name] = value
    item.extra["format"] = type(media).__name__.removeprefix("Easy")
    read_tags(media.tags, item)
    return item


def read_tags(tags: Any, item: Extracted) -> None:
    """Fill title, creator, date, keywords and album from any mutagen tag container."""
    if not tags:
        return
    item.title = tag_value(tags, "title")
    item.creator = tag_value(tags, "artist")
    item.created = iso_date(tag_value(tags, "date"))
    item.language = tag_value(tags, "language")
    if album := tag_value(tags, "album"):
        item.extra["album"] = album
    if genre := tag_value(tags, "genre"):
        item.keywords = [g.strip() for g in genre.replace(";", "/").split("/") if g.strip()]
    if comment := tag_value(tags, "comment"):
        item.text = comment


def tag_value(tags: Any, fact: str) -> str | None:
    for key in _KEYS[fact]:
        try:
            value = tags.get(key) if hasattr(tags, "get") else None
            if value is None and hasattr(tags, "getall"):
                # ID3 frames such as COMM are stored as "COMM::eng"; getall finds them.
                value = tags.getall(key) or None
        except (KeyError, ValueError):
            continue
        text = _text(value)
        if text:
            return text
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        parts = [t for t in (_text(v) for v in value) if t]
        return "; ".join(parts) or None
    if hasattr(value, "text") and isinstance(value.text, list):  # an ID3 frame
        return _text([str(t) for t in value.text])
    text = " ".join(str(value).replace("\x00", " ").split())
    return text or None
