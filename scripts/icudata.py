"""A smaller ICU data library for the packaged binary: only the ICU data Qt can reach.

Qt's wheel links QtCore to ICU, whose data library (libicudata, 32 MB) carries every
locale's names, units, currencies, time-zone names, break-iterator dictionaries, rule-based
number formats, transliterators and 200 legacy codecs. QtCore calls only ICU's case mapping
(compiled into libicuuc, no data), collation (QCollator: the file dialog's natural sort),
codecs (QStringDecoder for names outside Qt's own UTF/Latin-1; Curio decodes text in Python)
and time-zone display names. This keeps collation, the codec alias table, normalisation and
the root/time-zone tables, and drops the rest; ICU answers a lookup of a dropped item with
its ordinary "missing resource" fallback (root collation, GMT-offset zone names).

    python scripts/icudata.py libicudata.so.73 out.so   # writes the trimmed library

The data is ICU's "common data" package (`icudtNNl.dat`) exported as the symbol
`icudtNN_dat`; it is read from the ELF file, filtered, and linked into a new shared library
with the same soname by the C compiler.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Item names inside the package, after "icudtNNl/". Kept: collation (coll/), the converter
# alias table, normalisation and properties (*.nrm, *.icu, *.spp, *.cfu), and the
# root-level tables (root, res_index, pool, likely subtags, time-zone rules and ids).
DROP_FOLDERS = ("brkitr/", "curr/", "lang/", "rbnf/", "region/", "translit/", "unit/", "zone/")
LOCALE_RES = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")  # top-level locale data, e.g. de_CH.res
KEEP_TOP = {"root.res", "res_index.res", "pool.res"}


def keep_item(name: str) -> bool:
    """Whether an item (e.g. 'coll/de.res', 'ibm-1047_P100-1995.cnv') stays."""
    if name.startswith(DROP_FOLDERS) or name.endswith(".cnv"):
        return False
    if "/" not in name and LOCALE_RES.match(name) and name not in KEEP_TOP:
        return False
    return True


# -- the ELF symbol -------------------------------------------------------------------------
def _elf_symbol(blob: bytes, prefix: bytes) -> tuple[str, bytes]:
    """Name and bytes of the first dynamic symbol starting with `prefix` (64-bit little-endian)."""
    if blob[:4] != b"\x7fELF" or blob[4] != 2 or blob[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", blob, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", blob, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", blob, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link]
        for pos in range(offset, offset + size, entsize):
            st_name, _info, _other, shndx, value, st_size = struct.unpack_from("<IBBHQQ", blob, pos)
            start = strtab[4] + st_name
            name = blob[start:blob.index(b"\0", start)]
            if name.startswith(prefix) and shndx:
                home = sections[shndx]  # file offset = value - section address + section offset
                at = value - home[3] + home[4]
                return name.decode(), blob[at:at + st_size]
    raise ValueError(f"no symbol {prefix.decode()}* in the file")


# -- the common-data package ----------------------------------------------------------------
def _items(dat: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package header and its (name, bytes) items, in table order (sorted by name)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", dat, 0)
    if (magic1, magic2) != (0xDA, 0x27) or dat[12:16] != b"CmnD" or dat[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = dat[header_size:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = sorted(d for _n, d in entries) + [len(toc)]
    items = []
    for name_at, data_at in entries:
        name = toc[name_at:toc.index(b"\0", name_at)].decode()
        end = ends[ends.index(data_at) + 1]
        items.append((name, toc[data_at:end]))
    return dat[:header_size], items


def _package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package in ICU's layout: count, (name, data) offsets, names, 16-aligned data."""
    names = b"".join(name.encode() + b"\0" for name, _ in items)
    table = 4 + 8 * len(items)
    data_at = (table + len(names) + 15) // 16 * 16
    offsets, blobs, name_at, at = [], [], table, data_at
    for name, data in items:
        offsets.append(struct.pack("<II", name_at, at))
        name_at += len(name.encode()) + 1
        padded = data + b"\0" * (-len(data) % 16)
        blobs.append(padded)
        at += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(offsets) + names
    toc += b"\0" * (data_at - len(toc))
    return header + toc + b"".join(blobs)


def trim(dat: bytes) -> tuple[bytes, int, int]:
    """The package with only the kept items; also the item counts before and after."""
    header, items = _items(dat)
    kept = [(n, d) for n, d in items if keep_item(n.split("/", 1)[1])]
    return _package(header, kept), len(items), len(kept)


def build(library: Path, out: Path) -> str:
    """Write the trimmed copy of `library` to `out`; a one-line account of what it did."""
    blob = library.read_bytes()
    symbol, dat = _elf_symbol(blob, b"icudt")
    small, before, after = trim(dat)
    soname = library.name
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("no C compiler (cc) to link the trimmed ICU data")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "icu.dat").write_bytes(small)
        (Path(tmp) / "icu.S").write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'\t.balign 16\n{symbol}:\n\t.incbin "icu.dat"\n\t.size {symbol}, .-{symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n')
        subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-Wl,-s",
                        "-o", str(out.resolve()), "icu.S"], cwd=tmp, check=True)
    return (f"{soname}: {before} -> {after} ICU data items, "
            f"{len(blob) / 1e6:.1f} -> {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[2])
    print(build(Path(sys.argv[1]), Path(sys.argv[2])))
