"""ONNX Runtime sessions for Curio's models: manifest, checksums, lazy shared sessions.

No Qt here. Everything the app runs on the CPU goes through this module:

- `Manifest` / `ModelSpec` describe the shipped models (``models/manifest.json``). Models are
  data: adding an embedder or a classifier is a manifest entry, not a code change
  (`add_model_entry`).
- `get_session(name)` loads a model once per process, lazily, under a lock, after checking
  its sha256 (streamed, so a corrupt or truncated file is caught before ONNX Runtime sees
  it). Sessions are shared; `InferenceSession.run` is safe to call from several threads.
- `session_for_file` / `session_from_bytes` run small ONNX files written at run time (heads
  learned from the user's own tags) with the same options.

Thread count: `set_threads(n)`, else the environment variable ``CURIO_THREADS``, else
``min(4, os.cpu_count())``. More intra-op threads than physical cores only adds contention.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import onnxruntime as ort

from desktop import paths

__all__ = [
    "MANIFEST_NAME",
    "Manifest",
    "ManifestError",
    "ModelError",
    "ModelFileCorrupt",
    "ModelMissing",
    "ModelSpec",
    "add_model_entry",
    "get_session",
    "get_threads",
    "iter_specs",
    "loaded_sessions",
    "load_manifest",
    "session_for_file",
    "session_for_spec",
    "session_from_bytes",
    "session_options",
    "set_threads",
    "sha256_file",
    "unload_all",
    "verify_cached",
    "verify_file",
]

MANIFEST_NAME = "manifest.json"
_PROVIDERS = ["CPUExecutionProvider"]  # the app is CPU-only on every platform
_HASH_CHUNK = 1 << 20


# --------------------------------------------------------------------------- errors


class ModelError(Exception):
    """Base class of every model problem the UI can show to the user."""


class ModelMissing(ModelError):
    """A model (or its manifest entry, or its tokenizer) is not where the manifest says."""


class ModelFileCorrupt(ModelError):
    """A model file's sha256 differs from the manifest's: damaged install or tampering."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class ManifestError(ModelError):
    """The manifest exists but cannot be read or is malformed."""


# --------------------------------------------------------------------------- manifest

_KNOWN_KEYS = (
    "name", "version", "task", "file", "sha256", "tokenizer", "tokenizer_sha256",
    "dimensions", "max_tokens", "pooling", "normalized", "prefixes", "license", "source",
    "quantization",
)  # fmt: skip


@dataclass(frozen=True)
class ModelSpec:
    """One manifest entry. Paths are relative to `base_dir` (the models folder)."""

    name: str
    version: str
    task: str
    file: str
    base_dir: Path
    sha256: str | None = None
    tokenizer: str | None = None
    tokenizer_sha256: str | None = None
    dimensions: int | None = None
    max_tokens: int | None = None
    pooling: str | None = None
    normalized: bool = False
    prefixes: Mapping[str, str] = field(default_factory=dict)
    license: str | None = None
    source: Mapping[str, Any] = field(default_factory=dict)
    quantization: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # keys this code does not know

    @property
    def model_id(self) -> str:
        """Stored with every derived value, so a model upgrade finds what is stale."""
        return f"{self.name}@{self.version}"

    @property
    def path(self) -> Path:
        return self.base_dir / self.file

    @property
    def tokenizer_path(self) -> Path | None:
        return self.base_dir / self.tokenizer if self.tokenizer else None

    def display_path(self, relative: str | None = None) -> str:
        """A short path for messages, e.g. ``models/minilm-l6-v2-int8.onnx``."""
        return f"{self.base_dir.name}/{relative or self.file}"

    def prefix(self, kind: str) -> str:
        """Text prepended before tokenising (e5 wants "query: " / "passage: ")."""
        return str(self.prefixes.get(kind, ""))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base_dir: Path) -> ModelSpec:
        missing = [k for k in ("name", "version", "task", "file") if not data.get(k)]
        if missing:
            raise ManifestError(f"manifest entry {data.get('name', '?')!r} lacks {missing}")
        return cls(
            name=str(data["name"]),
            version=str(data["version"]),
            task=str(data["task"]),
            file=str(data["file"]),
            base_dir=base_dir,
            sha256=data.get("sha256"),
            tokenizer=data.get("tokenizer"),
            tokenizer_sha256=data.get("tokenizer_sha256"),
            dimensions=int(data["dimensions"]) if data.get("dimensions") is not None else None,
            max_tokens=int(data["max_tokens"]) if data.get("max_tokens") is not None else None,
            pooling=data.get("pooling"),
            normalized=bool(data.get("normalized", False)),
            prefixes=dict(data.get("prefixes") or {}),
            license=data.get("license"),
            source=dict(data.get("source") or {}),
            quantization=data.get("quantization"),
            extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "task": self.task,
            "file": self.file,
            "tokenizer": self.tokenizer,
            "sha256": self.sha256,
            "tokenizer_sha256": self.tokenizer_sha256,
            "dimensions": self.dimensions,
            "max_tokens": self.max_tokens,
            "pooling": self.pooling,
            "normalized": self.normalized,
            "prefixes": dict(self.prefixes),
            "license": self.license,
            "source": dict(self.source),
            "quantization": self.quantization,
        }
        out = {k: v for k, v in out.items() if v is not None and v != {}} | dict(self.extra)
        if self.task == "embedding":
            out.setdefault("prefixes", {})
        return out


