#!/usr/bin/python3
"""Writes each golden request as numpy writes it, for the image's numpy request formats (docs/calling.md).

Run with Debian's interpreter after generate_model.py (apt-get install python3-numpy):
    /usr/bin/python3 scripts/generate_requests.py

requests/NAME.npz (np.savez) and requests/NAME-compressed.npz (np.savez_compressed) hold one float32 array per
input name; the golden response of NAME is the answer to both. requests/batched-fortran.npz holds the same arrays
in Fortran order and big-endian, and requests/batched-int64.npz an input of the wrong dtype (refused, never cast).
"""
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent.parent
GOLDEN_DIR = HERE / "golden"
REQUESTS_DIR = HERE / "requests"


def main():
    REQUESTS_DIR.mkdir(exist_ok=True)
    for golden in sorted(GOLDEN_DIR.glob("*.json")):
        request = json.loads(golden.read_text())["request"]
        arrays = {name: np.asarray(values, dtype=np.float32) for name, values in request.items()}
        np.savez(REQUESTS_DIR / f"{golden.stem}.npz", **arrays)
        np.savez_compressed(REQUESTS_DIR / f"{golden.stem}-compressed.npz", **arrays)
        if golden.stem == "batched":
            np.savez(REQUESTS_DIR / "batched-fortran.npz",
                     **{name: np.asfortranarray(array).astype(">f4") for name, array in arrays.items()})
            np.savez(REQUESTS_DIR / "batched-int64.npz", input_1=arrays["input_1"],
                     input_2=arrays["input_2"].astype(np.int64))


if __name__ == "__main__":
    main()
