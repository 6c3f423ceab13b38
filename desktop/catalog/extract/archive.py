"""Zip containers (EPUB, DOCX, ODT): opening them and reading parts within bounds."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .base import ExtractionError

# No single XML part of a document needs more; a bigger one is a zip bomb or garbage.
MAX_PART_BYTES = 64 * 1024 * 1024
# Bounds the work for a container with thousands of tiny chapters.
MAX_TOTAL_BYTES = 256 * 1024 * 1024


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ExtractionError(f"not a valid {what} (zip) file") from exc


class Parts:
    """Reads members of an open zip, keeping a running total against MAX_TOTAL_BYTES."""

    def __init__(self, zf: zipfile.ZipFile, what: str) -> None:
        self.zf = zf
        self.what = what
        self.total = 0
        self.names = set(zf.namelist())

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise ExtractionError(f"{self.what} is incomplete: {name} is missing") from None
        if info.file_size > MAX_PART_BYTES or self.total + info.file_size > MAX_TOTAL_BYTES:
            raise ExtractionError(f"{self.what} part {name} is too large to read")
        try:
            with self.zf.open(info) as fh:
                # Read at most one byte past the declared size: a lying header cannot
                # make us inflate more than the bound.
                data = fh.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
            raise ExtractionError(f"{self.what} is damaged: cannot read {name} ({exc})") from exc
        if len(data) > MAX_PART_BYTES:
            raise ExtractionError(f"{self.what} part {name} is too large to read")
        self.total += len(data)
        return data

    def xml(self, name: str) -> Element:
        return parse_xml(self.read(name), f"{self.what} part {name}")


def parse_xml(data: bytes, what: str) -> Element:
    try:
        return ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise ExtractionError(f"{what} uses forbidden XML constructs") from exc
    except ElementTree.ParseError as exc:
        raise ExtractionError(f"{what} is not well-formed XML: {exc}") from exc


def resolve(base: str, href: str) -> str:
    """A zip member name for an href relative to the member `base`."""
    href = unquote(href.split("#", 1)[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), href)).lstrip("/")
