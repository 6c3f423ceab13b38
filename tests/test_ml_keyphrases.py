"""Keyphrases: English n-gram candidates, jieba words for Chinese, ranked by the embedder."""

from __future__ import annotations

import jieba
import pytest

from desktop.ml.keyphrases import candidates, extract_keyphrases

EN = (
    "Solar panels on the roof of the town hall now supply most of its electricity. The "
    "council says the solar panels paid for themselves within seven years, and it plans to "
    "cover the roofs of three schools next. Battery storage in the basement keeps the lights "
    "on after sunset. In 2019 the town spent 40,000 euros on electricity; last year it spent "
    "almost nothing."
)
ZH = (
    "近年来，我国新能源汽车产业快速发展，电动汽车销量持续增长。电池技术不断进步，"
    "充电设施建设也在加快。政府出台了多项补贴政策，鼓励消费者购买电动汽车。"
    "专家认为，电池成本下降是电动汽车普及的关键。"
)


def test_english_candidates_are_stopword_bounded_and_not_numbers() -> None:
    cands = [c.lower() for c in candidates(EN)]
    assert "solar panels" in cands and "town hall" in cands
    assert not any(c.split()[0] in {"the", "of", "and"} for c in cands)
    assert not any(c.split()[-1] in {"the", "of", "and"} for c in cands)
    assert "2019" not in cands and "40,000" not in cands
    assert all(1 <= len(c.split()) <= 3 for c in cands)


def test_chinese_candidates_are_jieba_words() -> None:
    words = set(jieba.lcut(ZH))
    cands = candidates(ZH)
    assert "电动汽车" in cands or "电池" in cands
    assert all(c in words and 2 <= len(c) <= 4 for c in cands)


def test_candidate_cap() -> None:
    text = " ".join(f"word{i}x" for i in range(500))
    assert len(candidates(text, max_candidates=60)) == 60


@pytest.fixture(scope="module")
def embedder():
    from desktop.ml import embed

    return embed.get_embedder()  # the shipped model must load: no skipping


def test_english_keyphrases_are_relevant(embedder) -> None:
    kps = extract_keyphrases(EN, embedder, k=5)
    assert 1 <= len(kps) <= 5
    phrases = [k.phrase.lower() for k in kps]
    assert any("solar" in p for p in phrases)
    assert all(0.0 <= k.score <= 1.0 for k in kps)
    assert all(k.phrase.lower() in EN.lower() for k in kps)
    assert len(set(phrases)) == len(phrases)


def test_chinese_keyphrases_are_real_words(embedder) -> None:
    words = set(jieba.lcut(ZH))
    kps = extract_keyphrases(ZH, embedder, k=5)
    assert kps
    for k in kps:
        assert k.phrase in ZH and len(k.phrase) >= 2 and k.phrase in words


PDF_TEXT = """Claims Court - page 1
Keywords: sovereign immunity; damages
The court hears claims for money founded on a contract with the government. A contractor
who was not paid may sue for the contract price.

Claims Court - page 2
The court awards damages for the breach of a government contract, with interest.
Claims Court - page 3
"""


def test_keyphrases_skip_page_headers_and_keyword_lines(embedder) -> None:
    cands = [c.lower() for c in candidates(PDF_TEXT)]
    assert "contract" in cands or "government contract" in cands
    assert not any("page" in c or "claims court" in c or "immunity" in c for c in cands), cands
    phrases = [k.phrase.lower() for k in extract_keyphrases(PDF_TEXT, embedder, k=5)]
    assert phrases and not any("page" in p for p in phrases), phrases
    # A text that is nothing but such lines still gets its words.
    assert candidates("Claims Court - page 1\nClaims Court - page 2\n")


def test_candidates_keep_accented_words_and_leave_out_adverbs() -> None:
    text = ("Inside the Repair Café in Zürich. Volunteers usually fix broken toasters. "
            "High pressure usually brings calm weather. Elderly care and the weekly market.")
    cands = candidates(text)
    assert "Repair Café" in cands and "Zürich" in cands
    assert not any("usually" in c for c in cands), cands
    assert "Elderly care" in cands and "weekly market" in cands  # -ly adjectives stay
