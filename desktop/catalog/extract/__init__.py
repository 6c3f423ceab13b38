"""Text and metadata from the files of a media library, one module per format family.

`extract(path)` reads a file (never writing to it or its folder) and returns an
`Extracted`; a file it cannot read raises `ExtractionError` with a short reason for the
user. Callers run it in worker processes with time and memory bounds: the extractors
bound what they read, but a hostile file can still be slow.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from .base import Extracted, ExtractionError
from .language import guess_language
from .subtitles import SUBTITLE_SUFFIXES, VIDEO_SUFFIXES, video_for

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ExtractionError",
    "Extracted",
    "extract",
    "guess_language",
    "is_sidecar",
    "kind_for",
]

Extractor = Callable[[Path], Extracted]

# suffix -> (kind, "module:function"). Extractor modules (and the parsing libraries they
# pull in) are imported on first use, which keeps start-up and an unchanged re-scan fast.
_FORMATS: dict[str, tuple[str, str | Extractor]] = {
    **dict.fromkeys((".txt", ".md", ".markdown", ".rst"), ("text", "text:extract_text")),
    **dict.fromkeys((".html", ".htm", ".xhtml"), ("web", "html:extract_html")),
    ".pdf": ("document", "pdf:extract_pdf"),
    ".docx": ("document", "office:extract_docx"),
    ".odt": ("document", "office:extract_odt"),
    ".rtf": ("document", "rtf:extract_rtf"),
    ".epub": ("ebook", "epub:extract_epub"),
    ".eml": ("email", "email:extract_email"),
    **dict.fromkeys(SUBTITLE_SUFFIXES, ("subtitle", "subtitles:extract_subtitles")),
    **dict.fromkeys(
        (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp"),
        ("image", "image:extract_image"),
    ),
    **dict.fromkeys(
        (".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".wav", ".wma", ".aiff", ".aif"),
        ("audio", "audio:extract_audio"),
    ),
    **dict.fromkeys(VIDEO_SUFFIXES, ("video", "video:extract_video")),
}


def _extractor(target: str | Extractor) -> Extractor:
    if callable(target):
        return target
    module, function = target.split(":")
    return getattr(import_module(f"{__name__}.{module}"), function)


SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)


def kind_for_suffix(suffix: str) -> str | None:
    """The item kind for a lower-case suffix such as ".pdf", or None if unsupported."""
    entry = _FORMATS.get(suffix)
    return entry[0] if entry else None


def kind_for(path: Path) -> str | None:
    """The item kind a file would be (text, document, ...), or None if unsupported."""
    entry = _FORMATS.get(Path(path).suffix.lower())
    return entry[0] if entry else None


def is_sidecar(path: Path) -> bool:
    """A subtitle file whose video sits beside it: its text belongs to that video."""
    return video_for(Path(path)) is not None


def extract(path: Path) -> Extracted:
    """Text and metadata of one file; ExtractionError (with a readable reason) if unreadable."""
    path = Path(path)
    entry = _FORMATS.get(path.suffix.lower())
    if entry is None:
        raise ExtractionError(f"unsupported file type: {path.suffix or '(no extension)'}")
    extractor = _extractor(entry[1])
    if not path.is_file():
        raise ExtractionError("file not found or not a regular file")
    label = f"{path.suffix[1:].upper()} file"
    try:
        return extractor(path)
    except ExtractionError:
        raise
    except MemoryError as exc:
        raise ExtractionError(f"{label} is too large to read") from exc
    except RecursionError as exc:
        raise ExtractionError(f"{label} is nested too deeply to read") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc
    except Exception as exc:  # a library's surprise must fail this file, not the scan
        # Libraries often quote the full path; the user already knows which file it is.
        reason = str(exc).replace(str(path), path.name).strip() or type(exc).__name__
        raise ExtractionError(f"{label} could not be read: {reason[:200]}") from exc
