"""The sliding kernel: a storyboard's steps as animations that fit a time budget.

``Slider(board, input_grid, output_grid)`` puts the kernel's footprint into the
input grid (under its numbers) and makes a marker for the output cell; the scene
adds :attr:`Slider.mobjects` or plays :meth:`Slider.intro`. Then
:meth:`Slider.animations` returns one animation per step (or per group of steps)
whose run times add up exactly to the budget, e.g. a narration beat's duration:
the first ``detailed`` steps move the window, write the line of products
"3·1 + 0·2 + … = 17" and carry the sum into the output cell; later steps just move
and fill; if even that is too fast for the budget, steps are grouped so no more
than about three plays happen per second. Every animation's mobject is
:attr:`Slider.stage` (the two grids and the marker), so playing them never splits
the grids apart in the scene. For exact sync with audio prefer one play of
:meth:`Slider.animation` (each separate play is rounded to whole frames).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (UP, Animation, AnimationGroup, Create, FadeIn, FadeOut, Restore, Succession,
                   VGroup, Wait, config)

from .. import palette
from ..cells.grid import CellGrid, KernelFootprint, _late
from ..motion.moves import slide_to
from ..text.tex import math_tex, value_latex

DETAILED_MIN, DETAILED_NOMINAL, DETAILED_MAX = 2.4, 4.0, 6.0
FAST_MIN, FAST_NOMINAL, FAST_MAX = 0.35, 0.7, 1.2


def _factor_latex(v) -> str:
    s = value_latex(v)
    return f"({s})" if s.startswith("-") else s


def product_terms(step) -> list[str]:
    """LaTeX of each tap's product "x·w" of a storyboard step, in tap order."""
    return [rf"{_factor_latex(t.x)}\cdot {_factor_latex(t.w)}" for t in step.taps]


def product_parts(step) -> list[tuple[str, str]]:
    """(x, w) LaTeX factors of each tap's product, in tap order."""
    return [(_factor_latex(t.x), _factor_latex(t.w)) for t in step.taps]


@dataclass
class Plan:
    """How a budget is spent: ``detailed`` steps, then ``fast`` groups of ``chunk`` steps."""

    detailed: int
    detailed_time: float
    chunk: int
    fast_time: float
    tail: float            # a final wait, when the steps would otherwise crawl

    def total(self, n_steps: int) -> float:
        groups = math.ceil(max(n_steps - self.detailed, 0) / self.chunk) if self.chunk else 0
        return self.detailed * self.detailed_time + groups * self.fast_time + self.tail


