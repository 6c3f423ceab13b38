"""The hand-written ONNX encoder/decoder behind the classification heads."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from desktop.ml import heads, runtime
from desktop.ml import onnx_proto as pb

from .conftest import ROOT


def _taxonomy_args(rng: np.random.Generator, d: int = 32, p: int = 9, k: int = 4) -> tuple:
    protos = rng.normal(size=(d, p))
    protos /= np.linalg.norm(protos, axis=0)
    owner = np.arange(p) % k
    pool = np.zeros((p, k))
    pool[np.arange(p), owner] = 1.0 / np.bincount(owner)[owner]
    return (protos, pool, 0.1, rng.normal(size=k) * 0.05, rng.uniform(0.05, 0.2, size=k),
            np.array([0.8, 1.2, 0.9]), -0.5)


def _probe_graph(w: np.ndarray) -> bytes:
    """Static and symbolic dims, int and negative ints attributes, int64 initializers,
    two outputs: y = x@w - mean(x@w, last axis); top = the two largest of x@w."""
    d, k = w.shape
    nodes = [
        pb.node("MatMul", ["x", "w"], ["h"]),
        pb.node("ReduceMean", ["h"], ["mu"], axes=[-1], keepdims=1),
        pb.node("Sub", ["h", "mu"], ["y"]),
        pb.node("TopK", ["h", "k"], ["top", "top_idx"], axis=-1),
    ]
    inits = [pb.tensor("w", w.astype(np.float32)), pb.tensor("k", np.array([2], dtype=np.int64))]
    inputs = [pb.value_info("x", pb.FLOAT, ["batch", d])]
    outputs = [pb.value_info("y", pb.FLOAT, ["batch", k]), pb.value_info("top", pb.FLOAT, ["batch", 2])]
    return pb.model(pb.graph(nodes, "probe", inputs, outputs, inits), opset=17, ir_version=8,
                    producer_name="test")


# ---------------------------------------------------------------- onnxruntime runs what we write


def test_probe_graph_runs_in_onnxruntime_like_numpy() -> None:
    rng = np.random.default_rng(3)
    w = rng.normal(size=(6, 5))
    session = runtime.session_from_bytes(_probe_graph(w))
    assert [(i.name, i.shape) for i in session.get_inputs()] == [("x", ["batch", 6])]
    assert [o.name for o in session.get_outputs()] == ["y", "top"]
    x = rng.normal(size=(7, 6)).astype(np.float32)
    y, top = session.run(None, {"x": x})
    h = x.astype(np.float64) @ w.astype(np.float32)
    np.testing.assert_allclose(y, h - h.mean(axis=1, keepdims=True), atol=1e-5)
    np.testing.assert_allclose(top, -np.sort(-h, axis=1)[:, :2], atol=1e-5)
    with pytest.raises(Exception, match="(?i)invalid|dimension|shape"):
        session.run(None, {"x": x[:, :5]})  # the static dim 6 was written and is enforced


def test_linear_head_runs_like_numpy() -> None:
    rng = np.random.default_rng(0)
    w, b = rng.normal(size=(384, 5)) * 0.2, rng.normal(size=5)
    x = rng.normal(size=(20, 384))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)  # like embeddings
    got = heads.run_head(runtime.session_from_bytes(heads.linear_sigmoid_graph(w, b)), x)
    w32, b32 = w.astype(np.float32).astype(np.float64), b.astype(np.float32).astype(np.float64)
    want = 1.0 / (1.0 + np.exp(-(x.astype(np.float64) @ w32 + b32)))
    assert got.shape == (20, 5) and got.dtype == np.float32
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_taxonomy_head_runs_like_numpy() -> None:
    rng = np.random.default_rng(1)
    args = _taxonomy_args(rng)
    x = rng.normal(size=(12, 32))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    got = heads.run_head(runtime.session_from_bytes(heads.taxonomy_graph(*args)), x)
    np.testing.assert_allclose(got, heads.taxonomy_numpy(x, *args), atol=1e-5)


# ---------------------------------------------------------------- decoder


def test_decoder_round_trips_the_encoder() -> None:
    rng = np.random.default_rng(2)
    arrays = {
        "W": rng.normal(size=(7, 3)).astype(np.float32),
        "scalar": np.array(1.5, dtype=np.float32),
        "cube": rng.normal(size=(2, 3, 4)).astype(np.float32),
        "empty": np.zeros((0,), dtype=np.float32),
        "ints": np.array([0, 1, -1, 2**62, -(2**63), 2**63 - 1], dtype=np.int64),
        "naïve 名前": np.array([[np.inf, -0.0, 3e-39]], dtype=np.float32),
    }
    nodes = [pb.node("Identity", ["x"], ["y"])]
    io = [pb.value_info("x", pb.FLOAT, [1]), pb.value_info("y", pb.FLOAT, [1])]
    inits = [pb.tensor(n, a) for n, a in arrays.items()]
    blob = pb.model(pb.graph(nodes, "g", io[:1], io[1:], inits), 17, 8, "test")
    back = pb.read_initializers(blob)
    assert list(back) == list(arrays)
    for name, a in arrays.items():
        assert back[name].dtype == a.dtype and back[name].shape == a.shape, name
        assert back[name].tobytes() == a.tobytes(), name
    # float64 input is stored as float32, unsigned ints as int64
    inits = [pb.tensor("f", np.array([0.1])), pb.tensor("u", np.array([3], dtype=np.uint8))]
    back = pb.read_initializers(pb.model(pb.graph([], "g", [], [], inits), 17, 8, "t"))
    assert back["f"].dtype == np.float32 and back["f"].tolist() == [np.float32(0.1)]
    assert back["u"].dtype == np.int64 and back["u"].tolist() == [3]


def test_decoder_refuses_what_it_cannot_read() -> None:
    blob = heads.linear_sigmoid_graph(np.ones((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="truncated"):
        pb.read_initializers(blob[:-3])
    with pytest.raises(TypeError):
        pb.tensor("s", np.array(["a"]))
    bad = pb.model(pb.graph([], "g", [], [], [pb._int(2, 11) + pb._str(8, "d")]), 17, 8, "t")
    with pytest.raises(ValueError, match="data type 11"):
        pb.read_initializers(bad)


def test_learned_heads_load_without_onnx_installed(tmp_path) -> None:
    """The app path (train, save, load, taxonomy graph) never imports onnx or protobuf."""
    script = textwrap.dedent(
        f"""
        import sys
        for name in ("onnx", "google.protobuf", "ml_dtypes"):
            sys.modules[name] = None  # any import of them now raises ImportError
        import numpy as np
        from desktop.ml import heads
        from desktop.ml.classify import LearnedHeads, train_heads
        rng = np.random.default_rng(0)
        x = rng.normal(size=(40, 16)).astype(np.float32)
        lh = train_heads({{"a": (x[:20] + 1, x[20:]), "b": (x[20:] - 1, x[:20])}}, model_id="m")
        path = {str(tmp_path / "h.onnx")!r}
        lh.save(path)
        again = LearnedHeads.load(path)
        assert np.array_equal(again.weights, lh.weights.astype(np.float32)), "weights"
        assert np.array_equal(again.bias, lh.bias.astype(np.float32)), "bias"
        np.testing.assert_allclose(again.predict(x), lh.predict_numpy(x), atol=1e-5)
        heads.taxonomy_graph(np.eye(4), np.eye(4), 0.1, np.zeros(4), np.ones(4), np.ones(3), 0.0)
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


