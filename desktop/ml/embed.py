"""Text -> L2-normalised vectors with the manifest's embedder (tokenizers + ONNX Runtime).

No Qt here. Which model, its dimensions, token limit and text prefixes all come from the
manifest (`desktop.ml.runtime`), so a second embedder is a new manifest entry, not new code.
Store `Embedder.model_id` (e.g. ``minilm-l6-v2@1``) with every vector.

Speed: texts are sorted by token length before batching and each batch is padded only to its
own longest text (the shipped tokenizer.json would pad everything to 128), then the original
order is restored.

Documents longer than the model's window are split into overlapping token windows that end at
sentence boundaries where possible (`chunk_tokens`); the document vector is the normalised
mean of its chunk vectors, so the whole text counts, not just its first 256 tokens. Giant
texts are capped at `MAX_CHUNKS` chunks sampled evenly from start to end (beginning, middle
and end all represented) to bound the cost of one item.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from tokenizers import Tokenizer

from desktop.ml import runtime
from desktop.ml.runtime import Manifest, ModelMissing, ModelSpec

__all__ = [
    "MAX_CHUNKS",
    "Chunk",
    "Embedder",
    "Kind",
    "chunk_tokens",
    "embed_document",
    "get_embedder",
]

Kind = Literal["query", "passage"]
MAX_CHUNKS = 64  # per document: ~16k tokens of evenly spread text is plenty for one vector
DEFAULT_OVERLAP = 32
_SPECIAL_TOKENS = 2  # [CLS] ... [SEP]
# A token ending here closes a sentence (Latin or CJK punctuation, or a line end follows).
_SENTENCE_END = re.compile(r"[.!?。！？;；…]['\"”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A span of the original text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int
    tokens: int


def tokenizer_json(path: Path) -> str:
    """A tokenizer file's JSON. A `.gz` file is unpacked in memory: the multilingual
    tokenizer's 133,000 pieces are 4.9 MB as JSON, 1.6 MB compressed."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8")