def plan_budget(n_steps: int, budget: float | None, detailed: int = 2) -> Plan:
    """Split ``budget`` seconds over ``n_steps`` kernel positions.

    The first ``detailed`` steps get five times a fast step (between 2.4 and 6 s
    each) as long as they take at most 60% of the budget; the remaining steps get
    0.35–1.2 s each, and are grouped (several output cells per play) when there
    are too many for the rest of the budget. Any time left once every piece is at
    its maximum becomes a final wait. The pieces always add up to ``budget``.
    """
    nd = max(0, min(detailed, n_steps))
    if budget is None:
        return Plan(nd, DETAILED_NOMINAL, 1, FAST_NOMINAL, 0.0)
    if budget <= 0:
        raise ValueError(f"time budget must be positive, got {budget}")
    while nd > 0 and nd * DETAILED_MIN > 0.6 * budget:
        nd -= 1
    nf = n_steps - nd
    chunk = 1
    room = budget - nd * DETAILED_MIN
    if nf and nf * FAST_MIN > room:
        groups = max(1, int(room // FAST_MIN))
        chunk = math.ceil(nf / groups)
    groups = math.ceil(nf / chunk) if nf else 0
    tail = 0.0
    if nd == 0:
        fast = min(budget / groups, FAST_MAX * 3) if groups else 0.0
        return Plan(0, 0.0, chunk, fast, budget - groups * fast)
    u = budget / (5 * nd + groups)
    fast = min(u, FAST_MAX)
    det = (budget - groups * fast) / nd
    if det < DETAILED_MIN and groups:
        det = DETAILED_MIN
        fast = (budget - nd * det) / groups
    if det > DETAILED_MAX:
        det = DETAILED_MAX
        if groups:
            fast = min((budget - nd * det) / groups, FAST_MAX * 3)
        tail = budget - nd * det - groups * fast
    return Plan(nd, det, chunk, fast, tail)


def check_grids(board, input_grid, output_grid) -> None:
    """The grids must be the storyboard's padded input and its output."""
    if input_grid.shape != tuple(board.padded.shape):
        raise ValueError(f"input grid {input_grid.shape} does not match the padded input "
                         f"{board.padded.shape}")
    if output_grid.shape != tuple(board.spec.output):
        raise ValueError(f"output grid {output_grid.shape} does not match the output "
                         f"{board.spec.output}")


class Slider:
    """Animations of ``board`` (a convmath Storyboard) sliding over drawn grids.

    ``input_grid`` must show ``board.padded`` (one cell per padded input cell);
    ``output_grid`` has the output's shape (usually drawn empty). ``line_anchor``:
    where the centre of the products line goes (default: under the lower grid; kept
    inside the frame and above the subtitle band). The footprint holds
    ``board.kernel_applied`` (the kernel as it slides, flipped for a true convolution);
    with ``tap_colors`` (default) each of its taps is shaded in the tap's colour, as are the
    weights of the products line, so a kernel drawn by :func:`~scenes.kit.cells.legend.tap_kernel`
    is their key.

    A narrated scene that ties steps to words plays the pieces itself: :meth:`move`,
    :meth:`products_line` (its ``body`` and its ``total``), :meth:`fill`, :meth:`sweep`.
    """

    def __init__(self, board, input_grid: CellGrid, output_grid: CellGrid, *, lang=None,
                 line_anchor=None, tap_colors: bool = True, products_font_size=None):
        check_grids(board, input_grid, output_grid)
        self.board = board
        self.steps = list(board.steps)
        self.input_grid = input_grid
        self.output_grid = output_grid
        self.lang = lang
        self.line_anchor = line_anchor
        self.font_size = palette.FONT_SIZES["products"] if products_font_size is None \
            else products_font_size
        first = self.steps[0]
        self.tap_colors = tap_colors
        self.footprint = KernelFootprint(input_grid, board.spec.kernel, board.spec.dilation,
                                         window=first.window, weights=board.kernel_applied,
                                         tap_colors=tap_colors)
        # the footprint is drawn inside the input grid, under its numbers
        input_grid.overlays.add(self.footprint)
        self.marker = output_grid.window_rectangle(first.output, (1,) * output_grid.ndim,
                                                   color=palette.HIGHLIGHT, width=4)
        # every animation's mobject: one group holding what the steps change. Manim adds
        # an animation's mobject to the scene, so it must hold whole grids, never their parts
        # (adding a group of parts would split the grids apart in the scene's list)
        self.stage = VGroup(input_grid, output_grid, self.marker)
        self.lines: list[VGroup] = []   # products lines built so far (for tests and layout)

    @property
    def mobjects(self) -> list:
        """What a scene adds besides the grids: the output marker (the footprint lives in
        ``input_grid.overlays``, under the input's numbers)."""
        return [self.marker]

    def intro(self, run_time: float = 1.0) -> Animation:
        """Hide the footprint now; the animation reveals it and draws the output marker."""
        self.footprint.save_state()
        self.footprint.set_opacity(0)
        return AnimationGroup(Restore(self.footprint), _keep(Create(self.marker)),
                              group=self.stage, run_time=run_time)

    def outro(self, run_time: float = 0.6) -> Animation:
        """Fade the footprint (it stays in the grid, invisible) and remove the marker."""
        return AnimationGroup(self.footprint.animate.set_opacity(0),
                              self.marker.animate.set_stroke(opacity=0), group=self.stage,
                              run_time=run_time)

    # --- pieces -------------------------------------------------------------------------------
    def _move(self, step, run_time: float) -> Animation:
        target = self.output_grid.cell_center(step.output)
        return AnimationGroup(self.footprint.slide_to(step.window),
                              slide_to(self.marker, lambda: target), group=self.stage,
                              run_time=run_time)

    def move(self, k: int, run_time: float = 0.6) -> Animation:
        """The footprint and the output marker slide to step ``k``."""
        return self._move(self.steps[k], run_time)

    def fill(self, k: int, source=None, run_time: float = 0.6) -> Animation:
        """Step ``k``'s output cell takes its value (grown out of ``source``, e.g. the total
        of its products line)."""
        step = self.steps[k]
        return self.output_grid.fill_animation(step.output, step.total, source=source,
                                               run_time=run_time)

    def sweep(self, start: int, stop: int | None = None, pace: float = FAST_NOMINAL) -> Animation:
        """Steps ``start:stop`` at speed, one after the other (move, fill), ``pace`` seconds
        each: one play, which a narrated beat shortens to end at its next anchor."""
        stop = len(self.steps) if stop is None else stop
        return Succession(*(self.fast_step(k, pace) for k in range(start, stop)),
                          group=self.stage)

    def weight_color(self, flat_tap: int):
        return palette.tap_color(flat_tap) if self.tap_colors else palette.KERNEL

    def products_line(self, step) -> VGroup:
        """The MathTex line "x·w + … = total" of a step, placed and fitted in the frame.

        Its parts: ``line.terms`` (one per tap, in tap order), ``line.body`` (everything
        before the total) and ``line.total``; ``line.products`` and ``line.total_value`` keep
        the exact numbers shown. ``step`` is a storyboard step or its index.
        """
        if isinstance(step, (int, np.integer)):
            step = self.steps[int(step)]
        factors = product_parts(step)
        parts = []
        for j, (x, w) in enumerate(factors):
            if j:
                parts.append("+")
            parts += [x, r"\cdot", w]
        parts += ["=", value_latex(step.total)]
        line = math_tex(parts, lang=self.lang, font_size=self.font_size)
        term_mobs = [VGroup(*line[4 * j:4 * j + 3]) for j in range(len(factors))]
        for j in range(len(factors)):
            line[4 * j].set_color(palette.INPUT_TEXT)
            line[4 * j + 2].set_color(self.weight_color(j))
        total = line[-1]
        total.set_color(palette.OUTPUT_TEXT)
        group = VGroup(line)
        group.terms = term_mobs
        group.body = VGroup(*line[:-1])
        group.total = total
        group.products = [t.product for t in step.taps]
        group.factors = [(t.x, t.w) for t in step.taps]
        group.total_value = step.total
        group.tex_parts = parts
        self._place_line(group)
        return group

    def _place_line(self, line: VGroup):
        fw = config.frame_width
        margin = palette.FRAME_MARGIN
        if line.width > fw - 2 * margin:
            line.scale_to_fit_width(fw - 2 * margin)
        if self.line_anchor is not None:
            line.move_to(self.line_anchor)
        else:
            bottom = min(self.input_grid.get_bottom()[1], self.output_grid.get_bottom()[1])
            line.move_to(np.array([0.0, bottom - 0.45 - line.height / 2, 0.0]))
        lowest = palette.SUBTITLE_TOP + 0.1 + line.height / 2     # clear of the subtitles
        if line.get_center()[1] < lowest:
            line.set_y(lowest)

    def detailed_step(self, k: int, run_time: float = DETAILED_NOMINAL) -> Animation:
        """Step ``k`` in full: move, write the products, carry the sum into the output."""
        step = self.steps[k]
        line = self.products_line(step)
        self.lines.append(line)
        fill = self.output_grid.fill_animation(step.output, step.total, source=line.total)
        return Succession(
            self._move(step, 0.18 * run_time),
            FadeIn(line, shift=0.2 * UP, lag_ratio=0.02, run_time=0.3 * run_time),
            Wait(run_time=0.17 * run_time),
            _with_time(fill, 0.23 * run_time),
            _late(FadeOut(line, run_time=0.12 * run_time)),
            group=self.stage,
        )

    def fast_step(self, ks, run_time: float = FAST_NOMINAL) -> Animation:
        """Steps ``ks`` (one index or several) at speed: jump to the last, fill all their cells."""
        ks = [ks] if isinstance(ks, (int, np.integer)) else list(ks)
        last = self.steps[ks[-1]]
        fills = [self.output_grid.fill_animation(self.steps[k].output, self.steps[k].total)
                 for k in ks]
        fill = AnimationGroup(*fills, lag_ratio=0.15 if len(fills) > 1 else 0, group=self.stage)
        return Succession(self._move(last, 0.45 * run_time), _with_time(fill, 0.55 * run_time),
                          group=self.stage)

    # --- the whole slide ----------------------------------------------------------------------
    def animations(self, budget: float | None = None, detailed: int = 2,
                   start: int = 0, stop: int | None = None) -> list[Animation]:
        """Animations of steps ``start:stop`` whose run times sum to ``budget`` seconds.

        Play them one after another (``for a in anims: scene.play(a)``) or use
        :meth:`animation` for a single play. Without a budget, nominal timings.
        """
        ks = list(range(start, len(self.steps) if stop is None else stop))
        plan = plan_budget(len(ks), budget, detailed)
        self.plan = plan
        out: list[Animation] = []
        for k in ks[:plan.detailed]:
            out.append(self.detailed_step(k, plan.detailed_time))
        rest = ks[plan.detailed:]
        for j in range(0, len(rest), plan.chunk):
            out.append(self.fast_step(rest[j:j + plan.chunk], plan.fast_time))
        if plan.tail > 1e-9:
            out.append(Wait(run_time=plan.tail))
        return out

    def animation(self, budget: float | None = None, detailed: int = 2, **kwargs) -> Animation:
        """All steps as one Succession lasting exactly ``budget`` seconds."""
        return Succession(*self.animations(budget, detailed, **kwargs), group=self.stage)

    def play(self, scene, budget: float | None = None, detailed: int = 2, **kwargs) -> float:
        """Play the steps on ``scene``; returns the seconds played."""
        total = 0.0
        for anim in self.animations(budget, detailed, **kwargs):
            scene.play(anim)
            total += anim.run_time
        return total


def _keep(anim: Animation) -> Animation:
    """An introducer (Create, FadeIn…) of a mobject the scene already holds: not an introducer."""
    anim.introducer = False
    return anim


def _with_time(anim: Animation, run_time: float) -> Animation:
    """Set a built animation's run time (an AnimationGroup rescales its children)."""
    anim.run_time = run_time
    return anim
