"""Sentence splitting and extractive summaries (the real embedder where it matters)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from desktop.ml.sentences import metadata_lines, sentence_spans, split_sentences
from desktop.ml.summarize import summarize

# ---------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith arrived at 3.30 p.m. on Monday. He met Prof. J. R. R. Tolkien, "
            "e.g. the author. It cost $4.50! Really? Yes.",
            [
                "Dr. Smith arrived at 3.30 p.m. on Monday.",
                "He met Prof. J. R. R. Tolkien, e.g. the author.",
                "It cost $4.50!",
                "Really?",
                "Yes.",
            ],
        ),
        (
            'He said, "Stop." Then he left. "Is it?" she asked. The U.S. Army won.',
            ['He said, "Stop."', "Then he left.", '"Is it?" she asked.', "The U.S. Army won."],
        ),
        (
            "Visit example.com for info. Version 2.0 is out. See Fig. 3 for details.",
            ["Visit example.com for info.", "Version 2.0 is out.", "See Fig. 3 for details."],
        ),
        (
            "今天天气很好。我们去公园吧！你来吗？他说：“我不去。”然后离开了……第二天；他又来了。",
            [
                "今天天气很好。",
                "我们去公园吧！",
                "你来吗？",
                "他说：“我不去。”",
                "然后离开了……",
                "第二天；",
                "他又来了。",
            ],
        ),
        ("「好吧。」她说。", ["「好吧。」", "她说。"]),
        (
            "Hello world. 然后他走了。This is mixed text.中文句子。",
            ["Hello world.", "然后他走了。", "This is mixed text.", "中文句子。"],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraphs_bullets_and_headings() -> None:
    text = (
        "Title of the piece\n"
        "This is the first paragraph, which is wrapped\nacross two lines. Second sentence.\n"
        "\n"
        "Shopping:\n- milk and eggs\n- two onions\n* bread\n1. first step\n2) second step\n"
    )
    spans = sentence_spans(text)
    assert [s.text for s in spans] == [
        "Title of the piece",
        "This is the first paragraph, which is wrapped\nacross two lines.",
        "Second sentence.",
        "Shopping:",
        "milk and eggs",
        "two onions",
        "bread",
        "first step",
        "second step",
    ]
    for s in spans:  # exact slices, so a summary can quote them verbatim
        assert text[s.start : s.end] == s.text
    assert [s.position for s in spans[1:3]] == [0, 1]
    assert spans[1].paragraph != spans[3].paragraph


# ---------------------------------------------------------------- summaries (no model)


class HashEmbedder:
    """Deterministic stand-in: bag of hashed words. Enough to test budgets and verbatimness."""

    model_id = "hash@test"

    def embed(self, texts, kind="passage", batch_size=32):
        out = np.zeros((len(texts), 64), np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


LONG = " ".join(
    f"Sentence number {i} talks about topic {i % 4} with some filler words here." for i in range(40)
)


def test_budget_in_sentences_and_characters() -> None:
    s = summarize(LONG, HashEmbedder(), max_sentences=3)
    assert len(s.sentences) == 3
    s = summarize(LONG, HashEmbedder(), max_sentences=10, max_chars=160)
    assert 1 <= len(s.sentences) and len(s.text) <= 160
    assert s.model_id.endswith("+hash@test")


def test_huge_document_is_capped_and_in_order() -> None:
    text = " ".join(f"Line {i} of a very long and repetitive document body." for i in range(3000))
    s = summarize(text, HashEmbedder(), max_sentences=4)
    assert len(s.sentences) == 4
    assert [a for a, _ in s.spans] == sorted(a for a, _ in s.spans)
    for (a, b), sent in zip(s.spans, s.sentences, strict=True):
        assert text[a:b] == sent


def test_empty_text() -> None:
    assert summarize("", HashEmbedder()).sentences == []


# ---------------------------------------------------------------- summaries (real model)

ARTICLE = """City council approves new cycling network

