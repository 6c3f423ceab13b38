"""The extract package's entry points: suffixes, kinds, sidecars, size guard, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.catalog.extract import (
    SUPPORTED_SUFFIXES,
    ExtractionError,
    extract,
    guess_language,
    is_sidecar,
    kind_for,
    textio,
)
from desktop.catalog.extract.dates import iso_date
from tests.formats import CHINESE, ENGLISH, FRENCH, GARBAGE


def test_supported_suffixes_are_lowercase_with_dot() -> None:
    assert SUPPORTED_SUFFIXES >= {".txt", ".md", ".pdf", ".epub", ".docx", ".jpg", ".mp3"}
    assert all(s.startswith(".") and s == s.lower() for s in SUPPORTED_SUFFIXES)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("a.MD", "text"),
        ("a.html", "web"),
        ("a.pdf", "document"),
        ("a.docx", "document"),
        ("a.odt", "document"),
        ("a.rtf", "document"),
        ("a.epub", "ebook"),
        ("a.eml", "email"),
        ("a.srt", "subtitle"),
        ("a.JPG", "image"),
        ("a.flac", "audio"),
        ("a.mkv", "video"),
        ("a.exe", None),
        ("README", None),
    ],
)
def test_kind_for(name: str, kind: str | None) -> None:
    assert kind_for(Path(name)) == kind


def test_is_sidecar(tmp_path: Path) -> None:
    sidecars = ("movie.srt", "movie.en.srt", "movie.pt-BR.vtt", "movie.eng.forced.srt")
    others = ("film.srt", "lonely.srt", "movie.director-commentary.srt", "notes.txt")
    for name in ("movie.mp4", "Film.MKV", *sidecars, *others):
        (tmp_path / name).write_bytes(b"")
    for name in sidecars:
        assert is_sidecar(tmp_path / name), name
    assert not is_sidecar(tmp_path / "lonely.srt")
    assert not is_sidecar(tmp_path / "movie.director-commentary.srt")
    assert not is_sidecar(tmp_path / "movie.mp4")
    assert not is_sidecar(tmp_path / "notes.txt")
    assert not is_sidecar(tmp_path / "film.srt")  # case differs: Film.MKV is another stem


def test_big_text_is_truncated_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "TEXT_CAP", 1000)
    path = tmp_path / "big.txt"
    path.write_text(("é" + ENGLISH) * 50, encoding="utf-8")  # cut may fall inside "é"
    item = extract(path)
    assert item.extra["truncated"] is True
    assert len(item.text.encode("utf-8")) <= 1000
    assert item.extra["encoding"] == "utf-8"


def test_binary_renamed_to_txt(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + GARBAGE * 8)
    with pytest.raises(ExtractionError, match="binary data, not text"):
        extract(path)


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(ENGLISH.encode("utf-16"))
    assert extract(path).text == ENGLISH


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (CHINESE, "zh"),
        (FRENCH, "fr"),
        ("Der Hund und die Katze sind nicht im Haus, aber sie sind auch nicht weit.", "de"),
        ("El perro y el gato no están en la casa, pero los niños están con ellos.", "es"),
        ("Это небольшой текст на русском языке для проверки.", "ru"),
        ("これは日本語のテキストです。ひらがなとカタカナを含みます。", "ja"),
        ("Hi", None),
        ("", None),
        ("12345 67890 !!! ??? 12345 67890", None),
    ],
)
def test_guess_language(text: str, language: str | None) -> None:
    assert guess_language(text) == language


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20230102030405+01'00'", "2023-01-02T03:04:05+01:00"),
        ("D:2023", "2023"),
        ("2023:07:14 10:20:30", "2023-07-14T10:20:30"),
        ("0000:00:00 00:00:00", None),
        ("Tue, 05 Mar 2024 10:15:00 +0100", "2024-03-05T10:15:00+01:00"),
        ("2024-03-05", "2024-03-05"),
        ("2019", "2019"),
        ("2024-01-15T08:00:00Z", "2024-01-15T08:00:00+00:00"),
        ("not a date", None),
        (None, None),
    ],
)
def test_iso_date(raw: str | None, iso: str | None) -> None:
    assert iso_date(raw) == iso
