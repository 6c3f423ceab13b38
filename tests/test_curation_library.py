"""A small topical library, indexed and embedded with the shipped model, shared by the
curation tests (each module gets its own copy of one catalog built once per run)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from desktop import pipeline
from desktop.catalog.store import Store, items_needing_vectors, save_vectors

TOPICS: dict[str, list[tuple[str, str]]] = {
    "space": [
        ("Mars rover", "The rover landed on Mars and sent pictures of red dust and rocks."),
        ("Telescope", "Astronomers pointed the new space telescope at distant galaxies."),
        ("Moon mission", "Astronauts orbited the Moon before the capsule returned to Earth."),
        ("Comet", "A bright comet crossed the night sky near the planet Jupiter."),
        ("Rocket launch", "The rocket launched a satellite into orbit around the Earth."),
    ],
    "cooking": [
        ("Bread", "Knead the dough, let it rise, then bake the bread in a hot oven."),
        ("Soup", "Simmer onions, carrots and lentils in stock for a warming soup."),
        ("Pasta", "Boil the pasta and toss it with garlic, olive oil and parmesan."),
        ("Cake", "Whisk eggs and sugar, fold in flour and bake the sponge cake."),
        ("Curry", "Fry the spices, add tomatoes and chickpeas, and simmer the curry."),
    ],
    "football": [
        ("Derby", "The striker scored twice as the home team won the football derby."),
        ("Transfer", "The club signed a young midfielder before the football season."),
        ("Cup final", "Fans cheered in the stadium as the goalkeeper saved a penalty."),
        ("Coach", "The football coach changed tactics at half time and the team won."),
        ("League", "The league table tightened after the champions lost their match."),
    ],
    "garden": [
        ("Roses", "Prune the roses in early spring and feed them with compost."),
        ("Tomatoes", "Water the tomato plants in the greenhouse every morning."),
        ("Lawn", "Mow the lawn, rake the moss and sow grass seed in bare patches."),
        ("Bulbs", "Plant tulip bulbs in autumn so the flowers bloom in spring."),
        ("Compost", "Turn the compost heap so kitchen scraps rot into rich soil."),
    ],
}
# A second sentence per topic keeps these very short texts clearly topical.
TOPIC_LINE = {
    "space": " Space exploration, planets, stars and orbits fascinate astronomers.",
    "cooking": " A kitchen recipe: cooking food with fresh ingredients for dinner.",
    "football": " Football match report: the players, the goals and the league.",
    "garden": " Gardening tips: plants, soil, flowers and seeds in the garden.",
}
# An item findable only by meaning: none of the words of MEANING_QUERY occur in it.
MEANING_TITLE = "Workshop visit"
MEANING_TEXT = "The mechanic replaced the spark plugs and fixed the car engine in the garage."
MEANING_QUERY = "automobile repair"
COPY_OF = "Bread"  # written twice, in two folders: an exact duplicate

_template: Path | None = None


def _write(folder: Path) -> None:
    for topic, docs in TOPICS.items():
        for title, text in docs:
            path = folder / topic / f"{title.lower().replace(' ', '-')}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {title}\n\n{text}{TOPIC_LINE[topic]}\n", encoding="utf-8")
    (folder / "misc").mkdir()
    (folder / "misc" / "workshop.md").write_text(f"# {MEANING_TITLE}\n\n{MEANING_TEXT}\n")
    bread = (folder / "cooking" / "bread.md").read_bytes()
    (folder / "copies").mkdir()
    (folder / "copies" / "bread-copy.md").write_bytes(bread)


def embedder():
    """The shipped embedding model; the curation tests need it."""
    from desktop.ml.embed import get_embedder
    from desktop.ml.runtime import ModelError

    try:
        return get_embedder()
    except ModelError as exc:  # pragma: no cover - only before the model is installed
        pytest.skip(f"embedding model not installed: {exc}")


def embed_all(store: Store) -> int:
    """Vectors for every item that needs one (title and text, as passages)."""
    emb = embedder()
    rows = items_needing_vectors(store, emb.model_id)
    if not rows:
        return 0
    texts = [f"{r['title'] or r['name']}\n{r['body']}" for r in rows]
    vecs = emb.embed(texts, kind="passage")
    save_vectors(store, emb.model_id, [(r["id"], r["text_hash"], v, 1)
                                       for r, v in zip(rows, vecs, strict=True)])
    return len(rows)


def _build_template() -> Path:
    global _template
    if _template is None:
        base = Path(tempfile.mkdtemp(prefix="curio-curation-"))
        _write(base / "library")
        store = Store.open(base / "template.sqlite3")
        store.add_root(base / "library")
        pipeline.run(store, workers=1, with_models=False)
        embed_all(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        _template = base
    return _template


@pytest.fixture(scope="module", name="store")
def library_store_fixture(tmp_path_factory, request):
    """A module's own copy of the library catalog (import it as `library_store_fixture`)."""
    s = open_library(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))
    yield s
    s.close()


@pytest.fixture(name="store")
def fresh_library_fixture(tmp_path):
    """A test's own copy of the library catalog, for tests that record feedback or hide
    items (import it as `fresh_library_fixture`)."""
    s = open_library(tmp_path / "library-copy")
    yield s
    s.close()


def open_library(folder: Path) -> Store:
    """A private copy of the shared, embedded library catalog in `folder`."""
    base = _build_template()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(base / "template.sqlite3", folder / "catalog.sqlite3")
    return Store.open(folder / "catalog.sqlite3")


def library_root() -> Path:
    return _build_template() / "library"


def ids_by_title(store: Store) -> dict[str, int]:
    rows = store.conn.execute("SELECT id, coalesce(title, name), path FROM items ORDER BY id")
    out: dict[str, int] = {}
    for item_id, title, path in rows:
        out.setdefault(title, item_id)  # the first of two copies keeps the plain title
        if "/copies/" in path:
            out[f"{title} (copy)"] = item_id
    return out


def topic_of(store: Store) -> dict[int, str]:
    rows = store.conn.execute("SELECT id, path FROM items")
    return {i: Path(p).parent.name for i, p in rows}


def test_library_is_indexed_and_embedded(tmp_path):
    store = open_library(tmp_path)
    counts = store.counts()
    assert counts["ok"] == 22 and counts["failed"] == 0
    emb = embedder()
    have = store.conn.execute("SELECT count(*) FROM vectors WHERE model_id = ?",
                              (emb.model_id,)).fetchone()[0]
    assert have == 22
    titles = ids_by_title(store)
    assert "Bread (copy)" in titles and MEANING_TITLE in titles
