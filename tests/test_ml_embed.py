"""desktop.ml.embed with the real shipped model: quality, batching, chunking."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.ml.embed import MAX_CHUNKS, Embedder, chunk_tokens, get_embedder

PARAPHRASES = [
    ("A man is playing a guitar.", "Someone is strumming an acoustic guitar."),
    ("The central bank raised interest rates.", "Borrowing costs went up after the bank's decision."),
    ("How do I reset my password?", "I forgot my login password, how can I change it?"),
    ("The cat is sleeping on the sofa.", "A kitten naps on the couch."),
    ("Heavy rain caused flooding in the city.", "The town was flooded after a downpour."),
    ("She won the marathon in record time.", "The runner finished the race faster than anyone ever had."),
]  # fmt: skip
UNRELATED = [
    "Photosynthesis converts light into chemical energy.",
    "The treaty was signed in 1648.",
    "Bake the bread for thirty minutes.",
    "Kubernetes schedules containers across machines.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def test_identity_and_cache(embedder: Embedder) -> None:
    assert get_embedder() is embedder
    assert embedder.model_id == "minilm-l6-v2@3"
    assert embedder.dimensions == 384


def test_paraphrases_rank_above_unrelated(embedder: Embedder) -> None:
    firsts = [a for a, _ in PARAPHRASES]
    seconds = [b for _, b in PARAPHRASES]
    q = embedder.embed(firsts, kind="query")
    c = embedder.embed(seconds + UNRELATED)
    sims = q @ c.T
    for i in range(len(PARAPHRASES)):
        assert int(np.argmax(sims[i])) == i, (PARAPHRASES[i], sims[i].round(3))
        # relative, not absolute: other embedders' cosines run higher (see DESIGN.md)
        assert sims[i, i] - np.delete(sims[i], i).max() > 0.15


def test_vectors_are_unit_length_float32(embedder: Embedder) -> None:
    v = embedder.embed(["", "x", "A longer sentence with several words in it."] + UNRELATED)
    assert v.dtype == np.float32 and v.shape == (7, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 384)


def test_batching_and_sorting_match_one_by_one(embedder: Embedder) -> None:
    texts = [a for pair in PARAPHRASES for a in pair] + UNRELATED + ["ok", "word " * 300]
    batched = embedder.embed(texts, batch_size=5)
    single = np.stack([embedder.embed([t])[0] for t in texts])
    assert np.abs(batched - single).max() < 1e-5


def test_embed_iter_covers_in_order_and_can_stop(embedder: Embedder) -> None:
    texts = [f"Item number {i} in a list of things." + " more" * (i % 7) for i in range(23)]
    full = embedder.embed(texts)
    seen = 0
    for start, vectors in embedder.embed_iter(texts, batch_size=4, window=8):
        assert start == seen
        assert np.abs(vectors - full[start : start + len(vectors)]).max() < 1e-5
        seen += len(vectors)
    assert seen == len(texts)
    it = embedder.embed_iter(texts, batch_size=4, window=8)
    next(it)
    it.close()  # cancelling mid-way is just leaving the generator


def test_long_text_is_truncated_to_the_window(embedder: Embedder) -> None:
    base = "The harbour was quiet in the early morning. "
    long_a = base * 10 + "Tail A about volcanoes. " * 200
    long_b = base * 10 + "Tail B about pastry recipes. " * 200
    assert embedder.token_count(long_a) > 1000
    a, b = embedder.embed([long_a, long_b])
    assert float(a @ b) > 0.2  # no crash beyond 512 positions; both still share the opening


def _long_document() -> str:
    topics = ["rivers and floods", "bread and ovens", "stars and telescopes", "courts and law"]
    paras = []
    for i in range(60):
        t = topics[i % len(topics)]
        paras.append(f"Paragraph {i} is about {t}. " + f"It explains {t} in plain words, step {i}. " * 4)
    paras.append("THE FINAL SENTENCE mentions a lighthouse keeper named Ada.")
    return "\n\n".join(paras)


def test_long_document_chunks_cover_it_to_the_end(embedder: Embedder) -> None:
    doc = _long_document()
    assert embedder.token_count(doc) > 2000
    chunks = chunk_tokens(doc, max_tokens=256, overlap=32)
    assert len(chunks) >= 8
    for c in chunks:
        assert doc[c.start : c.end] == c.text
        assert c.tokens <= 256
    assert chunks[0].start == 0
    assert chunks[-1].text.endswith("named Ada.")
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        assert nxt.start < prev.end  # overlapping: nothing between chunks is skipped
    # most cuts fall on a sentence end
    ends = sum(c.text.rstrip().endswith(".") for c in chunks[:-1])
    assert ends >= len(chunks[:-1]) * 0.8
    doc_vec, chunk_vecs = embedder.embed_document(doc)
    assert chunk_vecs.shape == (len(chunks), 384)
    assert abs(float(np.linalg.norm(doc_vec)) - 1.0) < 1e-5
    tail = embedder.embed(["a lighthouse keeper named Ada"])[0]
    assert float((chunk_vecs @ tail).max()) == pytest.approx(float(chunk_vecs[-1] @ tail))


def test_giant_document_is_sampled_evenly(embedder: Embedder) -> None:
    short = "Word. " * 2000
    chunks = embedder.chunk_tokens(short, max_tokens=32, overlap=0)
    assert len(chunks) > 100
    picked = embedder.document_chunks(short, max_chunks=10)
    assert len(picked) == 10
    assert picked[0] == embedder.chunk_tokens(short)[0]
    assert picked[-1].end == len(short.rstrip())
    assert MAX_CHUNKS == 64


def test_short_and_empty_documents(embedder: Embedder) -> None:
    doc, chunks = embedder.embed_document("Just one line.")
    assert chunks.shape == (1, 384)
    assert np.allclose(doc, embedder.embed(["Just one line."])[0], atol=1e-5)
    doc, chunks = embedder.embed_document("")
    assert chunks.shape == (1, 384) and abs(float(np.linalg.norm(doc)) - 1) < 1e-5
