"""Tag suggestions: a calibrated zero-shot taxonomy head and heads learned from the user's tags.

Both heads read document vectors from the embedder and run as small ONNX graphs (see
`heads.py`). Every suggestion carries a confidence in [0, 1]; the taxonomy head abstains
(suggests nothing) when no label stands out from the others.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from desktop.ml import heads

__all__ = [
    "Suggestion",
    "TaxonomyLabel",
    "Taxonomy",
    "load_taxonomy",
    "build_taxonomy_head",
    "TaxonomyClassifier",
    "LearnedHeads",
    "train_heads",
    "labels_fingerprint",
    "heads_are_current",
]

DEFAULT_TAXONOMY = "iptc-media-topics.json"
# Bump when prototype building or calibration changes: cached heads are then rebuilt.
# 3: a multilingual embedder's head uses the Chinese label texts and calibration texts too.
TAXONOMY_HEAD_VERSION = 3
# Soft-max pooling temperature over a label's prototypes (cosine units): 0.1 sits between
# a plain mean (one averaged prototype blurs the label) and a hard max (one stray phrase
# decides). Chosen on the calibration half; centroid, 0.02 and 0.05 did worse there.
POOL_TAU = 0.1
# The most off-topic calibration texts allowed to get a suggestion when fitting the boundary.
MAX_OFF_TOPIC_RATE = 0.10
# Bump when training changes: learned heads with an older format are retrained.
LEARNED_HEAD_VERSION = 1
MIN_POSITIVES = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    label_id: str
    label: str
    confidence: float


# ---------------------------------------------------------------- taxonomy


@dataclass(frozen=True)
class TaxonomyLabel:
    id: str
    names: dict[str, str]
    descriptions: dict[str, str]
    examples: dict[str, list[str]]
    phrases: dict[str, list[str]] = field(default_factory=dict)  # extra prototypes

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]

    def texts(self, lang: str) -> list[str]:
        """What the label's prototype is made of in one language."""
        out = [self.names.get(lang, ""), self.descriptions.get(lang, "")]
        out += self.examples.get(lang, []) + self.phrases.get(lang, [])
        return [t for t in out if t]


