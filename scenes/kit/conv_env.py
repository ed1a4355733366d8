"""A convolution chosen from environment variables, for the configurable scenes.

    CONV_INPUT=5x5 CONV_KERNEL=3 CONV_STRIDE=2 CONV_PADDING=1 CONV_DILATION=1 CONV_SEED=0 \\
        manim render scenes/s03_matriz.py MatrizConfigurable

The values use the syntax of the ``convmath`` command (``convmath/cli.py``): sizes like
``7`` or ``7x5`` (one value for every axis, or one per axis), padding as an integer,
``before:after`` pairs per axis separated by commas (``1:2,0``) or a name (``valid``,
``same``, ``full``). ``CONV_SEED`` picks the example values (``convmath.examples``; seed 0
is the guide's example when it fits). Unset variables take the defaults below (the guide's
4×4 input and 3×3 kernel).

:func:`conv_from_env` checks everything with convmath and raises :class:`convmath.ConvError`
with one line naming the broken constraint. :mod:`scenes.kit.params_env` builds on it (given
values, the operation, a config file) and turns the error into ``SystemExit`` with that one
line, for a scene to call before anything is drawn.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

import numpy as np

import convmath
from convmath.cli import _ints, _padding
from convmath.examples import example_input, example_kernel

ENV_VARS = {
    "input": "CONV_INPUT",
    "kernel": "CONV_KERNEL",
    "stride": "CONV_STRIDE",
    "padding": "CONV_PADDING",
    "dilation": "CONV_DILATION",
    "seed": "CONV_SEED",
}
DEFAULTS = {"input": "4x4", "kernel": "3", "stride": "1", "padding": "0", "dilation": "1",
            "seed": "0"}


@dataclass(frozen=True)
class EnvConv:
    """A checked convolution with example values: ``spec``, input ``x``, kernel ``w``."""

    spec: convmath.ConvSpec
    x: np.ndarray
    w: np.ndarray
    seed: int
    raw: dict          # the text of each setting as read (defaults filled in)


def _read(env: Mapping[str, str], key: str) -> str:
    value = env.get(ENV_VARS[key], "")
    return value.strip() or DEFAULTS[key]


def conv_from_env(env: Mapping[str, str] | None = None, *, max_ndim: int = 2,
                  max_cells: int | None = None) -> EnvConv:
    """Read the CONV_* variables of ``env`` (default ``os.environ``) into an :class:`EnvConv`.

    ``max_ndim``: the most axes the caller can draw; ``max_cells``: the most padded input
    cells per axis it can draw. Both are checked here so the error comes before any drawing.
    """
    env = os.environ if env is None else env
    raw = {key: _read(env, key) for key in ENV_VARS}
    size = _ints(raw["input"], f"{ENV_VARS['input']} (input size)")
    n = len(size)
    if n > max_ndim:
        raise convmath.ConvError(f"{ENV_VARS['input']}={raw['input']} has {n} axes; "
                                 f"this scene draws at most {max_ndim}")

    def axes(key: str, what: str):
        vals = _ints(raw[key], f"{ENV_VARS[key]} ({what})")
        return vals if len(vals) > 1 else vals * n

    try:
        seed = int(raw["seed"])
    except ValueError:
        raise convmath.ConvError(f"{ENV_VARS['seed']} must be an integer, got "
                                 f"{raw['seed']!r}") from None
    if seed < 0:
        raise convmath.ConvError(f"{ENV_VARS['seed']} must not be negative, got {seed}")
    sp = convmath.spec(size, axes("kernel", "kernel size"), axes("stride", "stride"),
                       _padding(raw["padding"]), axes("dilation", "dilation"))
    if max_cells is not None:
        for axis, cells in enumerate(sp.padded_input):
            if cells > max_cells:
                raise convmath.ConvError(
                    f"padded input has {cells} cells on axis {axis}; this scene draws at "
                    f"most {max_cells}")
    x = example_input(sp.input, seed)
    w = example_kernel(sp.kernel, seed)
    return EnvConv(sp, x, w, seed, raw)
