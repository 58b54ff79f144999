#!/usr/bin/python3
"""Generates the example's TorchScript model, its golden pairs, and the same requests as numpy and CSV files.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 scripts/generate_model.py

A one-input regressor over a row of six house features, standardized with training statistics, with a
de-standardized price: the kind of model SageMaker users call with the SDK's CSVSerializer or NumpySerializer.
requests/ holds each golden request as numpy and CSV write it (np.save in C and Fortran order and big-endian,
np.savez, np.savez_compressed, np.savetxt), plus one in float64, which the float32 contract must refuse.
"""
import json
import pathlib

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent.parent
MODEL_DIR = HERE / "model"
GOLDEN_DIR = HERE / "golden"
REQUESTS_DIR = HERE / "requests"

# Training-time statistics. model/model-contract.yaml states the same numbers.
FEATURES_MEAN = [3.5, 95.0, 32.0, 6.5, 2.5, 0.5]
FEATURES_STD = [1.5, 40.0, 20.0, 4.0, 2.0, 0.5]
PRICE_MEAN = [420.0]
PRICE_STD = [150.0]


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(6, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x: torch.Tensor):
        return self.out(torch.relu(self.hidden(x)))


def f32_list(array):
    """Nested lists of Python floats that are exactly the float32 values."""
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def serve_by_hand(model, features):
    """What the server must do, written out: standardize, run, de-standardize."""
    x = (torch.from_numpy(features) - torch.tensor(FEATURES_MEAN)) / torch.tensor(FEATURES_STD)
    with torch.no_grad():
        y = model(x)
    return (y * torch.tensor(PRICE_STD) + torch.tensor(PRICE_MEAN)).numpy()


def raw_features(rng, rows):
    features = rng.normal(FEATURES_MEAN, FEATURES_STD, size=(rows, 6))
    features[:, 5] = rng.integers(0, 2, size=rows)
    return np.abs(features).astype(np.float32)


def write_case(name, description, model, features, batched):
    price = serve_by_hand(model, features)
    if not batched:
        features, price = features[0], price[0]
    case = {"description": description, "request": {"features": f32_list(features)},
            "response": {"price": f32_list(price)}}
    (GOLDEN_DIR / f"{name}.json").write_text(json.dumps(case) + "\n")
    return features


def write_requests(name, features):
    """The golden request as numpy and CSV files write it; the golden response is the answer to each."""
    np.save(REQUESTS_DIR / f"{name}.npy", features)
    np.save(REQUESTS_DIR / f"{name}-fortran.npy", np.asfortranarray(features))
    np.save(REQUESTS_DIR / f"{name}-big-endian.npy", features.astype(">f4"))
    np.savez(REQUESTS_DIR / f"{name}.npz", features=features)
    np.savez_compressed(REQUESTS_DIR / f"{name}-compressed.npz", features=features)
    if features.ndim == 2:
        # repr-exact floats: np.savetxt's default "%.18e" also round-trips float32
        np.savetxt(REQUESTS_DIR / f"{name}.csv", features, delimiter=",", fmt="%.9g")


def main():
    torch.manual_seed(11)
    scripted = torch.jit.script(Regressor().eval())
    for folder in (MODEL_DIR, GOLDEN_DIR, REQUESTS_DIR):
        folder.mkdir(exist_ok=True)
    scripted.save(str(MODEL_DIR / "model.pt"))

    rng = np.random.default_rng(20261128)
    batched = write_case("batched", "five houses", scripted, raw_features(rng, 5), batched=True)
    write_requests("batched", batched)
    unbatched = write_case("unbatched", "one house, sent without the batch axis", scripted, raw_features(rng, 1),
                           batched=False)
    write_requests("unbatched", unbatched)
    # A dtype the contract does not declare: refused with a 422, never cast.
    np.save(REQUESTS_DIR / "batched-float64.npy", batched.astype(np.float64))


if __name__ == "__main__":
    main()