@dataclass(frozen=True)
class Taxonomy:
    name: str
    version: int
    labels: list[TaxonomyLabel]
    off_topic: dict[str, list[str]]
    sha256: str  # of the taxonomy file: a changed description rebuilds the head
    # lang -> label id -> labelled texts that calibrate the head (not its prototypes)
    on_topic: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [lab.id for lab in self.labels]


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Read a taxonomy file (default: the IPTC Media Topics shipped in resources/taxonomy)."""
    if path is None:
        from desktop.paths import resource_path

        path = resource_path("taxonomy", DEFAULT_TAXONOMY)
    raw = Path(path).read_bytes()
    data = json.loads(raw)
    labels = [
        TaxonomyLabel(
            d["id"],
            d["label"],
            d.get("description", {}),
            d.get("examples", {}),
            d.get("phrases", {}),
        )
        for d in data["labels"]
    ]
    cal = data.get("calibration", {})
    return Taxonomy(
        data.get("name", Path(path).stem),
        int(data.get("version", 1)),
        labels,
        cal.get("off_topic", {}),
        hashlib.sha256(raw).hexdigest(),
        cal.get("on_topic", {}),
    )


def _embed(embedder: Any, texts: Sequence[str], kind: str) -> np.ndarray:
    return np.asarray(embedder.embed(list(texts), kind=kind), dtype=np.float64)


def _normalise(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)


def _embedder_languages(embedder: Any) -> tuple[str, ...]:
    """Languages the head is built and calibrated in for this embedder.

    An English-only embedder maps Chinese descriptions to noise; a multilingual one
    (``"languages": ["multi"]`` in its manifest entry) gets both languages in its
    prototypes and its calibration.
    """
    langs = getattr(embedder, "languages", None)
    if langs is None:
        spec = getattr(embedder, "spec", None)
        langs = getattr(spec, "extra", {}).get("languages") if spec is not None else None
    langs = set(langs or ("en",))
    if "multi" in langs:
        return ("en", "zh")
    return tuple(lang for lang in ("en", "zh") if lang in langs) or ("en",)


def build_taxonomy_head(
    embedder: Any, taxonomy: Taxonomy, path: str | os.PathLike[str]
) -> dict[str, Any]:
    """Embed the label texts, calibrate for this embedder, write the ONNX head; return its meta.

    Prototypes: every label text (name, description, examples, phrases) is its own
    prototype; a label scores the soft maximum of its prototypes' cosines (`POOL_TAU`).
    Calibration, redone for every embedder because cosines run at different heights:
    - per-label mean and spread of those scores over the calibration texts (on- and
      off-topic), so each label is judged against its own usual level;
    - a logistic model on three features of a text's top label — normalised score, z-score
      across labels, margin over the runner-up — fitted to "top label is right" (wrong-topic
      and off-topic texts are the negatives), so a confidence estimates that probability;
    - its bias then moved to the point that maximises F1 of "right and confident" on the
      calibration texts while at most `MAX_OFF_TOPIC_RATE` of the off-topic ones get a label.
    Without labelled calibration texts (a custom taxonomy) the label texts stand in for
    them, each scored against its label's other prototypes only.
    """
    langs = _embedder_languages(embedder)
    texts: list[str] = []
    owner: list[int] = []
    for j, lab in enumerate(taxonomy.labels):
        for lang in langs:
            for t in lab.texts(lang):
                texts.append(t)
                owner.append(j)
    # Label texts play the part of queries looking for matching documents.
    protos = _embed(embedder, texts, "query")
    owner_arr = np.asarray(owner)
    k = len(taxonomy.labels)
    counts = np.bincount(owner_arr, minlength=k).astype(np.float64)
    pool = np.zeros((len(texts), k))
    pool[np.arange(len(texts)), owner_arr] = 1.0 / counts[owner_arr]

    index = {lab.id: j for j, lab in enumerate(taxonomy.labels)}
    on_texts: list[str] = []
    on_y: list[int] = []
    for lang in langs:
        for label_id, items in taxonomy.on_topic.get(lang, {}).items():
            on_texts += items
            on_y += [index[label_id]] * len(items)
    off_texts = [t for lang in langs for t in taxonomy.off_topic.get(lang, [])]
    if on_texts:
        on_scores = heads.taxonomy_scores(
            _embed(embedder, on_texts, "passage"), protos.T, pool, POOL_TAU
        )
        source = "on_topic"
    else:
        on_scores = _leave_one_out_scores(protos, owner_arr, pool)
        on_y = owner
        source = "label_texts_leave_one_out"
    off_scores = (
        heads.taxonomy_scores(_embed(embedder, off_texts, "passage"), protos.T, pool, POOL_TAU)
        if off_texts
        else np.zeros((0, k))
    )
    every = np.vstack([on_scores, off_scores])
    label_mean = every.mean(axis=0)
    label_sd = np.maximum(every.std(axis=0), 1e-6)

    on_f = heads.taxonomy_features(on_scores, label_mean, label_sd)
    off_f = heads.taxonomy_features(off_scores, label_mean, label_sd)
    top_on = on_f[..., 0].argmax(axis=1)
    right = top_on == np.asarray(on_y)
    x_on = on_f[np.arange(len(on_f)), top_on]
    x_off = off_f[np.arange(len(off_f)), off_f[..., 0].argmax(axis=1)]
    weights, bias = _fit_confidence(x_on, right, x_off)
    shift, stats = _fit_boundary(x_on @ weights + bias, right, x_off @ weights + bias)
    bias += shift

    model = heads.taxonomy_graph(
        protos.T.astype(np.float32), pool, POOL_TAU, label_mean, label_sd, weights, bias
    )
    meta = {
        "kind": "taxonomy-head",
        "head_version": TAXONOMY_HEAD_VERSION,
        "taxonomy": taxonomy.name,
        "taxonomy_version": taxonomy.version,
        "taxonomy_sha256": taxonomy.sha256,
        "embedder_model_id": embedder.model_id,
        "languages": list(langs),
        "labels": taxonomy.ids,
        "prototypes_per_label": [int(c) for c in counts],
        "calibration": {
            "source": source,
            "on_topic_texts": len(on_y),
            "off_topic_texts": len(off_texts),
            "pool_tau": POOL_TAU,
            "label_mean": [round(float(v), 5) for v in label_mean],
            "label_sd": [round(float(v), 5) for v in label_sd],
            "weights_s_z_margin": [round(float(v), 4) for v in weights],
            "bias": round(float(bias), 4),
            # in-sample figures on the calibration texts, for a quick sanity check only
            **{key: round(float(v), 4) for key, v in stats.items()},
        },
    }
    heads.write_head(path, model, meta)
    return heads.read_sidecar(path) or meta


def _leave_one_out_scores(protos: np.ndarray, owner: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Pooled scores of each label text with itself removed from its own label's prototypes."""
    cos = protos @ protos.T
    e = np.exp(cos / POOL_TAU)
    counts = np.bincount(owner, minlength=pool.shape[1]).astype(np.float64)
    sums = e @ (pool * counts)  # plain sums per label
    rows = np.arange(len(owner))
    own = sums[rows, owner] - e[rows, rows]
    means = sums / counts
    means[rows, owner] = own / np.maximum(counts[owner] - 1, 1)
    return POOL_TAU * np.log(np.maximum(means, 1e-30))


