"""Which picture a configurable scene draws, and whether it can draw it (no manim here).

The configurable scenes (A1 ``ConvolucionConfigurable``, A2 ``MatrizConfigurable``, A3
``ConectividadConfigurable``) and the ``clip`` command share these settings, read from the
environment next to the ``CONV_*`` parameters (:mod:`scenes.configurable.params_env`)::

    CONV_VIEW=slide         A1's picture: slide (the kernel sliding; for a transposed
                            convolution, its equivalent direct convolution), direct (the same,
                            a transposed convolution only) or superposition (each input cell
                            stamps the scaled kernel; a transposed convolution only)
    CONV_NARRATION=0        no voice, no subtitles, no title card: a short silent animation
                            (what the clip command renders); default 1 (narrated)
    CONV_PACE=0.5           silent scenes (A1 with CONV_NARRATION=0, A2, A3): seconds per
                            kernel position, stamp, row of the matrix or cell

:func:`check_drawable` says, in one line, why a convolution cannot be drawn in a view (a 2D
input too large for the frame, a kernel with too many products to write on a line, ...).
Every check raises :class:`convmath.ConvError`, so a scene or a command prints that one line
and exits with status 2 before drawing anything.

:func:`scene_environ` is what a configurable scene reads: the environment, with the scene
class's ``CONV_ENV`` on top. The clip command renders several clips in one Manim process by
generating one subclass per clip with its settings in ``CONV_ENV`` (Manim's start-up is paid
once, not per clip).
"""

from __future__ import annotations

import os
from typing import Mapping

import convmath as cm

from .conv_env import drawn_cells, read_flag

VIEWS = ("slide", "direct", "superposition", "matrix", "connectivity")
A1_VIEWS = ("slide", "direct", "superposition")
VIEW_VAR, NARRATION_VAR, PACE_VAR = "CONV_VIEW", "CONV_NARRATION", "CONV_PACE"
DEFAULT_PACE = 0.5
PACE_RANGE = (0.1, 5.0)

# what each picture can hold, per axis (cells of the grid drawn) and in all
LIMITS = {
    # the kernel sliding: the padded (zero-stuffed) input; a products line per position
    "slide": {1: 24, 2: 14, "taps": 25},
    # stamps: the canvas (the uncropped result, plus output padding past it) and the input
    "superposition": {1: 24, 2: 12, "input2": 6, "taps": 25},
    # the matrix C (or Cᵀ): the padded input and the output, per axis
    "matrix": {1: 16, 2: 16},
    # the links: 1D, the long row (padding included); 2D, each grid
    "connectivity": {1: 24, 2: 8},
}


def _env(environ):
    return os.environ if environ is None else environ


def scene_environ(scene) -> dict[str, str]:
    """The settings a configurable scene (or scene class) reads: ``os.environ`` with the
    class attribute ``CONV_ENV`` (a dict of ``CONV_*`` variables, if any) on top."""
    env = dict(os.environ)
    extra = getattr(scene, "CONV_ENV", None) or {}
    if extra:
        # a class's settings replace the environment's CONV_* entirely
        env = {k: v for k, v in env.items() if not k.startswith("CONV_")}
        env.update({str(k): str(v) for k, v in extra.items()})
    return env


def read_view(environ: Mapping[str, str] | None = None, allowed=A1_VIEWS,
              default: str = "slide") -> str:
    """``CONV_VIEW`` (lower case), one of ``allowed``."""
    value = _env(environ).get(VIEW_VAR, "").strip().lower() or default
    if value not in allowed:
        raise cm.ConvError(f"{VIEW_VAR} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def read_narration(environ: Mapping[str, str] | None = None) -> bool:
    """``CONV_NARRATION``: True (narrated, the default) or False (a silent clip)."""
    text = _env(environ).get(NARRATION_VAR, "").strip()
    return True if text == "" else read_flag(text, NARRATION_VAR)


def read_pace(environ: Mapping[str, str] | None = None) -> float:
    """``CONV_PACE``: seconds per step of a silent scene (0.1 to 5)."""
    text = _env(environ).get(PACE_VAR, "").strip()
    if not text:
        return DEFAULT_PACE
    try:
        pace = float(text)
    except ValueError:
        raise cm.ConvError(f"{PACE_VAR} must be a number of seconds, got {text!r}") from None
    lo, hi = PACE_RANGE
    if not lo <= pace <= hi:
        raise cm.ConvError(f"{PACE_VAR} must be between {lo} and {hi} seconds, got {text}")
    return pace


def effective_view(view: str, transposed: bool) -> str:
    """``slide`` of a transposed convolution is its ``direct`` view; ``direct`` and
    ``superposition`` need a transposed convolution."""
    if view in ("direct", "superposition") and not transposed:
        raise cm.ConvError(f"the {view} view shows a transposed convolution; set "
                           f"CONV_TRANSPOSED=1 (clip: --transposed)")
    if view == "slide" and transposed:
        return "direct"
    return view


def canvas_cells(sp: cm.ConvSpec) -> tuple[int, ...]:
    """Cells per axis of a superposition's canvas: the uncropped result, (i−1)s + d(k−1) + 1,
    or further when output padding adds cells past it."""
    out = []
    for i, s, kk, (b, _), o in zip(sp.input, sp.stride, sp.effective_kernel, sp.padding,
                                    sp.output):
        canvas = (i - 1) * s + kk
        out.append(max(canvas, b + o))
    return tuple(out)


def check_drawable(sp: cm.ConvSpec, view: str) -> None:
    """Raise :class:`convmath.ConvError` (one line) if ``view`` cannot draw ``sp`` legibly.

    ``view``: slide, direct, superposition, matrix or connectivity (slide and direct use the
    same limits: the grid the kernel slides over).
    """
    n = sp.ndim
    if view in ("slide", "direct"):
        lim = LIMITS["slide"]
        what = "padded input" if not sp.transposed else "zero-stuffed, padded input"
        cells = drawn_cells(sp)
    elif view == "superposition":
        lim = LIMITS["superposition"]
        what, cells = "canvas", canvas_cells(sp)
        if n == 2:
            for axis, c in enumerate(sp.input):
                if c > lim["input2"]:
                    raise cm.ConvError(f"input has {c} cells on axis {axis}; the superposition "
                                       f"view draws 2D inputs of at most {lim['input2']} per "
                                       f"axis")
    elif view == "matrix":
        lim = LIMITS["matrix"]
        what = "padded input" if not sp.transposed else "input or output"
        cells = sp.padded_input if not sp.transposed else tuple(
            max(i, o) for i, o in zip(sp.input, sp.output))
    elif view == "connectivity":
        lim = LIMITS["connectivity"]
        fwd = sp.forward()
        if n == 1:
            what, cells = "padded input", fwd.padded_input
            if sp.transposed:
                what = "output (padding included)"
        else:
            what = "input" if not sp.transposed else "output"
            cells = tuple(max(a, b) for a, b in zip(fwd.padded_input, fwd.output))
    else:
        raise cm.ConvError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if n not in (1, 2):
        raise cm.ConvError(f"input has {n} axes; the {view} view draws 1D or 2D")
    for axis, c in enumerate(cells):
        if c > lim[n]:
            raise cm.ConvError(f"{what} has {c} cells on axis {axis}; the {view} view draws "
                               f"{n}D inputs of at most {lim[n]} per axis")
    if "taps" in lim and sp.kernel_taps > lim["taps"]:
        raise cm.ConvError(f"kernel has {sp.kernel_taps} taps; the {view} view draws at most "
                           f"{lim['taps']}")
