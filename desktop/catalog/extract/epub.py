"""EPUB ebooks: OPF metadata and the text of the spine documents, in reading order."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from .archive import Parts, open_zip, resolve
from .base import Extracted, ExtractionError
from .dates import iso_date
from .html import html_to_text
from .language import guess_language
from .textio import MAX_TEXT_CHARS

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_TEXT_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")


def extract_epub(path: Path) -> Extracted:
    with open_zip(path, "EPUB") as zf:
        parts = Parts(zf, "EPUB")
        opf_name = _rootfile(parts)
        opf = parts.xml(opf_name)
        item = Extracted(kind="ebook")
        _read_metadata(opf, item)
        texts: list[str] = []
        total = 0
        for name in _spine(opf, opf_name):
            if not parts.has(name):
                continue  # a broken link in the spine should not lose the whole book
            text = html_to_text(parts.read(name))
            texts.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        item.text = "\n\n".join(t for t in texts if t)[:MAX_TEXT_CHARS]
        item.extra["chapters"] = len(texts)
    item.language = item.language or guess_language(item.text)
    return item


def _rootfile(parts: Parts) -> str:
    container = parts.xml("META-INF/container.xml")
    for rootfile in container.iter(f"{_CONTAINER}rootfile"):
        name = rootfile.get("full-path")
        media = rootfile.get("media-type", "application/oebps-package+xml")
        if name and media == "application/oebps-package+xml":
            return name
    raise ExtractionError("EPUB is damaged: container.xml names no package document")


def _texts(parent: Element, tag: str) -> list[str]:
    return [" ".join(e.text.split()) for e in parent.iter(f"{_DC}{tag}") if e.text and e.text.strip()]


def _read_metadata(opf: Element, item: Extracted) -> None:
    metadata = opf.find(f"{_OPF}metadata")
    if metadata is None:
        return
    titles = _texts(metadata, "title")
    creators = _texts(metadata, "creator")
    item.title = titles[0] if titles else None
    item.creator = ", ".join(creators) or None
    for date in metadata.iter(f"{_DC}date"):
        event = date.get(f"{_OPF}event", "")
        if date.text and event in ("", "publication", "creation", "original-publication"):
            item.created = iso_date(date.text)
            break
    for meta in metadata.iter(f"{_OPF}meta"):
        if meta.get("property") == "dcterms:modified" and meta.text:
            item.modified = iso_date(meta.text)
    languages = _texts(metadata, "language")
    item.language = languages[0] if languages else None
    item.keywords = _texts(metadata, "subject")
    for tag in ("publisher", "description", "identifier"):
        values = _texts(metadata, tag)
        if values:
            item.extra[tag] = values[0]
    if "description" in item.extra:
        item.extra["description"] = html_to_text(item.extra["description"])


def _spine(opf: Element, opf_name: str) -> list[str]:
    manifest: dict[str, tuple[str, str]] = {}
    for entry in opf.iter(f"{_OPF}item"):
        if entry.get("id") and entry.get("href"):
            manifest[entry.get("id", "")] = (entry.get("href", ""), entry.get("media-type", ""))
    names: list[str] = []
    spine = opf.find(f"{_OPF}spine")
    for ref in spine.iter(f"{_OPF}itemref") if spine is not None else []:
        href, media = manifest.get(ref.get("idref", ""), ("", ""))
        if href and media in _TEXT_TYPES:
            names.append(resolve(opf_name, href))
    if not names:
        raise ExtractionError("EPUB is damaged: its spine lists no readable documents")
    return names