def _fit_confidence(
    x_on: np.ndarray, right: np.ndarray, x_off: np.ndarray
) -> tuple[np.ndarray, float]:
    """Logistic weights on (s, z, margin) of a text's top label -> P(the top label is right)."""
    x = np.vstack([x_on, x_off])
    y = np.concatenate([right, np.zeros(len(x_off), dtype=bool)]).astype(np.float64)
    if y.min() == y.max():  # nothing to contrast: a fixed, moderate slope on the margin
        return np.array([0.0, 0.0, 4.0]), -1.0
    # Standardise so one L2 strength suits every feature; fold the scaling back after.
    mu, sd = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-6)
    w, b = heads.fit_logistic((x - mu) / sd, y, l2=1e-2, balanced=False)
    return w / sd, float(b - (w / sd) @ mu)


def _fit_boundary(
    logit_on: np.ndarray, right: np.ndarray, logit_off: np.ndarray
) -> tuple[float, dict[str, float]]:
    """Bias shift that maximises F1 of "right and suggested", with the off-topic rate capped.

    Takes the middle of the best plateau of shifts, so the boundary does not sit on one
    calibration text.
    """
    shifts = np.round(np.arange(-4.0, 4.0 + 1e-9, 0.05), 2)
    best_f1 = -1.0
    plateau: list[float] = []
    for sh in shifts:
        shown = logit_on + sh >= 0
        fp_rate = float((logit_off + sh >= 0).mean()) if len(logit_off) else 0.0
        hits = int((shown & right).sum())
        if fp_rate > MAX_OFF_TOPIC_RATE or not hits:
            continue
        prec, rec = hits / shown.sum(), hits / len(right)
        f1 = 2 * prec * rec / (prec + rec)
        if f1 > best_f1 + 1e-12:
            best_f1, plateau = f1, [float(sh)]
        elif abs(f1 - best_f1) <= 1e-12:
            plateau.append(float(sh))
    shift = float(np.median(plateau)) if plateau else 0.0
    shown = logit_on + shift >= 0
    stats = {
        "cal_top1_accuracy": float(right.mean()),
        "cal_coverage": float(shown.mean()),
        "cal_precision": float((shown & right).sum() / max(int(shown.sum()), 1)),
        "cal_off_topic_rate": float((logit_off + shift >= 0).mean()) if len(logit_off) else 0.0,
    }
    return shift, stats