@dataclass(frozen=True)
class Manifest:
    """The models a Curio install ships (and any registered later), by name."""

    base_dir: Path
    models: Mapping[str, ModelSpec]
    default: str | None = None  # the default embedder's name

    @classmethod
    def load(cls, models_dir: Path | str | None = None) -> Manifest:
        base = Path(models_dir) if models_dir is not None else paths.models_dir()
        path = base / MANIFEST_NAME
        if not path.is_file():
            raise ModelMissing(f"{base.name}/{MANIFEST_NAME} is missing: no models installed")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ManifestError(f"{base.name}/{MANIFEST_NAME} cannot be read: {exc}") from exc
        return cls.from_dict(data, base)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base_dir: Path) -> Manifest:
        if not isinstance(data, Mapping) or not isinstance(data.get("models", []), list):
            raise ManifestError("manifest must be an object with a 'models' list")
        models: dict[str, ModelSpec] = {}
        for entry in data.get("models", []):
            spec = ModelSpec.from_dict(entry, base_dir)
            if spec.name in models:
                raise ManifestError(f"manifest lists {spec.name!r} twice")
            models[spec.name] = spec
        default = data.get("default")
        if default is not None and default not in models:
            raise ManifestError(f"manifest default {default!r} is not one of its models")
        return cls(base_dir=base_dir, models=models, default=default)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.default:
            out["default"] = self.default
        out["models"] = [spec.to_dict() for spec in self.models.values()]
        return out

    def get(self, name: str) -> ModelSpec:
        try:
            return self.models[name]
        except KeyError:
            raise ModelMissing(f"no model named {name!r} in {self.base_dir.name}/"
                               f"{MANIFEST_NAME}") from None  # fmt: skip

    def by_task(self, task: str) -> list[ModelSpec]:
        return [spec for spec in self.models.values() if spec.task == task]

    def default_embedder(self) -> ModelSpec:
        """The top-level `default`, else the first embedding entry."""
        if self.default:
            return self.get(self.default)
        embedders = self.by_task("embedding")
        if not embedders:
            raise ModelMissing(f"{self.base_dir.name}/{MANIFEST_NAME} lists no embedder")
        return embedders[0]


def load_manifest(models_dir: Path | str | None = None) -> Manifest:
    """The manifest of `models_dir` (default: `desktop.paths.models_dir()`), read afresh."""
    return Manifest.load(models_dir)


_manifest_write_lock = threading.Lock()


def add_model_entry(
    entry: Mapping[str, Any],
    models_dir: Path | str | None = None,
    *,
    make_default: bool = False,
) -> ModelSpec:
    """Add or replace (by name) one manifest entry and rewrite the manifest atomically.

    `entry` uses the manifest's keys (name, version, task, file, ...). When it has no
    ``sha256`` and the file exists, the checksum is computed here, so callers registering a
    freshly written file need not hash it themselves.
    """
    base = Path(models_dir) if models_dir is not None else paths.models_dir()
    with _manifest_write_lock:
        path = base / MANIFEST_NAME
        data: dict[str, Any] = {"models": []}
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
        entry = dict(entry)
        target = base / str(entry.get("file", ""))
        if not entry.get("sha256") and entry.get("file") and target.is_file():
            entry["sha256"] = sha256_file(target)
        if entry.get("tokenizer") and not entry.get("tokenizer_sha256"):
            tok = base / str(entry["tokenizer"])
            if tok.is_file():
                entry["tokenizer_sha256"] = sha256_file(tok)
        spec = ModelSpec.from_dict(entry, base)  # validates before anything is written
        models = [m for m in data.get("models", []) if m.get("name") != spec.name]
        models.append(spec.to_dict())
        data["models"] = models
        if make_default:
            data["default"] = spec.name
        Manifest.from_dict(data, base)  # the result must load
        ordered = {"default": data["default"]} if data.get("default") else {}
        ordered |= {k: v for k, v in data.items() if k != "default"}
        _write_atomic(path, (json.dumps(ordered, indent=2, ensure_ascii=False) + "\n").encode())
    _drop_sessions_for(spec.path)
    return spec


def _write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)


# --------------------------------------------------------------------------- checksums


