"""Small ONNX heads on top of the embedder: graph building, atomic files, logistic regression.

Two kinds of head share this module:
- the taxonomy head (soft-max pooled cosine to several prototypes per label, normalised per
  label and across labels, a calibrated logistic on score, z-score and margin);
- learned heads, one logistic regression per user tag, stacked as MatMul + Add + Sigmoid.
Both are written as `<name>.onnx` next to a `<name>.json` sidecar (tags, embedder model_id,
fingerprint, sha256) and run through the shared ONNX runtime like the embedder itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

# Graphs are encoded by onnx_proto, not the `onnx` package: that keeps onnx, protobuf and
# ml_dtypes (~10 MB) out of the binary, and their import held the GIL for seconds mid-indexing.
from desktop.ml import onnx_proto as pb

__all__ = [
    "OPSET",
    "linear_sigmoid_graph",
    "taxonomy_graph",
    "taxonomy_scores",
    "taxonomy_features",
    "taxonomy_numpy",
    "write_head",
    "read_initializers",
    "read_sidecar",
    "sidecar_path",
    "open_head_session",
    "run_head",
    "fit_logistic",
]

OPSET = 17  # same opset as the exported embedder; ReduceMean still takes `axes` as attribute
INPUT = "vectors"
OUTPUT = "confidences"


# ---------------------------------------------------------------- graph building


def _model(nodes: list[bytes], inits: list[bytes], dim: int, k: int, name: str) -> bytes:
    x = pb.value_info(INPUT, pb.FLOAT, ["n", dim])
    y = pb.value_info(OUTPUT, pb.FLOAT, ["n", k])
    graph = pb.graph(nodes, name, [x], [y], inits)
    # ir_version 8: readable by every onnxruntime >= 1.14
    return pb.model(graph, opset=OPSET, ir_version=8, producer_name="curio")


def _const(name: str, value: np.ndarray | float) -> bytes:
    return pb.tensor(name, np.asarray(value, dtype=np.float32))


def linear_sigmoid_graph(weights: np.ndarray, bias: np.ndarray) -> bytes:
    """sigmoid(vectors @ weights + bias): weights [d, k], bias [k] -> confidences [n, k]."""
    d, k = weights.shape
    nodes = [
        pb.node("MatMul", [INPUT, "W"], ["logit0"]),
        pb.node("Add", ["logit0", "b"], ["logit"]),
        pb.node("Sigmoid", ["logit"], [OUTPUT]),
    ]
    return _model(nodes, [_const("W", weights), _const("b", bias)], d, k, "learned_heads")


def taxonomy_graph(
    prototypes: np.ndarray,
    pool: np.ndarray,
    tau: float,
    label_mean: np.ndarray,
    label_sd: np.ndarray,
    weights: np.ndarray,
    bias: np.ndarray | float,
) -> bytes:
    """Calibrated zero-shot head over several prototypes per label.

    prototypes [d, p] (unit columns), pool [p, k] (column j averages label j's prototypes):
    1. cos = vectors @ prototypes; per label a soft maximum of its prototypes' cosines,
       s = tau * log(mean exp(cos / tau)) — one matching example phrase counts, as with max,
       but the others still vote;
    2. s = (s - label_mean) / label_sd, measured on the calibration texts: broad labels
       ("society", "human interest") that sit close to every text lose their head start;
    3. features z (s z-scored across labels) and margin (s minus the best other label);
    4. confidence = sigmoid(w_s * s + w_z * z + w_m * margin + bias), fitted on the
       calibration texts, so 0.5 is the calibrated suggest/abstain boundary.
    """
    d, k = prototypes.shape[0], pool.shape[1]
    if k < 2:
        raise ValueError("a taxonomy head needs at least two labels")
    w = np.asarray(weights, dtype=np.float32).reshape(3)
    nodes = [
        pb.node("MatMul", [INPUT, "P"], ["cos"]),
        pb.node("Mul", ["cos", "inv_tau"], ["cos_t"]),
        pb.node("Exp", ["cos_t"], ["e"]),
        pb.node("MatMul", ["e", "A"], ["pooled"]),
        pb.node("Log", ["pooled"], ["log_pooled"]),
        pb.node("Mul", ["log_pooled", "tau"], ["soft"]),
        pb.node("Sub", ["soft", "mu_l"], ["soft_c"]),
        pb.node("Div", ["soft_c", "sd_l"], ["s"]),
        # z across labels
        pb.node("ReduceMean", ["s"], ["mu"], axes=[1], keepdims=1),
        pb.node("Sub", ["s", "mu"], ["centred"]),
        pb.node("Mul", ["centred", "centred"], ["sq"]),
        pb.node("ReduceMean", ["sq"], ["var"], axes=[1], keepdims=1),
        pb.node("Add", ["var", "eps"], ["var_eps"]),
        pb.node("Sqrt", ["var_eps"], ["sd"]),
        pb.node("Div", ["centred", "sd"], ["z"]),
        # margin over the best other label: the runner-up for the top label, else the top
        pb.node("TopK", ["s", "two"], ["top", "top_idx"], axis=1),
        pb.node("Slice", ["top", "zero", "one", "one"], ["top1"]),
        pb.node("Slice", ["top", "one", "two", "one"], ["top2"]),
        pb.node("GreaterOrEqual", ["s", "top1"], ["is_top"]),
        pb.node("Where", ["is_top", "top2", "top1"], ["other"]),
        pb.node("Sub", ["s", "other"], ["margin"]),
        pb.node("Mul", ["s", "w_s"], ["ls"]),
        pb.node("Mul", ["z", "w_z"], ["lz"]),
        pb.node("Mul", ["margin", "w_m"], ["lm"]),
        pb.node("Sum", ["ls", "lz", "lm", "b"], ["logit"]),
        pb.node("Sigmoid", ["logit"], [OUTPUT]),
    ]
    inits = [
        _const("P", prototypes),
        _const("A", pool),
        _const("inv_tau", np.array([1.0 / tau])),
        _const("tau", np.array([tau])),
        _const("mu_l", np.asarray(label_mean).reshape(k)),
        _const("sd_l", np.asarray(label_sd).reshape(k)),
        _const("eps", np.array([1e-8])),
        _const("w_s", w[:1]),
        _const("w_z", w[1:2]),
        _const("w_m", w[2:3]),
        _const("b", np.broadcast_to(np.asarray(bias, dtype=np.float32), (k,))),
        pb.tensor("two", np.array([2], dtype=np.int64)),
        pb.tensor("zero", np.array([0], dtype=np.int64)),
        pb.tensor("one", np.array([1], dtype=np.int64)),
    ]
    return _model(nodes, inits, d, k, "taxonomy_head")


def taxonomy_scores(
    vectors: np.ndarray, prototypes: np.ndarray, pool: np.ndarray, tau: float
) -> np.ndarray:
    """Step 1 of the taxonomy graph in numpy: soft-max pooled cosine per label, [n, k]."""
    cos = np.asarray(vectors, dtype=np.float64) @ prototypes
    return tau * np.log(np.exp(cos / tau) @ pool)


def taxonomy_features(
    scores: np.ndarray, label_mean: np.ndarray, label_sd: np.ndarray
) -> np.ndarray:
    """Steps 2-3 of the taxonomy graph: [n, k, 3] features (s, z, margin)."""
    s = (scores - label_mean) / label_sd
    z = zscores(s)
    top = np.sort(s, axis=1)
    top1, top2 = top[:, -1:], top[:, -2:-1]
    margin = s - np.where(s >= top1, top2, top1)
    return np.stack([s, z, margin], axis=-1)


def taxonomy_numpy(
    vectors: np.ndarray,
    prototypes: np.ndarray,
    pool: np.ndarray,
    tau: float,
    label_mean: np.ndarray,
    label_sd: np.ndarray,
    weights: np.ndarray,
    bias: np.ndarray | float,
) -> np.ndarray:
    """The taxonomy graph in numpy (for calibration and tests)."""
    f = taxonomy_features(taxonomy_scores(vectors, prototypes, pool, tau), label_mean, label_sd)
    return 1.0 / (1.0 + np.exp(-(f @ np.asarray(weights, dtype=np.float64) + bias)))


def zscores(sim: np.ndarray) -> np.ndarray:
    centred = sim - sim.mean(axis=1, keepdims=True)
    return centred / np.sqrt((centred**2).mean(axis=1, keepdims=True) + 1e-8)


# ---------------------------------------------------------------- files


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    return Path(path).with_suffix(".json")


def write_head(path: str | os.PathLike[str], model: bytes, meta: Mapping[str, Any]) -> Path:
    """Write `model` and its JSON sidecar atomically (`.part` then rename); return the sidecar.

    The model goes first: a sidecar that exists always describes a complete model, and its
    sha256 exposes a model file replaced behind its back.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    side = sidecar_path(path)
    record = dict(meta)
    record["file"] = path.name
    record["sha256"] = hashlib.sha256(model).hexdigest()
    _atomic_write(path, model)
    _atomic_write(side, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return side


def _atomic_write(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)


def read_initializers(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """A head file's initializers (weights, bias, ...) by name."""
    return pb.read_initializers(Path(path).read_bytes())


def read_sidecar(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The sidecar of a head file, or None when it is missing or unreadable."""
    try:
        return json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def open_head_session(path: str | os.PathLike[str], expected_sha256: str | None) -> Any:
    """An ONNX Runtime session for a head file, through the shared runtime."""
    from desktop.ml import runtime

    return runtime.session_for_file(Path(path), expected_sha256=expected_sha256)


def run_head(session: Any, vectors: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    return session.run([OUTPUT], {INPUT: x})[0]


# ---------------------------------------------------------------- training


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1e-3,
    balanced: bool = True,
    iterations: int = 30,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (IRLS); returns (w, b).

    Loss: weighted mean log-loss + l2/2 * |w|^2 (bias not penalised). With `balanced`, each
    class carries half the total weight, so a tag with 3 positives among 300 negatives is not
    drowned. Newton on d+1 parameters is exact and deterministic, and d=384 keeps the
    Hessian tiny.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = x.shape
    if n < d:
        # The L2 solution lies in the row space of x: solve there (n+1 unknowns, not d+1)
        # and map back. Exact, and much cheaper for a tag with a handful of examples.
        _, sv, vt = np.linalg.svd(x, full_matrices=False)
        keep = sv > sv[0] * 1e-10
        beta, b = fit_logistic(
            x @ vt[keep].T, y, l2, balanced, iterations, sample_weight
        )
        return vt[keep].T @ beta, b
    c = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if balanced:
        pos = c[y > 0.5].sum()
        neg = c[y <= 0.5].sum()
        c = np.where(y > 0.5, c / (2 * max(pos, 1e-12)), c / (2 * max(neg, 1e-12)))
    else:
        c = c / c.sum()
    xa = np.hstack([x, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 1e-8  # keeps the Hessian invertible without penalising the bias
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xa @ theta, -35, 35)))
        grad = xa.T @ (c * (p - y)) + reg * theta
        hess = (xa * (c * p * (1 - p))[:, None]).T @ xa + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return theta[:-1], float(theta[-1])
