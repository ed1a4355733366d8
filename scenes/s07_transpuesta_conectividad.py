"""Segment 7 — La transpuesta por conectividad: reverse every arrow of segment 4's diagram.

The 1D convolution of segment 4 (input 7, kernel 3, output 5) drawn as its connectivity
diagram, its weights keyed as w₁, w₂, w₃; every arrow turns around, the roles swap (the 5
cells become the input, the 7 the output) and, redrawn with the input at the bottom, it is
the transposed convolution 5 → 7 (``convmath.plan_transpose``). Each input cell feeds the
cells that fed it, through the same weight (same colour), and at each output the weights
arrive in reverse order: the flipped kernel. With numbers (``convmath.examples``), an
output is the sum of input·weight along the arrows that arrive at it (``convmath.reads`` of
the transposed spec), and the direct computation (``convmath.direct_storyboard``: the input
with k − 1 zeros on each side, swept by the flipped kernel) gives the same numbers. Then
stride 2: 3 inputs give 7 outputs, and some outputs get more arrows than others
(``convmath.overlap_map``). Cells keep their numbers (from 1) beside them throughout.

    manim render scenes/s07_transpuesta_conectividad.py TranspuestaPorConectividad
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, RIGHT, UP, AnimationGroup, Create, FadeIn, FadeOut, Indicate,
                   ReplacementTransform, Succession, Text, VGroup)

import convmath as cm
from convmath.examples import example_input, example_values
from scenes.kit import palette
from scenes.kit.cells.grid import CellGrid
from scenes.kit.cells.legend import WeightKey, weight_name
from scenes.kit.diagrams.connectivity import ConnectivityDiagram, redraw
from scenes.kit.diagrams.diagram_marks import count_marks, index_marks
from scenes.kit.matrices.products import ProductsLine
from scenes.kit.motion.fade import fade_swap
from scenes.kit.operation.fly import FlyNumbers
from scenes.kit.text.tex import LightenOnAdd
from scenes.kit.text.words import shape_label, spoken_list
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import load_segment_text
from scenes.segments import SEGMENTS, segment_number
from scenes.title_beat import play_title

# Segment 4's example and its transpose; then the same with stride 2.
LINE = cm.spec(7, 3)
LINE_T = cm.plan_transpose(LINE).transposed           # 5 → 7
STRIDED = cm.spec(7, 3, stride=2)
STRIDED_T = cm.plan_transpose(STRIDED).transposed     # 3 → 7

# The numbers: digits 0–3 for the input; for the kernel a seed whose three weights differ
# (1–3), so each tap colour stands for a different number.
KERNEL_SEED = 14
FEED_CELL = 2          # the input cell whose links are shown (0-based)
ORDER_CELL = 3         # the output whose arriving weights are read left to right
SUM_CELLS = (3, 0)     # the output cells summed in detail: a middle one, then a border one

# Layout (Manim units; the frame is 14.2 × 8, subtitles below y = −2.8). The rows' labels
# sit at their left, the cell numbers beside the cells, the weight key at the right.
CELL = 0.92
GAP = 3.05                       # between the rows' centres
ROWS_CENTRE = np.array([-0.75, 0.08, 0.0])
LABEL_X = -4.4                   # right edge of the labels, from the rows' centre
KEY_CENTRE = np.array([5.3, 0.75, 0.0])
KEY_CELL = 0.85
TAG_Y, CAPTION_Y = 3.5, 2.95
NUMBER_SIZE = 26


def example():
    """The transposed convolution's input y and kernel w, and its output (convmath)."""
    y = example_input(LINE_T.input)
    w = example_values(LINE_T.kernel, seed=KERNEL_SEED, low=1, high=3)
    return y, w, cm.transposed_conv(y, w)


