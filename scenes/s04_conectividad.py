"""Segment 4 — Conectividad de los filtros (the post's animation A3).

Which inputs each output reads and, turned around, which outputs each input feeds: a 1D
input of 7 cells and a 3-tap kernel (the line colours keyed to the weights w₁, w₂, w₃), the
same with stride 2, then the guide's 2D case (4×4 input, 3×3 kernel) in both directions,
ending on its arrows reversed: the transposed convolution of segments 7–9. Every link drawn
is one of convmath.links; every count is convmath's (reads, feeds, usage_count).

    manim render scenes/s04_conectividad.py ConectividadFiltros

``ConectividadConfigurable`` (A3, not narrated) draws the same diagram for any convolution or
transposed convolution chosen with the ``CONV_*`` variables (see its docstring).
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Create, FadeIn, FadeOut,
                   ReplacementTransform, Scene, Succession, Text, VGroup, config)

import convmath as cm
from scenes.configurable.params_env import conv_params_from_env, exit_with
from scenes.configurable.views import PACE_VAR, check_drawable, read_pace, scene_environ
from scenes.kit import palette
from scenes.kit.cells.legend import WeightKey, weight_name
from scenes.kit.cells.settings_text import header_row
from scenes.kit.diagrams.connectivity import ConnectivityDiagram, ConnectivityDiagram2D
from scenes.kit.diagrams.diagram_marks import count_marks, grid_index_marks, index_marks
from scenes.kit.layout import fit_to_region, layout_problems
from scenes.kit.text.numfmt import counted, en_article
from scenes.kit.text.tex import default_lang
from scenes.kit.text.titles import TitleCard
from scenes.kit.text.words import said_size, shape_label, size_text, spoken_list
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import load_segment_text
from scenes.segments import segment_number

# The examples: a 1D input of 7 cells and a 3-tap kernel, then the same with stride 2,
# then a 2D 4×4 input with a 3×3 kernel (the guide's first figure).
LINE_1D = cm.spec(7, 3)
STRIDED_1D = cm.spec(7, 3, stride=2)
GRID_2D = cm.spec((4, 4), 3)

READ_OUTPUT = (1,)        # the output whose reads are shown (0-based: "salida 2")
FEED_INPUT = (3,)         # the input whose feeds are shown ("entrada 4")
CORNER_2D = (0, 0)        # 2D: an input in the corner (feeds one output) ...
CENTRE_2D = (1, 1)        # ... and one in the middle (feeds them all)

# Layout (Manim units; the frame is 14.2 × 8, subtitles below y = −2.8)
CAPTION_Y = 3.45
CAPTION_SIZE = 30
CELL_1D, GAP_1D = 1.25, 3.0     # cell side, distance between the two rows' centres
CELL_2D, GAP_2D = 1.05, 2.6     # cell side, gap between the input and output grids
GRID_2D_Y = 0.0                 # height of the 2D input grid's centre (its column numbers
                                # sit under it, above the subtitles)
KEY_CELL = 0.95
KEY_BUFF = 0.9                  # between a diagram and its weight key
NUMBER_SIZE = 30                # cell numbers of the 1D rows
COUNT_SIZE = 34                 # usage counts


def count_words(n: int, text) -> str:
    """``n`` outputs with the noun in the right number ("1 salida", "4 salidas")."""
    return counted(n, text.string("output_one"), text.string("output_many"))


def side_by_side(diagram, key, y: float = 0.0) -> None:
    """The diagram and its weight key in one row, centred in the frame at height ``y``
    (the diagram's own cells set the height: its labels may stick out above or below)."""
    key.next_to(diagram, RIGHT, buff=KEY_BUFF)
    row = VGroup(diagram, key)
    row.shift(np.array([-row.get_center()[0], 0.0, 0.0]))
    key.set_y(y)


class ConectividadFiltros(NarratedScene):
    segment_id = "s04_conectividad"

    # --- pieces -------------------------------------------------------------------------------
    def caption(self, key: str, **fields) -> Text:
        t = Text(self.s(key, **fields), font=palette.FONT, font_size=CAPTION_SIZE,
                 color=palette.TEXT)
        if t.width > config.frame_width - 1.0:
            t.scale_to_fit_width(config.frame_width - 1.0)
        return t.move_to([0, CAPTION_Y, 0])

    def diagram_1d(self, sp) -> ConnectivityDiagram:
        return ConnectivityDiagram(sp, cell_size=CELL_1D, gap=GAP_1D, lang=self.lang,
                                   stroke_width=4, tip_length=0.2)

    def settle(self, whole, *parts) -> None:
        """``whole`` on screen as one mobject once its ``parts`` were brought in one by one."""
        self.remove(*parts)
        self.add(whole)

    def construct(self):
        card = TitleCard(segment_number(self.segment_id), self.text.title, self.s("subtitle"),
                         lang=self.lang)
        with self.beat("title") as beat:
            self.play(card.intro(run_time=min(2.0, beat.duration / 2)))
        self.line_part(card)
        self.stride_part()
        self.grid_part()
        self.next_part()
        self.wait(1.0)
        self.play(*(FadeOut(m) for m in self.mobjects), run_time=0.8)

    # --- 1D: what each output reads, what each input feeds ------------------------------------
    def line_part(self, card):
        sp = LINE_1D
        k, n_in, n_out = sp.kernel[0], sp.input[0], sp.output[0]
        diagram = self.diagram_1d(sp)
        key = WeightKey(sp.kernel, cell_size=KEY_CELL,
                        title=shape_label("kernel", sp.kernel, self.lang))
        side_by_side(diagram, key, y=0.0)
        in_nums = index_marks(diagram, "input", font_size=NUMBER_SIZE)
        out_nums = index_marks(diagram, "output", font_size=NUMBER_SIZE)
        self.diagram, self.key = diagram, key
        self.diagram_numbers = (in_nums, out_nums)

        with self.beat("diagram", values={"i": n_in, "o": n_out, "k": k}) as beat:
            beat.at("input", FadeOut(card, shift=UP), FadeIn(diagram.input_row), FadeIn(in_nums))
            beat.at("output", FadeIn(diagram.output_row), FadeIn(out_nums))
            beat.at("lines", Create(diagram.lines, lag_ratio=0.08))
        self.settle(diagram, diagram.input_row, diagram.output_row, diagram.lines)

        # the key of the line colours: one weight at a time, with its lines
        names = [weight_name((t,)) for t in range(k)]
        entries = [key.entry(t) for t in range(k)]
        with self.beat("colors", values={f"w{t + 1}": n for t, n in enumerate(names)}) as beat:
            for t, entry in enumerate(entries):
                extra = [FadeIn(key.title)] if t == 0 else []
                beat.at(f"w{t + 1}", diagram.highlight_tap(t), FadeIn(entry), *extra)
        self.settle(key, key.title, *entries)
        self.key_names = names
        self.line_colors = [(line.tap_flat, line.get_color()) for line in diagram.lines]

        # what one output reads
        o1 = READ_OUTPUT
        cells1 = [c[0] + 1 for c, _ in cm.reads(sp)[o1]]
        said1 = spoken_list(cells1, self.lang)
        reads_cap = self.caption("reads", o=o1[0] + 1, cells=said1)
        with self.beat("reads", values={"o1": o1[0] + 1, "cells1": said1}) as beat:
            beat.at("o", diagram.highlight_output(o1))
            beat.at("cells", diagram.highlight_output(o1, reads=True), FadeIn(reads_cap))
        self.shown_reads = (o1, cells1)

        # the same three colours at every output: shared weights
        shared_cap = self.caption("shared", k=k, o=n_out)
        sweep = [diagram.highlight(diagram.lines_of_output((o,)), [diagram.output_cell((o,))],
                                   run_time=0.45) for o in range(n_out)]
        with self.beat("shared", values={"k": k}) as beat:
            beat.at("every", FadeOut(reads_cap), Succession(*sweep, group=diagram))
            beat.at("shared", diagram.reset(), FadeIn(shared_cap))

        # the other way round: what one input feeds
        c2 = FEED_INPUT
        cells2 = [o[0] + 1 for o, _ in cm.feeds(sp)[c2]]
        said2 = spoken_list(cells2, self.lang)
        feeds_cap = self.caption("feeds", c=c2[0] + 1, cells=said2)
        with self.beat("feeds", values={"c2": c2[0] + 1, "cells2": said2}) as beat:
            beat.at("c", FadeOut(shared_cap), diagram.highlight_input(c2))
            beat.at("cells", diagram.highlight_input(c2, feeds=True), FadeIn(feeds_cap))
        self.shown_feeds = (c2, cells2)

        # how many outputs each input feeds: the cell numbers become the counts
        counts = cm.usage_count(sp)
        uses = count_marks(diagram, "input", counts, font_size=COUNT_SIZE)
        uses_cap = self.caption("uses")
        most = [diagram.input_cell((j,)) for j in range(n_in) if counts[j] == counts.max()]
        least = [diagram.input_cell((j,)) for j in range(n_in) if counts[j] == counts.min()]
        with self.beat("uses", values={"max": int(counts.max()), "min": int(counts.min())}) as beat:
            beat.at("mid", diagram.highlight(diagram.lines, most),
                    ReplacementTransform(in_nums, uses), ReplacementTransform(feeds_cap, uses_cap))
            beat.at("edge", diagram.highlight(diagram.lines, least))
        self.usage_shown, self.uses_cap = uses, uses_cap

    # --- the same with stride 2 ---------------------------------------------------------------
    def stride_part(self):
        sp = STRIDED_1D
        diagram, uses = self.diagram, self.usage_shown
        strided = self.diagram_1d(sp)
        strided.shift(diagram.input_row.cells.get_center() - strided.input_row.cells.get_center())
        out_nums = index_marks(strided, "output", font_size=NUMBER_SIZE)
        counts = cm.usage_count(sp)
        uses2 = count_marks(strided, "input", counts, font_size=COUNT_SIZE)
        tag = Text(self.s("stride", s=sp.stride[0]), font=palette.FONT, font_size=CAPTION_SIZE,
                   color=palette.HIGHLIGHT)
        tag.next_to(self.key, DOWN, buff=0.6)
        busiest = [strided.input_cell((j,)) for j in range(sp.input[0])
                   if counts[j] == counts.max()]
        values = {"s": sp.stride[0], "o2": sp.output[0], "max2": int(counts.max())}
        with self.beat("stride", values=values) as beat:
            # the stride and every number that depends on it change together
            beat.at("s", ReplacementTransform(diagram, strided),
                    ReplacementTransform(self.diagram_numbers[1], out_nums),
                    ReplacementTransform(uses, uses2), FadeIn(tag))
            beat.at("o", strided.highlight(strided.lines, [strided.output_cell((o,))
                                                           for o in range(sp.output[0])]))
            beat.at("fewer", strided.highlight(strided.lines, busiest))
        self.strided, self.usage_shown2 = strided, uses2
        self.stride_parts = VGroup(strided, out_nums, uses2, tag, self.uses_cap)

    # --- 2D, both directions --------------------------------------------------------------------
    def grid_part(self):
        sp = GRID_2D
        grid = ConnectivityDiagram2D(sp, None, cell_size=CELL_2D, gap=GAP_2D, arrows=True,
                                     stroke_width=4, lang=self.lang)
        key = WeightKey(sp.kernel, cell_size=KEY_CELL,
                        title=shape_label("kernel", sp.kernel, self.lang))
        # row and column numbers (from 1) so that the cells the captions name can be found
        in_marks = grid_index_marks(grid, "input", rows_side=LEFT)
        out_marks = grid_index_marks(grid, "output", rows_side=RIGHT)
        whole = VGroup(grid, in_marks, out_marks)
        side_by_side(whole, key, y=0.0)
        whole.shift(DOWN * (grid.input_grid.cells.get_center()[1] - GRID_2D_Y))
        self.grid_2d, self.key_2d = grid, key
        self.grid_marks = (in_marks, out_marks)

        def said(shape):
            return said_size(shape, self.lang)

        values = {"i2": said(sp.input), "k2": said(sp.kernel), "o2": said(sp.output),
                  # English only: the articles before the sizes ("A 4 by 4 input", "an 8 by 8")
                  "ai": en_article(sp.input[0]).capitalize(), "ak": en_article(sp.kernel[0]),
                  "ao": en_article(sp.output[0])}
        with self.beat("grid", values=values) as beat:
            beat.at("input", FadeOut(self.stride_parts), FadeOut(self.key),
                    FadeIn(grid.input_grid), FadeIn(in_marks))
            beat.at("kernel", FadeIn(key))
            beat.at("output", FadeIn(grid.output_grid), FadeIn(out_marks))
        self.settle(grid, grid.input_grid, grid.output_grid)

        # what an output reads: a 3×3 patch, each input through its own weight
        first, second = (0, 0), (0, 1)
        n = len(cm.reads(sp)[first])
        cap1 = self.caption("reads_2d", r=first[0] + 1, c=first[1] + 1, n=n)
        cap2 = self.caption("reads_2d", r=second[0] + 1, c=second[1] + 1,
                            n=len(cm.reads(sp)[second]))
        values = {"k2": said(sp.kernel), "n": n, "ak": en_article(sp.kernel[0])}
        with self.beat("grid_reads", values=values) as beat:
            beat.at("o1", grid.show(first, "output", lines=False))
            beat.at("patch", grid.show(first, "output"), FadeIn(cap1))
            beat.at("o2", grid.show(second, "output"), ReplacementTransform(cap1, cap2))
        self.shown_reads_2d = [(first, n), (second, len(cm.reads(sp)[second]))]

        # what an input feeds: the corner one output, a middle one every output
        feeds = cm.feeds(sp)
        n_corner, n_centre = len(feeds[CORNER_2D]), len(feeds[CENTRE_2D])
        cap3 = self.caption("feeds_2d", r=CORNER_2D[0] + 1, c=CORNER_2D[1] + 1,
                            outs=count_words(n_corner, self.text))
        cap4 = self.caption("feeds_2d", r=CENTRE_2D[0] + 1, c=CENTRE_2D[1] + 1,
                            outs=count_words(n_centre, self.text))
        values = {"outs2": count_words(n_corner, self.text), "r": CENTRE_2D[0] + 1,
                  "c": CENTRE_2D[1] + 1, "n1": n_centre}
        with self.beat("grid_feeds", values=values) as beat:
            beat.at("corner", grid.show(CORNER_2D, "input"), ReplacementTransform(cap2, cap3))
            beat.at("c1", grid.show(CENTRE_2D, "input", lines=False))
            beat.at("many", grid.show(CENTRE_2D, "input"), ReplacementTransform(cap3, cap4))
        self.shown_feeds_2d = [(CORNER_2D, n_corner), (CENTRE_2D, n_centre)]
        self.feeds_cap = cap4

    # --- the promise: the arrows reversed --------------------------------------------------------
    def next_part(self):
        grid = self.grid_2d
        plan = cm.plan_transpose(grid.spec).transposed
        cap = self.caption("transposed", a=size_text(plan.input), b=size_text(plan.output))
        with self.beat("next") as beat:
            beat.at("rev", grid.reverse(), FadeOut(self.feeds_cap))
            beat.at("tr", FadeIn(cap))
        self.reverse, self.transposed_caption = grid, cap
        self.transposed_shapes = (plan.input, plan.output)


# --- A3: the configurable connectivity diagram ------------------------------------------------


class ConectividadConfigurable(Scene):
    """A3 for any 1D or 2D convolution chosen with the ``CONV_*`` variables of the
    configurable scenes (``scenes.configurable.params_env``), not narrated::

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
    CONV_ENV: dict = {}        # settings over the environment (scenes.configurable.views.scene_environ)
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
