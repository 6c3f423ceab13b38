"""Small, real files of every format Curio reads, written by code (no binary fixtures).

`build_library(folder)` writes one good file per format and returns them by name;
`build_broken(folder)` writes damaged variants that extraction must reject. The byte
builders (`pdf_bytes`, `jpeg_bytes`, ...) are importable for other tests.
"""

from __future__ import annotations

import hashlib
import io
import struct
import wave
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

from mutagen.easyid3 import EasyID3
from mutagen.easymp4 import EasyMP4
from mutagen.flac import FLAC
from mutagen.id3 import TIT2, TPE1
from mutagen.ogg import OggPage
from mutagen.wave import WAVE
from PIL import Image
from PIL.PngImagePlugin import PngInfo

ENGLISH = (
    "The quiet archive keeps every letter that the town has written since the war. "
    "Its keeper reads them in the morning and sorts them by the name of the sender."
)
CHINESE = (
    "这是一个关于离线内容整理的测试文件。我们希望程序能够正确识别中文编码，并且提取文本内容。"
    "图书馆里的文章、电子书和图片都需要被索引，用户的喜好也会被记录下来。"
)
FRENCH = (
    "Le café était très agréable, et nous avons mangé des crêpes à la française. "
    "Où est la gare ? C'est près de l'hôtel, à côté du théâtre."
)
GPS = (52.375, -4.883333)  # 52°22'30" N, 4°53' W


# --- text-like formats ----------------------------------------------------------------


def markdown_text() -> str:
    return (
        "---\n"
        "title: Notes on Archives\n"
        "author: Ada Keeper\n"
        "date: 2024-03-05\n"
        "tags: [archives, letters]\n"
        "keywords:\n"
        "  - curation\n"
        "---\n\n"
        "# Heading Not The Title\n\n" + ENGLISH + "\n"
    )


def html_text() -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>离线整理 Offline curation</title>"
        '<meta name="author" content="Li Wei">'
        '<meta name="description" content="A page about archives">'
        '<meta name="keywords" content="archive, 图书馆, curation">'
        '<meta name="date" content="2023-11-02">'
        "<style>body { color: red }</style><script>var hidden = 'SECRET_SCRIPT';</script>"
        "</head><body><h1>欢迎</h1><p>" + CHINESE + "</p><p>" + ENGLISH + "</p>"
        "<noscript>SECRET_NOSCRIPT</noscript></body></html>"
    )


def srt_text() -> str:
    return (
        "1\n00:00:01,000 --> 00:00:03,500\n<i>The quiet archive keeps every letter.</i>\n\n"
        "2\n00:00:04,000 --> 00:00:06,250\nIts keeper reads them in the morning\n"
        "and sorts them by the name of the sender.\n\n"
        "3\n00:01:02,000 --> 00:01:05,125\nThat is all there is to it.\n"
    )


def vtt_text() -> str:
    return (
        "WEBVTT - a small test\n\nNOTE this block is a comment\n\n"
        "intro\n00:01.000 --> 00:02.500 align:start\n<v Ada>Hello from the archive.\n\n"
        "00:00:03.000 --> 00:00:07.750\nThe letters are sorted by sender.\n"
    )


def rtf_text() -> str:
    return (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
        r"{\info{\title Archive Report}{\author Ada Keeper}{\keywords archive letters}"
        r"{\creatim\yr2022\mo6\dy15\hr9\min30}}"
        r"\f0\fs24 The quiet archive keeps every letter that the town has written "
        r"since the war.\par Its keeper reads them in the morning and sorts them by "
        r"the name of the sender. Caf\'e9 au lait.\par}"
    )


def eml_bytes() -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Quarterly archive report 季度报告"
    msg["From"] = "Ada Keeper <ada@example.org>"
    msg["To"] = "Board <board@example.org>"
    msg["Date"] = "Tue, 05 Mar 2024 10:15:00 +0100"
    msg.set_content(ENGLISH + "\n\n" + CHINESE + "\n")
    msg.add_alternative("<html><body><p>HTML version</p></body></html>", subtype="html")
    msg.add_attachment(b"col1,col2\n1,2\n", maintype="text", subtype="csv", filename="data.csv")
    return msg.as_bytes()


