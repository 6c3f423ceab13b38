"""Plain text, Markdown and reStructuredText."""

from __future__ import annotations

import re
from pathlib import Path

from .base import Extracted
from .dates import iso_date
from .language import guess_language
from .textio import read_text

_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RST_RULE = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")


def extract_text(path: Path) -> Extracted:
    text, facts = read_text(path)
    item = Extracted(kind="text", text=text.strip(), extra=facts)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        body, front = split_front_matter(text)
        item.text = body.strip()
        _apply_front_matter(item, front)
        item.title = item.title or markdown_title(body)
    elif suffix == ".rst":
        item.title = rst_title(text)
    item.language = item.language or guess_language(item.text)
    return item


def split_front_matter(text: str) -> tuple[str, dict[str, str | list[str]]]:
    """Separate a YAML front-matter block (--- ... ---) from a Markdown body.

    Only the flat `key: value` and `key: [a, b]` / `- item` forms are read: that covers
    what static-site generators put there, without a YAML dependency.
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return text, {}
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return text, {}
    front: dict[str, str | list[str]] = {}
    key: str | None = None
    for line in lines[1:end]:
        if key and re.match(r"^\s+-\s+", line):
            value = front.setdefault(key, [])
            if isinstance(value, list):
                value.append(_unquote(line.split("-", 1)[1]))
            continue
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, raw = m.group(1).lower(), m.group(2).strip()
        if raw.startswith("[") and raw.endswith("]"):
            front[key] = [_unquote(v) for v in raw[1:-1].split(",") if v.strip()]
        elif raw:
            front[key] = _unquote(raw)
    return "\n".join(lines[end + 1 :]), front


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _apply_front_matter(item: Extracted, front: dict[str, str | list[str]]) -> None:
    def first(*keys: str) -> str | None:
        for key in keys:
            value = front.get(key)
            if isinstance(value, list):
                value = ", ".join(value)
            if value:
                return value
        return None

    item.title = first("title")
    item.creator = first("author", "authors", "creator")
    item.created = iso_date(first("date", "created"))
    item.modified = iso_date(first("updated", "modified", "lastmod"))
    item.language = first("lang", "language")
    for key in ("keywords", "tags", "categories"):
        value = front.get(key)
        if isinstance(value, str):
            value = [v for v in (p.strip() for p in value.split(",")) if v]
        for word in value or []:
            if word not in item.keywords:
                item.keywords.append(word)
    if description := first("description", "summary"):
        item.extra["description"] = description


def markdown_title(text: str) -> str | None:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if m := _ATX_HEADING.match(line):
            return m.group(1).strip() or None
        if line.strip() and i + 1 < len(lines) and _SETEXT_RULE.match(lines[i + 1]):
            return line.strip()
    return None


def rst_title(text: str) -> str | None:
    """The first section title: a line underlined (and maybe overlined) by punctuation."""
    lines = text.splitlines()
    for i in range(len(lines) - 1):
        line, under = lines[i].strip(), lines[i + 1]
        if line and not _RST_RULE.match(line) and _RST_RULE.match(under):
            if len(under.strip()) >= len(line):
                return line
    return None
