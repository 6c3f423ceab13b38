#!/usr/bin/env python3
"""Generate Curio's bundled sample library from plain-text sources.

The texts live in ``resources/sample_src/*.md``: a small front-matter block
(``key: value`` lines between ``---`` markers) followed by the body. The
front-matter ``out`` key names the file to create under ``resources/sample/``
and ``format`` picks the writer (md, txt, html, pdf, epub, docx, odt, rtf,
eml, jpg, png, mp3, mp4).

All binary formats are written by hand (zipfile + XML, a minimal PDF writer,
email.message, Pillow, mutagen), with fixed timestamps, so re-running the
script reproduces the same bytes on the same library versions.

Usage::

    .venv/bin/python resources/make_sample.py            # regenerate
    .venv/bin/python resources/make_sample.py --verify   # regenerate + check
    .venv/bin/python resources/make_sample.py --verify-only

Needs Pillow and mutagen (both are Curio dependencies); ``--verify`` also uses
pypdfium2.
"""

# ruff: noqa: E501  (long lines are XML templates)
from __future__ import annotations

import argparse
import datetime as dt
import email.policy
import email.utils
import hashlib
import html
import io
import json
import re
import shutil
import struct
import sys
import textwrap
import unicodedata
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape as xesc
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
SRC = HERE / "sample_src"
OUT = HERE / "sample"
GENERATOR = "Curio sample generator 1.0"


# --------------------------------------------------------------------------
# Source parsing
# --------------------------------------------------------------------------


@dataclass
class Item:
    src: Path
    meta: dict[str, str]
    body: str
    blocks: list[tuple[str, str]] = field(default_factory=list)

    def __getitem__(self, key: str) -> str:
        return self.meta[key]

    def get(self, key: str, default: str = "") -> str:
        return self.meta.get(key, default)

    @property
    def out(self) -> Path:
        return OUT / self.meta["out"]

    @property
    def fmt(self) -> str:
        return self.meta["format"]

    @property
    def lang(self) -> str:
        return self.meta.get("lang", "en")

    @property
    def lang_tag(self) -> str:
        return "zh-CN" if self.lang == "zh" else "en-GB"

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def author(self) -> str:
        return self.meta.get("author", "")

    @property
    def keywords(self) -> list[str]:
        return [k.strip() for k in self.meta.get("keywords", "").split(",") if k.strip()]

    @property
    def when(self) -> dt.datetime:
        """The item's date as a naive local datetime (09:00 when no time is given)."""
        raw = self.meta["date"]
        if "T" in raw:
            d = dt.datetime.fromisoformat(raw)
            return d.replace(tzinfo=None)
        return dt.datetime.fromisoformat(raw + "T09:00:00")

    @property
    def aware(self) -> dt.datetime:
        raw = self.meta["date"]
        d = dt.datetime.fromisoformat(raw if "T" in raw else raw + "T09:00:00")
        return d if d.tzinfo else d.replace(tzinfo=dt.UTC)

    @property
    def zip_time(self) -> tuple[int, int, int, int, int, int]:
        w = self.when
        return (w.year, w.month, w.day, w.hour, w.minute, w.second)

    @property
    def slug(self) -> str:
        return self.src.stem.split("-", 1)[1] if "-" in self.src.stem else self.src.stem

    @property
    def summary(self) -> str:
        for kind, text in self.blocks:
            if kind == "p":
                return first_sentence(plain(text))
        return self.title


def parse_source(path: Path) -> Item:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    if not m:
        raise SystemExit(f"{path}: missing front matter")
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if not line.strip():
            continue
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    body = m.group(2).strip() + "\n"
    item = Item(path, meta, body)
    item.blocks = parse_blocks(body)
    return item


def parse_blocks(body: str) -> list[tuple[str, str]]:
    """Split a body into ("h1"|"h2"|"p", text) blocks separated by blank lines."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        chunk = chunk.strip()
        if chunk.startswith("# "):
            blocks.append(("h1", chunk[2:].strip()))
        elif chunk.startswith("## "):
            blocks.append(("h2", chunk[3:].strip()))
        else:
            blocks.append(
                (
                    "p",
                    " ".join(ln.strip() for ln in chunk.splitlines())
                    if not is_cjk(chunk)
                    else "".join(ln.strip() for ln in chunk.splitlines()),
                )
            )
    return blocks


def is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def plain(text: str) -> str:
    return text.replace("**", "")


def first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?。！？])(\s|$)", text)
    return (m.group(1) if m else text)[:300]


def bold_runs(text: str) -> list[tuple[str, bool]]:
    """'a **b** c' -> [('a ', False), ('b', True), (' c', False)]."""
    parts = text.split("**")
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


def chapters(item: Item) -> list[tuple[str, list[tuple[str, str]]]]:
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for kind, text in item.blocks:
        if kind == "h1":
            out.append((text, []))
        elif out:
            out[-1][1].append((kind, text))
        else:
            out.append((item.title, [(kind, text)]))
    return out


# --------------------------------------------------------------------------
# Plain text formats
# --------------------------------------------------------------------------


def write_md(item: Item) -> bytes:
    fm = [
        "---",
        f"title: {json.dumps(item.title, ensure_ascii=False)}",
        f"author: {json.dumps(item.author, ensure_ascii=False)}",
        f"date: {item['date']}",
        f"lang: {item.lang_tag}",
        "tags: [" + ", ".join(item.keywords) + "]",
        "---",
        "",
        f"# {item.title}",
        "",
        item.body.strip(),
        "",
    ]
    return "\n".join(fm).encode("utf-8")


def write_txt(item: Item) -> bytes:
    enc = item.get("encoding", "utf-8")
    width = sum(2 if is_cjk(c) else 1 for c in item.title)
    lines = [item.title, "=" * width, ""]
    byline = (
        f"作者：{item.author}    日期：{item['date']}"
        if item.lang == "zh"
        else f"By {item.author}, {item.when.strftime('%d %B %Y').lstrip('0')}"
    )
    lines += [byline, ""]
    for kind, text in item.blocks:
        if kind == "p" and item.lang != "zh":
            lines += textwrap.wrap(plain(text), 76) + [""]
        elif kind == "p":
            lines += [plain(text), ""]
        else:
            lines += [text, "-" * sum(2 if is_cjk(c) else 1 for c in text), ""]
    data = (
        "\r\n".join(lines).encode(enc, errors="strict")
        if enc == "gbk"
        else "\n".join(lines).encode(enc, errors="strict")
    )
    return data


def html_inline(text: str) -> str:
    return "".join(f"<strong>{html.escape(t)}</strong>" if b else html.escape(t) for t, b in bold_runs(text))


def write_html(item: Item) -> bytes:
    zh = item.lang == "zh"
    site = item.get("site", "Harbour Press")
    nav = (
        ["首页", "科技", "旅行", "文化", "订阅"]
        if zh
        else ["Home", "News", "Science", "Sport", "Culture", "Subscribe"]
    )
    body = []
    for kind, text in item.blocks:
        if kind in ("h1", "h2"):
            body.append(f"      <h2>{html.escape(text)}</h2>")
        else:
            body.append(f"      <p>{html_inline(text)}</p>")
    date_h = (
        f"{item.when.year}年{item.when.month}月{item.when.day}日"
        if zh
        else item.when.strftime("%d %B %Y").lstrip("0")
    )
    by = f"作者：{html.escape(item.author)}" if zh else f"By {html.escape(item.author)}"
    related = "相关文章" if zh else "Related articles"
    foot = (
        f"© {item.when.year} {site} 版权所有 · 隐私政策 · Cookie 设置"
        if zh
        else f"© {item.when.year} {site}. All rights reserved. · Privacy policy · Cookie settings"
    )
    newsletter = "订阅我们的每周通讯" if zh else "Sign up for our weekly newsletter"
    doc = f"""<!DOCTYPE html>
