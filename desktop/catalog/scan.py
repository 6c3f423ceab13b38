"""Walk the library roots and work out what is new, changed, moved or gone.

Paths are handled as bytes end to end, so file names that are not valid UTF-8 are
indexed like any other. Nothing here opens a file for writing.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import extract
from .store import FoundFile, Root, ScanChanges, Store, display_path

# Above this size a file is identified by its size and three 1 MiB samples instead of
# every byte: hashing a whole video would dominate indexing time.
FULL_HASH_LIMIT = 64 * 1024 * 1024
_SAMPLE = 1024 * 1024


def content_hash(path: bytes, size: int | None = None) -> str:
    """A stable identity for a file's content, used to recognise moves and renames."""
    digest = hashlib.blake2b(digest_size=20)
    size = os.stat(path).st_size if size is None else size
    with open(path, "rb") as handle:
        if size <= FULL_HASH_LIMIT:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        else:
            digest.update(b"sampled:%d" % size)
            for offset in (0, size // 2, size - _SAMPLE):
                handle.seek(offset)
                digest.update(handle.read(_SAMPLE))
    return digest.hexdigest()


@dataclass
class ScanProblem:
    path: str
    reason: str


@dataclass
class ScanReport:
    changes: ScanChanges
    problems: list[ScanProblem] = field(default_factory=list)
    files_seen: int = 0


def _matches(patterns: list[str], rel: str, name: str) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk_root(
    root: Root, problems: list[ScanProblem], on_file: Callable[[int], None] | None = None
) -> list[FoundFile]:
    """Every supported, visible file under a root that passes its include/exclude patterns."""
    found: list[FoundFile] = []
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root.path_bytes]
    base_len = len(root.path_bytes.rstrip(b"/")) + 1
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as exc:
            problems.append(ScanProblem(display_path(folder), f"cannot open folder: {exc.strerror}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            problems.append(ScanProblem(display_path(folder), "symbolic link loop, skipped"))
            continue
        seen_dirs.add(key)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.append(ScanProblem(display_path(folder), f"cannot read folder: {exc.strerror}"))
            continue
        for entry in sorted(entries, key=lambda e: e.name, reverse=True):
            if entry.name.startswith(b"."):
                continue
            rel = os.fsdecode(entry.path[base_len:])
            name = os.fsdecode(entry.name)
            if root.exclude and _matches(root.exclude, rel, name):
                continue
            try:
                st = entry.stat()  # follows symlinks
            except OSError as exc:
                reason = "broken symbolic link" if entry.is_symlink() else exc.strerror
                problems.append(ScanProblem(display_path(entry.path), str(reason)))
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(entry.path)
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            # No Path objects here: building one per file was a third of a re-scan.
            suffix = os.path.splitext(name)[1].lower()
            kind = extract.kind_for_suffix(suffix)
            if kind is None:
                continue
            if kind == "subtitle" and extract.is_sidecar(Path(os.fsdecode(entry.path))):
                continue
            if root.include and not _matches(root.include, rel, name):
                continue
            found.append(FoundFile(root.id, entry.path, display_path(entry.name),
                                   display_path(os.fsencode(suffix)), kind,
                                   st.st_size, st.st_mtime_ns))
            if on_file:
                on_file(len(found))
    return found


def scan(
    store: Store, roots: list[Root] | None = None,
    on_file: Callable[[int], None] | None = None,
) -> ScanReport:
    """Compare the roots on disk with the catalog and record what changed."""
    roots = store.roots() if roots is None else roots
    problems: list[ScanProblem] = []
    changes = ScanChanges(new=[], changed=[], touched=[], moved=[], missing=[])
    candidates: list[FoundFile] = []
    gone: dict[int, str | None] = {}  # item id -> content hash, for files no longer seen
    seen = 0
    for root in roots:
        known = store.known_files(root.id)
        if not os.path.isdir(root.path_bytes):
            problems.append(ScanProblem(root.path, "library folder is not reachable; its items "
                                        "are kept as missing"))
            gone.update({r["id"]: r["content_hash"] for r in known.values()
                         if r["status"] != "missing"})
            continue
        files = walk_root(root, problems, on_file)
        seen += len(files)
        for f in files:
            row = known.pop(f.path_bytes, None)
            if row is None:
                candidates.append(f)
            elif row["status"] == "missing":
                candidates.append(f)  # came back at the same place: treat like a move
                gone[row["id"]] = row["content_hash"]
            elif row["size"] == f.size and row["mtime_ns"] == f.mtime_ns:
                changes.unchanged += 1
            else:
                try:
                    f.content_hash = content_hash(f.path_bytes, f.size)
                except OSError as exc:
                    problems.append(ScanProblem(display_path(f.path_bytes), exc.strerror or str(exc)))
                    continue
                target = changes.touched if f.content_hash == row["content_hash"] else changes.changed
                target.append((row["id"], f))
        gone.update({r["id"]: r["content_hash"] for r in known.values() if r["status"] != "missing"})

    had_missing = store.counts()["missing"] > 0
    by_hash: dict[str, list[int]] = {}
    for item_id, digest in gone.items():
        if digest:
            by_hash.setdefault(digest, []).append(item_id)
    for f in candidates:
        try:
            f.content_hash = content_hash(f.path_bytes, f.size)
        except OSError as exc:
            problems.append(ScanProblem(display_path(f.path_bytes), exc.strerror or str(exc)))
            continue
        matches = by_hash.get(f.content_hash)
        if matches:
            changes.moved.append((matches.pop(), f))
            continue
        # Only items already missing before this scan can be matched in the catalog; a
        # library with none (the usual first index) skips two queries per new file.
        earlier = store.missing_by_hash(f.content_hash) if had_missing else None
        same_place = store.item_id_for_path(f.path_bytes) if had_missing else None
        if earlier is not None and earlier["id"] not in {i for i, _ in changes.moved}:
            changes.moved.append((earlier["id"], f))
        elif same_place is not None:
            # A missing file came back where it was, with new content: same item, changed.
            changes.changed.append((same_place, f))
        else:
            changes.new.append(f)
    kept = {i for i, _ in changes.moved} | {i for i, _ in changes.changed}
    changes.missing = [i for i in gone if i not in kept]
    store.apply_scan(changes)
    for root in roots:
        if os.path.isdir(root.path_bytes):
            store.mark_scanned(root.id)
    return ScanReport(changes, problems, seen)
