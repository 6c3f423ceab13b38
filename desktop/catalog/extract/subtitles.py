"""SubRip (.srt) and WebVTT (.vtt) subtitles, and finding them beside their video."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .base import Extracted, ExtractionError
from .language import guess_language
from .textio import read_text

SUBTITLE_SUFFIXES = frozenset({".srt", ".vtt"})
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi"})

_TIMING = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
# "movie.en.srt", "movie.pt-BR.srt", "movie.zh_Hans.vtt", "movie.eng.forced.srt"
_LANGUAGE_TAG = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z0-9]{2,4}){0,2}$")
# Three-letter codes are only trusted from a known list: "the.end.srt" is not in "end".
_THREE_LETTER = frozenset(
    "eng chi zho fre fra ger deu spa ita jpn kor rus por nld dut swe nor dan fin pol "
    "tur ara heb hin tha vie ind cze ces gre ell hun rum ron ukr".split()
)
# Player conventions for variants of one language's subtitles.
_FLAGS = frozenset({"forced", "sdh", "cc", "hi", "default", "full"})


def extract_subtitles(path: Path) -> Extracted:
    raw, facts = read_text(path)
    lines, end = parse_cues(raw, vtt=path.suffix.lower() == ".vtt")
    item = Extracted(kind="subtitle", text="\n".join(lines), duration=end, extra=facts)
    item.language = language_from_name(path) or guess_language(item.text)
    return item


def parse_cues(raw: str, vtt: bool) -> tuple[list[str], float | None]:
    """Cue text lines (no numbers, timings or styling) and the last cue's end in seconds."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if vtt and not raw.startswith("WEBVTT"):
        raise ExtractionError("not a WebVTT file (no WEBVTT header)")
    lines: list[str] = []
    cues = 0
    end: float | None = None
    for block in re.split(r"\n\s*\n", raw):
        rows = [r for r in block.split("\n") if r.strip()]
        timing = next((i for i, r in enumerate(rows) if _TIMING.match(r)), None)
        if timing is None:
            continue  # header, NOTE, STYLE or REGION blocks, stray numbering
        cues += 1
        cue_end = _seconds(_TIMING.match(rows[timing]).group(2))
        end = cue_end if end is None else max(end, cue_end)
        for row in rows[timing + 1 :]:
            text = " ".join(_TAG.sub("", row).split())
            # Consecutive repeats are common in roll-up captions; keep one.
            if text and (not lines or lines[-1] != text):
                lines.append(text)
    if not cues:
        raise ExtractionError("no subtitle cues found")
    return lines, end


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    for unit, value in zip((60, 3600), reversed(parts[:-1]), strict=False):
        seconds += unit * int(value)
    return round(seconds, 3)


def _is_language(part: str) -> bool:
    return bool(_LANGUAGE_TAG.match(part)) or part.lower() in _THREE_LETTER


def _naming(middle: list[str]) -> tuple[bool, str | None]:
    """Whether the parts between video stem and suffix are a sidecar's, and its language."""
    rest = [p for p in middle if p.lower() not in _FLAGS]
    if not rest:
        return True, None
    if len(rest) == 1 and _is_language(rest[0]):
        return True, rest[0]
    return False, None


def language_from_name(path: Path) -> str | None:
    """The language tag in "movie.en.srt" or "movie.en.forced.srt", if there is one."""
    parts = path.stem.split(".")[1:]
    while parts and parts[-1].lower() in _FLAGS:
        parts.pop()
    return parts[-1] if parts and _is_language(parts[-1]) else None


def video_for(path: Path) -> Path | None:
    """The video a subtitle file belongs to (same stem, or stem + language/flags)."""
    if path.suffix.lower() not in SUBTITLE_SUFFIXES:
        return None
    parts = path.stem.split(".")
    # "movie.en.forced" may belong to movie.*, "movie.en".* or "movie.en.forced".*
    for cut in range(len(parts), max(0, len(parts) - 3), -1):
        if not _naming(parts[cut:])[0]:
            continue
        stem = ".".join(parts[:cut])
        for suffix in VIDEO_SUFFIXES:
            for variant in (suffix, suffix.upper()):
                candidate = path.with_name(stem + variant)
                if candidate.is_file():
                    return candidate
    return None


def sidecars_for(video: Path) -> list[Path]:
    """Subtitle files beside a video: <stem>.srt, <stem>.vtt, <stem>.<lang>.srt, ..."""
    found: list[Path] = []
    prefix = video.stem + "."
    try:
        entries = os.scandir(video.parent)
    except OSError:
        return found
    with entries:
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            candidate = Path(entry.path)
            if candidate.suffix.lower() not in SUBTITLE_SUFFIXES or not entry.is_file():
                continue
            middle = entry.name[len(prefix) : -len(candidate.suffix)]
            if _naming(middle.split(".") if middle else [])[0]:
                found.append(candidate)
    # Plain <stem>.srt first, then the language variants in a stable order.
    return sorted(found, key=lambda p: (p.name.count("."), p.name))
