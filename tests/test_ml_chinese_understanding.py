"""Chinese with the multilingual embedder (the real multilingual-e5-small): zero-shot tags,
summaries, keyphrases, metadata lines, and cluster labels that are readable words."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

import jieba
import pytest

from desktop import pipeline
from desktop.catalog.store import Store, items_needing_vectors, save_vectors
from desktop.curation.clusters import build_clusters, map_points
from desktop.ml.classify import TaxonomyClassifier
from desktop.ml.embed import Embedder, get_embedder
from desktop.ml.keyphrases import extract_keyphrases
from desktop.ml.sentences import metadata_lines
from desktop.ml.summarize import summarize

E5 = "multilingual-e5-small"
CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")

# Written for these tests: in neither the taxonomy file nor the evaluation sets.
ZH_TOPICS = {
    "medtop:15000000": "男子足球联赛第三十轮，主队凭借下半场的两个进球以二比零击败客队，继续领跑积分榜。",
    "medtop:04000000": "受原材料价格上涨影响，这家家电企业第三季度净利润同比下降百分之十五，股价应声下跌。",
    "medtop:07000000": "医生提醒，流感高发季节老人和儿童应尽早接种疫苗，出现高烧症状要及时就医。",
}  # fmt: skip
ZH_NOTHING = "左边第二个抽屉里有一把备用钥匙和几节五号电池。"

PAPER = """城市口袋公园建设研究
城市规划研究 第1页
摘要：口袋公园利用城市中的零星空地，为居民提供就近休憩的绿色空间。
关键词：口袋公园；城市更新；绿地；社区
中图分类号：TU986 文献标识码：A

近年来，许多城市开始在老旧街区建设口袋公园。这些小公园面积不大，却能让居民在步行五分钟内到达绿地。

