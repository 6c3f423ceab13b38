"""Damaged files fail with a readable ExtractionError, and nothing is ever written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import desktop.catalog.extract as extract_package
from desktop.catalog.extract import ExtractionError, archive, extract
from tests.formats import broken_files, build_broken, build_library, docx_bytes, pdf_bytes

# A word or two each reason must contain, so the user is told what is actually wrong.
EXPECTED_REASON = {
    "binary.txt": "binary data, not text",
    "binary.md": "binary data, not text",
    "binary.html": "binary data, not text",
    "binary.eml": "binary data, not text",
    "no-cues.srt": "no subtitle cues",
    "no-header.vtt": "WEBVTT",
    "garbage.pdf": "not a PDF",
    "truncated.pdf": "PDF is damaged",
    "encrypted.pdf": "encrypted",
    "garbage.epub": "not a valid EPUB (zip) file",
    "no-container.epub": "container.xml",
    "garbage.docx": "not a valid DOCX (zip) file",
    "no-document.docx": "word/document.xml",
    "bad-xml.docx": "not well-formed XML",
    "entity-bomb.docx": "forbidden XML",
    "no-content.odt": "content.xml",
    "not-rtf.rtf": "not an RTF file",
    "no-headers.eml": "not an e-mail",
    "truncated.jpg": "truncated",
    "garbage.jpg": "not a recognised image",
    "bomb.png": "too large",
    "big-warning.png": "too large",
    "garbage.mkv": "not a Matroska",
    "garbage.avi": "not an AVI",
}


@pytest.mark.parametrize("name", sorted(broken_files()))
def test_broken_file_raises_extraction_error(tmp_path: Path, name: str) -> None:
    data = broken_files()[name]
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    reason = str(caught.value)
    assert reason and len(reason) < 300
    assert str(tmp_path) not in reason  # no full paths in what the user reads
    if name in EXPECTED_REASON:
        assert EXPECTED_REASON[name] in reason


def test_encrypted_fixture_is_a_real_encrypted_pdf(tmp_path: Path) -> None:
    """The fixture fails for the right reason: it opens with its password."""
    path = tmp_path / "locked.pdf"
    path.write_bytes(pdf_bytes([["behind the lock"]], {"Title": "Locked"}, user_password="pw"))
    doc = pdfium.PdfDocument(path, password="pw")
    try:
        assert "behind the lock" in doc[0].get_textpage().get_text_bounded()
    finally:
        doc.close()


def test_oversized_zip_part_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part that inflates beyond the bound (a zip bomb) is refused, not inflated."""
    monkeypatch.setattr(archive, "MAX_PART_BYTES", 200)
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bytes())
    with pytest.raises(ExtractionError, match="too large"):
        extract(path)


def test_library_surprises_become_extraction_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a parsing library raises reaches the caller as an ExtractionError."""
    path = tmp_path / "note.txt"
    path.write_text("hello", encoding="utf-8")

    def explode(p: Path) -> None:
        raise KeyError(f"internal table missing for {p}")

    monkeypatch.setitem(extract_package._FORMATS, ".txt", ("text", explode))
    with pytest.raises(ExtractionError, match="TXT file could not be read") as caught:
        extract(path)
    assert str(tmp_path) not in str(caught.value)


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="unsupported"):
        extract(tmp_path / "archive.xyz")
    with pytest.raises(ExtractionError, match="not found"):
        extract(tmp_path / "missing.pdf")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ExtractionError):
        extract(tmp_path / "folder.txt")


def _snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    state = {}
    for entry in sorted(folder.iterdir()):
        stat = entry.stat()
        digest = hashlib.sha256(entry.read_bytes()).hexdigest()
        state[entry.name] = (digest, stat.st_mtime_ns, stat.st_size)
    return state


def test_extraction_never_writes(tmp_path: Path) -> None:
    """Every good and broken file keeps its bytes and mtime; no file appears beside it."""
    good = build_library(tmp_path / "good")
    bad = build_broken(tmp_path / "bad")
    # Make the files and folders read-only as well: a write attempt would fail loudly.
    paths = [*good.values(), *bad.values()]
    before = {folder: _snapshot(folder) for folder in (tmp_path / "good", tmp_path / "bad")}
    for path in paths:
        os.chmod(path, 0o444)
    try:
        for path in paths:
            try:
                extract(path)
            except ExtractionError:
                pass
    finally:
        for path in paths:
            os.chmod(path, 0o644)
    after = {folder: _snapshot(folder) for folder in before}
    assert after == before
