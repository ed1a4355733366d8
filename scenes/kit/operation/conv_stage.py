"""The three grids of a sliding-kernel scene, laid out to fit: input, kernel, output.

``ConvStage(board)`` draws a convmath storyboard's padded input (padding dashed), its
kernel and its output (empty until a :class:`~scenes.kit.operation.slider.Slider` fills it), each
labelled with its size, at the largest cell size (up to ``max_cell``) that fits the
region: side by side for 2D, stacked rows for 1D. :func:`sweep` turns a slider's steps
into plays that fill a time budget without flicker (first output row one by one, then a
row per play when there are many).
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, RIGHT, Animation, Succession, VGroup

from .. import palette
from ..cells.grid import CellGrid
from ..cells.legend import tap_kernel
from ..layout import frame_box
from ..text.words import size_text, word

LABEL_ROOM = 0.55        # height a label takes above its grid (text + buffer)


def default_region(margin: float = palette.FRAME_MARGIN) -> tuple[float, float, float, float]:
    l, b, r, t = frame_box(margin)
    return float(l), float(b), float(r), float(t)


class ConvStage(VGroup):
    """Input, kernel and output grids of ``board`` (a convmath Storyboard), labelled.

    ``words``: on-screen words per role ({"input": "Entrada", ...}); default the kit's.
    ``region``: (left, bottom, right, top) to fit in. ``show_kernel``: draw the kernel grid.
    ``output_values``: draw the output already filled (default: empty cells).
    ``tap_colors``: the kernel's cells in their tap colours, the key of a tap-coloured
    footprint (:class:`~scenes.kit.operation.slider.Slider`,
    :class:`~scenes.kit.operation.quick_slide.QuickSlider`).
    Parts: :attr:`input`, :attr:`kernel` (or None), :attr:`output`, :attr:`board`.
    """

    def __init__(self, board, *, lang=None, words: dict | None = None, region=None,
                 max_cell: float = palette.CELL_SIZE, show_kernel: bool = True,
                 output_values: bool = False, gap: float = 0.9, tap_colors: bool = True,
                 **kwargs):
        super().__init__(**kwargs)
        self.board = board
        self.spec = board.spec
        self.lang = lang
        words = dict(words or {})
        self.region = tuple(region) if region is not None else default_region()
        l, b, r, t = self.region
        width, height = r - l, t - b
        ndim = self.spec.ndim
        padded, kernel, out = (tuple(board.padded.shape), tuple(board.kernel.shape),
                               tuple(self.spec.output))

        def label(role, shape):
            return f"{words.get(role) or word(role, lang)} {size_text(shape)}"

        if ndim == 2:
            cols = padded[1] + out[1] + (kernel[1] if show_kernel else 0)
            gaps = gap * (2 if show_kernel else 1)
            rows = max(padded[0], out[0], kernel[0] if show_kernel else 0)
            cell = min(max_cell, (width - gaps) / cols, (height - LABEL_ROOM) / rows)
        else:
            n_rows = 3 if show_kernel else 2
            longest = max(padded[0], out[0], kernel[0] if show_kernel else 0)
            cell = min(max_cell, width / longest,
                       (height - n_rows * LABEL_ROOM - (n_rows - 1) * 0.35) / n_rows)
        self.cell_size = cell
        self.input = CellGrid(board.padded, cell_kind=board.cell_kind, role="input",
                              cell_size=cell, label=label("input", self.spec.input), lang=lang)
        self.kernel = None
        if show_kernel:
            kernel_label = label("kernel", kernel)
            if tap_colors:
                self.kernel = tap_kernel(board.kernel, cell_size=cell, label=kernel_label,
                                         lang=lang)
            else:
                self.kernel = CellGrid(board.kernel, role="kernel", cell_size=cell,
                                       label=kernel_label, lang=lang)
        if output_values:
            self.output = CellGrid(board.output, role="output", cell_size=cell,
                                   label=label("output", out), lang=lang)
        else:
            self.output = CellGrid(shape=out, role="output", cell_size=cell,
                                   label=label("output", out), lang=lang)
        parts = [self.input] + ([self.kernel] if self.kernel is not None else []) + [self.output]
        if ndim == 2:
            self.add(*parts)
            self.arrange(RIGHT, buff=gap)
        else:
            order = ([self.kernel] if self.kernel is not None else []) + [self.input, self.output]
            self.add(*order)
            self.arrange(DOWN, buff=0.35)
        if self.width > width or self.height > height:
            self.scale(min(width / self.width, height / self.height))
        self.move_to(np.array([(l + r) / 2, (b + t) / 2, 0.0]))

    def grids(self) -> list[CellGrid]:
        return [g for g in (self.input, self.kernel, self.output) if g is not None]


def sweep_groups(n_steps: int, budget: float, row_length: int, min_play: float = 0.6,
                 start: int = 0) -> list[list[int]]:
    """Step indices per play: one step a play when the budget allows ``min_play`` each;
    otherwise the first output row one by one and then a row a play; if that is still
    too many plays, even chunks."""
    ks = list(range(start, start + n_steps))
    if not ks:
        return []
    if n_steps * min_play <= budget:
        return [[k] for k in ks]
    row = max(1, min(row_length, n_steps))
    groups = [[k] for k in ks[:row]] + [ks[j:j + row] for j in range(row, n_steps, row)]
    if len(groups) * min_play <= budget:
        return groups
    plays = max(1, int(budget // min_play))
    chunk = math.ceil(n_steps / plays)
    return [ks[j:j + chunk] for j in range(0, n_steps, chunk)]


def sweep(slider, budget: float, min_play: float = 0.6, start: int = 0,
          stop: int | None = None) -> Animation:
    """Fast steps ``start:stop`` of ``slider`` (no products line) as one play of ``budget`` s."""
    stop = len(slider.steps) if stop is None else stop
    groups = sweep_groups(stop - start, budget, slider.output_grid.shape[-1], min_play, start)
    each = budget / len(groups)
    anims = [slider.fast_step(g, each) for g in groups]
    return Succession(*anims, group=slider.stage)
