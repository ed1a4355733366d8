"""A convolution's parameters and values from environment variables or a small config file.

Configurable scenes (``ConvolucionConfigurable``, the matrix scene, ...) read the same
variables, parsed with the same syntax as the ``convmath`` command::

    CONV_INPUT=5x5          input size per axis (7 for 1D, 5x5 or 5x7 for 2D)
    CONV_KERNEL=3           kernel size: 3 (every axis) or 3x2
    CONV_STRIDE=2           stride: 2 or 2x1
    CONV_PADDING=1          padding: 1, per axis 1,2, before:after 0:1, or valid|same|full
    CONV_DILATION=1         dilation: 1 or 2x1
    CONV_INPUT_VALUES='[[1,2],[3,4]]'   or @values.json (a JSON array; "1/2" stays exact)
    CONV_KERNEL_VALUES='[1,0,-1]'       or @kernel.json
    CONV_SEED=3             example values (convmath.examples) when values are not given
    CONV_OP=correlation     correlation (what frameworks compute) or convolution (flipped)
    CONV_TRANSPOSED=1       a transposed convolution with these (PyTorch) parameters
    CONV_OUTPUT_PADDING=1   transposed only: extra cells after (1 or 1x0), as --output-padding
    CONV_CONFIG=conv.json   a JSON object with the same keys in lower case
                            ({"input": "5x5", "padding": "same", "input_values": [[...]]});
                            a variable set in the environment wins over the file

Sizes come from the values when only values are given. Sizes, stride, padding, dilation
and seed are read by :mod:`scenes.configurable.conv_env` (shared with the configurable matrix
scene); this module adds the values, the operation and the config file. Everything goes through
:func:`convmath.spec`, so an impossible combination raises :class:`convmath.ConvError`
with one line naming the broken constraint; :func:`conv_params_or_exit` turns it into that
one line on stderr (and exit status 2), before anything is drawn. This module itself
imports no manim.

A transposed convolution (``CONV_TRANSPOSED=1``) is checked the same way; its values are its
input's (the input size is the transposed convolution's input, as ``convmath --transposed``).
:meth:`ConvParams.board` is then the paper's equivalent direct convolution's sliding storyboard
(zeros inserted, padding d(k−1)−p, kernel flipped, stride 1: :meth:`ConvParams.direct`) and
:meth:`ConvParams.stamps` its superposition (``convmath.superposition``).

To add a parameter later, add its key to :data:`KEYS` and read it in
:func:`conv_params_from_settings`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, NoReturn

import numpy as np

import convmath as cm
from convmath.cli import UsageError, _values

from .conv_env import conv_from_env, read_flag

PREFIX = "CONV_"
CONFIG_VAR = "CONV_CONFIG"
KEYS = ("input", "kernel", "stride", "padding", "dilation", "input_values", "kernel_values",
        "seed", "op", "transposed", "output_padding")
DEFAULTS = {"input": "5x5", "kernel": "3", "stride": "1", "padding": "0", "dilation": "1",
            "op": cm.CORRELATION, "transposed": "0", "output_padding": "0"}
OPS = (cm.CORRELATION, cm.CONVOLUTION)


@dataclass(frozen=True)
class ConvParams:
    """A checked convolution with the values it runs on."""

    spec: cm.ConvSpec
    x: np.ndarray
    w: np.ndarray
    op: str = cm.CORRELATION
    seed: int | None = None
    settings: Mapping[str, str] | None = None   # the raw settings read (after merging)

    @property
    def ndim(self) -> int:
        return self.spec.ndim

    @property
    def transposed(self) -> bool:
        return self.spec.transposed

    def storyboard(self) -> cm.Storyboard:
        """The sliding-kernel storyboard of these parameters and values (a convolution)."""
        return cm.storyboard(self.spec, self.x, self.w, self.op)

    def direct(self) -> cm.DirectEquivalent:
        """A transposed convolution as the paper's equivalent direct convolution."""
        return cm.direct_storyboard(self.spec, self.x, self.w)

    def stamps(self) -> cm.Superposition:
        """A transposed convolution as stamps of the scaled kernel (superposition)."""
        return cm.superposition(self.spec, self.x, self.w)

    def board(self) -> cm.Storyboard:
        """What a kernel slides over: the convolution's storyboard, or for a transposed
        convolution its equivalent direct convolution's (zeros inserted, kernel flipped)."""
        return self.direct().storyboard if self.transposed else self.storyboard()

    def output(self) -> np.ndarray:
        """The output values, computed by convmath."""
        if self.transposed:
            return cm.transposed_scatter(self.x, self.w, self.spec.stride, self.spec.padding,
                                         self.spec.dilation, 1, self.spec.output_padding)
        if self.op == cm.CONVOLUTION:
            return cm.convolve(self.x, self.w, self.spec.stride, self.spec.padding,
                               self.spec.dilation)
        return cm.correlate(self.x, self.w, self.spec.stride, self.spec.padding,
                            self.spec.dilation)