def html_only_eml_bytes() -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "HTML only"
    msg["From"] = "news@example.org"
    msg.set_content(
        "<html><body><script>x=1</script><p>Hello <b>reader</b></p></body></html>",
        subtype="html",
    )
    return msg.as_bytes()


# --- PDF ------------------------------------------------------------------------------

_PDF_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def pdf_bytes(
    pages: list[list[str]],
    info: dict[str, str] | None = None,
    user_password: str | None = None,
) -> bytes:
    """A small valid PDF with Helvetica text lines per page and an Info dictionary.

    With `user_password`, the file uses the standard security handler (RC4, 40-bit, R2),
    so opening it without the password fails as a real encrypted PDF does.
    """
    file_id = hashlib.md5(repr((pages, info)).encode()).digest()
    key = None
    encrypt_dict = b""
    if user_password is not None:
        padded_user = (user_password.encode("latin-1") + _PDF_PAD)[:32]
        owner = _rc4(hashlib.md5(b"owner" + _PDF_PAD[:27]).digest()[:5], padded_user)
        permissions = -4
        key = hashlib.md5(padded_user + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
        encrypt_dict = b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s> >>" % (
            permissions,
            owner.hex().encode(),
            _rc4(key, _PDF_PAD).hex().encode(),
        )

    def crypt(number: int, data: bytes) -> bytes:
        if key is None:
            return data
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
        return _rc4(object_key, data)

    def string(number: int, text: str) -> bytes:
        if key is None:
            return _pdf_string(text)
        return b"<" + crypt(number, text.encode("latin-1")).hex().encode() + b">"

    objects: list[bytes] = []
    first_page = 4
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), len(pages)))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for index, lines in enumerate(pages):
        page_number = first_page + 2 * index
        content = [b"BT /F1 12 Tf 72 720 Td 16 TL"]
        content += [_pdf_string(line) + b" '" for line in lines]
        content.append(b"ET")
        stream = crypt(page_number + 1, b"\n".join(content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    info_number = len(objects) + 1
    entries = b" ".join(
        b"/" + name.encode() + b" " + string(info_number, value) for name, value in (info or {}).items()
    )
    objects.append(b"<< " + entries + b" >>")
    if encrypt_dict:
        objects.append(encrypt_dict)

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"/Size %d /Root 1 0 R /Info %d 0 R /ID [<%s> <%s>]" % (
        len(objects) + 1,
        info_number,
        file_id.hex().encode(),
        file_id.hex().encode(),
    )
    if encrypt_dict:
        trailer += b" /Encrypt %d 0 R" % len(objects)
    out.write(b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref))
    return out.getvalue()


PDF_INFO = {
    "Title": "Archive Handbook",
    "Author": "Ada Keeper",
    "Keywords": "archives, letters",
    "CreationDate": "D:20230102030405+01'00'",
    "ModDate": "D:20240506070809Z",
}


def sample_pdf() -> bytes:
    return pdf_bytes(
        [["The quiet archive keeps every letter.", "Page one ends here."], ["Second page text."]],
        PDF_INFO,
    )


# --- zip containers: EPUB, DOCX, ODT ---------------------------------------------------


def _zip(parts: list[tuple[str, str | bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts:
            # EPUB and ODF require the mimetype entry first and uncompressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=method)
    return out.getvalue()


def _xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>'
        + title
        + "</title><style>p{}</style></head><body>"
        + body
        + "</body></html>"
    )


def epub_bytes(with_container: bool = True) -> bytes:
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:1234</dc:identifier>'
        "<dc:title>The Keeper's Book</dc:title><dc:creator>Ada Keeper</dc:creator>"
        "<dc:creator>Li Wei</dc:creator><dc:date>2021-09-30</dc:date>"
        "<dc:language>en</dc:language><dc:subject>Archives</dc:subject>"
        "<dc:subject>History</dc:subject>"
        '<meta property="dcterms:modified">2022-01-01T12:00:00Z</meta></metadata>'
        "<manifest>"
        '<item id="c2" href="text/chapter%202.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c1" href="text/chapter1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="css" href="style.css" media-type="text/css"/>'
        "</manifest>"
        '<spine><itemref idref="c1"/><itemref idref="c2"/><itemref idref="css"/></spine>'
        "</package>"
    )
    parts: list[tuple[str, str | bytes]] = [("mimetype", "application/epub+zip")]
    if with_container:
        parts.append(("META-INF/container.xml", container))
    parts += [
        ("OEBPS/content.opf", opf),
        ("OEBPS/text/chapter1.xhtml", _xhtml("One", "<h1>Chapter One</h1><p>" + ENGLISH)),
        ("OEBPS/text/chapter 2.xhtml", _xhtml("Two", "<h1>Chapter Two</h1><p>The end.</p>")),
        ("OEBPS/style.css", "p { margin: 0 }"),
    ]
    return _zip(parts)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(with_document: bool = True, document: str | None = None) -> bytes:
    document = document or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        "<w:body>"
        "<w:p><w:r><w:t>Archive </w:t></w:r><w:r><w:t>Report</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>{ENGLISH}</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>{CHINESE}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Name</w:t><w:tab/><w:t>Value</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>季度报告 Quarterly Report</dc:title><dc:creator>Li Wei</dc:creator>"
        "<cp:keywords>archive; report</cp:keywords>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-15T08:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-02-01T09:30:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    parts: list[tuple[str, str | bytes]] = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("docProps/core.xml", core),
    ]
    if with_document:
        parts.append(("word/document.xml", document))
    return _zip(parts)


def odt_bytes() -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}"'
        f' xmlns:text="{text}" office:version="1.2"><office:body><office:text>'
        '<text:h text:outline-level="1">Open Report</text:h>'
        f"<text:p>{ENGLISH}</text:p>"
        '<text:p>two<text:s text:c="2"/>spaces<text:tab/>tab'
        "<text:span>, spanned</text:span></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="{office}"'
        ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
        "<dc:title>Open Report</dc:title><meta:initial-creator>Ada Keeper</meta:initial-creator>"
        "<meta:creation-date>2020-05-04T03:02:01</meta:creation-date>"
        "<dc:date>2020-06-01T00:00:00</dc:date><dc:language>en-GB</dc:language>"
        "<meta:keyword>odf</meta:keyword><meta:keyword>report</meta:keyword>"
        "</office:meta></office:document-meta>"
    )
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", content),
            ("meta.xml", meta),
        ]
    )


