"""A multilingual embedder's language direction is taken out for topics and neighbours.

English and Chinese notes on two subjects, written apart (not translations), embedded
with the shipped multilingual-e5-small: with the raw vectors a Chinese note's nearest notes
are the Chinese ones; with the language taken out they are the notes on its subject, in
both languages, and the clusters are the two subjects, each in both languages.
"""

from __future__ import annotations

import numpy as np
import pytest

from desktop.curation import languages
from desktop.curation.clusters import build_clusters, cluster_members
from desktop.curation.vectorindex import index_for
from tests.test_curation_search_meaning import _embedded_with_e5

NOTES = {
    ("en", "sport"): [
        "The striker scored twice as the home team won the football derby on Saturday.",
        "She finished the city marathon in under four hours after months of training runs.",
        "The tennis champion won the final in three sets and lifted the trophy.",
        "The cycling team rode up the mountain stage and took the leader's jersey.",
        "Our basketball club won the league after a close game in the last minute.",
        "The swimmer broke the national record in the 200 metres freestyle race.",
    ],
    ("en", "economy"): [
        "Inflation rose to four percent and the central bank raised interest rates again.",
        "The company's quarterly profit fell as raw material costs climbed.",
        "Exports grew as the currency weakened against the dollar this year.",
        "House prices cooled after mortgage rates went up for the third time.",
        "Unemployment fell to its lowest level in a decade as factories hired.",
        "Investors sold shares as bond yields rose and markets fell sharply.",
    ],
    ("zh", "sport"): [
        "乒乓球队在世锦赛决赛中以四比一击败对手，夺得男子团体冠军。",
        "这位游泳名将在全运会上打破了一百米蛙泳的全国纪录。",
        "篮球联赛总决赛第七场，主队在最后一秒投中绝杀三分。",
        "她每天清晨绕着湖边跑步十公里，为春季的半程马拉松做准备。",
        "足球队主教练在半场休息时调整了阵型，下半场连进两球。",
        "羽毛球女单比赛中，年轻选手逆转击败了世界排名第一的对手。",
    ],
    ("zh", "economy"): [
        "央行宣布下调存款准备金率，以支持实体经济和稳定市场预期。",
        "受原材料价格上涨影响，这家家电企业第三季度净利润同比下降。",
        "今年前十个月，全国社会消费品零售总额同比增长百分之六。",
        "多个城市的新建商品住宅价格环比下降，房地产市场继续调整。",
        "人民币兑美元汇率走弱，出口企业的订单有所增加。",
        "股市连续三日下跌，投资者担心企业盈利增速放缓。",
    ],
}


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages")
    lib = folder / "lib"
    lib.mkdir()
    for (lang, topic), texts in NOTES.items():
        for n, text in enumerate(texts):
            (lib / f"{topic}-{lang}-{n}.txt").write_text(text, encoding="utf-8")
    store = _embedded_with_e5(lib, folder / "catalog.sqlite3")
    yield store
    store.close()


def _kinds(store, cluster_id: int) -> set[tuple[str, str]]:
    """(language, subject) of each member, read from the file names."""
    return {(m["path"].rsplit("-", 2)[1], m["path"].rsplit("/", 1)[1].split("-")[0])
            for m in cluster_members(store, cluster_id)}


def _neighbours(store, index, name: str, n: int) -> list[str]:
    item = store.conn.execute("SELECT id FROM items WHERE name = ?", (name,)).fetchone()[0]
    sims = index.matrix @ index.vector(item)
    order = [r for r in np.argsort(-sims) if int(index.ids[r]) != item][:n]
    names = dict(store.conn.execute("SELECT id, name FROM items"))
    return [names[int(index.ids[r])] for r in order]


def test_taking_the_language_out_ranks_by_subject(notes):
    raw = index_for(notes)
    neutral = languages.language_neutral(notes, raw)
    assert neutral is not raw and neutral.ids is raw.ids
    # Raw: a Chinese sport note's nearest notes are Chinese, sport or not.
    assert all("-zh-" in n for n in _neighbours(notes, raw, "sport-zh-0.txt", 4))
    # Without the language: sport notes, English ones among them.
    near = _neighbours(notes, neutral, "sport-zh-0.txt", 5)
    assert all(n.startswith("sport") for n in near), near
    assert sum("-en-" in n for n in near) >= 2, near


def test_only_multilingual_embedders_and_real_groups(notes, monkeypatch):
    raw = index_for(notes)
    monkeypatch.setattr(languages, "multilingual", lambda _model_id: False)
    plain = languages.VectorIndex(raw.model_id, raw.ids, raw.matrix, raw.generation)
    assert languages.language_neutral(notes, plain) is plain
    monkeypatch.undo()
    monkeypatch.setattr(languages, "MIN_GROUP", 13)  # 12 Chinese notes: too few
    plain = languages.VectorIndex(raw.model_id, raw.ids, raw.matrix, raw.generation)
    assert languages.language_neutral(notes, plain) is plain


def test_clusters_follow_subjects_across_languages(notes):
    clusters = build_clusters(notes, k=2)
    for c in clusters:
        kinds = _kinds(notes, c["id"])
        assert {lang for lang, _ in kinds} == {"en", "zh"}, kinds
        assert len({topic for _, topic in kinds}) == 1, kinds


def test_for_you_crosses_languages(notes):
    from desktop.curation import feedback
    from desktop.curation.recommend import recommend

    liked = [notes.conn.execute("SELECT id FROM items WHERE name = ?", (f"sport-en-{n}.txt",)).fetchone()[0]
             for n in (0, 1)]
    for item in liked:
        feedback.record(notes, item, "like")
    names = dict(notes.conn.execute("SELECT id, name FROM items"))
    top = [names[r["id"]] for r in recommend(notes, limit=5, explore=False)]
    assert sum(n.startswith("sport-zh") for n in top) >= 2, top
    assert sum(n.startswith("sport") for n in top) >= 4, top