城市规划研究 第2页
调查显示，口袋公园建成后，周边居民的户外活动时间明显增加。专家建议，建设时应充分听取社区居民的意见。
- 3 -
"""


def _dictionary_word(word: str) -> bool:
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0) > 0


@pytest.fixture(scope="module")
def e5() -> Embedder:
    jieba.setLogLevel(logging.WARNING)
    return get_embedder(E5)


@pytest.fixture(scope="module")
def taxonomy(e5: Embedder) -> TaxonomyClassifier:
    return TaxonomyClassifier.load_or_build(e5)  # the session's cache: built once


def test_head_is_built_and_calibrated_in_both_languages(taxonomy: TaxonomyClassifier) -> None:
    assert taxonomy.meta["languages"] == ["en", "zh"]
    cal = taxonomy.meta["calibration"]
    assert cal["source"] == "on_topic"
    assert cal["on_topic_texts"] == 2 * 17 * 4 and cal["off_topic_texts"] == 80


def test_clear_chinese_texts_get_the_right_tag(e5: Embedder, taxonomy) -> None:
    vectors = e5.embed(list(ZH_TOPICS.values()), kind="passage")
    for label_id, suggestions in zip(ZH_TOPICS, taxonomy.suggest(vectors, lang="zh"), strict=True):
        assert suggestions, label_id
        assert suggestions[0].label_id == label_id, suggestions
        assert suggestions[0].label == taxonomy.taxonomy.labels[
            taxonomy.taxonomy.ids.index(label_id)].names["zh"]


def test_chinese_text_about_nothing_gets_no_tag(e5: Embedder, taxonomy) -> None:
    vectors = e5.embed([ZH_NOTHING], kind="passage")
    assert taxonomy.suggest(vectors, lang="zh") == [[]]
    assert float(taxonomy.confidences(vectors).max()) < 0.5


def test_chinese_summary_quotes_its_source_and_skips_metadata(e5: Embedder) -> None:
    s = summarize(PAPER, e5, max_sentences=3)
    assert len(s.sentences) == 3 and s.model_id.endswith(e5.model_id)
    for (a, b), sentence in zip(s.spans, s.sentences, strict=True):
        assert PAPER[a:b] == sentence and sentence[-1] in "。！？"
    text = s.text
    assert "关键词" not in text and "摘要" not in text and "第1页" not in text
    assert "口袋公园" in text


def test_chinese_metadata_lines() -> None:
    lines = {PAPER[a : PAPER.index("\n", a)]: content for a, content in metadata_lines(PAPER).items()}
    assert set(lines) == {
        "城市规划研究 第1页", "城市规划研究 第2页", "关键词：口袋公园；城市更新；绿地；社区",
        "摘要：口袋公园利用城市中的零星空地，为居民提供就近休憩的绿色空间。",
        "中图分类号：TU986 文献标识码：A", "- 3 -",
    }  # fmt: skip
    abstract = PAPER.index("摘要")
    assert lines[PAPER[abstract : PAPER.index("\n", abstract)]] == abstract + 3  # after "摘要："


def test_chinese_keyphrases_are_words(e5: Embedder) -> None:
    kps = extract_keyphrases(PAPER, e5, k=6)
    assert len(kps) >= 4
    phrases = [k.phrase for k in kps]
    for p in phrases:
        assert p in PAPER and CJK.match(p) and len(p) >= 2, p
        # A dictionary word, or two that recur side by side ("口袋" + "公园").
        assert _dictionary_word(p) or any(
            _dictionary_word(p[:i]) and _dictionary_word(p[i:]) for i in range(2, len(p) - 1)
        ), p
    assert "口袋公园" in phrases or "公园" in phrases, phrases
    assert not any("页" in p or "分类号" in p for p in phrases), phrases


# ---------------------------------------------------------------- cluster labels

LIBRARY = {
    "足球": [
        "主队在联赛中以三比一战胜对手，前锋梅开二度，球迷在看台上欢呼。",
        "足球俱乐部宣布签下一名年轻中场球员，合同为期四年，球队实力进一步增强。",
        "国家队主教练公布了世界杯预选赛的大名单，几名老将因伤缺席比赛。",
        "这场足球比赛踢得非常激烈，裁判出示了五张黄牌，最后时刻点球决胜。",
    ],
    "烹饪": [
        "红烧肉要先把五花肉焯水，再用冰糖炒出糖色，小火慢炖一个小时。",
        "包饺子时馅料里加一点葱姜水，肉馅会更鲜嫩，煮饺子要点三次凉水。",
        "番茄炒鸡蛋是最简单的家常菜，鸡蛋先炒熟盛出，再和番茄一起翻炒。",
        "蒸馒头的面团要发酵到两倍大，揉面时间越长，馒头越有嚼劲。",
    ],
    "天文": [
        "天文学家用望远镜观测到一颗距离地球四十光年的行星，它可能存在液态水。",
        "今晚将出现月全食，月亮会变成暗红色，在城市里也能用肉眼观测。",
        "这颗彗星每七十六年接近太阳一次，下一次回归时天文爱好者又能看到它。",
        "银河系中有数千亿颗恒星，太阳只是其中很普通的一颗。",
    ],
}


@pytest.fixture(scope="module")
def chinese_store(tmp_path_factory, e5: Embedder):
    base = tmp_path_factory.mktemp("zh-library")
    root = base / "library"
    for topic, docs in LIBRARY.items():
        for i, text in enumerate(docs):
            path = root / topic / f"{i}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n", encoding="utf-8")
    store = Store.open(base / "catalog.sqlite3")
    store.add_root(root)
    pipeline.run(store, workers=1, with_models=False)
    rows = items_needing_vectors(store, e5.model_id)
    vectors = e5.embed([f"{r['title'] or r['name']}\n{r['body']}" for r in rows], kind="passage")
    save_vectors(store, e5.model_id, [(r["id"], r["text_hash"], v, 1)
                                      for r, v in zip(rows, vectors, strict=True)])
    yield store
    store.close()


def test_cluster_labels_of_chinese_items_are_words(chinese_store: Store) -> None:
    clusters = build_clusters(chinese_store, k=3)
    assert len(clusters) == 3
    topic = {i: Path(path).parent.name for i, path in chinese_store.conn.execute(
        "SELECT id, path FROM items")}
    members: dict[int, Counter[str]] = {}
    for p in map_points(chinese_store):
        members.setdefault(p["cluster_id"], Counter())[topic[p["id"]]] += 1
    expected = {"足球": {"足球", "比赛", "球队", "联赛", "球员", "球迷", "主教练"},
                "烹饪": {"鸡蛋", "馒头", "饺子", "面团", "番茄", "冰糖", "肉馅", "五花肉"},
                "天文": {"天文", "行星", "恒星", "望远镜", "月亮", "彗星", "太阳", "地球"}}
    for c in clusters:
        assert c["terms"], c
        for term in c["terms"]:
            assert CJK.match(term) and len(term) >= 2 and _dictionary_word(term), c
        assert set(c["label"].split(", ")) == set(c["terms"][:3])
        # The label speaks of what most of its items are about.
        major = members[c["id"]].most_common(1)[0][0]
        assert expected[major] & set(c["terms"][:3]), (c, members[c["id"]])
