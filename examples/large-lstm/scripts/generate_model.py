#!/usr/bin/python3
"""Generates the example's TorchScript model and its golden request/response pairs.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 scripts/generate_model.py

A model of the size that matters in the benchmarks: two stacked LSTM layers of 256 units over sequences of 50 to
200 steps, with a linear head on the last step (0.8 M parameters, a 3 MB file). Its weights are seeded, not trained:
what the example shows is the serving path and its cost, which the weights' values do not change. They are drawn
as Keras initializes an LSTM (Glorot-uniform input weights, orthogonal recurrent weights, forget-gate bias 1), which
keeps the whole history in play as a trained model's do; PyTorch's default (uniform within ±1/16 at 256 units)
gives a forecast that moves by hundredths of a degree whatever the turbine reports. The golden pairs apply
normalization, concatenation and de-normalization by hand, as the contract says the server must.

A rerun writes the same files, byte for byte: everything is seeded, and the script runs itself again with a fixed
PYTHONHASHSEED, since TorchScript writes the LSTM's constants in set order, which string hashing varies per process.
"""
import json
import os
import pathlib
import sys

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent.parent
MODEL_DIR = HERE / "model"
GOLDEN_DIR = HERE / "golden"

# Training-time statistics. model/model-contract.yaml states the same numbers.
SCADA_MEAN = [62.0, 84.0, 55.0, 2.4, 2.8, 3.1, 14.5, 950.0]   # bearing, winding, oil temperatures; oil pressure;
SCADA_STD = [8.0, 15.0, 6.0, 0.35, 1.1, 1.2, 3.5, 620.0]      # axial, radial vibration; rotor speed; power
WEATHER_MEAN = [7.8, 11.0]                                    # wind speed, ambient temperature
WEATHER_STD = [3.6, 7.0]
FORECAST_MEAN = [62.2, 62.4, 62.6]                            # bearing temperature 10, 20, 30 minutes ahead
FORECAST_STD = [8.1, 8.3, 8.6]
# The sensors' resolutions, powers of two so that JSON holds each reading exactly and briefly (62.3125, not
# 62.31250762939453).
SCADA_STEP = [1 / 16, 1 / 16, 1 / 16, 1 / 64, 1 / 64, 1 / 64, 1 / 16, 1.0]
WEATHER_STEP = [1 / 16, 1 / 16]
HIDDEN = 256
LAYERS = 2
# How much of a reading carries over to the next minute: sensor series drift, they are not white noise.
PERSISTENCE = 0.9


class BearingForecaster(nn.Module):
    def __init__(self, features: int, hidden: int, layers: int, horizons: int):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, horizons)
        with torch.no_grad():
            for name, weights in self.lstm.named_parameters():
                if name.startswith("weight_ih"):
                    nn.init.xavier_uniform_(weights)
                elif name.startswith("weight_hh"):
                    nn.init.orthogonal_(weights)
                else:
                    weights.zero_()
                    if name.startswith("bias_ih"):
                        weights[hidden:2 * hidden] = 1.0     # gates in PyTorch's order: input, forget, cell, output
            nn.init.xavier_uniform_(self.head.weight)
            self.head.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        sequence, _ = self.lstm(x)
        return self.head(sequence[:, -1, :])


def f32_list(array):
    """Nested lists of Python floats that are exactly the float32 values."""
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def serve_by_hand(model, scada, weather):
    """What the server must do, written out: standardize, concatenate, run, de-standardize."""
    x1 = (torch.from_numpy(scada) - torch.tensor(SCADA_MEAN)) / torch.tensor(SCADA_STD)
    x2 = (torch.from_numpy(weather) - torch.tensor(WEATHER_MEAN)) / torch.tensor(WEATHER_STD)
    with torch.no_grad():
        forecast = model(torch.cat([x1, x2], dim=-1))
    return (forecast * torch.tensor(FORECAST_STD) + torch.tensor(FORECAST_MEAN)).numpy()


def series(rng, batch, steps, mean, std, step):
    """Readings that wander around the training statistics (a stationary AR(1) per feature), at the sensors'
    resolution, none below zero but the ambient temperature's."""
    mean, std = np.asarray(mean), np.asarray(std)
    values = np.empty((batch, steps, len(mean)))
    values[:, 0] = rng.normal(mean, std, size=(batch, len(mean)))
    innovation = std * np.sqrt(1 - PERSISTENCE ** 2)
    for t in range(1, steps):
        drift = rng.normal(0, innovation, size=(batch, len(mean)))
        values[:, t] = mean + PERSISTENCE * (values[:, t - 1] - mean) + drift
    return np.round(values / step) * step


def raw_inputs(rng, batch, steps):
    scada = np.maximum(series(rng, batch, steps, SCADA_MEAN, SCADA_STD, SCADA_STEP), 0)
    weather = series(rng, batch, steps, WEATHER_MEAN, WEATHER_STD, WEATHER_STEP)
    weather[..., 0] = np.maximum(weather[..., 0], 0)
    return scada.astype(np.float32), weather.astype(np.float32)


def write_case(name, description, model, scada, weather, batched):
    forecast = serve_by_hand(model, scada, weather)
    if not batched:
        scada, weather, forecast = scada[0], weather[0], forecast[0]
    case = {
        "description": description,
        "request": {"scada": f32_list(scada), "weather": f32_list(weather)},
        "response": {"bearing_temp_forecast": f32_list(forecast)},
    }
    (GOLDEN_DIR / f"{name}.json").write_text(json.dumps(case) + "\n")


def main():
    torch.manual_seed(24)
    model = BearingForecaster(len(SCADA_MEAN) + len(WEATHER_MEAN), HIDDEN, LAYERS, len(FORECAST_MEAN)).eval()
    scripted = torch.jit.script(model)
    MODEL_DIR.mkdir(exist_ok=True)
    GOLDEN_DIR.mkdir(exist_ok=True)
    scripted.save(str(MODEL_DIR / "model.pt"))

    rng = np.random.default_rng(20261205)
    write_case("unbatched", "one turbine, the shortest history (50 minutes), sent without the batch axis", scripted,
               *raw_inputs(rng, 1, 50), batched=False)
    write_case("batched", "four turbines, 100 minutes", scripted, *raw_inputs(rng, 4, 100), batched=True)
    write_case("longest", "two turbines, the longest history (200 minutes)", scripted, *raw_inputs(rng, 2, 200),
               batched=True)


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    main()
