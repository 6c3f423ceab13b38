"""Generated libraries of mixed documents for scale benchmarks (any size, deterministic)."""

from __future__ import annotations

import random
import zipfile
from email.message import EmailMessage
from pathlib import Path

from tests.formats import pdf_bytes

TOPICS = {
    "sport": "match goal coach league season runner marathon training team stadium score",
    "economy": "inflation market price bank interest growth trade export budget wages",
    "health": "sleep diet doctor clinic exercise vitamin patient nurse therapy heart",
    "science": "battery telescope planet lithium experiment laboratory physics orbit cell",
    "arts": "jazz print gallery painting concert sculpture poem novel theatre ink",
    "environment": "river forest recycling plastic climate tree wildlife cleanup soil",
}
COMMON = ("the of and a to in is was for on that with as by at from this it an are be "
          "which people local new year report city group work time during after").split()
FORMATS = ["txt"] * 3 + ["md"] * 2 + ["html"] * 2 + ["eml", "docx", "odt", "pdf"]


def _sentence(rng: random.Random, words: list[str]) -> str:
    picked = [rng.choice(words if rng.random() < 0.4 else COMMON) for _ in range(rng.randint(8, 18))]
    return " ".join(picked).capitalize() + "."


def _paragraphs(rng: random.Random, topic: str, count: int) -> list[str]:
    words = TOPICS[topic].split()
    return [" ".join(_sentence(rng, words) for _ in range(rng.randint(3, 6))) for _ in range(count)]


def _zip(path: Path, parts: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _docx(path: Path, title: str, paras: list[str]) -> None:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in [title, *paras])
    _zip(path, {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>{body}'
                             "</w:body></w:document>",
    })


def _odt(path: Path, title: str, paras: list[str]) -> None:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = "".join(f"<text:p>{p}</text:p>" for p in [title, *paras])
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", f'<?xml version="1.0"?><office:document-content '
                         f'xmlns:office="{office}" xmlns:text="{text}"><office:body><office:text>'
                         f"{body}</office:text></office:body></office:document-content>")
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.text"/></manifest:manifest>')


def write_document(path_stem: Path, fmt: str, rng: random.Random) -> tuple[Path, str]:
    topic = rng.choice(sorted(TOPICS))
    title = f"{topic.title()} notes {rng.randint(1, 10**6)}"
    paras = _paragraphs(rng, topic, rng.randint(2, 6))
    path = path_stem.with_suffix("." + fmt)
    if fmt == "txt":
        path.write_text(title + "\n\n" + "\n\n".join(paras), encoding="utf-8")
    elif fmt == "md":
        path.write_text(f"# {title}\n\n" + "\n\n".join(paras), encoding="utf-8")
    elif fmt == "html":
        body = "".join(f"<p>{p}</p>" for p in paras)
        path.write_text(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}"
                        "<script>var x = 1;</script></body></html>", encoding="utf-8")
    elif fmt == "eml":
        msg = EmailMessage()
        msg["Subject"], msg["From"], msg["To"] = title, "desk@example.org", "team@example.org"
        msg["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
        msg.set_content("\n\n".join(paras))
        path.write_bytes(bytes(msg))
    elif fmt == "docx":
        _docx(path, title, paras)
    elif fmt == "odt":
        _odt(path, title, paras)
    elif fmt == "pdf":
        lines = [line for p in paras for line in _wrap(p)]
        path.write_bytes(pdf_bytes([lines[i:i + 40] for i in range(0, len(lines), 40)],
                                   {"Title": title}))
    return path, topic


def _wrap(text: str, width: int = 80) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def build_library(folder: Path, count: int, seed: int = 7) -> dict[str, int]:
    """Write `count` documents in nested folders; returns how many of each format."""
    rng = random.Random(seed)
    made: dict[str, int] = {}
    for i in range(count):
        sub = folder / f"shelf{i % 20:02d}" / f"box{i % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        fmt = FORMATS[i % len(FORMATS)]
        write_document(sub / f"doc{i:06d}", fmt, rng)
        made[fmt] = made.get(fmt, 0) + 1
    return made
