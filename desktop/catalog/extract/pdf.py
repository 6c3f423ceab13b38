"""PDF documents through PDFium: text of every page, document info, page count."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from .base import Extracted, ExtractionError
from .dates import iso_date
from .language import guess_language
from .textio import MAX_TEXT_CHARS


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF read-only, turning PDFium's errors into readable reasons."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError("not a PDF file (no %PDF header)")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ExtractionError("PDF is encrypted (password required)") from exc
        raise ExtractionError(f"PDF is damaged: {message}") from exc


def extract_pdf(path: Path) -> Extracted:
    doc = open_pdf(path)
    try:
        item = Extracted(kind="document", pages=len(doc))
        try:
            meta = doc.get_metadata_dict(skip_empty=True)
        except pdfium.PdfiumError:
            meta = {}
        item.title = meta.get("Title") or None
        item.creator = meta.get("Author") or None
        item.created = iso_date(meta.get("CreationDate"))
        item.modified = iso_date(meta.get("ModDate"))
        keywords = meta.get("Keywords", "")
        separator = ";" if ";" in keywords else ","
        item.keywords = [k for k in (w.strip() for w in keywords.split(separator)) if k]
        if subject := meta.get("Subject"):
            item.extra["subject"] = subject
        for key in ("Creator", "Producer"):
            if meta.get(key):
                item.extra[key.lower()] = meta[key]
        item.text = _page_texts(doc)
        if not item.text.strip():
            # A scanned PDF without a text layer: worth telling the user, not an error.
            item.extra["no_text_layer"] = True
        item.language = guess_language(item.text)
        return item
    finally:
        doc.close()


def _page_texts(doc: pdfium.PdfDocument) -> str:
    parts: list[str] = []
    total = 0
    for index in range(len(doc)):
        page = doc[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"PDF is damaged: page {index + 1}: {exc}") from exc
        finally:
            page.close()
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        parts.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            break
    return "\n\n".join(p for p in parts if p)[:MAX_TEXT_CHARS]