def sha256_file(path: Path | str) -> str:
    """Hex sha256 of a file, streamed in 1 MiB chunks (models can be hundreds of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: Path | str, expected_sha256: str | None, display: str | None = None) -> None:
    """Raise `ModelMissing` / `ModelFileCorrupt` unless `path` exists and matches."""
    path = Path(path)
    shown = display or str(path)
    if not path.is_file():
        raise ModelMissing(f"{shown} is missing")
    if expected_sha256 and sha256_file(path) != expected_sha256.lower():
        raise ModelFileCorrupt(f"{shown} does not match its checksum", path)


# --------------------------------------------------------------------------- threads

_settings_lock = threading.Lock()
_threads: int | None = None


def get_threads() -> int:
    """Intra-op threads for new sessions: `set_threads`, CURIO_THREADS, or min(4, cpus)."""
    with _settings_lock:
        if _threads:
            return _threads
    env = os.environ.get("CURIO_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, os.cpu_count() or 1))


def set_threads(n: int | None) -> None:
    """Set intra-op threads (None: back to the default). Cached sessions are dropped so the
    next `get_session` uses the new value; sessions already handed out keep working."""
    global _threads
    if n is not None and n < 1:
        raise ValueError("threads must be >= 1")
    with _settings_lock:
        changed = n != _threads
        _threads = n
    if changed:
        unload_all()


def session_options() -> ort.SessionOptions:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = get_threads()
    opts.inter_op_num_threads = 1  # the graphs are sequential; a second pool only contends
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3  # warnings about unused initialisers are noise for users
    # Idle pool threads otherwise spin for a while after each run, holding the cores that
    # the next step (the vector scan after a query embedding, SQLite, the UI) needs. On two
    # shared cores spinning doubled a search's latency and even slowed batch embedding.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return opts


# --------------------------------------------------------------------------- sessions

_sessions_lock = threading.Lock()
_sessions: dict[tuple[Any, ...], ort.InferenceSession] = {}
_verified: set[tuple[Any, ...]] = set()  # (path, size, mtime_ns, sha) already checked


def _file_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def _new_session(source: str | bytes) -> ort.InferenceSession:
    try:
        return ort.InferenceSession(source, sess_options=session_options(), providers=_PROVIDERS)
    except Exception as exc:  # onnxruntime raises its own untyped Fail/InvalidGraph errors
        what = "model bytes" if isinstance(source, bytes) else source
        raise ModelFileCorrupt(f"{what} cannot be loaded by ONNX Runtime: {exc}") from exc


def get_session(name: str, manifest: Manifest | None = None) -> ort.InferenceSession:
    """The shared session of manifest model `name`, loaded and checksum-verified once."""
    manifest = manifest or load_manifest()
    return session_for_spec(manifest.get(name))


def session_for_spec(spec: ModelSpec) -> ort.InferenceSession:
    """The shared session of a manifest entry already in hand."""
    return _cached_session(spec.path, spec.sha256, spec.display_path())


def session_for_file(
    path: Path | str, expected_sha256: str | None = None
) -> ort.InferenceSession:
    """A shared session for any ONNX file (e.g. a learned head under the user's data dir).

    Cached by path, size and mtime, so rewriting the file yields a fresh session.
    """
    path = Path(path)
    return _cached_session(path, expected_sha256, str(path))


def session_from_bytes(model_bytes: bytes) -> ort.InferenceSession:
    """An uncached session from serialized ONNX (tiny heads kept in the database)."""
    return _new_session(bytes(model_bytes))


def _cached_session(path: Path, sha: str | None, display: str) -> ort.InferenceSession:
    if not path.is_file():
        raise ModelMissing(f"{display} is missing")
    key = (*_file_key(path), (sha or "").lower())
    with _sessions_lock:
        session = _sessions.get(key)
        if session is not None:
            return session
        # Hashing and loading under the lock: two threads asking at once load once.
        if key not in _verified:
            verify_file(path, sha, display)
            _verified.add(key)
        session = _new_session(str(path))
        _sessions[key] = session
        return session


def verify_cached(path: Path, sha: str | None, display: str) -> None:
    """`verify_file` once per process per (file, size, mtime, sha): tokenizers use this."""
    if not path.is_file():
        raise ModelMissing(f"{display} is missing")
    key = (*_file_key(path), (sha or "").lower())
    with _sessions_lock:
        if key in _verified:
            return
    verify_file(path, sha, display)
    with _sessions_lock:
        _verified.add(key)


def _drop_sessions_for(path: Path) -> None:
    """Release sessions of a file whose entry was replaced (older versions of it)."""
    target = str(path.resolve())
    with _sessions_lock:
        for key in [k for k in _sessions if k[0] == target]:
            del _sessions[key]


def loaded_sessions() -> int:
    """How many sessions are cached (for diagnostics and tests)."""
    with _sessions_lock:
        return len(_sessions)


def unload_all() -> None:
    """Forget every cached session and checksum verdict (tests, settings changes)."""
    with _sessions_lock:
        _sessions.clear()
        _verified.clear()


def iter_specs(task: str | None = None, models_dir: Path | str | None = None) -> Iterable[ModelSpec]:
    """Manifest entries, optionally of one task (e.g. "classifier")."""
    manifest = load_manifest(models_dir)
    return manifest.by_task(task) if task else list(manifest.models.values())
