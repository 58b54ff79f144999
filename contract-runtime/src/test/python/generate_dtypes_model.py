#!/usr/bin/python3
"""Writes the fixture model of every contract dtype: resources/models/dtypes/model.pt.

Run with Debian's interpreter (apt-get install python3-torch): /usr/bin/python3 src/test/python/generate_dtypes_model.py

forward(a: float64, b: float16, c: bfloat16, d: int32, e: int8, f: uint8, g: bool) returns a tuple of the same
dtypes: a * 2, b * 2, c * 2, d + 1, e - 1, f + 1, ~g. The model has no weights, so the file is the same on every
run; the contract beside it (written by hand) states the dtypes.
"""
import pathlib
from typing import Tuple

import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parent.parent / "resources" / "models" / "dtypes" / "model.pt"


class EveryDType(nn.Module):
    def forward(self, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, d: torch.Tensor, e: torch.Tensor,
                f: torch.Tensor, g: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor,
                                                             torch.Tensor, torch.Tensor, torch.Tensor]:
        return a * 2, b * 2, c * 2, d + 1, e - 1, f + 1, torch.logical_not(g)


if __name__ == "__main__":
    scripted = torch.jit.script(EveryDType())
    sample = (torch.tensor([[1.25]], dtype=torch.float64), torch.tensor([[1.5]], dtype=torch.float16),
              torch.tensor([[2.5]], dtype=torch.bfloat16), torch.tensor([[7]], dtype=torch.int32),
              torch.tensor([[-5]], dtype=torch.int8), torch.tensor([[254]], dtype=torch.uint8),
              torch.tensor([[True]]))
    print([t.dtype for t in scripted(*sample)])
    scripted.save(str(OUT))
