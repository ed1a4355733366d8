"""A convolution chosen from environment variables, for the configurable scenes.

    CONV_INPUT=5x5 CONV_KERNEL=3 CONV_STRIDE=2 CONV_PADDING=1 CONV_DILATION=1 CONV_SEED=0 \\
        manim render scenes/s03_matriz.py MatrizConfigurable

The values use the syntax of the ``convmath`` command (``convmath/cli.py``): sizes like
``7`` or ``7x5`` (one value for every axis, or one per axis), padding as an integer,
``before:after`` pairs per axis separated by commas (``1:2,0``) or a name (``valid``,
``same``, ``full``). ``CONV_SEED`` picks the example values (``convmath.examples``; seed 0
is the guide's example when it fits). Unset variables take the defaults below (the guide's
4×4 input and 3×3 kernel).

``CONV_TRANSPOSED=1`` makes it a transposed convolution with these (PyTorch) parameters, as
``convmath --transposed``: the input size is the transposed convolution's input, the padding
is what it crops from the full result (integers only; the names are for convolutions) and
``CONV_OUTPUT_PADDING`` (``1`` or ``1x0``, smaller than the stride or the dilation) adds cells
after, as ``convmath --output-padding``.

:func:`conv_from_env` checks everything with convmath and raises :class:`convmath.ConvError`
with one line naming the broken constraint. :mod:`scenes.configurable.params_env` builds on
it (given values, the operation, a config file) and turns the error into ``SystemExit`` with
that one line, for a scene to call before anything is drawn.
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
    "transposed": "CONV_TRANSPOSED",
    "output_padding": "CONV_OUTPUT_PADDING",
}
DEFAULTS = {"input": "4x4", "kernel": "3", "stride": "1", "padding": "0", "dilation": "1",
            "seed": "0", "transposed": "0", "output_padding": "0"}
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


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


def read_padding(text: str):
    """``convmath``'s reading of a padding text, with one ``before:after`` pair meaning that
    pair on every axis (``0:1`` for a 1D input is one axis, not two)."""
    pads = _padding(text)
    if isinstance(pads, tuple):          # a single "b:a" part: one pair, for every axis
        return [pads]
    return pads


def read_flag(text: str, name: str) -> bool:
    """``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off`` (any case)."""
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS or value == "":
        return False
    raise convmath.ConvError(f"{name} must be 1 or 0, got {text.strip()!r}")


def drawn_cells(sp: convmath.ConvSpec) -> tuple[int, ...]:
    """Cells per axis of the grid a kernel slides over: a convolution's padded input, or for
    a transposed convolution its equivalent direct convolution's input (zeros inserted,
    padded): o + d(k−1) cells, since that convolution has stride 1."""
    if sp.transposed:
        return tuple(o + kk - 1 for o, kk in zip(sp.output, sp.effective_kernel))
    return sp.padded_input


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
    transposed = read_flag(raw["transposed"], ENV_VARS["transposed"])
    output_padding = axes("output_padding", "output padding")
    if any(output_padding) and not transposed:
        raise convmath.ConvError(f"{ENV_VARS['output_padding']} only applies to transposed "
                                 f"convolutions (set {ENV_VARS['transposed']}=1)")
    sp = convmath.spec(size, axes("kernel", "kernel size"), axes("stride", "stride"),
                       read_padding(raw["padding"]), axes("dilation", "dilation"),
                       transposed=transposed, output_padding=output_padding)
    if max_cells is not None:
        what = "padded input" if not transposed else "zero-stuffed, padded input"
        for axis, cells in enumerate(drawn_cells(sp)):
            if cells > max_cells:
                raise convmath.ConvError(
                    f"{what} has {cells} cells on axis {axis}; this scene draws at "
                    f"most {max_cells}")
    x = example_input(sp.input, seed)
    w = example_kernel(sp.kernel, seed)
    return EnvConv(sp, x, w, seed, raw)
