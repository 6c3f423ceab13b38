"""Dates found in files, in whatever form each format uses, as ISO 8601 strings."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

_PDF = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+\-])(\d{2})?'?(\d{2})?'?)?")
_EXIF = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: object) -> str | None:
    """Best-effort ISO 8601 form of a date; None when it cannot be understood."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).strip().strip("\x00")
    if not text:
        return None
    # A bare year, month or day stays as precise as it was given.
    if _YEAR.match(text) or _YEAR_MONTH.match(text) or _DAY.match(text):
        return text
    if m := _PDF.match(text):
        return _from_pdf(m)
    if m := _EXIF.match(text):
        # Cameras with an unset clock write "0000:00:00 00:00:00".
        return None if m.group(1) == "0000" else "{}-{}-{}T{}:{}:{}".format(*m.groups())
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    # ID3 and others use "2024-05-01 10:00:00" variants with odd separators.
    m = re.match(r"^(\d{4})[-/.](\d{2})[-/.](\d{2})", text)
    return "-".join(m.groups()) if m else None


def _from_pdf(m: re.Match[str]) -> str:
    year, month, day, hour, minute, second, tz, tzh, tzm = m.groups()
    if not month:
        return year
    if not day:
        return f"{year}-{month}"
    if not hour:
        return f"{year}-{month}-{day}"
    stamp = f"{year}-{month}-{day}T{hour}:{minute or '00'}:{second or '00'}"
    if tz in ("Z", "z"):
        return stamp + "+00:00"
    if tz in ("+", "-") and tzh:
        return f"{stamp}{tz}{tzh}:{tzm or '00'}"
    return stamp