# ---------------------------------------------------------------- cross-check with the onnx package


def test_written_models_pass_the_onnx_checker() -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import helper, numpy_helper

    rng = np.random.default_rng(4)
    blobs = {
        "linear": heads.linear_sigmoid_graph(rng.normal(size=(16, 3)), rng.normal(size=3)),
        "taxonomy": heads.taxonomy_graph(*_taxonomy_args(rng)),
        "probe": _probe_graph(rng.normal(size=(6, 5))),
    }
    for name, blob in blobs.items():
        model = onnx.load_from_string(blob)
        onnx.checker.check_model(model, full_check=True)  # full_check: also infers shapes
        assert model.ir_version == 8 and model.opset_import[0].version == 17, name
        init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        ours = pb.read_initializers(blob)
        assert init.keys() == ours.keys(), name
        for key in init:
            assert init[key].dtype == ours[key].dtype and np.array_equal(init[key], ours[key]), key

    probe = onnx.load_from_string(blobs["probe"])
    attrs = {
        (n.op_type, a.name): helper.get_attribute_value(a)
        for n in probe.graph.node
        for a in n.attribute
    }
    assert attrs == {("ReduceMean", "axes"): [-1], ("ReduceMean", "keepdims"): 1, ("TopK", "axis"): -1}
    dims = [[d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in probe.graph.input]
    assert dims == [["batch", 6]] and probe.graph.input[0].type.tensor_type.elem_type == pb.FLOAT


def test_linear_head_bytes_equal_onnx_helper() -> None:
    """Same graph built with onnx.helper serializes to exactly the same bytes."""
    pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(5)
    w, b = rng.normal(size=(10, 4)).astype(np.float32), rng.normal(size=4).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["vectors", "W"], ["logit0"]),
        helper.make_node("Add", ["logit0", "b"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["confidences"]),
    ]
    graph = helper.make_graph(
        nodes, "learned_heads",
        [helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["n", 10])],
        [helper.make_tensor_value_info("confidences", TensorProto.FLOAT, ["n", 4])],
        initializer=[numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="curio")
    model.ir_version = 8
    assert heads.linear_sigmoid_graph(w, b) == model.SerializeToString()


def test_decoder_reads_typed_fields_too() -> None:
    """Files written by other tools may keep values in float_data / int64_data, not raw_data."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    f = np.array([[1.5, -2.25, 3e-39]], dtype=np.float32)
    i = np.array([5, -7, 2**40], dtype=np.int64)
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
        initializer=[
            helper.make_tensor("f", TensorProto.FLOAT, f.shape, f.ravel().tolist()),
            helper.make_tensor("i", TensorProto.INT64, i.shape, i.tolist()),
        ],
    )
    blob = helper.make_model(graph).SerializeToString()
    assert not any(t.raw_data for t in onnx.load_from_string(blob).graph.initializer)
    back = pb.read_initializers(blob)
    assert back["f"].dtype == np.float32 and back["f"].shape == (1, 3)
    assert np.array_equal(back["f"], f) and np.array_equal(back["i"], i)