# --- images ---------------------------------------------------------------------------


def iptc_segment(fields: list[tuple[int, bytes]]) -> bytes:
    """An APP13 "Photoshop 3.0" segment carrying IPTC-IIM record 2 datasets."""
    iptc = b"".join(b"\x1c\x02" + bytes([tag]) + struct.pack(">H", len(v)) + v for tag, v in fields)
    if len(iptc) % 2:
        iptc += b"\0"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\0" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def _xmp_packet() -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dawn</rdf:li></rdf:Alt>'
        "</dc:title><dc:subject><rdf:Bag><rdf:li>harbour</rdf:li><rdf:li>港口</rdf:li>"
        "</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def jpeg_bytes(size: tuple[int, int] = (64, 32), orientation: int = 1, metadata: bool = True) -> bytes:
    """A JPEG photo with EXIF (camera, date, GPS, orientation), XMP and IPTC keywords."""
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = orientation
    save_args: dict[str, object] = {"quality": 90}
    if metadata:
        exif[0x010F] = "Canon"
        exif[0x0110] = "EOS 5D"
        exif[0x010E] = "Boats in the harbour"
        exif.get_ifd(0x8769)[36867] = "2023:07:14 10:20:30"
        gps = exif.get_ifd(0x8825)
        gps.update({1: "N", 2: (52.0, 22.0, 30.0), 3: "W", 4: (4.0, 53.0, 0.0)})
        save_args["xmp"] = _xmp_packet()
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, **save_args)
    data = out.getvalue()
    if metadata:
        iptc = iptc_segment([(25, b"boats"), (25, b"sea"), (120, b"IPTC caption")])
        data = data[:2] + iptc + data[2:]
    return data


