"""Scanning: new, changed, moved, renamed, deleted, and the awkward corners of real disks."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys

import pytest

from desktop import pipeline
from desktop.catalog.store import Store


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def index(store: Store, **kwargs) -> pipeline.RunReport:
    return pipeline.run(store, workers=1, with_models=False, **kwargs)


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "library"
    write(lib / "river.md", "# River day\n\nVolunteers cleaned the river bank on Saturday.")
    write(lib / "notes" / "jazz.txt", "Jazz history notes: swing, bebop and modal jazz.")
    write(lib / "notes" / "bees.txt", "Urban beekeeping on rooftops is growing in popularity.")
    write(lib / ".hidden" / "secret.txt", "never indexed")
    write(lib / ".dotfile.txt", "never indexed either")
    write(lib / "program.exe.unknown", "not a supported kind")
    return lib


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "catalog.sqlite3")
    yield s
    s.close()


def ids_by_name(store: Store) -> dict[str, int]:
    return {r["name"]: r["id"] for r in store.conn.execute("SELECT id, name FROM items")}


def test_first_scan_indexes_visible_supported_files(store, library):
    store.add_root(library)
    report = index(store)
    assert (report.new, report.extracted, report.failed) == (3, 3, 0)
    assert sorted(ids_by_name(store)) == ["bees.txt", "jazz.txt", "river.md"]
    assert store.search_text("beekeeping")[0]["name"] == "bees.txt"
    again = index(store)
    assert (again.new, again.changed, again.unchanged, again.extracted) == (0, 0, 3, 0)


def test_changed_file_is_reread_and_touch_is_not(store, library):
    store.add_root(library)
    index(store)
    write(library / "notes" / "jazz.txt", "Jazz history notes, revised: cool jazz and fusion.")
    os.utime(library / "river.md", ns=(1, 10**18))  # new mtime, same content
    report = index(store)
    assert (report.changed, report.extracted) == (1, 1)
    assert store.search_text("fusion")[0]["name"] == "jazz.txt"
    assert store.search_text("bebop") == []


def test_move_and_rename_keep_the_item_id(store, library):
    store.add_root(library)
    index(store)
    before = ids_by_name(store)
    (library / "archive").mkdir()
    shutil.move(library / "notes" / "jazz.txt", library / "archive" / "jazz-history.txt")
    os.rename(library / "river.md", library / "river-cleanup.md")
    report = index(store)
    assert (report.moved, report.new, report.missing, report.extracted) == (2, 0, 0, 0)
    after = ids_by_name(store)
    assert after["jazz-history.txt"] == before["jazz.txt"]
    assert after["river-cleanup.md"] == before["river.md"]
    item = store.item(after["jazz-history.txt"])
    assert item["status"] == "ok" and item["path"].endswith("archive/jazz-history.txt")


def test_deleted_files_stay_missing_until_purged(store, library):
    store.add_root(library)
    index(store)
    bees = ids_by_name(store)["bees.txt"]
    (library / "notes" / "bees.txt").unlink()
    report = index(store)
    assert report.missing == 1
    assert store.item(bees)["status"] == "missing"
    assert store.search_text("beekeeping") == []
    # The file comes back (e.g. restored from a backup): same item again.
    write(library / "restored" / "bees.txt", "Urban beekeeping on rooftops is growing in popularity.")
    assert index(store).moved == 1
    assert store.item(bees)["status"] == "ok"
    (library / "restored" / "bees.txt").unlink()
    index(store)
    assert store.purge_missing() == 1
    assert store.item(bees) is None


def test_unplugged_drive_keeps_items_as_missing(store, library, tmp_path):
    store.add_root(library)
    index(store)
    library.rename(tmp_path / "elsewhere")
    report = index(store)
    assert any("not reachable" in p.reason for p in report.problems)
    assert store.counts()["missing"] == 3 and store.counts()["ok"] == 0
    (tmp_path / "elsewhere").rename(library)
    report = index(store)
    assert report.moved == 3 and report.extracted == 0
    assert store.counts()["ok"] == 3


def test_include_and_exclude_patterns(store, library):
    store.add_root(library, include=["*.txt"], exclude=["notes/bees*"])
    index(store)
    assert sorted(ids_by_name(store)) == ["jazz.txt"]


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names are a POSIX matter")
def test_non_utf8_file_name(store, library):
    raw = os.path.join(os.fsencode(library), b"caf\xe9-latin1.txt")
    with open(raw, "wb") as handle:
        handle.write(b"An espresso bar review with notes on crema.")
    store.add_root(library)
    report = index(store)
    assert report.failed == 0
    hit = store.search_text("espresso")[0]
    assert hit["name"] == "caf\ufffd-latin1.txt"
    assert "caf\ufffd-latin1.txt" in hit["path"]  # shown readably, stored exactly
    assert index(store).unchanged == 4


def test_symlink_loop_and_unreadable_folder_are_reported(store, library):
    (library / "notes" / "loop").symlink_to(library)
    locked = library / "locked"
    write(locked / "inside.txt", "cannot be read")
    locked.chmod(0)
    try:
        store.add_root(library)
        report = index(store)
    finally:
        locked.chmod(0o755)
    reasons = " ".join(p.reason for p in report.problems)
    assert "symbolic link loop" in reasons
    if os.geteuid() == 0:  # root reads every folder regardless of permissions
        assert report.new == 4
    else:
        assert "cannot read folder" in reasons
        assert report.new == 3


def test_indexing_never_modifies_the_library(store, library):
    def fingerprint() -> dict[str, tuple[str, int]]:
        out = {}
        for path in sorted(library.rglob("*")):
            if path.is_file():
                out[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                  path.stat().st_mtime_ns)
        return out

    before = fingerprint()
    listing = sorted(os.listdir(library))
    store.add_root(library)
    index(store)
    index(store)
    assert fingerprint() == before
    assert sorted(os.listdir(library)) == listing


def test_thumbnails_follow_the_text(store, tmp_path):
    from tests.formats import jpeg_bytes, pdf_bytes

    lib = tmp_path / "pictures"
    lib.mkdir()
    (lib / "harbour.jpg").write_bytes(jpeg_bytes())
    (lib / "report.pdf").write_bytes(pdf_bytes([["Quarterly report on river cleanup"]]))
    (lib / "notes.txt").write_text("plain text has no thumbnail")
    store.add_root(lib)
    report = index(store, thumbs_dir=tmp_path / "thumbs")
    assert "thumbnails" in report.stages
    thumbs = {r["name"]: r["thumbnail"] for r in store.items()}
    assert thumbs["notes.txt"] is None
    for name in ("harbour.jpg", "report.pdf"):
        assert thumbs[name] and os.path.getsize(thumbs[name]) > 100
    assert store.items_needing_thumbnails() == []
