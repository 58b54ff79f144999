"""The hand-written SageMaker handler that Model Contract replaces: the reference peer for bench/compare.sh.

What a team writes by hand for examples/lstm-two-inputs (the seed style): Flask, served by gunicorn, with the
training statistics copied from model/model-contract.yaml into constants. It speaks SageMaker's two routes:

    GET  /ping          -> 200
    POST /invocations   {"input_1": [batch][T][4], "input_2": [batch][T][2]}  (or unbatched [T][F])
                        -> {"output_1": [batch][1], "output_2": [batch][3]}   (unbatched: batch axis dropped)

json -> numpy -> standardize -> concatenate on the feature axis -> TorchScript -> de-standardize -> json.
Only shape checks a hand-written handler typically has; no contract enforcement.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy python3-flask gunicorn):

    /usr/bin/python3 -m gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/python-handler app:app

MODEL_DIR (environment) overrides the model directory (default: examples/lstm-two-inputs/model).
"""
import json
import os
import pathlib

import numpy as np
import torch
from flask import Flask, Response, request

torch.set_num_threads(1)  # one intra-op thread per worker; gunicorn -w 2 gives one worker per core

HERE = pathlib.Path(__file__).resolve().parent
MODEL_DIR = pathlib.Path(os.environ.get("MODEL_DIR", HERE.parent.parent / "examples" / "lstm-two-inputs" / "model"))

# Copied by hand from model-contract.yaml (the golden check in bench/check.py catches drift).
INPUT_1_MEAN = np.array([101.5, 99.25, 102.75, 100.0], dtype=np.float32)  # open, low, high, close
INPUT_1_STD = np.array([12.5, 11.0, 13.25, 12.0], dtype=np.float32)
INPUT_2_MEAN = np.array([15000.0, 0.5], dtype=np.float32)                  # volume, spread
INPUT_2_STD = np.array([4000.0, 0.25], dtype=np.float32)
OUTPUT_1_MEAN = np.array([100.0], dtype=np.float32)                        # next close
OUTPUT_1_STD = np.array([10.0], dtype=np.float32)

model = torch.jit.load(str(MODEL_DIR / "model.pt"))
model.eval()

app = Flask(__name__)


def bad_request(message):
    return Response(json.dumps({"error": message}), status=400, mimetype="application/json")


@app.route("/ping", methods=["GET"])
def ping():
    return Response("", status=200)


@app.route("/invocations", methods=["POST"])
def invocations():
    try:
        payload = json.loads(request.get_data())
        input_1 = np.asarray(payload["input_1"], dtype=np.float32)
        input_2 = np.asarray(payload["input_2"], dtype=np.float32)
    except (ValueError, KeyError, TypeError) as e:
        return bad_request(f"cannot read request: {e}")

    unbatched = input_1.ndim == 2
    if unbatched:
        input_1, input_2 = input_1[np.newaxis], input_2[np.newaxis]
    if input_1.ndim != 3 or input_1.shape[2] != 4 or input_2.shape != input_1.shape[:2] + (2,):
        return bad_request(f"expected input_1 [batch,T,4] and input_2 [batch,T,2], "
                           f"got {list(input_1.shape)} and {list(input_2.shape)}")

    x = np.concatenate([(input_1 - INPUT_1_MEAN) / INPUT_1_STD,
                        (input_2 - INPUT_2_MEAN) / INPUT_2_STD], axis=-1)
    with torch.no_grad():
        regression, logits = model(torch.from_numpy(x))
    output_1 = regression.numpy() * OUTPUT_1_STD + OUTPUT_1_MEAN
    output_2 = logits.numpy()
    if unbatched:
        output_1, output_2 = output_1[0], output_2[0]

    body = {"output_1": output_1.astype(np.float64).tolist(), "output_2": output_2.astype(np.float64).tolist()}
    return Response(json.dumps(body), status=200, mimetype="application/json")
