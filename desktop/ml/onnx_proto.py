"""The few ONNX protobuf messages Curio's heads need, encoded and decoded by hand.

The heads are tiny graphs (a handful of nodes and float32/int64 initializers); building them
with the `onnx` package put onnx, google.protobuf and ml_dtypes (~10 MB) in the packaged
binary, and they are slow to import. Field numbers follow onnx.proto
(proto2, package onnx); fields are written in field-number order, as protobuf itself does, so
the bytes match what `onnx.helper` produces for the same graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = [
    "FLOAT",
    "INT64",
    "tensor",
    "node",
    "value_info",
    "graph",
    "model",
    "read_initializers",
]

# TensorProto.DataType: the two element types the heads use.
FLOAT = 1
INT64 = 7
_DTYPES: dict[int, np.dtype] = {FLOAT: np.dtype("<f4"), INT64: np.dtype("<i8")}

# AttributeProto.AttributeType
_ATTR_INT = 2
_ATTR_INTS = 7

# Protobuf wire types
_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


# ---------------------------------------------------------------- encoding


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # int64: negatives are ten-byte two's complement
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _int(field: int, value: int) -> bytes:
    return _varint(field << 3 | _VARINT) + _varint(value)


def _len(field: int, data: bytes) -> bytes:
    return _varint(field << 3 | _LEN) + _varint(len(data)) + data


def _str(field: int, text: str) -> bytes:
    return _len(field, text.encode("utf-8"))


def tensor(name: str, array: np.ndarray) -> bytes:
    """TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian)."""
    a = np.asarray(array)
    if a.dtype.kind not in "fiu":
        raise TypeError(f"initializer {name!r}: no ONNX encoding here for dtype {a.dtype}")
    kind = FLOAT if a.dtype.kind == "f" else INT64
    a = np.asarray(a, dtype=_DTYPES[kind])  # tobytes() below is C order, little-endian
    dims = b"".join(_int(1, d) for d in a.shape)  # proto2 repeated int64: not packed
    return dims + _int(2, kind) + _str(8, name) + _len(9, a.tobytes())


def _attribute(name: str, value: int | Sequence[int]) -> bytes:
    """AttributeProto: name=1, i=3, ints=8, type=20 (only the int attributes the heads use)."""
    if isinstance(value, int):
        return _str(1, name) + _int(3, value) + _int(20, _ATTR_INT)
    return _str(1, name) + b"".join(_int(8, v) for v in value) + _int(20, _ATTR_INTS)


def node(op_type: str, inputs: Sequence[str], outputs: Sequence[str], **attrs: int | Sequence[int]) -> bytes:
    """NodeProto: input=1, output=2, op_type=4, attribute=5 (sorted by name, like onnx.helper)."""
    return (
        b"".join(_str(1, s) for s in inputs)
        + b"".join(_str(2, s) for s in outputs)
        + _str(4, op_type)
        + b"".join(_len(5, _attribute(k, v)) for k, v in sorted(attrs.items()))
    )


def value_info(name: str, elem_type: int, shape: Sequence[int | str]) -> bytes:
    """ValueInfoProto name=1, type=2 -> TypeProto.tensor_type=1 -> elem_type=1, shape=2;
    each TensorShapeProto.dim=1 is dim_value=1 (a size) or dim_param=2 (a symbolic name)."""
    dims = b"".join(
        _len(1, _str(2, d) if isinstance(d, str) else _int(1, d)) for d in shape
    )
    tensor_type = _int(1, elem_type) + _len(2, dims)
    return _str(1, name) + _len(2, _len(1, tensor_type))


def graph(
    nodes: Sequence[bytes],
    name: str,
    inputs: Sequence[bytes],
    outputs: Sequence[bytes],
    initializers: Sequence[bytes],
) -> bytes:
    """GraphProto: node=1, name=2, initializer=5, input=11, output=12."""
    return (
        b"".join(_len(1, n) for n in nodes)
        + _str(2, name)
        + b"".join(_len(5, t) for t in initializers)
        + b"".join(_len(11, v) for v in inputs)
        + b"".join(_len(12, v) for v in outputs)
    )


def model(graph_bytes: bytes, opset: int, ir_version: int, producer_name: str) -> bytes:
    """ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8 (domain=1 "", version=2)."""
    opset_id = _str(1, "") + _int(2, opset)
    return (
        _int(1, ir_version)
        + _str(2, producer_name)
        + _len(7, graph_bytes)
        + _len(8, opset_id)
    )


# ---------------------------------------------------------------- decoding


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while shift < 70:
        if pos >= len(buf):
            raise ValueError("truncated protobuf varint")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise ValueError("protobuf varint too long")


def _fields(buf: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) for each field: varints as int, every other wire type as bytes."""
    pos = 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, pos = _read_varint(buf, pos)
            yield field, value
            continue
        if wire == _LEN:
            size, pos = _read_varint(buf, pos)
        elif wire in (_I64, _I32):
            size = 8 if wire == _I64 else 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if pos + size > len(buf):
            raise ValueError("truncated protobuf field")
        yield field, buf[pos : pos + size]
        pos += size


def _int64s(value: int | bytes) -> list[int]:
    """A repeated int64 field's values: one varint, or a packed run of them (parsers must
    accept both encodings)."""
    if isinstance(value, int):
        raw = [value]
    else:
        raw, pos = [], 0
        while pos < len(value):
            v, pos = _read_varint(value, pos)
            raw.append(v)
    return [v - (1 << 64) if v >= 1 << 63 else v for v in raw]


def _decode_tensor(buf: bytes) -> tuple[str, np.ndarray]:
    """A float32 or int64 TensorProto, its values in raw_data=9 or float_data=4 / int64_data=7."""
    dims: list[int] = []
    kind, name = 0, ""
    raw: bytes | None = None
    floats = b""  # float_data is packed fixed32 (or one fixed32 per field): bytes either way
    ints: list[int] = []
    for field, value in _fields(buf):
        if field == 1:
            dims += _int64s(value)
        elif field == 2 and isinstance(value, int):
            kind = value
        elif field == 8 and isinstance(value, bytes):
            name = value.decode("utf-8")
        elif field == 9 and isinstance(value, bytes):
            raw = value
        elif field == 4 and isinstance(value, bytes):
            floats += value
        elif field == 7:
            ints += _int64s(value)
        elif field == 14 and value == 1:
            raise ValueError(f"initializer {name!r}: external data is not supported")
    if kind not in _DTYPES:
        raise ValueError(f"initializer {name!r}: unsupported data type {kind}")
    dtype = _DTYPES[kind]
    if raw is not None:
        flat = np.frombuffer(raw, dtype=dtype)
    elif kind == FLOAT:
        flat = np.frombuffer(floats, dtype=dtype)
    else:
        flat = np.array(ints, dtype=dtype)
    # native byte order, writable, and a clear error when the size does not match dims
    return name, flat.astype(dtype.newbyteorder("="), copy=True).reshape(tuple(dims))


def _messages(buf: bytes, number: int) -> Iterator[bytes]:
    for field, value in _fields(buf):
        if field == number and isinstance(value, bytes):
            yield value


def read_initializers(data: bytes) -> dict[str, np.ndarray]:
    """A serialized model's initializers by name (ModelProto.graph=7, GraphProto.initializer=5)."""
    return dict(
        _decode_tensor(t) for g in _messages(data, 7) for t in _messages(g, 5)
    )
