"""Rich Text Format documents: text via striprtf, title and author from the \\info group."""

from __future__ import annotations

import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from .base import Extracted, ExtractionError
from .language import guess_language
from .textio import ensure_text, read_capped

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
# {\title ...} and friends; their content has no nested groups in practice.
_INFO_FIELD = r"\{\\%s\s?((?:[^{}\\]|\\[^{}]|\\[{}])*)\}"
_INFO_DATE = r"\{\\%s((?:\\[a-z]+-?\d+\s?)+)\}"


def extract_rtf(path: Path) -> Extracted:
    data, truncated = read_capped(path)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("not an RTF file (no {\\rtf header)")
    ensure_text(data)
    encoding = _codepage(data)
    # RTF is 7-bit by design (non-ASCII is escaped); stray 8-bit bytes use the codepage.
    source = data.decode(encoding, errors="replace")
    text = rtf_to_text(source, encoding=encoding, errors="replace")
    item = Extracted(kind="document", text=_tidy(text), extra={"encoding": encoding})
    if truncated:
        item.extra["truncated"] = True
    item.title = _info(source, "title", encoding)
    item.creator = _info(source, "author", encoding)
    keywords = _info(source, "keywords", encoding) or ""
    item.keywords = [k for k in re.split(r"[,;]\s*|\s+", keywords) if k]
    if subject := _info(source, "subject", encoding):
        item.extra["subject"] = subject
    item.created = _info_date(source, "creatim")
    item.modified = _info_date(source, "revtim")
    item.language = guess_language(item.text)
    return item


def _codepage(data: bytes) -> str:
    m = _CODEPAGE.search(data[:4096])
    if m:
        name = f"cp{int(m.group(1))}"
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "cp1252"


def _info(source: str, field: str, encoding: str) -> str | None:
    m = re.search(_INFO_FIELD % field, source)
    if not m:
        return None
    value = rtf_to_text("{\\rtf1 " + m.group(1) + "}", encoding=encoding, errors="replace")
    return " ".join(value.split()) or None


def _info_date(source: str, field: str) -> str | None:
    m = re.search(_INFO_DATE % field, source)
    if not m:
        return None
    parts = dict(re.findall(r"\\([a-z]+)(\d+)", m.group(1)))
    if "yr" not in parts:
        return None
    stamp = f"{int(parts['yr']):04d}-{int(parts.get('mo', 1)):02d}-{int(parts.get('dy', 1)):02d}"
    if "hr" in parts:
        stamp += f"T{int(parts['hr']):02d}:{int(parts.get('min', 0)):02d}:00"
    return stamp


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