# --- reading the settings ----------------------------------------------------------------------


def _as_setting(key: str, value) -> str:
    """A config-file value as the text the command line would take."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        if key == "transposed":
            return "1" if value else "0"
        raise UsageError(f"config key {key!r} must be a number, text or array, got {value!r}")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        if key in ("input_values", "kernel_values"):
            return json.dumps(value)
        if key == "padding":
            parts = []
            for item in value:
                if isinstance(item, list):
                    parts.append(":".join(str(v) for v in item))
                else:
                    parts.append(str(item))
            return ",".join(parts)
        return "x".join(str(v) for v in value)
    raise UsageError(f"config key {key!r} has a value of type {type(value).__name__}")


def read_config(path: str | os.PathLike) -> dict[str, str]:
    """The settings of a JSON config file (keys in lower case), as command-line texts.

    ``@file`` values are read relative to the config file's folder.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read config file {str(path)!r}: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"config file {str(path)!r} is not JSON: {exc.msg} "
                         f"at line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise UsageError(f"config file {str(path)!r} must hold a JSON object")
    out = {}
    for key, value in data.items():
        name = str(key).lower()
        if name not in KEYS:
            raise UsageError(f"unknown key {key!r} in config file {str(path)!r}; "
                             f"known keys: {', '.join(KEYS)}")
        text = _as_setting(name, value)
        if text.startswith("@") and not Path(text[1:]).is_absolute():
            text = "@" + str(path.parent / text[1:])
        out[name] = text
    return out


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Merged settings: the file named by ``CONV_CONFIG`` (if any), then ``CONV_*`` variables."""
    env = os.environ if environ is None else environ
    settings: dict[str, str] = {}
    config = env.get(CONFIG_VAR, "").strip()
    if config:
        settings.update(read_config(config))
    for key in KEYS:
        value = env.get(PREFIX + key.upper())
        if value is not None and value.strip() != "":
            settings[key] = value.strip()
    return settings


# --- turning settings into a checked convolution --------------------------------------------------


def _fmt(shape) -> str:
    return "x".join(str(int(v)) for v in shape)


def _read_values(text: str, what: str) -> np.ndarray:
    """``convmath``'s reading of a JSON array (or @file); a ragged array is one clear error."""
    try:
        return _values(text, what)
    except UsageError:
        raise
    except ValueError:
        raise UsageError(f"{what} must be a rectangular array") from None


