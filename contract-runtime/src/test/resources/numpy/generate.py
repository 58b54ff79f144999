#!/usr/bin/python3
"""Writes .npy files of every dtype numpy has, as np.save writes them, for NpyTest.

Run with Debian's interpreter (apt-get install python3-numpy):
    /usr/bin/python3 contract-runtime/src/test/resources/numpy/generate.py

expected.json names each file's dtype as numpy prints it and, for the dtypes a contract can declare, its values
in row-major order (as JSON numbers or booleans) and its shape.
"""
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent

# Values a contract can declare (numpy's dtype name is the contract's): read exactly.
READABLE = {
    "bool": np.array([[True, False, True], [False, False, True]]),
    "int8": np.array([-128, -1, 0, 127], dtype=np.int8),
    "uint8": np.array([0, 1, 200, 255], dtype=np.uint8),
    "int32": np.arange(-6, 6, dtype=np.int32).reshape(2, 3, 2),
    "int64": np.array([-2**63, -1, 0, 2**63 - 1], dtype=np.int64),
    "float16": np.array([0.0, -0.0, 1.5, 65504.0, 6.1e-05, 5.96e-08, -2.0], dtype=np.float16),
    "float32": np.array([[1.5, -2.25, 3.4028235e38], [1e-45, 0.1, -0.0]], dtype=np.float32),
    "float64": np.array([0.1, -1e308, 5e-324, 2.0 / 3.0]),
}

# Every other kind of dtype: named and refused, never cast.
OTHERS = {
    "int16": np.array([1, 2], dtype=np.int16),
    "uint16": np.array([1, 2], dtype=np.uint16),
    "uint32": np.array([1, 2], dtype=np.uint32),
    "uint64": np.array([1, 2], dtype=np.uint64),
    "longdouble": np.array([1.5], dtype=np.longdouble),
    "complex64": np.array([1 + 2j], dtype=np.complex64),
    "complex128": np.array([1 + 2j]),
    "str": np.array(["up", "down"]),
    "bytes": np.array([b"up", b"down"]),
    "object": np.array([{"a": 1}, None], dtype=object),
    "datetime64": np.array(["2026-11-28"], dtype="datetime64[D]"),
    "timedelta64": np.array([5], dtype="timedelta64[ms]"),
    "structured": np.array([(1, 2.0)], dtype=[("a", "<i4"), ("b", "<f8")]),
}


def main():
    expected = {}
    for name, array in READABLE.items():
        np.save(HERE / f"{name}.npy", array)
        expected[f"{name}.npy"] = {"dtype": name, "shape": list(array.shape),
                                   "values": array.ravel().astype(object if name == "bool" else np.float64).tolist()}
    # The same values as numpy also writes them: Fortran order, big-endian, format version 2.0, a 0-d array.
    variants = {
        "int32-fortran.npy": np.asfortranarray(READABLE["int32"]),
        "float32-big-endian.npy": READABLE["float32"].astype(">f4"),
        "float64-fortran-big-endian.npy": np.asfortranarray(np.arange(6.0).reshape(2, 3)).astype(">f8"),
        "float32-scalar.npy": np.array(2.5, dtype=np.float32),
    }
    for file, array in variants.items():
        np.save(HERE / file, array)
        expected[file] = {"dtype": array.dtype.newbyteorder("=").name, "shape": list(array.shape),
                          "values": np.ascontiguousarray(array).ravel().astype(np.float64).tolist()}
    with open(HERE / "float32-version-2.npy", "wb") as out:
        np.lib.format.write_array(out, READABLE["float32"], version=(2, 0))
    expected["float32-version-2.npy"] = expected["float32.npy"]
    for name, array in OTHERS.items():
        np.save(HERE / f"{name}.npy", array, allow_pickle=True)
        expected[f"{name}.npy"] = {"dtype": name}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