The city council voted on Tuesday to build a network of protected bicycle lanes across
the city centre. The plan, which will cost 12 million euros over four years, separates
cyclists from cars with low concrete kerbs. Supporters say the lanes will cut traffic
accidents and air pollution.

Shop owners on the main shopping street were divided. Some fear that removing parking
spaces will keep customers away. Others said that cyclists spend more money locally than
drivers, because they visit more often.

The first lanes will open next spring along the river. The council will publish a map of
the full network in the coming weeks. Residents can comment on the plan until the end of
March. Dr. Maria Jensen, who leads the transport office, said the network e.g. links all
schools to the centre.
"""


@pytest.fixture(scope="module")
def embedder():
    from desktop.ml import embed

    return embed.get_embedder()  # the shipped model must load: no skipping


def test_summary_is_verbatim_and_within_budget(embedder) -> None:
    s = summarize(ARTICLE, embedder, max_sentences=3)
    assert 1 <= len(s.sentences) <= 3
    for (a, b), sent in zip(s.spans, s.sentences, strict=True):
        assert ARTICLE[a:b] == sent and sent in ARTICLE
    assert [a for a, _ in s.spans] == sorted(a for a, _ in s.spans)
    assert s.model_id.endswith(embedder.model_id)
    assert any("cycl" in x or "bicycle" in x for x in s.sentences)
    s = summarize(ARTICLE, embedder, max_sentences=5, max_chars=200)
    assert len(s.text) <= 200 and all(x in ARTICLE for x in s.sentences)


def test_chinese_summary_is_verbatim(embedder) -> None:
    text = (
        "市政府周二宣布，将在市中心修建一套受保护的自行车道网络。"
        "这项计划预计耗资一千二百万元，分四年完成。"
        "支持者认为，新车道将减少交通事故和空气污染。"
        "部分商户担心停车位减少会影响生意。"
        "第一批车道将于明年春天沿河开通。"
    )
    s = summarize(text, embedder, max_sentences=2)
    assert len(s.sentences) == 2
    assert all(x in text and x.endswith("。") for x in s.sentences)


# ---------------------------------------------------------------- metadata lines

PDF_TEXT = """Tucker Act Jurisdiction over Contract Claims
Claims Court - page 1
Abstract: This note explains when the court may hear a claim for money against the government.
Keywords: jurisdiction; sovereign immunity; contract claims; damages

The court has jurisdiction over claims founded on a contract with the government. A claim must
be filed within six years after it first accrues, or it is barred.

Claims Court - page 2
A contractor who was not paid for completed work may sue for the contract price. The court
cannot order the government to perform; it can only award money
Claims Court - page 3
damages for the breach. Interest runs from the date the claim was presented.

Page 3 of 12
"""


def test_metadata_lines_are_found() -> None:
    found = {PDF_TEXT[a : PDF_TEXT.index("\n", a)]: c for a, c in metadata_lines(PDF_TEXT).items()}
    assert {k for k, c in found.items() if c is None} == {
        "Claims Court - page 1", "Claims Court - page 2", "Claims Court - page 3",
        "Keywords: jurisdiction; sovereign immunity; contract claims; damages", "Page 3 of 12",
    }  # fmt: skip
    abstract = PDF_TEXT.index("Abstract:")
    assert PDF_TEXT[found[PDF_TEXT[abstract : PDF_TEXT.index("\n", abstract)]] :].startswith("This note")
    # Ordinary prose is left alone, even when it mentions a page or starts with "Summary".
    prose = "See page 12 for the table.\nSummary of the findings follows below.\n"
    assert metadata_lines(prose) == {}


def test_summary_skips_metadata_lines(embedder) -> None:
    s = summarize(PDF_TEXT, embedder, max_sentences=3)
    assert len(s.sentences) == 3
    for (a, b), sent in zip(s.spans, s.sentences, strict=True):
        assert PDF_TEXT[a:b] == sent
        assert "Keywords" not in sent and "page" not in sent.lower() and "Abstract" not in sent
        assert sent[0].isupper(), sent  # no tail of a sentence cut by a page break