<html lang="{item.lang_tag}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(item.title)} | {html.escape(site)}</title>
  <meta name="author" content={quoteattr(item.author)}>
  <meta name="description" content={quoteattr(item.summary)}>
  <meta name="keywords" content={quoteattr(", ".join(item.keywords))}>
  <meta property="og:title" content={quoteattr(item.title)}>
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="{item.when.isoformat()}">
  <meta property="og:site_name" content={quoteattr(site)}>
  <style>
    body {{ font-family: Georgia, serif; max-width: 42em; margin: 2em auto; line-height: 1.6; color: #222; }}
    nav a {{ margin-right: 1em; color: #1f5f8b; text-decoration: none; }}
    footer, aside {{ font-size: 0.85em; color: #666; border-top: 1px solid #ddd; margin-top: 2em; }}
  </style>
</head>
<body>
  <header>
    <div class="site-name">{html.escape(site)}</div>
    <nav>{"".join(f'<a href="#">{html.escape(n)}</a>' for n in nav)}</nav>
  </header>
  <main>
    <article>
      <h1>{html.escape(item.title)}</h1>
      <p class="byline">{by} · <time datetime="{item["date"][:10]}">{date_h}</time></p>
{chr(10).join(body)}
    </article>
    <aside>
      <h3>{related}</h3>
      <ul><li><a href="#">{html.escape(newsletter)}</a></li></ul>
    </aside>
  </main>
  <footer><p>{html.escape(foot)}</p></footer>
</body>
</html>
"""
    return doc.encode("utf-8")


# --------------------------------------------------------------------------
# PDF (hand-written, standard Type 1 fonts, WinAnsiEncoding)
# --------------------------------------------------------------------------

_HELV = {
    " ": 278,
    "!": 278,
    '"': 355,
    "#": 556,
    "$": 556,
    "%": 889,
    "&": 667,
    "'": 191,
    "(": 333,
    ")": 333,
    "*": 389,
    "+": 584,
    ",": 278,
    "-": 333,
    ".": 278,
    "/": 278,
    ":": 278,
    ";": 278,
    "<": 584,
    "=": 584,
    ">": 584,
    "?": 556,
    "@": 1015,
    "A": 667,
    "B": 667,
    "C": 722,
    "D": 722,
    "E": 667,
    "F": 611,
    "G": 778,
    "H": 722,
    "I": 278,
    "J": 500,
    "K": 667,
    "L": 556,
    "M": 833,
    "N": 722,
    "O": 778,
    "P": 667,
    "Q": 778,
    "R": 722,
    "S": 667,
    "T": 611,
    "U": 722,
    "V": 667,
    "W": 944,
    "X": 667,
    "Y": 667,
    "Z": 611,
    "[": 278,
    "\\": 278,
    "]": 278,
    "_": 556,
    "`": 333,
    "a": 556,
    "b": 556,
    "c": 500,
    "d": 556,
    "e": 556,
    "f": 278,
    "g": 556,
    "h": 556,
    "i": 222,
    "j": 222,
    "k": 500,
    "l": 222,
    "m": 833,
    "n": 556,
    "o": 556,
    "p": 556,
    "q": 556,
    "r": 333,
    "s": 500,
    "t": 278,
    "u": 556,
    "v": 500,
    "w": 722,
    "x": 500,
    "y": 500,
    "z": 500,
    "{": 334,
    "|": 260,
    "}": 334,
    "~": 584,
}


def text_width(text: str, size: float, bold: bool = False) -> float:
    w = sum(_HELV.get(c, 556) for c in text) * size / 1000
    return w * 1.06 if bold else w


def wrap_pt(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if cur and text_width(trial, size, bold) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def pdf_str(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) encoding."""
    text = text.replace("\u2014", "-")
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b < 32 or b > 126:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b")")


def pdf_info_str(text: str) -> bytes:
    try:
        text.encode("ascii")
        return pdf_str(text)
    except UnicodeEncodeError:
        return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().upper().encode() + b">"


def pdf_date(d: dt.datetime) -> bytes:
    return pdf_str(d.strftime("D:%Y%m%d%H%M%S") + "Z")


def write_pdf(item: Item) -> bytes:
    page_w, page_h, margin = 612, 792, 72
    width = page_w - 2 * margin
    body_size = float(item.get("pdf_body_size", "10.5"))
    lead = body_size * 1.38
    # Lay out (font, size, x, text) lines with their vertical advance.
    layout: list[tuple[str, float, str, float]] = []  # font, size, text, space_before
    for ln in wrap_pt(item.title, 17, width, True):
        layout.append(("F2", 17, ln, 22))
    date_s = item.when.strftime("%d %B %Y").lstrip("0")
    layout.append(("F3", 10, f"{item.author}  -  {date_s}", 20))
    layout.append(("F3", 9, "Keywords: " + ", ".join(item.keywords), 13))
    first = True
    for kind, text in item.blocks:
        if kind in ("h1", "h2"):
            for i, ln in enumerate(wrap_pt(text, 12.5, width, True)):
                layout.append(("F2", 12.5, ln, 26 if i == 0 else 16))
        else:
            for i, ln in enumerate(wrap_pt(plain(text), body_size, width)):
                layout.append(("F1", body_size, ln, (26 if first else 21) if i == 0 else lead))
            first = False

    pages: list[list[bytes]] = [[]]
    y = page_h - margin
    for font, size, text, adv in layout:
        if y - adv < margin + 20:
            pages.append([])
            y = page_h - margin
            adv = size
        y -= adv
        pages[-1].append(
            b"BT /%s %g Tf %d %.1f Td %s Tj ET" % (font.encode(), size, margin, y, pdf_str(text))
        )
    npages = len(pages)
    streams = []
    for i, ops in enumerate(pages, 1):
        footer = b"BT /F3 8 Tf %d %d Td %s Tj ET" % (
            margin,
            margin - 30,
            pdf_str(
                f"Harbour Press  -  {item.title}  -  page {i} of {npages}"
                if len(item.title) < 60
                else f"Harbour Press  -  page {i} of {npages}"
            ),
        )
        streams.append(b"\n".join(ops + [footer]) + b"\n")

    objs: dict[int, bytes] = {}
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>"
    fonts = {3: b"Helvetica", 4: b"Helvetica-Bold", 5: b"Helvetica-Oblique"}
    for num, name in fonts.items():
        objs[num] = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % name
    info = (
        b"<< /Title "
        + pdf_info_str(item.title)
        + b" /Author "
        + pdf_info_str(item.author)
        + b" /Subject "
        + pdf_info_str(item.summary)
        + b" /Keywords "
        + pdf_info_str(", ".join(item.keywords))
        + b" /Creator "
        + pdf_str(GENERATOR)
        + b" /Producer "
        + pdf_str(GENERATOR)
        + b" /CreationDate "
        + pdf_date(item.when)
        + b" /ModDate "
        + pdf_date(item.when)
        + b" >>"
    )
    objs[6] = info
    kids = []
    num = 7
    for s in streams:
        page_num, content_num = num, num + 1
        kids.append(page_num)
        objs[page_num] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> "
            b"/Contents %d 0 R >>" % (page_w, page_h, content_num)
        )
        objs[content_num] = b"<< /Length %d >>\nstream\n" % len(s) + s + b"endstream"
        num += 2
    objs[2] = (
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n]
    doc_id = hashlib.md5(bytes(out)).hexdigest().upper().encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        doc_id,
        doc_id,
        xref,
    )
    return bytes(out)


# --------------------------------------------------------------------------
# Zip-based formats (EPUB, DOCX, ODT)
# --------------------------------------------------------------------------


class DeterministicZip:
    def __init__(self, when: tuple[int, ...]):
        self.buf = io.BytesIO()
        self.zf = zipfile.ZipFile(self.buf, "w")
        self.when = when

    def add(self, name: str, data: str | bytes, stored: bool = False) -> None:
        info = zipfile.ZipInfo(name, date_time=self.when)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = 0o100644 << 16
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.zf.writestr(info, data, compresslevel=None if stored else 9)

    def close(self) -> bytes:
        self.zf.close()
        return self.buf.getvalue()


def iso_z(d: dt.datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_epub(item: Item) -> bytes:
    zh = item.lang == "zh"
    z = DeterministicZip(item.zip_time)
    z.add("mimetype", "application/epub+zip", stored=True)
    z.add(
        "META-INF/container.xml",
        """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
""",
    )
    chs = chapters(item)
    css = (
        "body { font-family: serif; line-height: 1.6; margin: 1em; }\n"
        "h1 { font-size: 1.4em; margin-top: 2em; }\nh2 { font-size: 1.15em; }\n"
        ".title { text-align: center; margin-top: 30%; }\n"
    )
    z.add("OEBPS/style.css", css)

    def xhtml(title: str, inner: str) -> str:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="{item.lang_tag}" lang="{item.lang_tag}">
<head>
  <meta charset="UTF-8"/>
  <title>{xesc(title)}</title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
{inner}
</body>
</html>
"""

    pub = item.get("publisher", "Harbour Press")
    z.add(
        "OEBPS/title.xhtml",
        xhtml(
            item.title,
            f"""  <section class="title" epub:type="titlepage">
    <h1>{xesc(item.title)}</h1>
    <p>{xesc(item.author)}</p>
    <p>{xesc(pub)} · {item.when.year}</p>
  </section>""",
        ),
    )
    for i, (ctitle, blocks) in enumerate(chs, 1):
        inner = [f'  <section epub:type="chapter" id="ch{i}">', f"    <h1>{xesc(ctitle)}</h1>"]
        for kind, text in blocks:
            tag = "h2" if kind != "p" else "p"
            inner.append(f"    <{tag}>{xesc(plain(text))}</{tag}>")
        inner.append("  </section>")
        z.add(f"OEBPS/chapter{i:02d}.xhtml", xhtml(ctitle, "\n".join(inner)))
    toc_label = "目录" if zh else "Contents"
    nav_items = "\n".join(
        f'      <li><a href="chapter{i:02d}.xhtml">{xesc(t)}</a></li>' for i, (t, _) in enumerate(chs, 1)
    )
    z.add(
        "OEBPS/nav.xhtml",
        xhtml(
            toc_label,
            f"""  <nav epub:type="toc" id="toc">
    <h1>{toc_label}</h1>
    <ol>
{nav_items}
    </ol>
  </nav>""",
        ),
    )
    uid = item["identifier"]
    points = "\n".join(
        f"""    <navPoint id="np{i}" playOrder="{i}">
      <navLabel><text>{xesc(t)}</text></navLabel>
      <content src="chapter{i:02d}.xhtml"/>
    </navPoint>"""
        for i, (t, _) in enumerate(chs, 1)
    )
    z.add(
        "OEBPS/toc.ncx",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head><meta name="dtb:uid" content="{uid}"/></head>
  <docTitle><text>{xesc(item.title)}</text></docTitle>
  <navMap>
{points}
  </navMap>
</ncx>
""",
    )
    manifest = [
        '    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '    <item id="css" href="style.css" media-type="text/css"/>',
        '    <item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>',
    ]
    spine = ['    <itemref idref="title"/>']
    for i in range(1, len(chs) + 1):
        manifest.append(
            f'    <item id="ch{i}" href="chapter{i:02d}.xhtml" media-type="application/xhtml+xml"/>'
        )
        spine.append(f'    <itemref idref="ch{i}"/>')
    subjects = "\n".join(f"    <dc:subject>{xesc(k)}</dc:subject>" for k in item.keywords)
    z.add(
        "OEBPS/content.opf",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="{item.lang_tag}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="bookid">{uid}</dc:identifier>
    <dc:title>{xesc(item.title)}</dc:title>
    <dc:creator>{xesc(item.author)}</dc:creator>
    <dc:publisher>{xesc(pub)}</dc:publisher>
    <dc:language>{item.lang_tag}</dc:language>
    <dc:date>{item["date"]}</dc:date>
    <dc:description>{xesc(item.summary)}</dc:description>
{subjects}
    <meta property="dcterms:modified">{iso_z(item.when)}</meta>
  </metadata>
  <manifest>
{chr(10).join(manifest)}
  </manifest>
  <spine toc="ncx">
{chr(10).join(spine)}
  </spine>
</package>
""",
    )
    return z.close()


def write_docx(item: Item) -> bytes:
    zh = item.lang == "zh"
    z = DeterministicZip(item.zip_time)
    z.add(
        "[Content_Types].xml",
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
  <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
  <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
  <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
""",
    )
    z.add(
        "_rels/.rels",
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
  <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>
""",
    )
    z.add(
        "word/_rels/document.xml.rels",
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>
""",
    )
    east = "SimSun" if zh else "Calibri"
    z.add(
        "word/styles.xml",
        f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:docDefaults>
    <w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="{east}" w:cs="Calibri"/><w:sz w:val="22"/><w:lang w:val="en-GB" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:i/><w:color w:val="595959"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
</w:styles>
""",
    )

    def para(text: str, style: str | None = None) -> str:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        runs = "".join(
            f'<w:r>{"<w:rPr><w:b/></w:rPr>" if b else ""}<w:t xml:space="preserve">{xesc(t)}</w:t></w:r>'
            for t, b in bold_runs(text)
        )
        return f"    <w:p>{ppr}{runs}</w:p>"

    byline = (
        f"{item.author}，{item['date']}"
        if zh
        else f"{item.author}, {item.when.strftime('%d %B %Y').lstrip('0')}"
    )
    paras = [para(item.title, "Title"), para(byline, "Subtitle")]
    for kind, text in item.blocks:
        paras.append(para(text, "Heading1" if kind != "p" else None))
    z.add(
        "word/document.xml",
        f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:body>
{chr(10).join(paras)}
    <w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>
  </w:body>
</w:document>
""",
    )
    z.add(
        "docProps/core.xml",
        f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <dc:title>{xesc(item.title)}</dc:title>
  <dc:subject>{xesc(item.get("topic"))}</dc:subject>
  <dc:creator>{xesc(item.author)}</dc:creator>
  <cp:keywords>{xesc(", ".join(item.keywords))}</cp:keywords>
  <dc:description>{xesc(item.summary)}</dc:description>
  <dc:language>{item.lang_tag}</dc:language>
  <cp:lastModifiedBy>{xesc(item.author)}</cp:lastModifiedBy>
  <cp:revision>3</cp:revision>
  <dcterms:created xsi:type="dcterms:W3CDTF">{iso_z(item.when)}</dcterms:created>
  <dcterms:modified xsi:type="dcterms:W3CDTF">{iso_z(item.when)}</dcterms:modified>
</cp:coreProperties>
""",
    )
    z.add(
        "docProps/app.xml",
        f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
  <Application>{GENERATOR}</Application>
  <Company>Harbour Press</Company>
</Properties>
""",
    )
    return z.close()


def write_odt(item: Item) -> bytes:
    z = DeterministicZip(item.zip_time)
    z.add("mimetype", "application/vnd.oasis.opendocument.text", stored=True)
    z.add(
        "META-INF/manifest.xml",
        """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
  <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
  <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
  <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
  <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
""",
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    )
    z.add(
        "styles.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ns} office:version="1.3">
  <office:styles>
    <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties fo:font-size="11pt"/></style:style>
    <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
    <style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-style="italic"/></style:style>
    <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
  </office:styles>
</office:document-styles>
""",
    )
    body = [
        f'      <text:p text:style-name="Title">{xesc(item.title)}</text:p>',
        f'      <text:p text:style-name="Subtitle">{xesc(item.author)}, '
        f"{item.when.strftime('%d %B %Y').lstrip('0')}</text:p>",
    ]
    for kind, text in item.blocks:
        if kind == "p":
            body.append(f'      <text:p text:style-name="Standard">{xesc(plain(text))}</text:p>')
        else:
            body.append(
                f'      <text:h text:style-name="Heading_20_2" text:outline-level="2">{xesc(text)}</text:h>'
            )
    z.add(
        "content.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ns} office:version="1.3">
  <office:body>
    <office:text>
{chr(10).join(body)}
    </office:text>
  </office:body>
</office:document-content>
""",
    )
    kws = "\n".join(f"    <meta:keyword>{xesc(k)}</meta:keyword>" for k in item.keywords)
    stamp = item.when.strftime("%Y-%m-%dT%H:%M:%S")
    z.add(
        "meta.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {ns} office:version="1.3">
  <office:meta>
    <meta:generator>{GENERATOR}</meta:generator>
    <dc:title>{xesc(item.title)}</dc:title>
    <dc:description>{xesc(item.summary)}</dc:description>
    <dc:subject>{xesc(item.get("topic"))}</dc:subject>
    <meta:initial-creator>{xesc(item.author)}</meta:initial-creator>
    <dc:creator>{xesc(item.author)}</dc:creator>
    <meta:creation-date>{stamp}</meta:creation-date>
    <dc:date>{stamp}</dc:date>
    <dc:language>{item.lang_tag}</dc:language>
{kws}
  </office:meta>
</office:document-meta>
""",
    )
    return z.close()


# --------------------------------------------------------------------------
# RTF
# --------------------------------------------------------------------------


def rtf_esc(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def write_rtf(item: Item) -> bytes:
    w = item.when
    lines = [
        r"{\rtf1\ansi\ansicpg1252\deff0\uc1",
        r"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset0 Arial;}}",
        r"{\info{\title "
        + rtf_esc(item.title)
        + r"}{\author "
        + rtf_esc(item.author)
        + r"}{\subject "
        + rtf_esc(item.get("topic"))
        + r"}{\keywords "
        + rtf_esc(", ".join(item.keywords))
        + r"}{\doccomm "
        + rtf_esc(GENERATOR)
        + "}"
        + rf"{{\creatim\yr{w.year}\mo{w.month}\dy{w.day}\hr{w.hour}\min{w.minute}}}"
        + rf"{{\revtim\yr{w.year}\mo{w.month}\dy{w.day}\hr{w.hour}\min{w.minute}}}}}",
        r"\paperw11906\paperh16838\margl1440\margr1440\margt1440\margb1440",
        r"{\pard\sa240\f1\b\fs36 " + rtf_esc(item.title) + r"\par}",
        r"{\pard\sa240\f1\i\fs20 "
        + rtf_esc(item.author)
        + ", "
        + w.strftime("%d %B %Y").lstrip("0")
        + r"\par}",
    ]
    for kind, text in item.blocks:
        if kind == "p":
            lines.append(r"{\pard\sa180\f0\fs24 " + rtf_esc(plain(text)) + r"\par}")
        else:
            lines.append(r"{\pard\sb240\sa120\f1\b\fs28 " + rtf_esc(text) + r"\par}")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("ascii")


# --------------------------------------------------------------------------
# E-mail
# --------------------------------------------------------------------------


def write_eml(item: Item) -> bytes:
    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = item["from"]
    msg["To"] = item["to"]
    msg["Subject"] = item.title
    msg["Date"] = email.utils.format_datetime(item.aware)
    domain = item["from"].split("@")[-1].rstrip(">")
    msg["Message-ID"] = f"<{item.slug}.{item.when.strftime('%Y%m%d%H%M')}@{domain}>"
    msg["Keywords"] = ", ".join(item.keywords)
    msg["X-Mailer"] = GENERATOR
    text = "\n\n".join(plain(t) for _, t in item.blocks) + "\n"
    msg.set_content(text, charset="utf-8")
    if item.get("html") == "yes":
        paras = "\n".join(f"<p>{html.escape(plain(t))}</p>" for _, t in item.blocks)
        msg.add_alternative(
            f"""<html lang="{item.lang_tag}"><head><meta charset="utf-8">
<title>{html.escape(item.title)}</title></head>
<body style="font-family: Arial, sans-serif;">
{paras}
</body></html>
""",
            subtype="html",
            charset="utf-8",
        )
    if item.get("attachment"):
        name = item["attachment"]
        data = (SRC / "attachments" / name).read_bytes()
        msg.add_attachment(data, maintype="text", subtype="plain", filename=name)
    msg["Content-Language"] = item.lang_tag  # after set_content, which drops Content-*
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"==curio-{item.slug}-{n}==")
    return msg.as_bytes(policy=email.policy.default.clone(linesep="\n"))


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------


def draw_scene(scene: str):
    from PIL import Image, ImageDraw

    if scene == "harbour":
        w, h = 640, 427
        im = Image.new("RGB", (w, h))
        d = ImageDraw.Draw(im)
        horizon = 250
        for y in range(horizon):  # dawn sky: deep blue -> orange
            t = y / horizon
            d.line([(0, y), (w, y)], fill=(int(40 + 215 * t), int(60 + 110 * t), int(120 - 60 * t)))
        d.ellipse([420, 205, 500, 285], fill=(255, 214, 120))
        for y in range(horizon, h):  # sea reflecting the sky
            t = (y - horizon) / (h - horizon)
            d.line([(0, y), (w, y)], fill=(int(200 - 160 * t), int(130 - 60 * t), int(90 + 30 * t)))
        for y in range(horizon + 6, h, 9):
            d.line(
                [(440 - (y - horizon) // 3, y), (480 + (y - horizon) // 3, y)], fill=(255, 200, 120), width=2
            )
        d.polygon([(0, horizon), (0, 232), (180, 238), (230, horizon)], fill=(45, 40, 55))
        d.rectangle([560, 150, 575, 250], fill=(235, 235, 230))  # lighthouse
        d.rectangle([560, 175, 575, 190], fill=(190, 40, 40))
        d.polygon([(556, 150), (579, 150), (567, 136)], fill=(190, 40, 40))
        d.rectangle([520, 246, 640, 256], fill=(60, 55, 60))
        for x0, y0, s in [(90, 310, 1.0), (260, 340, 1.3), (400, 300, 0.8)]:
            hull = [(x0, y0), (x0 + 120 * s, y0), (x0 + 100 * s, y0 + 22 * s), (x0 + 15 * s, y0 + 22 * s)]
            d.polygon(hull, fill=(30, 30, 40))
            d.rectangle([x0 + 40 * s, y0 - 28 * s, x0 + 75 * s, y0], fill=(35, 35, 45))
            d.line([(x0 + 60 * s, y0 - 28 * s), (x0 + 60 * s, y0 - 85 * s)], fill=(30, 30, 40), width=3)
        return im
    if scene == "lanterns":
        w, h = 640, 427
        im = Image.new("RGB", (w, h), (22, 24, 48))
        d = ImageDraw.Draw(im)
        for y in range(h):
            t = y / h
            d.line([(0, y), (w, y)], fill=(int(20 + 30 * t), int(22 + 10 * t), int(50 + 10 * t)))
        d.polygon([(0, 120), (640, 120), (600, 60), (40, 60)], fill=(70, 30, 25))  # roof
        d.rectangle([0, 120, 640, 135], fill=(110, 30, 30))
        d.rectangle([60, 135, 90, 427], fill=(120, 28, 28))
        d.rectangle([550, 135, 580, 427], fill=(120, 28, 28))
        for i, x in enumerate(range(40, 640, 75)):
            top = 150 + (i % 2) * 18
            d.line([(x + 25, 135), (x + 25, top)], fill=(200, 170, 90), width=2)
            d.ellipse([x, top, x + 50, top + 60], fill=(220, 40, 35), outline=(250, 190, 80), width=2)
            d.rectangle([x + 18, top + 60, x + 32, top + 80], fill=(250, 200, 60))
        d.rectangle([260, 330, 380, 400], fill=(90, 70, 50))  # incense burner
        d.ellipse([250, 310, 390, 345], fill=(110, 85, 60))
        for j, x in enumerate(range(290, 360, 15)):
            d.line([(x, 318), (x + (j % 3) * 6 - 6, 250)], fill=(170, 170, 180), width=1)
        d.rectangle([0, 400, 640, 427], fill=(60, 55, 60))
        return im
    if scene == "map":
        w, h = 480, 360
        im = Image.new("RGB", (w, h), (244, 239, 225))
        d = ImageDraw.Draw(im)
        d.line([(0, 250), (120, 220), (240, 260), (360, 210), (480, 230)], fill=(120, 170, 215), width=18)
        for x in range(0, w, 60):
            d.line([(x, 0), (x + 30, h)], fill=(215, 210, 200), width=4)
        for y in range(30, h, 70):
            d.line([(0, y), (w, y - 15)], fill=(215, 210, 200), width=4)
        d.rectangle([30, 30, 140, 120], fill=(180, 215, 165))  # park
        d.ellipse([340, 60, 440, 140], outline=(150, 150, 150), width=6)  # stadium
        route = [
            (85, 75),
            (160, 90),
            (230, 60),
            (300, 120),
            (420, 200),
            (380, 290),
            (260, 300),
            (150, 290),
            (100, 200),
            (210, 170),
            (330, 150),
            (390, 100),
        ]
        d.line(route, fill=(215, 45, 45), width=5, joint="curve")
        for p in route[1::2]:
            d.ellipse([p[0] - 6, p[1] - 6, p[0] + 6, p[1] + 6], fill=(30, 90, 200))
        d.polygon([(85, 60), (85, 90), (105, 75)], fill=(20, 140, 60))  # start flag
        d.rectangle([383, 93, 397, 107], fill=(20, 20, 20))  # finish
        return im.quantize(colors=24, dither=0)
    raise ValueError(scene)


def xmp_packet(item: Item) -> bytes:
    subj = "".join(f"<rdf:li>{xesc(k)}</rdf:li>" for k in item.keywords)
    caption = plain(item.blocks[0][1]) if item.blocks else item.title
    stamp = item.when.strftime("%Y-%m-%dT%H:%M:%S")
    return (
        f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{xesc(item.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{xesc(caption)}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>{xesc(item.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:subject><rdf:Bag>{subj}</rdf:Bag></dc:subject>
   <dc:language><rdf:Bag><rdf:li>{item.lang_tag}</rdf:li></rdf:Bag></dc:language>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© {item.when.year} {xesc(item.author)}</rdf:li></rdf:Alt></dc:rights>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:CreatorTool>{GENERATOR}</xmp:CreatorTool>
   <photoshop:Headline>{xesc(item.title)}</photoshop:Headline>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    ).encode()


def dms(value: float) -> tuple[float, float, float]:
    from PIL.TiffImagePlugin import IFDRational

    value = abs(value)
    deg = int(value)
    minutes = int((value - deg) * 60)
    secs = round(((value - deg) * 60 - minutes) * 60, 2)
    return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(int(secs * 100), 100))


def write_jpg(item: Item) -> bytes:
    from PIL import ExifTags, Image
    from PIL.TiffImagePlugin import IFDRational

    im = draw_scene(item["scene"])
    caption = plain(item.blocks[0][1])
    stamp = item.when.strftime("%Y:%m:%d %H:%M:%S")
    exif = Image.Exif()
    # EXIF ASCII fields cannot hold Chinese (Pillow writes "?"), so those go only
    # into the UTF-16 XP* tags, the UserComment and the XMP packet.
    ascii_fields = {
        ExifTags.Base.ImageDescription: item.title,
        ExifTags.Base.Artist: item.author,
        ExifTags.Base.Copyright: f"(c) {item.when.year} {item.author}",
    }
    for tag, value in ascii_fields.items():
        if value.isascii():
            exif[tag] = value
    exif[ExifTags.Base.Make] = item["camera_make"]
    exif[ExifTags.Base.Model] = item["camera_model"]
    exif[ExifTags.Base.Software] = GENERATOR
    exif[ExifTags.Base.DateTime] = stamp
    exif[ExifTags.Base.XPTitle] = item.title.encode("utf-16-le") + b"\0\0"
    exif[ExifTags.Base.XPComment] = caption.encode("utf-16-le") + b"\0\0"
    exif[ExifTags.Base.XPAuthor] = item.author.encode("utf-16-le") + b"\0\0"
    exif[ExifTags.Base.XPKeywords] = ";".join(item.keywords).encode("utf-16-le") + b"\0\0"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = stamp
    sub[ExifTags.Base.DateTimeDigitized] = stamp
    sub[ExifTags.Base.ExposureTime] = IFDRational(1, 250)
    sub[ExifTags.Base.FNumber] = IFDRational(8, 1)
    sub[ExifTags.Base.ISOSpeedRatings] = 200
    sub[ExifTags.Base.FocalLength] = IFDRational(23, 1)
    sub[ExifTags.Base.UserComment] = b"UNICODE\0" + caption.encode("utf-16-be")
    lat, lon, alt = (float(v) for v in item["gps"].split(","))
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
    gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
    gps[ExifTags.GPS.GPSLatitude] = dms(lat)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
    gps[ExifTags.GPS.GPSLongitude] = dms(lon)
    gps[ExifTags.GPS.GPSAltitudeRef] = b"\x00"
    gps[ExifTags.GPS.GPSAltitude] = IFDRational(int(alt * 10), 10)
    gps[ExifTags.GPS.GPSDateStamp] = item.when.strftime("%Y:%m:%d")
    buf = io.BytesIO()
    im.save(
        buf,
        "JPEG",
        quality=82,
        optimize=True,
        exif=exif.tobytes(),
        xmp=xmp_packet(item),
        comment=caption.encode("utf-8"),
    )
    return buf.getvalue()


def write_png(item: Item) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    im = draw_scene(item["scene"])
    info = PngInfo()
    info.add_itxt("Title", item.title, lang=item.lang_tag)
    info.add_itxt("Author", item.author)
    info.add_itxt("Description", plain(item.blocks[0][1]), lang=item.lang_tag)
    info.add_itxt("Keywords", ", ".join(item.keywords))
    info.add_itxt("Creation Time", item.when.strftime("%Y-%m-%dT%H:%M:%S"))
    info.add_itxt("Software", GENERATOR)
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(item).decode("utf-8"))
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=info, optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------
# Audio / video
# --------------------------------------------------------------------------


def write_mp3(item: Item) -> bytes:
    """Two seconds of MPEG-1 Layer III silence (hand-made frames) with ID3v2.4 tags."""
    from mutagen.id3 import COMM, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TXXX, USLT

    # 128 kbit/s, 44.1 kHz, mono, no CRC: 417-byte frames; all-zero side info = silence.
    header = bytes([0xFF, 0xFB, 0x90, 0xC4])
    frame = header + bytes(417 - 4)
    audio = frame * 77  # 77 * 1152 / 44100 = 2.01 s
    transcript = "\n\n".join(plain(t) for _, t in item.blocks)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=item.title))
    tags.add(TPE1(encoding=3, text=item["artist"]))
    tags.add(TALB(encoding=3, text=item["album"]))
    tags.add(TCON(encoding=3, text=item["genre"]))
    tags.add(TDRC(encoding=3, text=item["date"]))
    tags.add(TLAN(encoding=3, text="eng"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=first_sentence(plain(item.blocks[1][1]))))
    tags.add(USLT(encoding=3, lang="eng", desc="transcript", text=transcript))
    tags.add(TXXX(encoding=3, desc="KEYWORDS", text=", ".join(item.keywords)))
    buf = io.BytesIO(audio)
    tags.save(buf, v2_version=4, padding=lambda info: 256)
    return buf.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full(kind: bytes, version: int, flags: int, payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags) + payload)


def parse_srt(body: str) -> list[tuple[float, float, str]]:
    cues = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = chunk.strip().splitlines()
        a, b = (s.strip() for s in lines[0].split("-->"))

        def secs(s: str) -> float:
            hh, mm, rest = s.split(":")
            ss, ms = rest.split(",")
            return int(hh) * 3600 + int(mm) * 60 + int(ss) + int(ms) / 1000

        cues.append((secs(a), secs(b), " ".join(lines[1:])))
    return cues


def srt_text(cues: list[tuple[float, float, str]]) -> str:
    def ts(t: float) -> str:
        ms = round(t * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    return "\n".join(f"{i}\n{ts(a)} --> {ts(b)}\n{text}\n" for i, (a, b, text) in enumerate(cues, 1))


def write_mp4(item: Item) -> bytes:
    """A tiny Motion-JPEG MP4 (one frame per subtitle cue) tagged with mutagen."""
    import tempfile

    from mutagen.mp4 import MP4
    from PIL import Image, ImageDraw, ImageFont

    cues = parse_srt(item.body)
    width, height, timescale = 320, 180, 1000
    total = int(round((cues[-1][1] + 0.5) * timescale))
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=11)
    frames, durations = [], []
    palette = [(38, 84, 124), (239, 71, 111), (6, 214, 160), (255, 209, 102), (17, 138, 178)]
    for i, (start, _end, text) in enumerate(cues):
        im = Image.new("RGB", (width, height), palette[i % len(palette)])
        d = ImageDraw.Draw(im)
        d.rectangle([0, 0, width, 28], fill=(20, 20, 28))
        d.text((10, 7), "Repair Cafe  -  Harbour Press Video", font=small, fill=(240, 240, 240))
        # a simple toaster-and-spanner motif
        d.rounded_rectangle(
            [110, 45, 210, 105], radius=14, fill=(235, 235, 235), outline=(40, 40, 40), width=3
        )
        d.rectangle([135, 40, 150, 48], fill=(40, 40, 40))
        d.rectangle([170, 40, 185, 48], fill=(40, 40, 40))
        d.line([(225, 60 + i * 3), (275, 95 - i * 2)], fill=(60, 60, 60), width=7)
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        lines = textwrap.wrap(ascii_text, 38)[:3]
        for j, ln in enumerate(lines):
            d.text((12, 118 + j * 18), ln, font=font, fill=(255, 255, 255))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=70)
        frames.append(buf.getvalue())
        nxt = cues[i + 1][0] if i + 1 < len(cues) else total / timescale
        begin = 0.0 if i == 0 else start
        durations.append(int(round((nxt - begin) * timescale)))
    total = sum(durations)

    epoch = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
    t = int((item.aware - epoch).total_seconds())
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)

    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mdat = _box(b"mdat", b"".join(frames))
    data_offset = len(ftyp) + 8

    mvhd = _full(
        b"mvhd",
        0,
        0,
        struct.pack(">IIII", t, t, timescale, total)
        + struct.pack(">IH", 0x10000, 0x100)
        + bytes(10)
        + matrix
        + bytes(24)
        + struct.pack(">I", 2),
    )
    tkhd = _full(
        b"tkhd",
        0,
        3,
        struct.pack(">IIIII", t, t, 1, 0, total)
        + bytes(8)
        + struct.pack(">hhhH", 0, 0, 0, 0)
        + matrix
        + struct.pack(">II", width << 16, height << 16),
    )
    mdhd = _full(b"mdhd", 0, 0, struct.pack(">IIIIHH", t, t, timescale, total, 0x55C4, 0))
    hdlr = _full(b"hdlr", 0, 0, bytes(4) + b"vide" + bytes(12) + b"VideoHandler\0")
    vmhd = _full(b"vmhd", 0, 1, bytes(8))
    dinf = _box(b"dinf", _full(b"dref", 0, 0, struct.pack(">I", 1) + _full(b"url ", 0, 1, b"")))
    name = b"Photo - JPEG"
    compressor = bytes([len(name)]) + name + bytes(31 - len(name))
    jpeg_entry = _box(
        b"jpeg",
        bytes(6)
        + struct.pack(">H", 1)
        + bytes(16)
        + struct.pack(">HHIIIH", width, height, 0x480000, 0x480000, 0, 1)
        + compressor
        + struct.pack(">Hh", 24, -1),
    )
    stsd = _full(b"stsd", 0, 0, struct.pack(">I", 1) + jpeg_entry)
    runs: list[list[int]] = []
    for dur in durations:
        if runs and runs[-1][1] == dur:
            runs[-1][0] += 1
        else:
            runs.append([1, dur])
    stts = _full(
        b"stts", 0, 0, struct.pack(">I", len(runs)) + b"".join(struct.pack(">II", c, dd) for c, dd in runs)
    )
    stsc = _full(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, len(frames), 1))
    stsz = _full(
        b"stsz",
        0,
        0,
        struct.pack(">II", 0, len(frames)) + b"".join(struct.pack(">I", len(f)) for f in frames),
    )
    stco = _full(b"stco", 0, 0, struct.pack(">II", 1, data_offset))
    stbl = _box(b"stbl", stsd + stts + stsc + stsz + stco)
    minf = _box(b"minf", vmhd + dinf + stbl)
    mdia = _box(b"mdia", mdhd + hdlr + minf)
    trak = _box(b"trak", tkhd + mdia)
    moov = _box(b"moov", mvhd + trak)
    raw = ftyp + mdat + moov

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.mp4"
        path.write_bytes(raw)
        mp4 = MP4(path)
        mp4.add_tags()
        mp4.tags["\xa9nam"] = [item.title]
        mp4.tags["\xa9ART"] = [item["artist"]]
        mp4.tags["\xa9day"] = [item["date"]]
        mp4.tags["\xa9gen"] = ["Documentary"]
        mp4.tags["\xa9too"] = [GENERATOR]
        mp4.tags["desc"] = [cues[0][2]]
        mp4.tags["ldes"] = [" ".join(c[2] for c in cues)]
        mp4.tags["\xa9cmt"] = [", ".join(item.keywords)]
        mp4.tags["----:com.apple.iTunes:KEYWORDS"] = [", ".join(item.keywords).encode("utf-8")]
        mp4.save(padding=lambda info: 0)
        data = path.read_bytes()
    srt = OUT / item["srt"]
    srt.parent.mkdir(parents=True, exist_ok=True)
    srt.write_text(srt_text(cues), encoding="utf-8", newline="\n")
    return data


WRITERS = {
    "md": write_md,
    "txt": write_txt,
    "html": write_html,
    "pdf": write_pdf,
    "epub": write_epub,
    "docx": write_docx,
    "odt": write_odt,
    "rtf": write_rtf,
    "eml": write_eml,
    "jpg": write_jpg,
    "png": write_png,
    "mp3": write_mp3,
    "mp4": write_mp4,
}


def load_items() -> list[Item]:
    return [parse_source(p) for p in sorted(SRC.glob("[0-9][0-9]-*.md"))]


def generate(items: list[Item]) -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for item in items:
        data = WRITERS[item.fmt](item)
        item.out.parent.mkdir(parents=True, exist_ok=True)
        item.out.write_bytes(data)
    manifest = []
    for item in items:
        entry = {
            "path": item["out"],
            "format": item.fmt,
            "lang": item.lang,
            "topic": item["topic"],
            "title": item.title,
            "author": item.author,
            "date": item["date"],
            "keywords": item.keywords,
            "source": item.src.name,
        }
        if item.get("srt"):
            entry["sidecar"] = item["srt"]
        if "near_duplicate_of" in item.meta:
            entry["near_duplicate_of"] = item["near_duplicate_of"]
        manifest.append(entry)
    (SRC / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------


def verify(items: list[Item]) -> bool:
    import xml.dom.minidom
    from email import message_from_bytes

    import mutagen
    import pypdfium2 as pdfium
    from PIL import ExifTags, Image

    ok = True

    def check(cond: bool, item: Item, what: str) -> None:
        nonlocal ok
        status = "ok " if cond else "FAIL"
        if not cond:
            ok = False
        print(f"  [{status}] {item['out']}: {what}")

    def probe(item: Item) -> str:
        """A phrase from the body that must survive extraction."""
        text = plain(next(t for k, t in item.blocks if k == "p"))
        return text[:12] if item.lang == "zh" else " ".join(text.split()[:5])

    for item in items:
        p, fmt = item.out, item.fmt
        try:
            if fmt in ("md", "html"):
                s = p.read_text("utf-8")
                check(item.title in s and probe(item) in s, item, "utf-8 text with title and body")
            elif fmt == "txt":
                enc = item.get("encoding", "utf-8")
                raw = p.read_bytes()
                try:
                    raw.decode("utf-8")
                    utf8 = True
                except UnicodeDecodeError:
                    utf8 = False
                s = raw.decode(enc)
                check(not utf8 and probe(item) in s, item, f"{enc} text (not valid UTF-8)")
            elif fmt == "pdf":
                pdf = pdfium.PdfDocument(str(p))
                text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
                meta = pdf.get_metadata_dict()
                text_n = " ".join(text.split())
                check(
                    probe(item) in text_n and meta.get("Title") == item.title,
                    item,
                    f"pypdfium2: {len(pdf)} page(s), {len(text_n.split())} words, title in Info",
                )
                pdf.close()
            elif fmt in ("epub", "docx", "odt"):
                with zipfile.ZipFile(p) as zf:
                    bad = zf.testzip()
                    names = zf.namelist()
                    blob = ""
                    for n in names:
                        if n.endswith((".xml", ".xhtml", ".opf", ".ncx")):
                            data = zf.read(n)
                            xml.dom.minidom.parseString(data)  # well-formed
                            blob += data.decode("utf-8")
                    first = names[0]
                    mt_ok = fmt == "docx" or (
                        first == "mimetype" and zf.getinfo(first).compress_type == zipfile.ZIP_STORED
                    )
                check(
                    bad is None and mt_ok and xesc(probe(item)) in blob,
                    item,
                    f"zip ok, {len(names)} parts, XML well-formed",
                )
            elif fmt == "rtf":
                s = p.read_text("ascii")
                check(
                    s.startswith("{\\rtf1") and s.count("{") == s.count("}") and rtf_esc(probe(item)) in s,
                    item,
                    "RTF braces balanced",
                )
            elif fmt == "eml":
                msg = message_from_bytes(p.read_bytes(), policy=email.policy.default)
                body = msg.get_body(("plain",)).get_content()
                atts = [a.get_filename() for a in msg.iter_attachments()]
                check(
                    msg["Subject"] == item.title and probe(item) in " ".join(body.split()),
                    item,
                    f"email parses, subject ok, attachments={atts}",
                )
            elif fmt == "jpg":
                with Image.open(p) as im:
                    exif = im.getexif()
                    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
                    sub = exif.get_ifd(ExifTags.IFD.Exif)
                    xmp = im.info.get("xmp", b"")
                    check(
                        exif.get(ExifTags.Base.Model) == item["camera_model"]
                        and sub.get(ExifTags.Base.DateTimeOriginal)
                        and ExifTags.GPS.GPSLatitude in gps
                        and item.keywords[0].encode() in xmp
                        and b"dc:title" in xmp,
                        item,
                        f"EXIF {exif.get(ExifTags.Base.Make)} {exif.get(ExifTags.Base.Model)}, "
                        f"{sub.get(ExifTags.Base.DateTimeOriginal)}, GPS {gps.get(2)}, XMP {len(xmp)} B",
                    )
            elif fmt == "png":
                with Image.open(p) as im:
                    im.load()
                    check(
                        im.text.get("Title") == item.title and "Keywords" in im.text,
                        item,
                        f"PNG {im.size} text chunks {sorted(im.text)}",
                    )
            elif fmt in ("mp3", "mp4"):
                f = mutagen.File(p)
                title = f.tags.get("TIT2") if fmt == "mp3" else f.tags.get("\xa9nam")
                title = str(title.text[0] if fmt == "mp3" else title[0])
                check(
                    title == item.title and f.info.length > 1,
                    item,
                    f"mutagen {type(f).__name__}: {f.info.length:.2f}s, title ok",
                )
                if fmt == "mp4":
                    srt = (OUT / item["srt"]).read_text("utf-8")
                    check(
                        "repair café" in srt.lower() and "-->" in srt,
                        item,
                        f"sidecar {item['srt']} ({srt.count('-->')} cues)",
                    )
        except Exception as exc:  # noqa: BLE001
            check(False, item, f"{type(exc).__name__}: {exc}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verify", action="store_true", help="check the files after generating")
    ap.add_argument("--verify-only", action="store_true", help="only check existing files")
    args = ap.parse_args()
    items = load_items()
    if not args.verify_only:
        generate(items)
        total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
        print(f"wrote {len(items)} items to {OUT} ({total / 1024:.0f} KiB)")
    if args.verify or args.verify_only:
        return 0 if verify(items) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