class Embedder:
    """One embedding model: tokenizer + shared ONNX session, both checked against the manifest.

    Thread-safe: the tokenizer and the ONNX session may be used from several threads.
    """

    def __init__(self, spec: ModelSpec) -> None:
        if spec.task != "embedding":
            raise ValueError(f"{spec.name} is a {spec.task} model, not an embedder")
        if not spec.tokenizer_path:
            raise ModelMissing(f"{spec.name} has no tokenizer in the manifest")
        self.spec = spec
        self.dimensions = int(spec.dimensions or 0)
        self.max_tokens = int(spec.max_tokens or 512)
        runtime.verify_cached(
            spec.tokenizer_path, spec.tokenizer_sha256, spec.display_path(spec.tokenizer)
        )
        config = tokenizer_json(spec.tokenizer_path)
        tok = Tokenizer.from_str(config)
        tok.no_padding()  # padded per batch below
        tok.no_truncation()
        tok.enable_truncation(max_length=self.max_tokens)
        self._tokenizer = tok
        # A second, untruncated tokenizer for chunking: offsets over the whole text.
        raw = Tokenizer.from_str(config)
        raw.no_padding()
        raw.no_truncation()
        self._raw_tokenizer = raw

    # ----------------------------------------------------------------- identity

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def model_id(self) -> str:
        """``name@version``: store it with each vector."""
        return self.spec.model_id

    def _session(self):  # noqa: ANN202 - onnxruntime.InferenceSession
        # Looked up per batch (a dict hit) so `runtime.set_threads` takes effect.
        return runtime.session_for_spec(self.spec)

    def token_count(self, text: str) -> int:
        """Tokens `text` costs, special tokens included, before truncation."""
        return len(self._raw_tokenizer.encode(text).ids)

    # ----------------------------------------------------------------- embedding

    def embed(self, texts: Sequence[str], kind: Kind = "passage", batch_size: int = 32) -> np.ndarray:
        """float32 [len(texts), dim], unit length, in the order given."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        # One window over everything: the best length sorting.
        for start, vectors in self.embed_iter(texts, kind, batch_size, window=max(1, len(texts))):
            out[start : start + len(vectors)] = vectors
        return out

    def embed_iter(
        self,
        texts: Sequence[str],
        kind: Kind = "passage",
        batch_size: int = 32,
        window: int | None = None,
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Yield ``(start_index, vectors)`` for consecutive slices of `texts`, in order.

        Each slice holds `window` texts (default ``8 * batch_size``), sorted by length inside
        the slice and run in batches of `batch_size`; between slices the caller can report
        progress or stop iterating to cancel. ``vectors[i]`` belongs to ``texts[start + i]``.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        window = window or batch_size * 8
        prefix = self.spec.prefix(kind)
        for start in range(0, len(texts), window):
            part = [prefix + t if prefix else t for t in texts[start : start + window]]
            encodings = self._tokenizer.encode_batch(part)
            order = sorted(range(len(part)), key=lambda i: len(encodings[i].ids))
            vectors = np.empty((len(part), self.dimensions), dtype=np.float32)
            for b in range(0, len(order), batch_size):
                idx = order[b : b + batch_size]
                vectors[idx] = self._run([encodings[i].ids for i in idx])
            yield start, vectors

    def _run(self, batch_ids: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch_ids)
        input_ids = np.zeros((len(batch_ids), width), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, ids in enumerate(batch_ids):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        session = self._session()
        feeds = {"input_ids": input_ids, "attention_mask": mask,
                 "token_type_ids": np.zeros_like(input_ids)}  # fmt: skip
        wanted = {i.name for i in session.get_inputs()}
        out = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
        out = np.asarray(out, dtype=np.float32)
        if out.ndim == 3:  # a model exported without pooling: mean over real tokens
            m = mask[..., None].astype(np.float32)
            out = (out * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        # Re-normalise even when the graph did: cheap, and exact unit length in float32.
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    # ----------------------------------------------------------------- documents

    def chunk_tokens(
        self, text: str, max_tokens: int | None = None, overlap: int = DEFAULT_OVERLAP
    ) -> list[Chunk]:
        """Split `text` into spans of at most `max_tokens` tokens (special tokens included).

        Consecutive chunks overlap by about `overlap` tokens; a chunk ends at the last
        sentence boundary in its second half when there is one, else mid-sentence.
        """
        budget = min(max_tokens or self.max_tokens, self.max_tokens) - _SPECIAL_TOKENS
        if budget < 8:
            raise ValueError("max_tokens too small")
        overlap = max(0, min(overlap, budget // 2))
        enc = self._raw_tokenizer.encode(text, add_special_tokens=False)
        offsets = enc.offsets
        n = len(offsets)
        if n == 0:
            return []
        chunks: list[Chunk] = []
        start = 0
        while start < n:
            end = min(start + budget, n)
            if end < n:
                end = self._sentence_cut(text, offsets, start + budget // 2, end)
            a, b = offsets[start][0], offsets[end - 1][1]
            chunks.append(Chunk(text[a:b], a, b, end - start + _SPECIAL_TOKENS))
            if end >= n:
                break
            start = max(end - overlap, start + 1)
        return chunks

    @staticmethod
    def _sentence_cut(text: str, offsets: list[tuple[int, int]], lo: int, hi: int) -> int:
        """The largest j in (lo, hi] such that token j-1 ends a sentence or a line; else hi."""
        for j in range(hi, lo, -1):
            a, b = offsets[j - 1]
            if _SENTENCE_END.search(text[a:b]) or text[b : b + 1] == "\n":
                return j
        return hi

    def document_chunks(self, text: str, max_chunks: int = MAX_CHUNKS) -> list[Chunk]:
        """The chunks `embed_document` embeds: all of them, or `max_chunks` evenly sampled."""
        chunks = self.chunk_tokens(text)
        if len(chunks) > max_chunks:
            picks = np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int)
            chunks = [chunks[i] for i in sorted(set(picks.tolist()))]
        return chunks

    def embed_document(
        self, text: str, kind: Kind = "passage", max_chunks: int = MAX_CHUNKS
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(doc_vector [dim], chunk_vectors [k, dim])``; doc = normalised mean of chunks."""
        chunks = self.document_chunks(text, max_chunks)
        chunk_vectors = self.embed([c.text for c in chunks] or [text], kind)
        mean = chunk_vectors.mean(axis=0)
        doc = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
        return doc, chunk_vectors


# --------------------------------------------------------------------------- module API

_cache_lock = threading.Lock()
_embedders: dict[tuple[str, str], Embedder] = {}


def get_embedder(name: str | None = None, models_dir: Path | str | None = None) -> Embedder:
    """A cached `Embedder` for manifest entry `name` (default: the manifest's default)."""
    manifest = Manifest.load(models_dir)
    spec = manifest.get(name) if name else manifest.default_embedder()
    key = (str(manifest.base_dir.resolve()), spec.model_id)
    with _cache_lock:
        embedder = _embedders.get(key)
        if embedder is None or embedder.spec != spec:
            embedder = Embedder(spec)
            _embedders[key] = embedder
        return embedder


def clear_cache() -> None:
    """Forget cached embedders (tests; after `runtime.unload_all`)."""
    with _cache_lock:
        _embedders.clear()


def chunk_tokens(
    text: str, max_tokens: int = 256, overlap: int = DEFAULT_OVERLAP, embedder: Embedder | None = None
) -> list[Chunk]:
    """`Embedder.chunk_tokens` with the default embedder's tokenizer."""
    return (embedder or get_embedder()).chunk_tokens(text, max_tokens, overlap)


def embed_document(
    text: str, kind: Kind = "passage", embedder: Embedder | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`Embedder.embed_document` with the default embedder."""
    return (embedder or get_embedder()).embed_document(text, kind)
