"""desktop.ml.runtime against the real shipped model: manifest, checksums, sessions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from desktop.ml import runtime
from desktop.ml.runtime import (
    Manifest,
    ModelError,
    ModelFileCorrupt,
    ModelMissing,
    add_model_entry,
    get_session,
    load_manifest,
    session_for_file,
    session_from_bytes,
)

SHIPPED = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture(autouse=True)
def _fresh_sessions():
    runtime.unload_all()
    yield
    runtime.unload_all()


@pytest.fixture
def models_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of models/ that CURIO_MODELS_DIR points at."""
    dst = tmp_path / "models"
    dst.mkdir()
    spec = load_manifest(SHIPPED).default_embedder()
    shutil.copy(SHIPPED / "manifest.json", dst / "manifest.json")
    shutil.copy(spec.path, dst / spec.file)
    (dst / spec.tokenizer).parent.mkdir(parents=True)
    shutil.copy(spec.tokenizer_path, dst / spec.tokenizer)
    monkeypatch.setenv("CURIO_MODELS_DIR", str(dst))
    return dst


def test_manifest_describes_the_shipped_embedder() -> None:
    manifest = load_manifest(SHIPPED)
    spec = manifest.default_embedder()
    assert spec.task == "embedding" and spec.dimensions == 384 and spec.max_tokens == 256
    assert spec.model_id == f"{spec.name}@{spec.version}"
    assert spec.path.is_file() and spec.tokenizer_path.is_file()
    assert runtime.sha256_file(spec.path) == spec.sha256
    assert runtime.sha256_file(spec.tokenizer_path) == spec.tokenizer_sha256
    assert spec.prefix("query") == "" and spec.prefix("passage") == ""


def test_session_is_shared_and_runs() -> None:
    manifest = load_manifest(SHIPPED)
    name = manifest.default_embedder().name
    s1 = get_session(name, manifest)
    assert get_session(name, manifest) is s1
    assert [o.name for o in s1.get_outputs()] == ["embedding"]
    ids = np.array([[101, 7592, 2088, 102]], dtype=np.int64)
    out = s1.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                        "token_type_ids": np.zeros_like(ids)})[0]  # fmt: skip
    assert out.shape == (1, 384)
    assert abs(float(np.linalg.norm(out)) - 1.0) < 1e-5
    assert s1.get_providers() == ["CPUExecutionProvider"]


def test_threads_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURIO_THREADS", "3")
    assert runtime.get_threads() == 3
    runtime.set_threads(1)
    try:
        assert runtime.get_threads() == 1
        assert runtime.session_options().intra_op_num_threads == 1
        assert runtime.session_options().inter_op_num_threads == 1
    finally:
        runtime.set_threads(None)
    with pytest.raises(ValueError):
        runtime.set_threads(0)


def test_corrupt_model_is_refused_with_its_name(models_copy: Path) -> None:
    spec = load_manifest(models_copy).default_embedder()
    data = bytearray(spec.path.read_bytes())
    for pos in (1000, len(data) // 2, len(data) - 10):
        data[pos] ^= 0xFF
    spec.path.write_bytes(bytes(data))
    with pytest.raises(ModelFileCorrupt) as err:
        get_session(spec.name)  # manifest read from CURIO_MODELS_DIR
    assert f"models/{spec.file} does not match its checksum" in str(err.value)
    assert isinstance(err.value, ModelError) and err.value.path == spec.path


def test_corrupt_tokenizer_is_refused(models_copy: Path) -> None:
    from desktop.ml.embed import Embedder

    spec = load_manifest(models_copy).default_embedder()
    with open(spec.tokenizer_path, "a", encoding="utf-8") as fh:
        fh.write(" ")
    with pytest.raises(ModelFileCorrupt, match="tokenizer.json does not match its checksum"):
        Embedder(spec)


def test_missing_file_and_unknown_name(models_copy: Path) -> None:
    spec = load_manifest(models_copy).default_embedder()
    spec.path.unlink()
    with pytest.raises(ModelMissing, match=spec.file):
        get_session(spec.name)
    with pytest.raises(ModelMissing, match="no-such-model"):
        get_session("no-such-model")


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing):
        load_manifest(tmp_path)


def test_several_entries_default_and_registration(models_copy: Path) -> None:
    shipped = load_manifest(models_copy)
    original = shipped.default_embedder()
    embedders_before = [s.name for s in shipped.by_task("embedding")]
    entries_before = len(shipped.models)
    second = original.to_dict() | {"name": "other-embedder", "prefixes": {"query": "query: ",
                                                                          "passage": "passage: "}}
    add_model_entry(second, models_copy)
    head = models_copy / "heads" / "tiny.onnx"
    head.parent.mkdir()
    head.write_bytes(b"not really onnx")
    spec = add_model_entry({"name": "tags-head", "version": "3", "task": "classifier",
                            "file": "heads/tiny.onnx", "labels": ["a", "b"]}, models_copy)
    assert spec.sha256 == runtime.sha256_file(head)  # computed on registration
    manifest = load_manifest(models_copy)
    assert manifest.default_embedder().name == original.name  # the default still wins
    assert [s.name for s in manifest.by_task("embedding")] == [*embedders_before, "other-embedder"]
    assert manifest.get("other-embedder").prefix("query") == "query: "
    assert manifest.get("tags-head").extra == {"labels": ["a", "b"]}  # unknown keys kept
    add_model_entry(second | {"version": "2"}, models_copy, make_default=True)
    manifest = load_manifest(models_copy)
    assert manifest.default == "other-embedder" and len(manifest.models) == entries_before + 2
    assert manifest.get("other-embedder").model_id == "other-embedder@2"
    raw = json.loads((models_copy / "manifest.json").read_text())
    assert raw["default"] == "other-embedder" and not (models_copy / "manifest.json.part").exists()


def test_bad_manifest_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ModelError):
        load_manifest(tmp_path)
    with pytest.raises(ModelError):
        Manifest.from_dict({"models": [{"name": "x"}]}, tmp_path)


def _tiny_onnx() -> bytes:
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 2])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "tiny", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def test_small_heads_run_through_the_same_runtime(tmp_path: Path) -> None:
    blob = _tiny_onnx()
    x = np.array([[-1.0, 2.0]], dtype=np.float32)
    assert session_from_bytes(blob).run(None, {"x": x})[0].tolist() == [[0.0, 2.0]]
    path = tmp_path / "head.onnx"
    path.write_bytes(blob)
    good = runtime.sha256_file(path)
    s = session_for_file(path, good)
    assert session_for_file(path, good) is s
    with pytest.raises(ModelFileCorrupt):
        session_for_file(path, "0" * 64)
    with pytest.raises(ModelMissing):
        session_for_file(tmp_path / "absent.onnx")
    with pytest.raises(ModelFileCorrupt):
        session_from_bytes(b"garbage")
