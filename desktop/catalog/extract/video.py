"""Video files: container metadata where it is cheap to read, plus sidecar subtitles.

MP4/M4V/MOV tags and duration come from mutagen; Matroska/WebM and AVI headers are small
enough to read directly. Frames are never decoded (there is no codec here).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import mutagen
from mutagen.easymp4 import EasyMP4
from mutagen.mp4 import Atoms

from .audio import read_tags
from .base import Extracted, ExtractionError
from .dates import iso_date
from .subtitles import extract_subtitles, sidecars_for
from .textio import MAX_TEXT_CHARS

_MP4_SUFFIXES = (".mp4", ".m4v", ".mov")
_EBML_SUFFIXES = (".mkv", ".webm")


def extract_video(path: Path) -> Extracted:
    suffix = path.suffix.lower()
    item = Extracted(kind="video")
    item.extra["size"] = path.stat().st_size
    if suffix in _MP4_SUFFIXES:
        _read_mp4(path, item)
    elif suffix in _EBML_SUFFIXES:
        with open(path, "rb") as fh:
            _read_matroska(fh, item)
    elif suffix == ".avi":
        with open(path, "rb") as fh:
            _read_avi(fh, item)
    _attach_subtitles(path, item)
    return item


def _attach_subtitles(path: Path, item: Extracted) -> None:
    texts: list[str] = []
    names: list[str] = []
    for sidecar in sidecars_for(path):
        try:
            sub = extract_subtitles(sidecar)
        except ExtractionError:
            continue  # a broken subtitle file should not fail its video
        names.append(sidecar.name)
        if sub.text and sum(map(len, texts)) < MAX_TEXT_CHARS:
            texts.append(sub.text)
        # The plain <stem>.srt comes first and most likely speaks the film's language.
        item.language = item.language or sub.language
    if names:
        item.extra["subtitles"] = names
        item.text = "\n\n".join(texts)[:MAX_TEXT_CHARS]


# --- MP4 / QuickTime -------------------------------------------------------------------


def _read_mp4(path: Path, item: Extracted) -> None:
    try:
        media = EasyMP4(path)
    except mutagen.MutagenError as exc:
        raise ExtractionError(f"not a valid MP4/QuickTime video: {exc}") from exc
    length = getattr(media.info, "length", None)
    item.duration = round(float(length), 3) if length else None
    read_tags(media.tags, item)
    if codec := getattr(media.info, "codec", None):
        item.extra["codec"] = codec
    try:
        with open(path, "rb") as fh:
            item.width, item.height = _mp4_frame_size(fh)
    except (mutagen.MutagenError, KeyError, struct.error, ValueError):
        pass  # frame size is a nicety; tags and duration were read


def _mp4_frame_size(fh: BinaryIO) -> tuple[int | None, int | None]:
    """Width and height from the first track header (tkhd) that has a picture."""
    atoms = Atoms(fh)
    for trak in atoms[b"moov"].findall(b"trak"):
        ok, data = trak[b"tkhd",].read(fh)
        if not ok:
            continue
        offset = 88 if data[0] == 1 else 76  # version 1 has 64-bit times
        width, height = struct.unpack(">II", data[offset : offset + 8])
        if width >> 16 and height >> 16:
            return width >> 16, height >> 16
    return None, None


# --- Matroska / WebM (EBML) -----------------------------------------------------------

_EBML, _SEGMENT, _CLUSTER = 0x1A45DFA3, 0x18538067, 0x1F43B675
_INFO, _TRACKS, _TRACK_ENTRY, _VIDEO = 0x1549A966, 0x1654AE6B, 0xAE, 0xE0
_DOCTYPE, _TIMECODE_SCALE, _DURATION, _TITLE, _DATE_UTC = 0x4282, 0x2AD7B1, 0x4489, 0x7BA9, 0x4461
_PIXEL_WIDTH, _PIXEL_HEIGHT = 0xB0, 0xBA
_MAX_HEADER_ELEMENT = 4 * 1024 * 1024
_MATROSKA_EPOCH = 978307200  # 2001-01-01T00:00:00Z, the origin of DateUTC


def _vint(fh: BinaryIO, keep_marker: bool) -> tuple[int, bool]:
    """An EBML variable-length integer; the flag says "all ones" (unknown size)."""
    first = fh.read(1)
    if not first:
        raise EOFError
    lead = first[0]
    length = next((i + 1 for i in range(8) if lead & (0x80 >> i)), 0)
    if not length:
        raise ExtractionError("Matroska file is damaged: bad element header")
    rest = fh.read(length - 1)
    if len(rest) != length - 1:
        raise EOFError
    value = lead if keep_marker else lead & (0xFF >> length)
    for byte in rest:
        value = (value << 8) | byte
    all_ones = not keep_marker and value == (1 << (7 * length)) - 1
    return value, all_ones


def _elements(fh: BinaryIO, end: int | None) -> list[tuple[int, int, int | None]]:
    """(id, data offset, size) of the elements from here to `end`, without reading data."""
    found = []
    while end is None or fh.tell() < end:
        try:
            element_id, _ = _vint(fh, keep_marker=True)
            size, unknown = _vint(fh, keep_marker=False)
        except EOFError:
            break
        start = fh.tell()
        found.append((element_id, start, None if unknown else size))
        if unknown or element_id == _CLUSTER:
            break  # media data from here on: the header elements are behind us
        fh.seek(start + size)
    return found


def _read_matroska(fh: BinaryIO, item: Extracted) -> None:
    top = _elements(fh, None)
    if not top or top[0][0] != _EBML:
        raise ExtractionError("not a Matroska/WebM file (no EBML header)")
    header = _children(fh, top[0])
    doctype = header.get(_DOCTYPE, b"").decode("ascii", "replace").strip("\x00")
    item.extra["container"] = doctype or "matroska"
    segment = next((e for e in top if e[0] == _SEGMENT), None)
    if segment is None:
        raise ExtractionError("Matroska file is damaged: no segment")
    fh.seek(segment[1])
    end = segment[1] + segment[2] if segment[2] is not None else None
    for element in _elements(fh, end):
        if element[0] == _INFO:
            _matroska_info(_children(fh, element), item)
        elif element[0] == _TRACKS:
            _matroska_tracks(fh, element, item)


def _children(fh: BinaryIO, element: tuple[int, int, int | None]) -> dict[int, bytes]:
    """The direct children of a small master element, as raw payloads by id."""
    _, start, size = element
    if size is None or size > _MAX_HEADER_ELEMENT:
        return {}
    fh.seek(start)
    values: dict[int, bytes] = {}
    for child_id, child_start, child_size in _elements(fh, start + size):
        if child_size is not None and child_size <= _MAX_HEADER_ELEMENT:
            here = fh.tell()
            fh.seek(child_start)
            values.setdefault(child_id, fh.read(child_size))
            fh.seek(here)
    return values


def _uint(data: bytes) -> int:
    return int.from_bytes(data, "big") if data else 0


def _matroska_info(info: dict[int, bytes], item: Extracted) -> None:
    scale = _uint(info.get(_TIMECODE_SCALE, b"")) or 1_000_000
    duration = info.get(_DURATION, b"")
    if len(duration) in (4, 8):
        ticks = struct.unpack(">f" if len(duration) == 4 else ">d", duration)[0]
        item.duration = round(ticks * scale / 1e9, 3)
    title = info.get(_TITLE, b"").decode("utf-8", "replace").strip("\x00 ")
    item.title = title or None
    if len(info.get(_DATE_UTC, b"")) == 8:
        nanoseconds = struct.unpack(">q", info[_DATE_UTC])[0]
        item.created = iso_date(_utc(_MATROSKA_EPOCH + nanoseconds / 1e9))


def _matroska_tracks(fh: BinaryIO, tracks: tuple[int, int, int | None], item: Extracted) -> None:
    _, start, size = tracks
    if size is None or size > _MAX_HEADER_ELEMENT:
        return
    fh.seek(start)
    for entry in [e for e in _elements(fh, start + size) if e[0] == _TRACK_ENTRY]:
        fh.seek(entry[1])
        for video in [v for v in _elements(fh, entry[1] + (entry[2] or 0)) if v[0] == _VIDEO]:
            fields = _children(fh, video)
            width, height = _uint(fields.get(_PIXEL_WIDTH, b"")), _uint(fields.get(_PIXEL_HEIGHT, b""))
            if width and height:
                item.width, item.height = width, height
                return


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


# --- AVI (RIFF) ------------------------------------------------------------------------

_AVI_INFO = {b"INAM": "title", b"IART": "creator", b"ICRD": "created", b"ICMT": "comment"}


def _read_avi(fh: BinaryIO, item: Extracted) -> None:
    head = fh.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"AVI ":
        raise ExtractionError("not an AVI file (no RIFF/AVI header)")
    for chunk_id, data in _riff_chunks(fh, 12 + struct.unpack("<I", head[4:8])[0] - 4):
        if chunk_id == b"hdrl":
            _avi_header(data, item)
        elif chunk_id == b"INFO":
            _avi_info(data, item)


def _riff_chunks(fh: BinaryIO, end: int) -> Iterator[tuple[bytes, bytes]]:
    """LIST chunks at the top level of a RIFF file (skipping the big movi list unread)."""
    while fh.tell() + 8 <= end:
        header = fh.read(8)
        if len(header) < 8:
            return
        chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
        start = fh.tell()
        if chunk_id == b"LIST":
            kind = fh.read(4)
            if kind in (b"hdrl", b"INFO") and size <= _MAX_HEADER_ELEMENT:
                yield kind, fh.read(size - 4)
        fh.seek(start + size + (size & 1))


def _sub_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    offset = 0
    while offset + 8 <= len(data):
        chunk_id, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        yield chunk_id, data[offset + 8 : offset + 8 + size]
        offset += 8 + size + (size & 1)


def _avi_header(hdrl: bytes, item: Extracted) -> None:
    for chunk_id, data in _sub_chunks(hdrl):
        if chunk_id == b"avih" and len(data) >= 40:
            usec_per_frame, _, _, _, frames = struct.unpack("<5I", data[:20])
            width, height = struct.unpack("<2I", data[32:40])
            if usec_per_frame and frames:
                item.duration = round(usec_per_frame * frames / 1e6, 3)
            item.width, item.height = width or None, height or None


def _avi_info(info: bytes, item: Extracted) -> None:
    for chunk_id, data in _sub_chunks(info):
        field = _AVI_INFO.get(chunk_id)
        value = data.split(b"\x00", 1)[0].decode("utf-8", "replace").strip()
        if not field or not value:
            continue
        if field == "created":
            item.created = iso_date(value)
        elif field == "comment":
            item.extra["comment"] = value
        else:
            setattr(item, field, value)
