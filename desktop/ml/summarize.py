"""Extractive summaries: the document's own most central, least redundant sentences.

No generative model is used (the only small one found invents facts). A summary is a few
sentences quoted verbatim from the document, in document order, chosen by
- salience: cosine of the sentence to the centroid of all sentence vectors,
- a position prior: lead sentences and paragraph starts carry the point more often,
- MMR (maximal marginal relevance) so the picks do not repeat each other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop.ml.sentences import Sentence, sentence_spans

__all__ = ["Summary", "summarize", "select_sentences", "SUMMARIZER_VERSION"]

# 2: metadata lines (page headers, Keywords:, 关键词：) skipped; fragments dropped.
# 3: keyphrases (stored with summaries) keep accented words and leave out adverbs.
SUMMARIZER_VERSION = 3
MAX_INPUT_SENTENCES = 200  # bounds the embedding cost of huge documents
LEAD_SENTENCES = 60  # of which this many from the start, the rest sampled evenly
_MIN_CHARS_LATIN = 25
_MIN_CHARS_CJK = 8
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_FRAGMENT_RE = re.compile(r"[a-z][a-z]")  # "iPhone" and "eBay" start sentences too
_END_RE = re.compile(r"[.!?。！？；…][\"'”’」』）)]*$")


@dataclass(frozen=True)
class Summary:
    sentences: list[str]  # verbatim slices of the source, in document order
    spans: list[tuple[int, int]]  # their (start, end) offsets in the source
    model_id: str  # "extractive@1+<embedder model_id>": record it with the summary

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def summarize(
    text: str,
    embedder: Any | None = None,
    max_sentences: int = 3,
    max_chars: int | None = None,
    diversity: float = 0.3,
) -> Summary:
    """Summarise `text` within `max_sentences` and, if given, `max_chars` characters."""
    if embedder is None:
        from desktop.ml.embed import get_embedder

        embedder = get_embedder()
    model_id = f"extractive@{SUMMARIZER_VERSION}+{embedder.model_id}"
    # Page headers, "Keywords:" and the like are not the document's point; a text made of
    # nothing else still gets a summary from them.
    spans = _candidates(sentence_spans(text, skip_metadata=True) or sentence_spans(text))
    if not spans:
        return Summary([], [], model_id)
    vectors = np.asarray(embedder.embed([s.text for s in spans], kind="passage"), np.float32)
    picked = select_sentences(spans, vectors, max_sentences, max_chars, diversity)
    chosen = sorted((spans[i] for i in picked), key=lambda s: s.start)
    return Summary([s.text for s in chosen], [(s.start, s.end) for s in chosen], model_id)


def _candidates(spans: list[Sentence]) -> list[Sentence]:
    """Drop fragments (headings, bullets of two words) unless nothing else is left; cap."""

    def usable(s: Sentence) -> bool:
        limit = _MIN_CHARS_CJK if _CJK_RE.search(s.text) else _MIN_CHARS_LATIN
        # A line without end punctuation is a heading or a list item, not a sentence; one
        # that starts in lower case is the tail of a sentence cut by a page break.
        return (len(s.text) >= limit and bool(_END_RE.search(s.text))
                and not _FRAGMENT_RE.match(s.text))

    kept = [s for s in spans if usable(s)] or spans
    if len(kept) <= MAX_INPUT_SENTENCES:
        return kept
    rest = kept[LEAD_SENTENCES:]
    step = len(rest) / (MAX_INPUT_SENTENCES - LEAD_SENTENCES)
    sampled = [rest[int(i * step)] for i in range(MAX_INPUT_SENTENCES - LEAD_SENTENCES)]
    return kept[:LEAD_SENTENCES] + sampled


def select_sentences(
    spans: Sequence[Sentence],
    vectors: np.ndarray,
    max_sentences: int = 3,
    max_chars: int | None = None,
    diversity: float = 0.3,
) -> list[int]:
    """Indices into `spans` chosen by salience + position prior, de-duplicated by MMR."""
    n = len(spans)
    if n == 0 or max_sentences <= 0:
        return []
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    sal = vectors @ centroid
    # Min-max within the document: a relative salience, whatever the embedder's cosine range.
    spread = float(sal.max() - sal.min())
    rel = (sal - sal.min()) / spread if spread > 1e-9 else np.ones(n)
    order = np.arange(n)
    lead = 0.15 * np.exp(-order / 3.0)  # first sentences of the document
    para_start = np.array([0.05 if s.position == 0 else 0.0 for s in spans])
    score = rel + lead + para_start
    sim = vectors @ vectors.T

    chosen: list[int] = []
    used = 0
    candidates = set(range(n))
    while candidates and len(chosen) < max_sentences:
        best, best_val = -1, -np.inf
        for i in sorted(candidates):
            redundancy = max((sim[i, j] for j in chosen), default=0.0)
            val = (1 - diversity) * score[i] - diversity * redundancy
            if val > best_val:
                best, best_val = i, val
        candidates.discard(best)
        length = len(spans[best].text) + (1 if chosen else 0)
        if max_chars is not None and used + length > max_chars:
            continue  # too long for what is left of the budget: try the next best
        chosen.append(best)
        used += length
    return chosen
