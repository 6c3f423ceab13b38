"""Taking the language out of a multilingual embedder's vectors, for topics and neighbours.

multilingual-e5 puts a strong language direction into every vector. On the sample library
(24 English, 12 Chinese items) k-means split the library by language, not by topic, and
every Chinese item's nearest neighbours were the other Chinese items, whatever they were
about. Subtracting each script group's mean vector (CJK text, everything else) and
renormalising leaves mostly the topic: a known remedy for multilingual sentence
embeddings. Clusters, the map and similar items use these vectors; search keeps the raw
ones (a query has no group mean of its own) and reaches across languages by titles.

Only for embedders whose manifest entry says they are multilingual, and only when every
group has MIN_GROUP items: a mean of two or three items is mostly those items.
"""

from __future__ import annotations

import numpy as np

from desktop.catalog.store import Store
from desktop.catalog.textsearch import has_cjk

from .vectorindex import VectorIndex

MIN_GROUP = 5
_CJK_LANGUAGES = ("zh", "ja", "ko", "chi", "zho", "cmn", "yue", "jpn", "kor")


def multilingual(model_id: str) -> bool:
    """Whether the shipped embedder behind `model_id` is declared multilingual."""
    try:
        from desktop.ml.runtime import ModelError, load_manifest
    except ImportError:
        return False
    try:
        specs = load_manifest().by_task("embedding")
    except ModelError:
        return False
    return any(s.model_id == model_id and "multi" in (s.extra.get("languages") or ())
               for s in specs)


def cjk_rows(store: Store, index: VectorIndex) -> np.ndarray:
    """Per row: True when the item is written in Chinese, Japanese or Korean (by its
    detected language, else by its title)."""
    cjk = {}
    for item_id, language, title in store.conn.execute(
            "SELECT id, coalesce(language, ''), coalesce(title, name, '') FROM items "
            "WHERE status = 'ok'"):
        language = language.lower()
        cjk[item_id] = language.startswith(_CJK_LANGUAGES) if language else has_cjk(title)
    return np.fromiter((cjk.get(int(i), False) for i in index.ids), dtype=bool, count=len(index))


def language_neutral(store: Store, index: VectorIndex) -> VectorIndex:
    """`index` with each script group's mean vector taken out (cached per index), or
    `index` itself when that does not apply."""
    if index.neutral is not None:
        return index.neutral
    result = index
    if len(index) >= 2 * MIN_GROUP and multilingual(index.model_id):
        groups = cjk_rows(store, index)
        if MIN_GROUP <= int(groups.sum()) <= len(groups) - MIN_GROUP:
            matrix = index.matrix.copy()
            for member in (groups, ~groups):
                matrix[member] -= index.matrix[member].mean(axis=0)
            matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
            result = VectorIndex(index.model_id, index.ids, matrix, index.generation)
    index.neutral = result  # two threads may both make it: the same values either way
    return result
