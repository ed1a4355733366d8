"""Segment 4 — Conectividad de los filtros (the post's animation A3).

Which input cells each kernel position reads and, turned around, which output
cells each input cell feeds. The reversed view is the transposed convolution's,
so this segment prepares segments 7–9. Every link drawn is one of convmath.links;
the "used n times" counts are convmath.usage_count.

    manim render scenes/s04_conectividad.py ConectividadFiltros

``ConectividadConfigurable`` (A3, not narrated) draws the same diagram for any convolution or
transposed convolution chosen with the ``CONV_*`` variables (see its docstring).
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, UP, AnimationGroup, Create, FadeIn, FadeOut, Scene, Text, VGroup, Write,
                   config)

import convmath as cm
from scenes.kit import palette
from scenes.kit.connectivity import ConnectivityDiagram, ConnectivityDiagram2D
from scenes.kit.layout import fit_to_region, layout_problems
from scenes.kit.params_env import conv_params_from_env, exit_with
from scenes.kit.settings_text import header_row
from scenes.kit.tex import default_lang
from scenes.kit.views import PACE_VAR, check_drawable, read_pace, scene_environ
from scenes.narration.segment_text import load_segment_text
from scenes.kit.diagram_marks import count_marks, index_marks
from scenes.kit.lists import spoken_list
from scenes.kit.titles import TitleCard
from scenes.narration.scene import NarratedScene
from scenes.segments import segment_number

# The examples: a 1D input of 7 cells and a 3-tap kernel, then the same with stride 2,
# then a 2D 4×4 input with a 3×3 kernel (the guide's first figure).
LINE_1D = cm.spec(7, 3)
STRIDED_1D = cm.spec(7, 3, stride=2)
GRID_2D = cm.spec((4, 4), 3)


def index_labels(diagram: ConnectivityDiagram) -> tuple[VGroup, VGroup]:
    """1-based cell numbers inside the input row and the output row."""
    return index_marks(diagram, "input"), index_marks(diagram, "output")


class ConectividadFiltros(NarratedScene):
    segment_id = "s04_conectividad"

    def caption(self, text: str) -> Text:
        t = Text(text, font=palette.FONT, font_size=30, color=palette.TEXT)
        return t.to_edge(DOWN, buff=0.6)

    def diagram_1d(self, sp) -> tuple[ConnectivityDiagram, tuple[VGroup, VGroup]]:
        diagram = ConnectivityDiagram(sp, cell_size=0.95, gap=3.2, lang=self.lang)
        diagram.move_to(0.35 * UP)
        return diagram, index_labels(diagram)

    def construct(self):
        card = TitleCard(segment_number(self.segment_id), self.text.title, self.s("subtitle"),
                         lang=self.lang)
        with self.beat("title") as beat:
            self.play(card.intro(run_time=min(2.0, beat.duration / 2)))
        self.play(FadeOut(card), run_time=0.5)

        # --- 1D: what each output reads ------------------------------------------------------
        sp = LINE_1D
        diagram, numbers = self.diagram_1d(sp)
        self.diagram, self.diagram_numbers = diagram, numbers
        values = {"i": sp.input[0], "o": sp.output[0], "k": sp.kernel[0]}
        with self.beat("diagram", values=values) as beat:
            first, second = beat.split(1, 2)
            self.play(FadeIn(diagram.input_row, diagram.output_row, *numbers), run_time=first)
            self.play(Create(diagram.lines, lag_ratio=0.08), run_time=second)
        self.add(diagram)

        reads = cm.reads(sp)
        o1 = (1,)
        cells1 = [c[0] + 1 for c, _ in reads[o1]]
        caption = self.caption(self.s("reads", o=o1[0] + 1, cells=spoken_list(cells1, self.lang)))
        with self.beat("reads", values={"o1": o1[0] + 1,
                                        "cells1": spoken_list(cells1, self.lang)}) as beat:
            self.play(diagram.highlight_output(o1, run_time=beat.duration * 0.3),
                      FadeIn(caption), run_time=beat.duration * 0.3)
            self.wait(beat.duration * 0.3)
            self.play(diagram.reset(run_time=beat.duration * 0.3))
        self.shown_reads = (o1, cells1)

        feeds = cm.feeds(sp)
        c2 = (3,)
        cells2 = [o[0] + 1 for o, _ in feeds[c2]]
        caption2 = self.caption(self.s("feeds", c=c2[0] + 1,
                                       cells=spoken_list(cells2, self.lang)))
        with self.beat("feeds", values={"c2": c2[0] + 1,
                                        "cells2": spoken_list(cells2, self.lang)}) as beat:
            self.play(diagram.highlight_input(c2, run_time=beat.duration * 0.4),
                      FadeOut(caption), FadeIn(caption2), run_time=beat.duration * 0.4)
        self.shown_feeds = (c2, cells2)

        counts = cm.usage_count(sp)
        uses = count_marks(diagram, "input", counts)
        uses_title = self.caption(self.s("uses"))
        self.usage_shown = uses
        with self.beat("uses", values={"max": int(counts.max()),
                                       "min": int(counts.min())}) as beat:
            self.play(diagram.reset(run_time=beat.duration * 0.3), FadeOut(caption2),
                      FadeOut(numbers[0]), run_time=beat.duration * 0.3)
            self.play(FadeIn(uses, lag_ratio=0.1), FadeIn(uses_title),
                      run_time=beat.duration * 0.4)

        # --- the same with stride 2 -------------------------------------------------------------
        sp2 = STRIDED_1D
        strided, numbers2 = self.diagram_1d(sp2)
        counts2 = cm.usage_count(sp2)
        uses2 = count_marks(strided, "input", counts2)
        self.strided, self.usage_shown2 = strided, uses2
        with self.beat("stride", values={"s": sp2.stride[0]}) as beat:
            a, b = beat.split(1, 2)
            self.play(FadeOut(diagram), FadeOut(numbers[1]), FadeOut(uses), run_time=a)
            self.remove(diagram)
            self.play(FadeIn(strided), FadeIn(numbers2[1]), FadeIn(uses2), run_time=b)

        # --- 2D ------------------------------------------------------------------------------
        sp3 = GRID_2D
        grid = ConnectivityDiagram2D(sp3, (0, 0), of="output", cell_size=1.0, gap=3.0,
                                     lang=self.lang)
        grid.move_to(0.2 * DOWN)
        self.grid_2d = grid
        with self.beat("grid") as beat:
            a, b, c, d = beat.split(1, 1, 1, 1)
            self.play(FadeOut(strided), FadeOut(numbers2[1]), FadeOut(uses2), FadeOut(uses_title),
                      run_time=a)
            self.remove(strided)
            self.play(FadeIn(grid), run_time=b)
            self.play(grid.show((1, 1), of="output", run_time=c))
            self.play(grid.show((1, 2), of="input", run_time=d))

        # --- teaser: the arrows reversed --------------------------------------------------------
        reverse = ConnectivityDiagram(LINE_1D, cell_size=0.95, gap=3.2, reverse=True,
                                      lang=self.lang).move_to(0.35 * UP)
        numbers3 = index_labels(reverse)
        self.reverse = reverse
        with self.beat("next") as beat:
            a, b = beat.split(1, 2)
            self.play(FadeOut(grid), run_time=a)
            self.remove(grid)
            self.play(FadeIn(reverse.input_row, reverse.output_row, *numbers3), run_time=a)
            self.play(Create(reverse.lines, lag_ratio=0.08), run_time=b - a)
        self.add(reverse)
        self.play(FadeOut(reverse), FadeOut(*numbers3), run_time=0.8)


# --- A3: the configurable connectivity diagram ------------------------------------------------


class ConectividadConfigurable(Scene):
    """A3 for any 1D or 2D convolution chosen with the ``CONV_*`` variables of the
    configurable scenes (``scenes.kit.params_env``), not narrated::

        CONV_INPUT=7 CONV_KERNEL=3 CONV_STRIDE=2 CONV_PADDING=1 \\
            manim render scenes/s04_conectividad.py ConectividadConfigurable
        CONV_INPUT=3 CONV_KERNEL=3 CONV_STRIDE=2 CONV_TRANSPOSED=1 CONV_OUTPUT_PADDING=1 ...

    A convolution: every link of convmath.links, coloured by kernel tap (the shared weights are
    parallel lines of one colour), then output cell after output cell the links it reads, its
    value filled in. A transposed convolution: the same links reversed (from its input to its
    output), input cell after input cell the outputs it feeds, then the output values. 1D draws
    every link at once; 2D draws the links of the cell at hand. Words on screen come from
    segment 4's text in ``$LECTURE_LANG``; ``CONV_PACE`` sets the seconds per cell (default
    0.6). A bad setting prints one line (``convmath: error: ...``) and renders nothing.
    """

    DEFAULTS = {"input": "7", "kernel": "3"}   # unset: segment 4's first example
    CONV_ENV: dict = {}        # settings over the environment (scenes.kit.views.scene_environ)
    PACE = 0.6

    def __init__(self, *args, **kwargs):
        env = scene_environ(self)
        try:
            self.conv = conv_params_from_env(env, defaults=self.DEFAULTS, max_ndim=2,
                                             max_cells=64)
            check_drawable(self.conv.spec, "connectivity")
            self.pace = read_pace(env) if env.get(PACE_VAR, "").strip() else self.PACE
        except cm.ConvError as exc:
            exit_with(exc)
        self.lang = default_lang()
        self.text = load_segment_text("s04_conectividad", self.lang)
        super().__init__(*args, **kwargs)

    def s(self, key, **fields):
        return self.text.string(key, **fields)

    def construct(self):
        conv = self.conv
        sp = conv.spec
        header = header_row(sp, conv.op, self.lang)
        self.header = header
        fw, fh = config.frame_width, config.frame_height
        region = (-fw / 2 + palette.FRAME_MARGIN, -fh / 2 + palette.FRAME_MARGIN,
                  fw / 2 - palette.FRAME_MARGIN, header.get_bottom()[1] - 0.3)
        # what the operation computes: a convolution as the scene's op (flipped kernel for a
        # true convolution: the links then carry the flipped taps' colours as they slide)
        self.output_values = conv.output()
        self.add(header)
        if sp.ndim == 1:
            self.construct_1d(region)
        else:
            self.construct_2d(region)
        self.layout_report = {"end": layout_problems(self.mobjects)}
        self.wait(1.5)

    def construct_1d(self, region):
        sp = self.conv.spec
        l, b, r, t = region
        fwd = sp.forward()
        long_cells = fwd.padded_input[0]
        cell = min(0.95, (r - l) / long_cells)
        diagram = ConnectivityDiagram(sp, cell_size=cell, gap=min(3.2, (t - b) - 1.6),
                                      input_values=self.conv.x, lang=self.lang)
        fit_to_region(diagram, l, b, r, t)
        self.diagram = diagram
        p = self.pace
        self.play(FadeIn(diagram.input_row, diagram.output_row), run_time=0.8)
        self.play(Create(diagram.lines, lag_ratio=0.05), run_time=max(1.0, 3 * p))
        self.remove(diagram.input_row, diagram.output_row, diagram.lines)
        self.add(diagram)
        out = self.output_values
        if not sp.transposed:
            for o in range(sp.output[0]):
                self.play(diagram.highlight_output((o,), run_time=p * 0.6))
                self._fill_1d(diagram, o, out[o])
                self.wait(p * 0.4)
        else:
            for i in range(sp.input[0]):
                self.play(diagram.highlight_input((i,), run_time=p), run_time=p)
            for o in range(sp.output[0]):
                self._fill_1d(diagram, o, out[o])
            self.wait(max(1.0, 2 * p))
        self.play(diagram.reset(run_time=0.6))

    def _fill_1d(self, diagram, o, value):
        """Fill output cell ``o`` of a 1D diagram with ``value`` (now, between plays)."""
        row = diagram.output_row
        idx = (o + diagram.pad_before,) if self.conv.spec.transposed else (o,)
        cell = row.cell(idx)
        cell.set_fill(palette.OUTPUT, opacity=palette.FILL_OPACITY["output"])
        num = row.set_number(idx, value)
        # a spread-out row (a convolution's output sits over its windows) sizes numbers by the
        # distance between cells: bring the number back to the cell's size
        limit = 0.55 * cell.height
        if num.height > limit:
            num.scale(limit / num.height)
        width = 0.8 * cell.width
        if num.width > width:
            num.scale(width / num.width)
        num.move_to(cell)

    def construct_2d(self, region):
        sp = self.conv.spec
        l, b, r, t = region
        of = "input" if sp.transposed else "output"
        first = (0, 0)
        gap = 2.0
        rows = max(sp.input[0], sp.output[0])
        cols = sp.input[1] + sp.output[1]
        cell = min(0.9, (r - l - gap) / cols, (t - b - 0.7) / rows)
        grid = ConnectivityDiagram2D(sp, first, of=of, cell_size=cell, gap=gap,
                                     input_values=self.conv.x, lang=self.lang)
        fit_to_region(grid, l, b, r, t)
        self.grid_2d = grid
        p = self.pace
        out = self.output_values
        self.play(FadeIn(grid), run_time=1.0)
        cells = list(np.ndindex(*(sp.input if sp.transposed else sp.output)))
        for k, cell in enumerate(cells):
            anims = [] if k == 0 else [grid.show(cell, of=of, run_time=p * 0.6)]
            if not sp.transposed:
                anims.append(grid.output_grid.fill_animation(cell, out[cell],
                                                             run_time=p * 0.4))
            if anims:
                self.play(*anims, run_time=p)
            else:
                self.wait(p)
        if sp.transposed:
            self.play(AnimationGroup(*(grid.output_grid.fill_animation(o, out[o])
                                       for o in np.ndindex(*sp.output)), lag_ratio=0.05,
                                     group=grid.output_grid), run_time=max(1.0, 2 * p))
