"""Which embedder a catalog uses: the user's choice, or one picked from the library itself.

Measured on Debian's fortunes (benchmarks/multilingual_bench.py): MiniLM clusters and
classifies English clearly better and runs about twice as fast; multilingual-e5 is far
better on Chinese and is the only one that matches a query across languages. So `auto`
takes e5 when most of the library is written in CJK scripts, MiniLM otherwise; a mixed
library where English dominates keeps MiniLM's better English topics unless the user
chooses e5 (`curio embedder multilingual-e5-small`).
"""

from __future__ import annotations

import random

from desktop.catalog.store import Store
from desktop.catalog.textsearch import has_cjk

from .runtime import ModelError, load_manifest

SETTING = "embedder"
AUTO = "auto"
MULTILINGUAL = "multilingual-e5-small"
CJK_SHARE = 0.5  # of sampled items whose text is mostly CJK
SAMPLE = 400


def get_choice(store: Store) -> str:
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    return row[0] if row else AUTO


def set_choice(store: Store, value: str) -> None:
    """`auto` or a manifest embedder name; vectors of the new one are made on the next run."""
    if value != AUTO:
        names = [s.name for s in load_manifest().by_task("embedding")]
        if value not in names:
            raise ModelError(f"No embedder named {value!r}; choose auto or one of {', '.join(names)}")
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (SETTING, value))


def _mostly_cjk(text: str) -> bool:
    sample = text[:2000]
    if not sample.strip() or not has_cjk(sample):
        return False
    cjk = sum(1 for ch in sample if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    letters = sum(1 for ch in sample if ch.isalpha())
    return cjk >= 0.3 * max(letters, 1)


def cjk_share(store: Store) -> float:
    """Share of (a sample of) the library's items written mostly in CJK scripts."""
    ids = [r[0] for r in store.conn.execute("SELECT id FROM items WHERE status = 'ok'")]
    if not ids:
        return 0.0
    picked = random.Random(0).sample(ids, min(SAMPLE, len(ids)))
    marks = ",".join("?" * len(picked))
    rows = store.conn.execute(
        f"SELECT coalesce(title, '') || ' ' || substr(body, 1, 2000) FROM items WHERE id IN ({marks})",
        picked)
    return sum(_mostly_cjk(r[0]) for r in rows) / len(picked)


def chosen_embedder(store: Store) -> str:
    """The manifest name of the embedder this catalog should use."""
    manifest = load_manifest()
    names = {s.name for s in manifest.by_task("embedding")}
    choice = get_choice(store)
    if choice != AUTO and choice in names:
        return choice
    default = manifest.default_embedder().name
    if MULTILINGUAL in names and cjk_share(store) >= CJK_SHARE:
        return MULTILINGUAL
    return default


def embedder_for(model_id: str):  # -> Embedder
    """The shipped embedder that made vectors tagged `model_id` (queries must match it)."""
    from .embed import get_embedder
    from .runtime import ModelMissing

    for spec in load_manifest().by_task("embedding"):
        if spec.model_id == model_id:
            return get_embedder(spec.name)
    raise ModelMissing(f"The catalog's vectors were made by {model_id}, which this Curio does not "
                       "ship; they will be recomputed on the next indexing run")