class TranspuestaPorConectividad(LightenOnAdd, NarratedScene):
    segment_id = "s07_transpuesta_conectividad"

    # --- pieces -------------------------------------------------------------------------------
    def diagram(self, sp, **kwargs) -> ConnectivityDiagram:
        d = ConnectivityDiagram(sp, cell_size=CELL, gap=GAP, lang=self.lang, label_x=LABEL_X,
                                stroke_width=4, tip_length=0.18, **kwargs)
        return d.shift(ROWS_CENTRE)

    def numbers(self, diagram) -> tuple[VGroup, VGroup]:
        """The cell numbers (from 1) of the diagram's input and output rows, beside the cells."""
        return tuple(index_marks(diagram, role, font_size=NUMBER_SIZE, outside=True)
                     for role in ("input", "output"))

    def text_at(self, text: str, y: float, size: float = 30, color=palette.TEXT) -> Text:
        t = Text(text, font=palette.FONT, font_size=size, color=color)
        if t.width > 13.0:
            t.scale_to_fit_width(13.0)
        return t.move_to([0, y, 0])

    def tag(self, key: str) -> Text:
        return self.text_at(self.s(key), TAG_Y, size=28, color=palette.TEXT_DIM)

    def caption(self, key: str, **fields) -> Text:
        return self.text_at(self.s(key, **fields), CAPTION_Y)

    def reversed_diagram(self, sp) -> ConnectivityDiagram:
        """``sp``'s diagram with every arrow reversed and the rows renamed for their new roles:
        the forward output is now the input, the forward input the output."""
        rev = self.diagram(sp, reverse=True)
        for row, role, shape in ((rev.short_row, "input", sp.output),
                                 (rev.long_row, "output", sp.input)):
            color = palette.ROLE_COLORS[role]
            label = Text(shape_label(role, shape, self.lang), font=palette.FONT,
                         font_size=palette.LABEL_SIZE, color=color)
            label.move_to(row.label, aligned_edge=RIGHT)
            row.remove(row.label)
            row.label = label
            row.add(label)
            for cell in row.cells:
                cell.set_fill(color).set_stroke(color)
        return rev

    def turn_arrows(self, fwd: ConnectivityDiagram, rev: ConnectivityDiagram) -> list:
        """Animations: arrow by arrow, ``fwd``'s arrow fades as ``rev``'s (same link, reversed)
        appears."""
        for line in rev.lines:
            line.set_opacity(0)
        return [AnimationGroup(*(a.animate.set_opacity(0) for a in fwd.lines), lag_ratio=0.06,
                               group=fwd.lines),
                AnimationGroup(*(a.animate.set_opacity(1) for a in rev.lines), lag_ratio=0.06,
                               group=rev.lines)]

    def settle(self, whole, *parts) -> None:
        self.remove(*parts)
        self.add(whole)

    def construct(self):
        card = play_title(self, values={"part": segment_number("s04_conectividad")})
        self.reverse_part(card)
        self.weights_part()
        self.numbers_part()
        self.stride_part()
        self.next_part()
        self.wait(1.0)
        self.play(*(FadeOut(m) for m in self.mobjects), run_time=0.8)

    # --- segment 4's diagram, its arrows reversed ------------------------------------------------
    def reverse_part(self, card):
        sp, tsp = LINE, LINE_T
        n_in, n_out, k = sp.input[0], sp.output[0], sp.kernel[0]
        fwd = self.diagram(sp)
        long_nums, short_nums = self.numbers(fwd)          # input (7, bottom), output (5, top)
        key = WeightKey(sp.kernel, cell_size=KEY_CELL,
                        title=shape_label("kernel", sp.kernel, self.lang)).move_to(KEY_CENTRE)
        self.key = key
        tag = self.tag("conv")
        values = {"i": n_in, "o": n_out, "k": k}
        with self.beat("recall", values=values) as beat:
            beat.at("input", FadeOut(card, shift=UP), FadeIn(fwd.input_row), FadeIn(long_nums),
                    FadeIn(tag))
            beat.at("kernel", FadeIn(key))
            beat.at("output", FadeIn(fwd.output_row), FadeIn(short_nums))
            beat.at("arrows", Create(fwd.lines, lag_ratio=0.08))
        self.settle(fwd, fwd.input_row, fwd.output_row, fwd.lines)
        self.forward = fwd

        # the same geometry, arrows reversed, then the rows take their new roles
        rev = self.reversed_diagram(sp)
        tag2 = self.tag("reversed")
        with self.beat("reverse", values=values) as beat:
            beat.at("rev", *self.turn_arrows(fwd, rev), ReplacementTransform(tag, tag2))
            beat.at("newin", ReplacementTransform(fwd.short_row, rev.short_row))
            beat.at("newout", ReplacementTransform(fwd.long_row, rev.long_row))
        self.remove(fwd, fwd.lines)
        self.settle(rev, rev.lines, rev.short_row, rev.long_row)
        self.reversed_view = rev
        # where the arrows are now (the next beat moves them): forward ones, reversed ones
        self.arrow_ends = [((a.get_start().copy(), a.get_end().copy()),
                            (b.get_start().copy(), b.get_end().copy()))
                           for a, b in zip(fwd.lines, rev.lines)]

        # redrawn as a transposed convolution: input (5) at the bottom, output (7) on top;
        # arrows, labels and numbers move with their cells
        tr = self.diagram(tsp)
        tr_in, tr_out = self.numbers(tr)
        tag3 = self.tag("transposed")
        with self.beat("flip", values=values) as beat:
            beat.at("redraw", redraw(rev, tr), ReplacementTransform(short_nums, tr_in),
                    ReplacementTransform(long_nums, tr_out))
            beat.at("tr", ReplacementTransform(tag2, tag3))
            beat.at("from", Indicate(tr.input_row.label, color=palette.INPUT_TEXT))
            beat.at("to", Indicate(tr.output_row.label, color=palette.OUTPUT_TEXT))
        self.transposed_view, self.tr_marks, self.tag_mob = tr, (tr_in, tr_out), tag3

        feeds = cm.feeds(tsp)[(FEED_CELL,)]
        cells = [o[0] + 1 for o, _ in feeds]
        self.shown_feeds = (FEED_CELL, [o[0] for o, _ in feeds])
        said = spoken_list(cells, self.lang)
        cap = self.caption("feeds", c=FEED_CELL + 1, cells=said)
        with self.beat("feeds", values={"c": FEED_CELL + 1, "cells": said}) as beat:
            beat.at("c", tr.highlight_input(FEED_CELL))
            beat.at("cells", tr.highlight_input(FEED_CELL, feeds=True), FadeIn(cap))
        self.caption_mob = cap

    # --- the same weights, arriving in reverse order ------------------------------------------------
    def weights_part(self):
        tsp, tr, key = LINE_T, self.transposed_view, self.key
        arriving = sorted(cm.reads(tsp)[(ORDER_CELL,)])        # by input cell, left to right
        taps = [t[0] for _, t in arriving]
        self.arriving_taps = taps
        names = {f"w{c}": weight_name((t,)) for c, t in zip("abc", taps)}
        flipped = WeightKey(tsp.kernel, cell_size=KEY_CELL, order=taps,
                            title=self.s("flipped"))
        flipped.next_to(key, DOWN, buff=1.0)
        self.flipped_key = flipped
        same = self.caption("same_weights")
        with self.beat("weights", values={"o": ORDER_CELL + 1, **names}) as beat:
            beat.at("same", tr.reset(), ReplacementTransform(self.caption_mob, same),
                    Succession(*(Indicate(key.entry(t), color=palette.tap_color(t))
                                 for t in range(tsp.kernel[0]))))
            beat.at("out", tr.highlight(VGroup(), [tr.output_cell(ORDER_CELL)]), FadeOut(same))
            # the arriving arrows one by one, left to right, each with its weight in the key
            shown, cells = VGroup(), [tr.output_cell(ORDER_CELL)]
            for c, ((i,), (t,)) in zip("abc", arriving):
                shown.add(tr.line_between((i,), (ORDER_CELL,)))
                cells.append(tr.input_cell((i,)))
                beat.at(f"w{c}", tr.highlight(VGroup(*shown), list(cells)),
                        Indicate(key.entry(t), color=palette.tap_color(t)))
            beat.at("flip", FadeIn(flipped, shift=0.2 * DOWN))
        self.play(tr.reset(), run_time=0.6)

    # --- numbers: follow the arrows back ---------------------------------------------------------
    def numbers_part(self):
        tsp, tr, key = LINE_T, self.transposed_view, self.key
        y, w, out = example()
        self.y, self.w, self.out = y, w, out
        # the same diagram with the input's values in its cells (shown on their word)
        valued = self.diagram(tsp, input_values=y)
        valued.short_row.numbers.set_opacity(0)
        self.remove(tr)
        self.add(valued)
        w_marks = key.value_marks(w)
        flipped_marks = self.flipped_key.value_marks(w)
        self.key_values = VGroup(w_marks, flipped_marks)
        said_w = spoken_list([int(v) for v in w], self.lang)
        with self.beat("values", values={"i2": tsp.input[0], "w": said_w}) as beat:
            beat.at("y", valued.short_row.numbers.animate.set_opacity(1))
            beat.at("w", FadeIn(w_marks), FadeIn(flipped_marks))
        self.valued = valued

        reads = cm.reads(tsp)
        self.sums = []
        line_mob = None
        for beat_id, o in zip(("sum_one", "sum_two"), SUM_CELLS):
            arriving = sorted(reads[(o,)])
            pairs = [(y[i], w[t]) for (i,), (t,) in arriving]
            colors = [palette.tap_color(t) for _, (t,) in arriving]
            line = ProductsLine(pairs, weight_colors=colors, lang=self.lang, font_size=40)
            head = Text(self.s("sum_of", o=o + 1), font=palette.FONT, font_size=30,
                        color=palette.OUTPUT_TEXT)
            row = VGroup(head, line).arrange(RIGHT, buff=0.3).move_to([0, CAPTION_Y, 0])
            products = VGroup(head, *line.line[:-2])
            total = VGroup(*line.line[-2:])
            values = {"o1" if beat_id == "sum_one" else "o2": o + 1}
            if beat_id == "sum_one":
                values["v1"] = int(out[o])
            else:
                n = len(pairs)
                values.update(arrows2=(self.s("arrow_one") if n == 1
                                       else self.s("arrow_many", n=n)), v2=int(out[o]))
            with self.beat(beat_id, values=values) as beat:
                first = "arr" if beat_id == "sum_one" else "o"
                out_anims = [FadeOut(line_mob)] if line_mob is not None else []
                beat.at(first, valued.highlight_output(o, reads=True), *out_anims)
                if beat_id == "sum_one":
                    beat.at("o", FadeIn(products))
                else:
                    beat.at("n", FadeIn(products))
                beat.at("v", FadeIn(total), FlyNumbers([line.total], valued.long_row,
                                                       [(o + valued.pad_before,)], [out[o]]))
            self.settle(row, products, total)
            line_mob = row
            self.sums.append((o, line))

        # every output, then the direct computation: zeros around the input, flipped kernel
        de = cm.direct_storyboard(tsp, y, w)
        board = de.storyboard
        z = de.padding[0][0]
        direct = CellGrid(board.padded, cell_kind=de.cell_kind, role="input", cell_size=CELL,
                          show_numbers={"padding"})
        # its input cells on the diagram's input cells: the zeros stick out on both sides, and
        # the window over padded cells j … j + k − 1 sits under output j
        direct.shift(valued.input_cell((0,)).get_center() - direct.cell((z,)).get_center())
        zeros = [j for j in range(board.padded.shape[0]) if de.cell_kind[j] == "padding"]
        zero_cells = VGroup(*(direct.cell((j,)) for j in zeros),
                            *(direct.number((j,)) for j in zeros))
        k = tsp.kernel[0]
        # the flipped kernel's outline, each cell in its weight's colour (w₃ w₂ w₁)
        window = VGroup(*(direct.cell((j,)).copy().set_fill(opacity=0)
                          .set_stroke(palette.tap_color(t), width=6)
                          for j, t in zip(range(k), self.arriving_taps)))
        steps = board.steps
        rest = [o for o in range(tsp.output[0]) if o not in SUM_CELLS]
        fills = [valued.long_row.fill_animation((o + valued.pad_before,), out[o]) for o in rest]
        matches = self.caption("matches")
        self.direct, self.direct_window = de, window
        with self.beat("fill", values={"z": z}) as beat:
            beat.at("rest", valued.reset(), FadeOut(line_mob),
                    AnimationGroup(*fills, lag_ratio=0.3, group=valued.long_row))
            beat.at("direct", FadeIn(zero_cells), FadeIn(window),
                    Indicate(self.flipped_key, color=palette.HIGHLIGHT, scale_factor=1.05))
            beat.at("same", Succession(*(AnimationGroup(
                self.slide(window, direct, step.window),
                Indicate(valued.output_cell((step.output[0],)), color=palette.HIGHLIGHT,
                         scale_factor=1.0), run_time=0.45) for step in steps)),
                    FadeIn(matches))
        self.zero_cells, self.fill_caption = zero_cells, matches

    def slide(self, window: VGroup, grid: CellGrid, start) -> "Animation":
        """The flipped kernel's outline moved so its first cell is over ``grid``'s cell ``start``
        (measured when the step begins, not when it is built)."""
        from scenes.kit.motion.moves import Slide

        return Slide(window, lambda: grid.cell(start).get_center() - window[0].get_center())

    # --- stride 2 ------------------------------------------------------------------------------
    def stride_part(self):
        sp, tsp = STRIDED, STRIDED_T
        fwd = self.diagram(sp)
        f_long, f_short = self.numbers(fwd)
        rev = self.reversed_diagram(sp)
        tr = self.diagram(tsp)
        t_in, t_out = self.numbers(tr)
        self.strided_forward, self.strided = fwd, tr
        tag_c, tag_r, tag_t = self.tag("conv"), self.tag("reversed"), self.tag("transposed")
        stride_cap = self.caption("stride", s=sp.stride[0])
        in_nums, out_nums = self.tr_marks
        # in the pause before: the first example goes; the kernel's key and the tag stay
        self.play(FadeOut(self.valued), FadeOut(in_nums), FadeOut(out_nums),
                  FadeOut(self.zero_cells), FadeOut(self.direct_window),
                  FadeOut(self.fill_caption), FadeOut(self.key_values),
                  FadeOut(self.flipped_key), run_time=0.6)
        values = {"s": sp.stride[0], "i": sp.input[0], "o3": sp.output[0]}
        with self.beat("stride", values=values) as beat:
            beat.at("s", FadeIn(fwd), FadeIn(f_long), FadeIn(f_short),
                    ReplacementTransform(self.tag_mob, tag_c), FadeIn(stride_cap))
            beat.at("conv", Indicate(fwd.input_row.label, color=palette.INPUT_TEXT),
                    Indicate(fwd.output_row.label, color=palette.OUTPUT_TEXT))
            beat.at("rev", *self.turn_arrows(fwd, rev),
                    ReplacementTransform(fwd.short_row, rev.short_row),
                    ReplacementTransform(fwd.long_row, rev.long_row),
                    ReplacementTransform(tag_c, tag_r))
            self.remove(fwd, fwd.lines)
            self.settle(rev, rev.lines, rev.short_row, rev.long_row)
            beat.at("tr", redraw(rev, tr), ReplacementTransform(f_short, t_in),
                    ReplacementTransform(f_long, t_out), ReplacementTransform(tag_r, tag_t))

        counts = cm.overlap_map(tsp)
        marks = count_marks(tr, "output", counts, font_size=30)
        self.overlap_marks = marks
        most = [tr.output_cell((o,)) for o in range(tsp.output[0]) if counts[o] == counts.max()]
        least = [tr.output_cell((o,)) for o in range(tsp.output[0]) if counts[o] == counts.min()]
        cap = self.caption("arrivals")
        lo = int(counts.min())
        values = {"hi": int(counts.max()), "lo": self.s("only_one") if lo == 1 else lo}
        with self.beat("overlap", values=values) as beat:
            beat.at("hi", FadeIn(marks, lag_ratio=0.15), ReplacementTransform(stride_cap, cap),
                    tr.highlight(tr.lines, most))
            beat.at("lo", tr.highlight(tr.lines, least))
        self.stride_group = VGroup(tr, marks, t_in, t_out, tag_t, self.key)
        self.arrivals_caption = cap

    def next_part(self):
        ids = [s.id for s in SEGMENTS]
        nxt = ids[ids.index(self.segment_id) + 1]
        num = Text(str(segment_number(nxt)), font=palette.TITLE_FONT, font_size=44,
                   color=palette.ACCENT)
        name = Text(load_segment_text(nxt, self.lang).title, font=palette.FONT, font_size=36,
                    color=palette.TEXT)
        item = VGroup(num, name).arrange(RIGHT, buff=0.4).move_to(DOWN * 0.2)
        summary = self.caption("summary")
        with self.beat("next") as beat:
            beat.at("same", self.strided.reset(), ReplacementTransform(self.arrivals_caption, summary))
            # the diagram leaves before the next part's name comes in: never both at once
            beat.at("matrix", fade_swap(self.stride_group, item))
        self.next_item = item
