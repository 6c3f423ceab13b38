"""Search by meaning reads title vectors beside document vectors.

With multilingual-e5, a short English query sits closer to a Chinese article's title than to
its whole text: on the sample library's articles these queries found nothing by the
documents' vectors alone and find their Chinese (or English) counterpart by title, while
queries about none of the articles still find nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.catalog.store import title_model_id
from desktop.curation.search import hybrid_search
from desktop.curation.vectorindex import index_for
from desktop.ml import choice
from desktop.ml.embed import get_embedder
from desktop.ml.stages import embed_titles, title_of
from desktop.pipeline import Control
from tests.test_curation_search_meaning import UNRELATED, _sample_articles

ACROSS = [
    ("pocket parks make cities nicer to live in", "城市绿化.md"),
    ("caring for elderly people at home", "社区养老服务.md"),
    ("天气预报怎么看", "reading-a-weather-forecast.md"),
]


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    store = _sample_articles(tmp_path_factory.mktemp("e5-titles"))  # document vectors only
    yield store
    store.close()


def _first_by_meaning(store, query: str) -> str | None:
    hits = [r for r in hybrid_search(store, query) if r["meaning_rank"] is not None]
    return Path(hits[0]["path"]).name if hits else None


def test_titles_find_articles_across_languages(articles):
    before = {query: _first_by_meaning(articles, query) for query, _name in ACROSS}
    assert before == dict.fromkeys(before), before  # the documents' vectors alone: nothing
    e5 = get_embedder(choice.MULTILINGUAL)
    embed_titles(articles, e5, Control())
    titles = index_for(articles, title_model_id(e5.model_id))
    assert len(titles) == len(index_for(articles))
    assert index_for(articles).model_id == e5.model_id  # titles never become "the" vectors
    for query, name in ACROSS:
        assert _first_by_meaning(articles, query) == name, query
    for query in UNRELATED:
        assert hybrid_search(articles, query) == [], query
    embed_titles(articles, e5, Control())  # nothing left to do: nothing written
    assert index_for(articles, title_model_id(e5.model_id)).generation == titles.generation


def test_title_of_falls_back_to_the_file_name():
    assert title_of({"title": "Pocket parks", "name": "x.md"}) == "Pocket parks"
    assert title_of({"title": None, "name": "eating-well_on.a-budget.txt"}) == "eating well on a budget"