def png_bytes(size: tuple[int, int] = (48, 48)) -> bytes:
    info = PngInfo()
    info.add_text("Title", "A green square")
    info.add_text("Author", "Ada Keeper")
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 160, 0, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size but carries almost no data (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


# --- audio ----------------------------------------------------------------------------


def write_mp3(path: Path, seconds: float = 1.0) -> Path:
    """Silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) with ID3 tags."""
    header = b"\xff\xfb\x90\x00"  # sync, MPEG-1 L3, no CRC, 128 kbit/s, 44.1 kHz, stereo
    frame = header + b"\0" * (417 - len(header))
    path.write_bytes(frame * max(1, round(seconds * 44100 / 1152)))
    tags = EasyID3()
    tags.update(
        {
            "title": "Harbour Song",
            "artist": "The Keepers",
            "album": "Archive Sessions",
            "date": "2019",
            "genre": "Folk",
        }
    )
    tags.save(path)
    return path


def write_flac(path: Path, seconds: float = 2.0) -> Path:
    """A FLAC header (STREAMINFO) plus Vorbis comments; mutagen needs no audio frames."""
    rate, channels, bits = 44100, 1, 16
    samples = int(seconds * rate)
    packed = (rate << 44) | ((channels - 1) << 41) | ((bits - 1) << 36) | samples
    info = struct.pack(">HH", 4096, 4096) + b"\0" * 6 + packed.to_bytes(8, "big") + b"\0" * 16
    path.write_bytes(b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info)
    audio = FLAC(path)
    audio.add_tags()
    audio.update({"title": "Tide", "artist": "Li Wei", "date": "2020-04-01", "genre": "Ambient"})
    audio.save()
    return path


def write_ogg(path: Path, seconds: float = 3.0) -> Path:
    """An Ogg Vorbis stream with identification and comment headers and a final page."""
    rate = 44100
    ident = (
        b"\x01vorbis"
        + struct.pack("<IBIiii", 0, 2, rate, 0, 128000, 0)
        + bytes([0xB8, 0x01])  # block sizes 256/2048, framing bit
    )
    comments = [b"TITLE=Night Ferry", b"ARTIST=Ada Keeper", b"GENRE=Jazz"]
    vendor = b"curio-tests"
    comment = b"\x03vorbis" + struct.pack("<I", len(vendor)) + vendor
    comment += struct.pack("<I", len(comments))
    comment += b"".join(struct.pack("<I", len(c)) + c for c in comments) + b"\x01"
    setup = b"\x05vorbis" + b"\0" * 16
    pages = []
    for sequence, (packets, position, flags) in enumerate(
        [([ident], 0, 0x02), ([comment, setup], 0, 0), ([b"\0" * 8], int(seconds * rate), 0x04)]
    ):
        page = OggPage()
        page.serial, page.sequence, page.position = 1234, sequence, position
        page.first, page.last = bool(flags & 0x02), bool(flags & 0x04)
        page.packets = packets
        pages.append(page.write())
    path.write_bytes(b"".join(pages))
    return path


def write_wav(path: Path, seconds: float = 0.5) -> Path:
    """16-bit mono silence with an ID3 chunk (title, artist)."""
    rate = 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * int(rate * seconds))
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text="Field Recording"))
    audio.tags.add(TPE1(encoding=3, text="Li Wei"))
    audio.save()
    return path


# --- MP4 / QuickTime ------------------------------------------------------------------


def _atom(kind: bytes, *children: bytes) -> bytes:
    body = b"".join(children)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _mp4_skeleton(brand: bytes, handler: bytes, seconds: float, size: tuple[int, int]) -> bytes:
    timescale = 1000
    duration = int(seconds * timescale)
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _atom(
        b"mvhd",
        struct.pack(">B3xIIII", 0, 0, 0, timescale, duration),
        struct.pack(">IH10x", 0x10000, 0x100) + matrix + b"\0" * 24 + struct.pack(">I", 2),
    )
    tkhd = _atom(
        b"tkhd",
        struct.pack(">B3sIIIII", 0, b"\0\0\x03", 0, 0, 1, 0, duration),
        b"\0" * 8 + struct.pack(">hhhh", 0, 0, 0, 0) + matrix,
        struct.pack(">II", size[0] << 16, size[1] << 16),
    )
    mdhd = _atom(b"mdhd", struct.pack(">B3xIIIIHH", 0, 0, 0, timescale, duration, 0x55C4, 0))
    hdlr = _atom(b"hdlr", struct.pack(">B3xI4s12x", 0, 0, handler), b"handler\0")
    trak = _atom(b"trak", tkhd, _atom(b"mdia", mdhd, hdlr))
    ftyp = _atom(b"ftyp", brand, struct.pack(">I", 0), brand, b"isom")
    return ftyp + _atom(b"moov", mvhd, trak) + _atom(b"mdat", b"\0" * 16)


