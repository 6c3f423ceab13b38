"""HTML pages: title, meta tags, declared language and the visible text."""

from __future__ import annotations

import warnings
from pathlib import Path

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from .base import Extracted
from .dates import iso_date
from .language import guess_language
from .textio import decode, ensure_text, read_capped, squeeze_blank_lines

_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
# EPUB chapters are XHTML; reading them as HTML is what we want, so no warning.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

# Python's own parser, not lxml: extraction as a whole (BeautifulSoup builds the tree
# either way) took 1.3x the time with it on 3 MB of real pages, for the same text, and
# lxml would add 5.4 MB to the packaged binary.
PARSER = "html.parser"

_DATE_META = ("date", "dc.date", "dcterms.created", "article:published_time", "pubdate")
_MODIFIED_META = ("last-modified", "dcterms.modified", "article:modified_time")


def extract_html(path: Path) -> Extracted:
    data, truncated = read_capped(path)
    ensure_text(data)
    markup, encoding = _markup(data)
    soup = BeautifulSoup(markup, PARSER)
    item = Extracted(kind="web")
    item.extra["encoding"] = encoding or soup.original_encoding or "utf-8"
    if truncated:
        item.extra["truncated"] = True
    meta = _meta(soup)
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if not title:
        title = meta.get("og:title") or _first_heading(soup)
    item.title = title or None
    item.creator = meta.get("author") or meta.get("dc.creator") or None
    item.created = iso_date(next((meta[k] for k in _DATE_META if meta.get(k)), None))
    item.modified = iso_date(next((meta[k] for k in _MODIFIED_META if meta.get(k)), None))
    if description := meta.get("description") or meta.get("og:description"):
        item.extra["description"] = description
    keywords = meta.get("keywords", "")
    item.keywords = [k for k in (w.strip() for w in keywords.split(",")) if k]
    root = soup.find("html")
    lang = root.get("lang") if root else None
    item.language = (str(lang).strip() or None) if lang else None
    # Last: taking the visible text removes <head> and scripts from the tree.
    item.text = visible_text(soup)
    item.language = item.language or meta.get("content-language") or guess_language(item.text)
    return item


def parse(data: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(_markup(data)[0], PARSER)


def _markup(data: bytes | str) -> tuple[bytes | str, str | None]:
    """UTF-8 first, then the page's declared charset (BeautifulSoup reads it), then our
    own detection: BeautifulSoup's guessing alone misreads short UTF-8 Chinese."""
    if isinstance(data, str):
        return data, None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        if b"charset" in data[:4096].lower():
            return data, None
        return decode(data)


def visible_text(soup: BeautifulSoup) -> str:
    for tag in soup(_INVISIBLE):
        tag.decompose()
    body = soup.body or soup
    return squeeze_blank_lines(body.get_text("\n"))


def html_to_text(markup: str | bytes) -> str:
    """Visible text of an HTML fragment or document (used by e-mail and EPUB too)."""
    return visible_text(parse(markup))


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property") or tag.get("http-equiv")
        content = tag.get("content")
        if key and content:
            found.setdefault(str(key).strip().lower(), str(content).strip())
    return found


def _first_heading(soup: BeautifulSoup) -> str:
    heading = soup.find(["h1", "h2"])
    return heading.get_text(" ", strip=True) if heading else ""