def conv_params_from_settings(settings: Mapping[str, str], *,
                              defaults: Mapping[str, str] | None = None, max_ndim: int = 2,
                              max_cells: int | None = None) -> ConvParams:
    """A :class:`ConvParams` from settings texts (see the module docstring for the keys).

    Sizes, stride, padding, dilation and seed are read by
    :func:`scenes.configurable.conv_env.conv_from_env` (the configurable matrix scene reads them the same way); values, op and sizes taken from
    the values are added here. ``max_cells``: the most padded input cells per axis a scene draws.
    """
    unknown = set(settings) - set(KEYS)
    if unknown:
        raise UsageError(f"unknown setting(s) {', '.join(sorted(unknown))}")
    base = dict(DEFAULTS, **(defaults or {}))
    get = lambda key: settings.get(key, base.get(key))  # noqa: E731

    op = get("op").lower()
    if op not in OPS:
        raise UsageError(f"CONV_OP must be {' or '.join(OPS)}, got {settings.get('op')!r}")
    transposed = read_flag(get("transposed"), "CONV_TRANSPOSED")
    if transposed and op == cm.CONVOLUTION:
        raise UsageError("CONV_OP=convolution does not apply to a transposed convolution (it "
                         "is defined by its convolution's kernel, as frameworks do)")
    x = _read_values(settings["input_values"], "CONV_INPUT_VALUES") \
        if "input_values" in settings else None
    w = _read_values(settings["kernel_values"], "CONV_KERNEL_VALUES") \
        if "kernel_values" in settings else None
    for arr, what in ((x, "CONV_INPUT_VALUES"), (w, "CONV_KERNEL_VALUES")):
        if arr is not None and (arr.ndim == 0 or arr.size == 0):
            raise UsageError(f"{what} must be a non-empty array")
    size_text = get("input") if ("input" in settings or x is None) else _fmt(x.shape)
    kernel_text = get("kernel") if ("kernel" in settings or w is None) else _fmt(w.shape)
    env = {"CONV_INPUT": size_text, "CONV_KERNEL": kernel_text, "CONV_STRIDE": get("stride"),
           "CONV_PADDING": get("padding"), "CONV_DILATION": get("dilation"),
           "CONV_SEED": settings.get("seed", "0"), "CONV_TRANSPOSED": get("transposed"),
           "CONV_OUTPUT_PADDING": get("output_padding")}
    conv = conv_from_env(env, max_ndim=max_ndim, max_cells=max_cells)
    sp = conv.spec
    if x is not None:
        if tuple(x.shape) != sp.input:
            raise UsageError(f"CONV_INPUT_VALUES have shape {_fmt(x.shape)}, "
                             f"expected {_fmt(sp.input)}")
    if w is not None:
        if w.ndim != sp.ndim:
            raise UsageError(f"CONV_KERNEL_VALUES have {w.ndim} axes but the input has {sp.ndim}")
        if tuple(w.shape) != sp.kernel:
            raise UsageError(f"CONV_KERNEL_VALUES have shape {_fmt(w.shape)}, "
                             f"expected {_fmt(sp.kernel)}")
    seed = conv.seed if "seed" in settings else None
    params = ConvParams(sp, conv.x if x is None else x, conv.w if w is None else w, op, seed,
                        dict(settings))
    params.board()               # values that cannot be combined fail here, not mid-render
    return params


def conv_params_from_env(environ: Mapping[str, str] | None = None, *,
                         defaults: Mapping[str, str] | None = None, max_ndim: int = 2,
                         max_cells: int | None = None) -> ConvParams:
    """The convolution the ``CONV_*`` variables (and ``CONV_CONFIG``) describe.

    Raises :class:`convmath.ConvError` (one line) for anything that cannot be used.
    """
    return conv_params_from_settings(read_settings(environ), defaults=defaults,
                                     max_ndim=max_ndim, max_cells=max_cells)


def error_line(exc: BaseException) -> str:
    """The one line shown for a bad parameter (as the ``convmath`` command prints it)."""
    return f"convmath: error: {exc}"


def exit_with(exc: BaseException) -> "NoReturn":
    """Print the one-line error on stderr and exit with status 2, like the ``convmath`` command."""
    print(error_line(exc), file=sys.stderr, flush=True)
    raise SystemExit(2)


def conv_params_or_exit(environ: Mapping[str, str] | None = None, **kwargs) -> ConvParams:
    """:func:`conv_params_from_env`, or the one-line error on stderr (no traceback) and exit
    status 2."""
    try:
        return conv_params_from_env(environ, **kwargs)
    except cm.ConvError as exc:
        exit_with(exc)