class TaxonomyClassifier:
    """Zero-shot suggestions from a calibrated taxonomy head file."""

    def __init__(self, taxonomy: Taxonomy, head_path: str | os.PathLike[str]) -> None:
        meta = heads.read_sidecar(head_path)
        if meta is None:
            raise FileNotFoundError(f"{head_path}: taxonomy head sidecar missing")
        if meta["labels"] != taxonomy.ids:
            raise ValueError(f"{head_path}: built for other labels than {taxonomy.name}")
        self.taxonomy = taxonomy
        self.meta = meta
        self.path = Path(head_path)
        self._session = heads.open_head_session(self.path, meta.get("sha256"))

    @property
    def embedder_model_id(self) -> str:
        return str(self.meta["embedder_model_id"])

    @property
    def model_id(self) -> str:
        """Recorded with every suggestion: taxonomy, head format and embedder."""
        return (
            f"{self.taxonomy.name}@{self.taxonomy.version}"
            f"/head{self.meta['head_version']}+{self.embedder_model_id}"
        )

    @classmethod
    def load_or_build(
        cls,
        embedder: Any | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        taxonomy_path: str | os.PathLike[str] | None = None,
    ) -> TaxonomyClassifier:
        """Load the cached head for this embedder, or build (and cache) it first.

        The head is rebuilt when the embedder's model_id, the taxonomy file or the head
        format changed — calibration numbers are only valid for the embedder they came from.
        """
        if embedder is None:
            from desktop.ml.embed import get_embedder

            embedder = get_embedder()
        taxonomy = load_taxonomy(taxonomy_path)
        if cache_dir is None:
            from desktop.paths import cache_dir as default_cache

            cache_dir = Path(default_cache()) / "heads"
        slug = Path(taxonomy_path).stem if taxonomy_path else Path(DEFAULT_TAXONOMY).stem
        safe_model = "".join(c if c.isalnum() or c in "-_." else "_" for c in embedder.model_id)
        path = Path(cache_dir) / f"{slug}--{safe_model}.onnx"
        meta = heads.read_sidecar(path)
        fresh = (
            meta is not None
            and path.exists()
            and meta.get("embedder_model_id") == embedder.model_id
            and meta.get("taxonomy_sha256") == taxonomy.sha256
            and meta.get("head_version") == TAXONOMY_HEAD_VERSION
        )
        if not fresh:
            build_taxonomy_head(embedder, taxonomy, path)
        return cls(taxonomy, path)

    def confidences(self, doc_vectors: np.ndarray) -> np.ndarray:
        """[n, n_labels] calibrated confidences in [0, 1]."""
        return heads.run_head(self._session, doc_vectors)

    def suggest(
        self,
        doc_vectors: np.ndarray,
        lang: str = "en",
        min_confidence: float = 0.5,
        top_k: int = 3,
    ) -> list[list[Suggestion]]:
        """Per document, up to `top_k` labels with confidence >= `min_confidence`, best first.

        An empty list means "nothing in the taxonomy fits" — the head abstains.
        """
        conf = self.confidences(doc_vectors)
        labels = self.taxonomy.labels
        return [_rank(row, [lab.id for lab in labels], [lab.name(lang) for lab in labels],
                      min_confidence, top_k) for row in conf]


def _rank(
    row: np.ndarray, ids: Sequence[str], names: Sequence[str], min_conf: float, top_k: int
) -> list[Suggestion]:
    order = np.argsort(-row, kind="stable")[:top_k]
    return [Suggestion(ids[i], names[i], float(row[i])) for i in order if row[i] >= min_conf]


# ---------------------------------------------------------------- learned heads


