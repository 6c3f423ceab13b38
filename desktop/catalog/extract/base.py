"""What every extractor returns, and the error it raises for a file it cannot read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class ExtractionError(Exception):
    """A file could not be read; the message is shown to the user as the reason."""


@dataclass
class Extracted:
    """Text and metadata of one file. Dates are ISO 8601 strings; duration in seconds."""

    kind: str  # text, document, ebook, web, email, subtitle, image, audio, video
    text: str = ""
    title: str | None = None
    creator: str | None = None
    created: str | None = None
    modified: str | None = None
    language: str | None = None
    pages: int | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    keywords: list[str] = field(default_factory=list)
    # Format-specific facts worth showing: encoding, camera, gps, codec, subtitles, ...
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