def write_m4a(path: Path) -> Path:
    path.write_bytes(_mp4_skeleton(b"M4A ", b"soun", 4.5, (0, 0)))
    audio = EasyMP4(path)
    audio.update({"title": "Lighthouse", "artist": "Ada Keeper", "genre": "Classical"})
    audio.save()
    return path


def write_mp4(path: Path, title: str = "Harbour Film") -> Path:
    path.write_bytes(_mp4_skeleton(b"isom", b"vide", 12.5, (320, 240)))
    video = EasyMP4(path)
    video.update({"title": title, "artist": "Li Wei", "date": "2018-08-08"})
    video.save()
    return path


# --- Matroska and AVI -----------------------------------------------------------------


def _ebml(element_id: int, payload: bytes) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    size = (1 << 56) | len(payload)  # 8-byte size: marker bit, then the length
    return id_bytes + size.to_bytes(8, "big") + payload


def mkv_bytes(doctype: str = "matroska") -> bytes:
    header = _ebml(0x1A45DFA3, _ebml(0x4282, doctype.encode()))
    info = _ebml(
        0x1549A966,
        _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
        + _ebml(0x4489, struct.pack(">d", 90_500.0))  # 90.5 s in milliseconds
        + _ebml(0x7BA9, "Matroska Voyage 航行".encode()),
    )
    video = _ebml(0xE0, _ebml(0xB0, (640).to_bytes(2, "big")) + _ebml(0xBA, (360).to_bytes(2, "big")))
    tracks = _ebml(0x1654AE6B, _ebml(0xAE, _ebml(0xD7, b"\x01") + video))
    cluster = _ebml(0x1F43B675, b"\0" * 32)
    return header + _ebml(0x18538067, info + tracks + cluster)


def avi_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return kind + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")

    avih = struct.pack("<10I", 40000, 0, 0, 0, 75, 0, 1, 0, 160, 120) + b"\0" * 16  # 25 fps
    hdrl = chunk(b"LIST", b"hdrl" + chunk(b"avih", avih))
    info = chunk(b"LIST", b"INFO" + chunk(b"INAM", b"Old Tape\0") + chunk(b"IART", b"Ada\0"))
    movi = chunk(b"LIST", b"movi" + chunk(b"00dc", b"\0" * 10))
    body = b"AVI " + hdrl + info + movi
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- the whole library ----------------------------------------------------------------


