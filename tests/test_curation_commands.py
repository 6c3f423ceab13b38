"""`curio similar|cluster|recommend|feedback|tags|duplicates` on the shared library."""

from __future__ import annotations

import json

import pytest

import desktop.curation.commands  # noqa: F401  (registers the commands)
from desktop import cli
from tests.test_curation_library import ids_by_title, open_library


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("commands")
    open_library(folder).close()
    return folder / "catalog.sqlite3"


def run(capsys, db, *argv):
    code = cli.main(["--db", str(db), "--json", *argv])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else None)


def test_similar_and_duplicates(capsys, db):
    from desktop.catalog.store import Store

    ids = ids_by_title(Store.open(db))
    code, data = run(capsys, db, "similar", str(ids["Bread"]))
    assert code == cli.EXIT_OK
    assert [d["id"] for d in data["duplicates"]] == [ids["Bread (copy)"]]
    assert all({"id", "path", "title", "score"} <= set(r) for r in data["similar"])
    code, groups = run(capsys, db, "duplicates")
    assert code == cli.EXIT_OK and len(groups) == 1
    assert run(capsys, db, "similar", "99999")[0] == cli.EXIT_NOT_FOUND


def test_cluster_recommend_feedback(capsys, db):
    code, clusters = run(capsys, db, "cluster", "--k", "4")
    assert code == cli.EXIT_OK and len(clusters) == 4 and clusters[0]["label"]
    code, recs = run(capsys, db, "recommend", "--limit", "5")
    assert code == cli.EXIT_OK and len(recs) == 5
    assert all({"id", "path", "title", "score", "reason"} <= set(r) for r in recs)
    code, event = run(capsys, db, "feedback", str(recs[0]["id"]), "like")
    assert code == cli.EXIT_OK and event["kind"] == "like"
    code, after = run(capsys, db, "recommend", "--limit", "5")
    assert recs[0]["id"] not in [r["id"] for r in after]
    assert run(capsys, db, "feedback", str(recs[0]["id"]), "rating", "9")[0] == cli.EXIT_USAGE


def test_tags_commands(capsys, db):
    from desktop.catalog.store import Store

    ids = ids_by_title(Store.open(db))
    code, made = run(capsys, db, "tags", "create", "Astronomy")
    assert code == cli.EXIT_OK
    run(capsys, db, "tags", "create", "Sky")
    assert run(capsys, db, "tags", "accept", str(ids["Comet"]), "Astronomy")[0] == cli.EXIT_OK
    assert run(capsys, db, "tags", "reject", str(ids["Bread"]), "Astronomy")[0] == cli.EXIT_OK
    assert run(capsys, db, "tags", "rule", "Sky", "regex", "(bad")[0] == cli.EXIT_USAGE
    assert run(capsys, db, "tags", "rule", "Sky", "keyword", "night sky")[0] == cli.EXIT_OK
    assert run(capsys, db, "tags", "learnable", "Sky", "off")[0] == cli.EXIT_OK
    assert run(capsys, db, "tags", "rename", "Sky", "Night sky")[0] == cli.EXIT_OK
    assert run(capsys, db, "tags", "merge", "Night sky", "Astronomy")[0] == cli.EXIT_OK
    code, listed = run(capsys, db, "tags", "list")
    names = {t["name"]: t for t in listed}
    assert "Night sky" not in names and names["Astronomy"]["accepted"] == 1
    code, _ = run(capsys, db, "tags", "suggest")
    code, sugg = run(capsys, db, "tags", "suggestions", "Astronomy")
    assert all(s["id"] != ids["Bread"] for s in sugg)
    assert all({"id", "path", "title", "score", "source"} <= set(s) for s in sugg)
    assert run(capsys, db, "tags", "rename", "Astronomy")[0] == cli.EXIT_USAGE
