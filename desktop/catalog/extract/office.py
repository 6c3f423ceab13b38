"""Word (DOCX) and OpenDocument (ODT) text documents: paragraphs and core metadata."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from .archive import Parts, open_zip
from .base import Extracted, ExtractionError
from .dates import iso_date
from .language import guess_language
from .textio import MAX_TEXT_CHARS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


def extract_docx(path: Path) -> Extracted:
    with open_zip(path, "DOCX") as zf:
        parts = Parts(zf, "DOCX")
        if not parts.has("word/document.xml"):
            raise ExtractionError("not a Word document: word/document.xml is missing")
        item = Extracted(kind="document", text=_docx_text(parts.xml("word/document.xml")))
        if parts.has("docProps/core.xml"):
            _docx_core(parts.xml("docProps/core.xml"), item)
    item.language = item.language or guess_language(item.text)
    return item


def _docx_text(root: Element) -> str:
    paragraphs: list[str] = []
    total = 0
    for para in root.iter(f"{_W}p"):
        pieces: list[str] = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{_W}tab":
                pieces.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                pieces.append("\n")
        text = "".join(pieces).strip()
        if text:
            paragraphs.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
    return "\n".join(paragraphs)[:MAX_TEXT_CHARS]


def _child_text(root: Element, tag: str) -> str | None:
    node = root.find(tag)
    return " ".join(node.text.split()) if node is not None and node.text else None


def _docx_core(core: Element, item: Extracted) -> None:
    item.title = _child_text(core, f"{_DC}title")
    item.creator = _child_text(core, f"{_DC}creator")
    item.created = iso_date(_child_text(core, f"{_DCTERMS}created"))
    item.modified = iso_date(_child_text(core, f"{_DCTERMS}modified"))
    item.language = _child_text(core, f"{_DC}language")
    item.keywords = _split_keywords(_child_text(core, f"{_CP}keywords"))
    for key, tag in (("subject", f"{_DC}subject"), ("description", f"{_DC}description")):
        if value := _child_text(core, tag):
            item.extra[key] = value


def _split_keywords(value: str | None) -> list[str]:
    if not value:
        return []
    separator = ";" if ";" in value else ","
    return [k for k in (w.strip() for w in value.split(separator)) if k]


def extract_odt(path: Path) -> Extracted:
    with open_zip(path, "ODT") as zf:
        parts = Parts(zf, "ODT")
        if not parts.has("content.xml"):
            raise ExtractionError("not an OpenDocument text: content.xml is missing")
        item = Extracted(kind="document", text=_odt_text(parts.xml("content.xml")))
        if parts.has("meta.xml"):
            _odt_meta(parts.xml("meta.xml"), item)
    item.language = item.language or guess_language(item.text)
    return item


def _odt_inline(node: Element, out: list[str]) -> None:
    """Text of a paragraph, honouring ODF's encoded spaces, tabs and line breaks."""
    if node.text:
        out.append(node.text)
    for child in node:
        if child.tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            out.append(" " * (min(int(count), 1000) if count.isdigit() else 1))
        elif child.tag == f"{_TEXT}tab":
            out.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            out.append("\n")
        elif child.tag != f"{_OFFICE}annotation":
            _odt_inline(child, out)
        if child.tail:
            out.append(child.tail)


def _odt_text(root: Element) -> str:
    paragraphs: list[str] = []
    total = 0
    for node in root.iter():
        if node.tag not in (f"{_TEXT}p", f"{_TEXT}h"):
            continue
        pieces: list[str] = []
        _odt_inline(node, pieces)
        text = "".join(pieces).strip()
        if text:
            paragraphs.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
    return "\n".join(paragraphs)[:MAX_TEXT_CHARS]


def _odt_meta(root: Element, item: Extracted) -> None:
    meta = root.find(f"{_OFFICE}meta")
    if meta is None:
        return
    item.title = _child_text(meta, f"{_DC}title")
    item.creator = _child_text(meta, f"{_META}initial-creator") or _child_text(meta, f"{_DC}creator")
    item.created = iso_date(_child_text(meta, f"{_META}creation-date"))
    item.modified = iso_date(_child_text(meta, f"{_DC}date"))
    item.language = _child_text(meta, f"{_DC}language")
    item.keywords = [
        " ".join(k.text.split()) for k in meta.iter(f"{_META}keyword") if k.text and k.text.strip()
    ]
    for key, tag in (("subject", f"{_DC}subject"), ("description", f"{_DC}description")):
        if value := _child_text(meta, tag):
            item.extra[key] = value