def build_library(folder: Path) -> dict[str, Path]:
    """One good file per format (and a video with sidecar subtitles), by fixture name."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def put(name: str, filename: str, data: bytes | str) -> None:
        path = folder / filename
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        files[name] = path

    put("txt", "english.txt", ENGLISH + "\n")
    put("txt_zh", "chinese.txt", CHINESE + "\n" + ENGLISH + "\n")
    put("txt_gbk", "chinese-gbk.txt", CHINESE.encode("gbk"))
    put("txt_latin1", "french-latin1.txt", FRENCH.encode("latin-1"))
    put("md", "notes.md", markdown_text())
    put("rst", "guide.rst", "=====\nGuide\n=====\n\nIntro\n-----\n\n" + ENGLISH + "\n")
    put("html", "page.html", html_text())
    put("pdf", "handbook.pdf", sample_pdf())
    put("epub", "book.epub", epub_bytes())
    put("docx", "report.docx", docx_bytes())
    put("odt", "open.odt", odt_bytes())
    put("rtf", "report.rtf", rtf_text())
    put("eml", "mail.eml", eml_bytes())
    put("eml_html", "html-only.eml", html_only_eml_bytes())
    put("srt", "lecture.srt", srt_text())
    put("vtt", "talk.vtt", vtt_text())
    put("jpg", "harbour.jpg", jpeg_bytes())
    put("png", "square.png", png_bytes())
    files["mp3"] = write_mp3(folder / "song.mp3")
    files["flac"] = write_flac(folder / "tide.flac")
    files["ogg"] = write_ogg(folder / "ferry.ogg")
    files["wav"] = write_wav(folder / "field.wav")
    files["m4a"] = write_m4a(folder / "lighthouse.m4a")
    files["mp4"] = write_mp4(folder / "harbour.mp4")
    put("mkv", "voyage.mkv", mkv_bytes())
    put("webm", "clip.webm", mkv_bytes("webm"))
    put("avi", "tape.avi", avi_bytes())
    # A video with its subtitles beside it, in two languages.
    files["movie"] = write_mp4(folder / "movie.mp4", title="Movie")
    put("movie_srt", "movie.srt", srt_text())
    put("movie_zh_srt", "movie.zh.srt", "1\n00:00:01,000 --> 00:00:02,000\n" + CHINESE + "\n")
    return files


# "Billion laughs": defusedxml refuses entity declarations outright.
ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<d>&c;</d>"
)
# Bytes that are nothing in particular: no NUL-free text, no MPEG sync (0xFF) bytes.
GARBAGE = bytes((i * 7 + 3) % 250 for i in range(4096))


def broken_files() -> dict[str, bytes | str]:
    """Contents of damaged files by file name (named for what is wrong with them)."""
    good = {
        "pdf": sample_pdf(),
        "jpg": jpeg_bytes((256, 256), metadata=False),
        "png": png_bytes((128, 128)),
        "epub": epub_bytes(),
        "docx": docx_bytes(),
    }
    return {
        "binary.txt": GARBAGE,
        "binary.md": b"\0" * 2048,
        "binary.html": GARBAGE,
        "no-cues.srt": "just some words\nwith no timings at all\n",
        "no-header.vtt": "00:01.000 --> 00:02.000\nmissing the WEBVTT line\n",
        "binary.srt": GARBAGE,
        "garbage.pdf": GARBAGE,
        "truncated.pdf": good["pdf"][:200],
        "encrypted.pdf": pdf_bytes([["secret"]], {"Title": "Locked"}, user_password="s3cret"),
        "garbage.epub": GARBAGE,
        "truncated.epub": good["epub"][: len(good["epub"]) // 2],
        "no-container.epub": epub_bytes(with_container=False),
        "garbage.docx": GARBAGE,
        "no-document.docx": docx_bytes(with_document=False),
        "truncated.docx": good["docx"][: len(good["docx"]) // 2],
        "bad-xml.docx": docx_bytes(document="<w:document><w:body><w:p>unclosed"),
        "entity-bomb.docx": docx_bytes(document=ENTITY_BOMB),
        "garbage.odt": GARBAGE,
        "no-content.odt": _zip([("mimetype", "application/vnd.oasis.opendocument.text")]),
        "not-rtf.rtf": "This is plain text pretending to be RTF.",
        "binary.eml": GARBAGE,
        "no-headers.eml": "Just a body, no headers at all.\n\nSecond paragraph.\n",
        "truncated.jpg": good["jpg"][: len(good["jpg"]) * 2 // 3],
        "garbage.jpg": GARBAGE,
        "truncated.png": good["png"][: len(good["png"]) // 2],
        "bomb.png": png_header_only(20_000, 20_000),
        "big-warning.png": png_header_only(10_000, 10_000),
        "garbage.mp3": GARBAGE,
        "garbage.flac": GARBAGE,
        "garbage.ogg": GARBAGE,
        "garbage.wav": GARBAGE,
        "garbage.m4a": GARBAGE,
        "garbage.mp4": GARBAGE,
        "garbage.mkv": GARBAGE,
        "garbage.webm": b"\x1aE\xdf",  # the first bytes of the EBML magic, then nothing
        "garbage.mov": GARBAGE,
        "garbage.avi": GARBAGE,
        "empty.pdf": b"",
        "empty.jpg": b"",
    }


def build_broken(folder: Path) -> dict[str, Path]:
    """Write every damaged file; each one must make extraction raise ExtractionError."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for name, data in broken_files().items():
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        files[name] = path
    return files