def labels_fingerprint(
    labels: Mapping[str, tuple[Iterable[Hashable], Iterable[Hashable]]], model_id: str
) -> str:
    """A cheap fingerprint of the training labels: tag -> (positive ids, negative ids).

    Same fingerprint, same embedder, same training code -> retraining can be skipped.
    """
    canon = {
        "format": LEARNED_HEAD_VERSION,
        "model_id": model_id,
        "tags": {
            str(tag): [sorted(map(str, pos)), sorted(map(str, neg))]
            for tag, (pos, neg) in sorted(labels.items(), key=lambda kv: str(kv[0]))
        },
    }
    blob = json.dumps(canon, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def heads_are_current(path: str | os.PathLike[str], fingerprint: str) -> bool:
    """True when the head file at `path` was trained on exactly these labels."""
    meta = heads.read_sidecar(path)
    return bool(meta and Path(path).exists() and meta.get("labels_fingerprint") == fingerprint)


@dataclass
class LearnedHeads:
    """One logistic-regression head per user tag, stacked into a single ONNX graph."""

    tags: list[str]
    weights: np.ndarray  # [d, n_tags], float32, Platt scaling folded in
    bias: np.ndarray  # [n_tags]
    model_id: str  # embedder the training vectors came from
    fingerprint: str
    skipped: list[str] = field(default_factory=list)  # tags with too few examples
    path: Path | None = None
    _session: Any = field(default=None, repr=False)

    def predict_numpy(self, vectors: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        return 1.0 / (1.0 + np.exp(-np.clip(x @ self.weights + self.bias, -60, 60)))

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        """[n, n_tags] confidences in [0, 1], computed by the ONNX graph."""
        if not self.tags:
            return np.zeros((len(np.atleast_2d(vectors)), 0), dtype=np.float32)
        if self._session is None:
            # Not saved yet: run the same graph from memory.
            from desktop.ml import runtime

            model = heads.linear_sigmoid_graph(self.weights, self.bias)
            self._session = runtime.session_from_bytes(model)
        return heads.run_head(self._session, vectors)

    def suggest(
        self, vectors: np.ndarray, min_confidence: float = 0.5, top_k: int = 5
    ) -> list[list[Suggestion]]:
        conf = self.predict(vectors)
        return [_rank(row, self.tags, self.tags, min_confidence, top_k) for row in conf]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write `<path>` (ONNX) and its `.json` sidecar atomically; later predictions use it."""
        model = heads.linear_sigmoid_graph(self.weights, self.bias)
        meta = {
            "kind": "learned-heads",
            "head_version": LEARNED_HEAD_VERSION,
            "tags": self.tags,
            "skipped": self.skipped,
            "embedder_model_id": self.model_id,
            "dim": int(self.weights.shape[0]),
            "labels_fingerprint": self.fingerprint,
        }
        side = heads.write_head(path, model, meta)
        self.path = Path(path)
        self._session = heads.open_head_session(self.path, json.loads(side.read_text())["sha256"])
        return side

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LearnedHeads:
        """Load heads written by `save`; the ONNX file is checked against its sha256."""
        meta = heads.read_sidecar(path)
        if meta is None or meta.get("kind") != "learned-heads":
            raise FileNotFoundError(f"{path}: no learned-heads sidecar")
        if meta.get("head_version") != LEARNED_HEAD_VERSION:
            raise ValueError(f"{path}: head format {meta.get('head_version')}, retrain needed")
        session = heads.open_head_session(path, meta["sha256"])
        init = heads.read_initializers(path)
        return cls(
            tags=list(meta["tags"]),
            weights=init["W"],
            bias=init["b"],
            model_id=meta["embedder_model_id"],
            fingerprint=meta["labels_fingerprint"],
            skipped=list(meta.get("skipped", [])),
            path=Path(path),
            _session=session,
        )


def train_heads(
    examples: Mapping[str, tuple[np.ndarray, np.ndarray]],
    model_id: str = "",
    fingerprint: str | None = None,
    min_positives: int = MIN_POSITIVES,
    l2: float = 1e-3,
    calibrate: bool = True,
) -> LearnedHeads:
    """Train one head per tag from (positive vectors, negative vectors).

    Negatives are the items where the user rejected the tag plus items carrying other tags.
    Tags with fewer than `min_positives` positives or no negative are listed in `skipped`.
    With `calibrate`, a Platt scale (a, b) fitted on out-of-fold scores is folded into the
    weights, so the graph stays MatMul + Add + Sigmoid.
    """
    tags: list[str] = []
    ws: list[np.ndarray] = []
    bs: list[float] = []
    skipped: list[str] = []
    dim = None
    for tag in sorted(examples):
        pos, neg = (np.atleast_2d(np.asarray(a, dtype=np.float64)) for a in examples[tag])
        if pos.size == 0 or neg.size == 0 or len(pos) < min_positives:
            skipped.append(tag)
            continue
        dim = pos.shape[1]
        x = np.vstack([pos, neg])
        y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
        w, b = heads.fit_logistic(x, y, l2=l2)
        if calibrate:
            a, c = _platt(x, y, l2)
            w, b = w * a, b * a + c
        tags.append(tag)
        ws.append(w)
        bs.append(b)
    if dim is None:
        dim = next((np.atleast_2d(v[0]).shape[1] for v in examples.values() if len(v[0])), 384)
    weights = np.stack(ws, axis=1) if ws else np.zeros((dim, 0))
    if fingerprint is None:
        fingerprint = _vectors_fingerprint(examples, model_id)
    return LearnedHeads(
        tags=tags,
        weights=weights.astype(np.float32),
        bias=np.asarray(bs, dtype=np.float32),
        model_id=model_id,
        fingerprint=fingerprint,
        skipped=skipped,
    )


def _platt(x: np.ndarray, y: np.ndarray, l2: float, folds: int = 5) -> tuple[float, float]:
    """Platt scale from out-of-fold decision values (in-sample ones are overconfident).

    Few examples -> identity: too little data to fit a scale without overfitting it.
    """
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    folds = min(folds, n_pos, n_neg)
    if folds < 3 or n_pos < 8:
        return 1.0, 0.0
    # Deterministic stratified folds: k-th example of each class goes to fold k % folds.
    fold = np.empty(len(y), dtype=int)
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        fold[idx] = np.arange(len(idx)) % folds
    scores = np.empty(len(y))
    for f in range(folds):
        tr = fold != f
        w, b = heads.fit_logistic(x[tr], y[tr], l2=l2)
        scores[~tr] = x[~tr] @ w + b
    # Platt's smoothed targets keep the fit finite when the folds separate perfectly.
    t = np.where(y > 0.5, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, c = _fit_scale(scores, t)
    return (a, c) if a > 0 else (1.0, 0.0)


def _fit_scale(s: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    """1-D logistic fit of soft targets t on scores s (class-balanced), by Newton."""
    pos = t > 0.5
    c = np.where(pos, 0.5 / max(pos.sum(), 1), 0.5 / max((~pos).sum(), 1))
    xa = np.stack([s, np.ones_like(s)], axis=1)
    theta = np.array([1.0, 0.0])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(xa @ theta, -35, 35)))
        grad = xa.T @ (c * (p - t))
        hess = (xa * (c * p * (1 - p))[:, None]).T @ xa + 1e-6 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(theta[0]), float(theta[1])


def _vectors_fingerprint(
    examples: Mapping[str, tuple[np.ndarray, np.ndarray]], model_id: str
) -> str:
    h = hashlib.sha256(f"{LEARNED_HEAD_VERSION}|{model_id}".encode())
    for tag in sorted(examples):
        h.update(tag.encode("utf-8"))
        for arr in examples[tag]:
            h.update(np.ascontiguousarray(arr, dtype=np.float32).tobytes())
            h.update(b"|")
    return h.hexdigest()
