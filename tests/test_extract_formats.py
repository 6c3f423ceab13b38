"""Each format's extractor on a small real file: text, metadata, language."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from desktop.catalog.extract import extract
from tests.formats import CHINESE, ENGLISH, FRENCH, GPS, build_library, iptc_segment, jpeg_bytes


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_library(tmp_path_factory.mktemp("library"))


def test_plain_text_utf8(lib: dict[str, Path]) -> None:
    item = extract(lib["txt"])
    assert item.kind == "text"
    assert item.text == ENGLISH
    assert item.language == "en"
    assert item.title is None
    assert item.extra["encoding"] == "utf-8"


def test_text_utf8_chinese(lib: dict[str, Path]) -> None:
    item = extract(lib["txt_zh"])
    assert CHINESE in item.text and ENGLISH in item.text
    assert item.language == "zh"


def test_text_gbk_is_decoded(lib: dict[str, Path]) -> None:
    item = extract(lib["txt_gbk"])
    assert item.text == CHINESE
    assert item.extra["encoding"] in ("gb18030", "gbk", "gb2312")
    assert item.language == "zh"


def test_text_latin1_is_decoded(lib: dict[str, Path]) -> None:
    item = extract(lib["txt_latin1"])
    assert item.text == FRENCH
    assert item.language == "fr"


def test_markdown_front_matter(lib: dict[str, Path]) -> None:
    item = extract(lib["md"])
    assert item.kind == "text"
    assert item.title == "Notes on Archives"
    assert item.creator == "Ada Keeper"
    assert item.created == "2024-03-05"
    assert set(item.keywords) == {"archives", "letters", "curation"}
    assert "title: Notes" not in item.text
    assert ENGLISH in item.text


def test_markdown_title_from_heading(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("Intro line\n\n## Second-level Title ##\n\nBody.\n", encoding="utf-8")
    assert extract(path).title == "Second-level Title"


def test_rst_title(lib: dict[str, Path]) -> None:
    assert extract(lib["rst"]).title == "Guide"


def test_html(lib: dict[str, Path]) -> None:
    item = extract(lib["html"])
    assert item.kind == "web"
    assert item.title == "离线整理 Offline curation"
    assert item.creator == "Li Wei"
    assert item.created == "2023-11-02"
    assert item.language == "zh-CN"
    assert item.keywords == ["archive", "图书馆", "curation"]
    assert item.extra["description"] == "A page about archives"
    assert CHINESE in item.text and ENGLISH in item.text
    for hidden in ("SECRET_SCRIPT", "SECRET_NOSCRIPT", "color: red", "离线整理"):
        assert hidden not in item.text


def test_html_in_legacy_encoding_without_charset(tmp_path: Path) -> None:
    path = tmp_path / "gbk.htm"
    path.write_bytes(f"<html><body><p>{CHINESE}</p></body></html>".encode("gbk"))
    item = extract(path)
    assert CHINESE in item.text
    assert item.language == "zh"


def test_pdf(lib: dict[str, Path]) -> None:
    item = extract(lib["pdf"])
    assert item.kind == "document"
    assert item.pages == 2
    assert item.title == "Archive Handbook"
    assert item.creator == "Ada Keeper"
    assert item.created == "2023-01-02T03:04:05+01:00"
    assert item.modified == "2024-05-06T07:08:09+00:00"
    assert item.keywords == ["archives", "letters"]
    assert "The quiet archive keeps every letter." in item.text
    assert item.text.index("Page one") < item.text.index("Second page")


def test_epub(lib: dict[str, Path]) -> None:
    item = extract(lib["epub"])
    assert item.kind == "ebook"
    assert item.title == "The Keeper's Book"
    assert item.creator == "Ada Keeper, Li Wei"
    assert item.created == "2021-09-30"
    assert item.language == "en"
    assert item.keywords == ["Archives", "History"]
    # Spine order, not manifest order; the href with an escaped space is found.
    assert item.text.index("Chapter One") < item.text.index("Chapter Two")
    assert ENGLISH in item.text
    assert "margin" not in item.text and "One\nChapter One" not in item.text


def test_docx(lib: dict[str, Path]) -> None:
    item = extract(lib["docx"])
    assert item.kind == "document"
    assert item.title == "季度报告 Quarterly Report"
    assert item.creator == "Li Wei"
    assert item.created == "2024-01-15T08:00:00+00:00"
    assert item.keywords == ["archive", "report"]
    lines = item.text.split("\n")
    assert lines[0] == "Archive Report"  # runs of one paragraph are joined
    assert CHINESE in lines and ENGLISH in lines
    assert "Name\tValue" in lines


def test_odt(lib: dict[str, Path]) -> None:
    item = extract(lib["odt"])
    assert item.kind == "document"
    assert item.title == "Open Report"
    assert item.creator == "Ada Keeper"
    assert item.created == "2020-05-04T03:02:01"
    assert item.language == "en-GB"
    assert item.keywords == ["odf", "report"]
    assert "two  spaces\ttab, spanned" in item.text  # <text:s c="2"/> is two spaces
    assert ENGLISH in item.text


def test_rtf(lib: dict[str, Path]) -> None:
    item = extract(lib["rtf"])
    assert item.kind == "document"
    assert item.title == "Archive Report"
    assert item.creator == "Ada Keeper"
    assert item.created == "2022-06-15T09:30:00"
    assert item.keywords == ["archive", "letters"]
    assert "The quiet archive keeps every letter" in item.text
    assert "Café au lait." in item.text
    assert "Times New Roman" not in item.text and "Ada Keeper" not in item.text


def test_email(lib: dict[str, Path]) -> None:
    item = extract(lib["eml"])
    assert item.kind == "email"
    assert item.title == "Quarterly archive report 季度报告"
    assert item.creator == "Ada Keeper <ada@example.org>"
    assert item.created == "2024-03-05T10:15:00+01:00"
    assert item.extra["to"] == "Board <board@example.org>"
    assert item.extra["attachments"] == ["data.csv"]
    assert ENGLISH in item.text and CHINESE in item.text
    assert "HTML version" not in item.text  # the plain part is preferred


def test_email_html_only(lib: dict[str, Path]) -> None:
    item = extract(lib["eml_html"])
    assert "Hello" in item.text and "reader" in item.text
    assert "x=1" not in item.text and "<p>" not in item.text


def test_srt(lib: dict[str, Path]) -> None:
    item = extract(lib["srt"])
    assert item.kind == "subtitle"
    assert item.duration == pytest.approx(65.125)
    assert item.text.split("\n")[0] == "The quiet archive keeps every letter."
    assert "-->" not in item.text and "<i>" not in item.text
    assert not any(line.strip().isdigit() for line in item.text.split("\n"))
    assert item.language == "en"


def test_vtt(lib: dict[str, Path]) -> None:
    item = extract(lib["vtt"])
    assert item.text == "Hello from the archive.\nThe letters are sorted by sender."
    assert item.duration == pytest.approx(7.75)


def test_jpeg_metadata(lib: dict[str, Path]) -> None:
    item = extract(lib["jpg"])
    assert item.kind == "image"
    assert (item.width, item.height) == (64, 32)
    assert item.created == "2023-07-14T10:20:30"
    assert item.extra["camera"] == "Canon EOS 5D"
    assert item.extra["gps"] == {"lat": pytest.approx(GPS[0]), "lon": pytest.approx(GPS[1])}
    assert item.title == "Harbour at dawn"  # XMP dc:title
    assert item.extra["description"] == "Boats in the harbour"  # EXIF ImageDescription
    assert {"boats", "sea", "harbour", "港口"} <= set(item.keywords)  # IPTC + XMP


def test_png_text_chunks(lib: dict[str, Path]) -> None:
    item = extract(lib["png"])
    assert (item.width, item.height) == (48, 48)
    assert item.title == "A green square"
    assert item.creator == "Ada Keeper"


@pytest.mark.parametrize(
    ("name", "title", "creator", "duration"),
    [
        ("mp3", "Harbour Song", "The Keepers", 1.0),
        ("flac", "Tide", "Li Wei", 2.0),
        ("ogg", "Night Ferry", "Ada Keeper", 3.0),
        ("wav", "Field Recording", "Li Wei", 0.5),
        ("m4a", "Lighthouse", "Ada Keeper", 4.5),
    ],
)
def test_audio_tags(lib: dict[str, Path], name: str, title: str, creator: str, duration: float) -> None:
    item = extract(lib[name])
    assert item.kind == "audio"
    assert item.title == title
    assert item.creator == creator
    assert item.duration == pytest.approx(duration, abs=0.05)


def test_mp3_album_genre_date(lib: dict[str, Path]) -> None:
    item = extract(lib["mp3"])
    assert item.extra["album"] == "Archive Sessions"
    assert item.keywords == ["Folk"]
    assert item.created == "2019"


def test_audio_without_tags_still_has_duration(tmp_path: Path) -> None:
    path = tmp_path / "bare.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 16000)
    item = extract(path)
    assert item.title is None
    assert item.duration == pytest.approx(2.0)


def test_mp4_video(lib: dict[str, Path]) -> None:
    item = extract(lib["mp4"])
    assert item.kind == "video"
    assert item.title == "Harbour Film"
    assert item.creator == "Li Wei"
    assert item.duration == pytest.approx(12.5)
    assert (item.width, item.height) == (320, 240)
    assert "subtitles" not in item.extra


@pytest.mark.parametrize("name", ["mkv", "webm"])
def test_matroska(lib: dict[str, Path], name: str) -> None:
    item = extract(lib[name])
    assert item.kind == "video"
    assert item.title == "Matroska Voyage 航行"
    assert item.duration == pytest.approx(90.5)
    assert (item.width, item.height) == (640, 360)
    assert item.extra["container"] == ("webm" if name == "webm" else "matroska")


def test_avi(lib: dict[str, Path]) -> None:
    item = extract(lib["avi"])
    assert item.title == "Old Tape"
    assert item.duration == pytest.approx(3.0)
    assert (item.width, item.height) == (160, 120)
    assert item.extra["size"] == lib["avi"].stat().st_size


def test_video_collects_sidecar_subtitles(lib: dict[str, Path]) -> None:
    item = extract(lib["movie"])
    assert item.extra["subtitles"] == ["movie.srt", "movie.zh.srt"]
    assert "The quiet archive keeps every letter." in item.text
    assert CHINESE in item.text
    assert item.language == "en"  # from the plain movie.srt, listed first


def test_jpeg_iptc_only(tmp_path: Path) -> None:
    plain = jpeg_bytes(metadata=False)
    iptc = iptc_segment([(5, b"Object Name"), (120, "Légende".encode()), (25, b"one")])
    path = tmp_path / "iptc.jpg"
    path.write_bytes(plain[:2] + iptc + plain[2:])
    item = extract(path)
    assert item.title == "Object Name"
    assert item.extra["description"] == "Légende"
    assert item.keywords == ["one"]
    assert item.text == "Object Name\nLégende"
