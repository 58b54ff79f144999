#!/usr/bin/python3
"""Writes each golden request as numpy writes it, for the image's numpy request formats (docs/calling.md).

Run with Debian's interpreter after generate_model.py (apt-get install python3-numpy):
    /usr/bin/python3 scripts/generate_requests.py

requests/NAME.npz (np.savez) holds one float32 array per input name; the golden response of NAME is its answer.
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
        np.savez(REQUESTS_DIR / f"{golden.stem}.npz",
                 **{name: np.asarray(values, dtype=np.float32) for name, values in request.items()})


if __name__ == "__main__":
    main()
