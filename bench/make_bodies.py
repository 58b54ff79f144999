#!/usr/bin/env python3
"""Writes the /invocations request bodies that bench/compare.sh sends. Standard library only, fixed seed.

    make_bodies.py OUT_DIR        -> OUT_DIR/b1.json (1 x 20 steps), OUT_DIR/b4.json (4 x 20 steps)

Values are drawn like examples/lstm-two-inputs/golden: each feature normal around the training mean with the
training std (model-contract.yaml), rounded to float32 and printed in full as the golden files are. Both bodies
carry the batch axis: input_1 [B, 20, 4], input_2 [B, 20, 2].
"""
import json
import pathlib
import random
import struct
import sys

INPUT_1 = ([101.5, 99.25, 102.75, 100.0], [12.5, 11.0, 13.25, 12.0])
INPUT_2 = ([15000.0, 0.5], [4000.0, 0.25])
STEPS = 20


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def sequences(rng, batch, mean_std):
    mean, std = mean_std
    return [[[f32(rng.gauss(m, s)) for m, s in zip(mean, std)] for _ in range(STEPS)] for _ in range(batch)]


def main(out_dir):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261128)
    for batch in (1, 4):
        body = {"input_1": sequences(rng, batch, INPUT_1), "input_2": sequences(rng, batch, INPUT_2)}
        path = out / f"b{batch}.json"
        path.write_text(json.dumps(body))
        print(f"  {path.name}: {batch} x {STEPS} steps, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
