"""Reading text-like files safely: size cap, binary detection, encoding detection."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from .base import ExtractionError

# A text file bigger than this is read only up to the cap (and flagged as truncated):
# 20 MB of text is far more than any model or summary will look at.
TEXT_CAP = 20 * 1024 * 1024
# The same bound for text assembled from containers (PDF pages, EPUB chapters, ...).
MAX_TEXT_CHARS = 20 * 1024 * 1024

_SAMPLE = 64 * 1024
_DETECT_SAMPLE = 256 * 1024
# Control bytes that do appear in real text files (tab, LF, CR, FF, ESC, backspace).
_ALLOWED_CONTROLS = {8, 9, 10, 12, 13, 27}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_capped(path: Path, cap: int | None = None) -> tuple[bytes, bool]:
    """The first `cap` (default TEXT_CAP) bytes of the file, and whether there was more."""
    cap = TEXT_CAP if cap is None else cap
    with open(path, "rb") as fh:
        data = fh.read(cap + 1)
    return data[:cap], len(data) > cap


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is clearly not text (an image or archive renamed to .txt)."""
    sample = data[:_SAMPLE]
    if not sample or bom_encoding(sample) in ("utf-16", "utf-32"):
        return False
    nul = sample.count(0)
    controls = sum(1 for b in sample if b < 32 and b not in _ALLOWED_CONTROLS)
    return nul / len(sample) > 0.01 or controls / len(sample) > 0.10


def ensure_text(data: bytes) -> None:
    if looks_binary(data):
        raise ExtractionError("binary data, not text")


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; returns (text, encoding name)."""
    if not data:
        return "", "utf-8"
    bom = bom_encoding(data)
    if bom:
        return data.decode(bom, errors="replace"), bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A file cut at the size cap may end inside a multi-byte character.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8"
    matches = from_bytes(data[:_DETECT_SAMPLE])
    best = matches.best()
    if best is None:
        raise ExtractionError("file is not UTF-8/any known text encoding")
    encoding = best.encoding
    # Short Western text often scores the same in several code pages (a French "è" is a
    # Czech "č" in cp1250); on a tie, take Windows-1252, by far the most common of them.
    if encoding != "cp1252" and (
        "cp1252" in best.could_be_from_charset
        or any(m.encoding == "cp1252" and m.chaos <= best.chaos + 0.01 for m in matches)
    ):
        encoding = "cp1252"
    # GB2312 is a subset of GB18030; decoding with the superset loses nothing.
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"
    return data.decode(encoding, errors="replace"), encoding


def read_text(path: Path, cap: int | None = None) -> tuple[str, dict[str, object]]:
    """Text of a plain-text file and facts about reading it (encoding, truncated)."""
    data, truncated = read_capped(path, cap)
    ensure_text(data)
    text, encoding = decode(data)
    facts: dict[str, object] = {"encoding": encoding}
    if truncated:
        facts["truncated"] = True
    return text, facts


def clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    return text if len(text) <= limit else text[:limit]


def squeeze_blank_lines(text: str) -> str:
    """Trim each line and collapse runs of blank lines to one."""
    out: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
