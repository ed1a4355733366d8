"""Segment 7 — La transpuesta por conectividad: reverse every arrow of segment 4's diagram.

The 1D convolution of segment 4 (input 7, kernel 3, output 5) drawn as its connectivity
diagram; every arrow turns around, the roles swap (the 5 cells become the input, the 7 the
output) and, redrawn with the input at the bottom, it is the transposed convolution 5 → 7
(``convmath.plan_transpose``). Each input cell feeds the cells that fed it, through the
same kernel weight (same tap colour). With numbers (``convmath.examples``), an output is
the sum of input·weight along the arrows that arrive at it (``convmath.reads`` of the
transposed spec) and equals ``convmath.transposed_conv``. Then stride 2: 3 inputs give 7
outputs, and some outputs get more arrows than others (``convmath.overlap_map``).

    manim render scenes/s07_transpuesta_conectividad.py TranspuestaPorConectividad
"""

from __future__ import annotations

from manim import (DOWN, RIGHT, UP, AnimationGroup, Create, FadeIn, FadeOut, Indicate,
                   FadeTransform, Text, Transform, VGroup)

import convmath as cm
from convmath.examples import example_input, example_values
from scenes.kit import palette
from scenes.kit.connectivity import ConnectivityDiagram
from scenes.kit.diagram_marks import count_marks, index_marks
from scenes.kit.fly import FlyNumbers
from scenes.kit.light import LightenOnAdd
from scenes.kit.lists import spoken_list
from scenes.kit.products import ProductsLine
from scenes.kit.tap_kernel import tap_kernel
from scenes.kit.titles import play_title
from scenes.kit.words import shape_label
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import load_segment_text
from scenes.segments import SEGMENTS, segment_number

# Segment 4's example and its transpose; then the same with stride 2.
LINE = cm.spec(7, 3)
LINE_T = cm.plan_transpose(LINE).transposed           # 5 → 7
STRIDED = cm.spec(7, 3, stride=2)
STRIDED_T = cm.plan_transpose(STRIDED).transposed     # 3 → 7

# The numbers: digits 0–3 for the input; for the kernel a seed whose three weights differ
# (1–3), so each tap colour stands for a different number.
KERNEL_SEED = 14
FEED_CELL = 2          # the input cell whose links are shown (0-based)
SUM_CELLS = (3, 0)     # the output cells summed in detail: a middle one, then a border one

CELL = 0.95
GAP = 3.2
DIAGRAM_Y = 0.35


def example():
    """The transposed convolution's input y and kernel w, and its output (convmath)."""
    y = example_input(LINE_T.input)
    w = example_values(LINE_T.kernel, seed=KERNEL_SEED, low=1, high=3)
    return y, w, cm.transposed_conv(y, w)


def relabel_row(row, text: str, role: str) -> None:
    """Give a diagram row another role: its label text and the colour of its cells."""
    color = palette.ROLE_COLORS[role]
    new = Text(text, font=palette.FONT, font_size=palette.LABEL_SIZE, color=color)
    new.move_to(row.label)
    row.remove(row.label)
    row.label = new
    row.add(new)
    for cell in row.cells:
        cell.set_fill(color).set_stroke(color)


class TranspuestaPorConectividad(LightenOnAdd, NarratedScene):
    segment_id = "s07_transpuesta_conectividad"

    def diagram(self, sp, **kwargs) -> ConnectivityDiagram:
        d = ConnectivityDiagram(sp, cell_size=CELL, gap=GAP, lang=self.lang, **kwargs)
        return d.move_to(DIAGRAM_Y * UP)

    def tag(self, key: str) -> Text:
        t = Text(self.s(key), font=palette.FONT, font_size=30, color=palette.TEXT_DIM)
        return t.move_to([0, 3.45, 0])

    def caption(self, text: str) -> Text:
        t = Text(text, font=palette.FONT, font_size=30, color=palette.TEXT)
        return t.move_to([0, -3.2, 0])

    def reversed_diagram(self, sp) -> ConnectivityDiagram:
        """``sp``'s diagram with every arrow reversed and the rows renamed for their new roles:
        the forward output is now the input, the forward input the output."""
        rev = self.diagram(sp, reverse=True)
        relabel_row(rev.short_row, shape_label("input", sp.output, self.lang), "input")
        relabel_row(rev.long_row, shape_label("output", sp.input, self.lang), "output")
        return rev

    def turn_arrows(self, fwd: ConnectivityDiagram, rev: ConnectivityDiagram, *extra,
                    times=(2.0, 1.0)) -> None:
        """On screen ``fwd`` becomes ``rev`` (same links, same places): arrow by arrow, the
        forward arrow fades as the reversed one appears; then the rows change roles
        (colours and labels)."""
        hidden = [*rev.lines, rev.short_row.label, rev.long_row.label]
        for m in hidden:
            m.set_opacity(0)
        self.add(rev.lines)
        swaps = [AnimationGroup(f.animate.set_opacity(0), r.animate.set_opacity(1))
                 for f, r in zip(fwd.lines, rev.lines)]
        self.play(AnimationGroup(*swaps, lag_ratio=0.06, group=fwd), *extra, run_time=times[0])
        self.add(rev.short_row.label, rev.long_row.label)
        self.play(Transform(fwd.short_row.cells, rev.short_row.cells),
                  Transform(fwd.long_row.cells, rev.long_row.cells),
                  fwd.short_row.label.animate.set_opacity(0),
                  fwd.long_row.label.animate.set_opacity(0),
                  rev.short_row.label.animate.set_opacity(1),
                  rev.long_row.label.animate.set_opacity(1), run_time=times[1])
        self.remove(fwd, rev.lines, rev.short_row.label, rev.long_row.label)
        self.add(rev)

    def redraw(self, old: ConnectivityDiagram, new: ConnectivityDiagram, times,
               out_extra=(), in_extra=()) -> None:
        """``old`` redrawn as ``new`` (its rows swapped top for bottom): the arrows and labels
        fade, the rows move to their new places, the new arrows and labels appear."""
        fading = [*old.lines, old.short_row.label, old.long_row.label]
        self.play(AnimationGroup(*(m.animate.set_opacity(0) for m in fading), group=old),
                  *out_extra, run_time=times[0])
        self.play(Transform(old.long_row.cells, new.long_row.cells),
                  Transform(old.short_row.cells, new.short_row.cells), run_time=times[1])
        self.remove(old)
        appearing = [*new.lines, new.short_row.label, new.long_row.label]
        for m in appearing:
            m.set_opacity(0)
        self.add(new)
        self.play(AnimationGroup(*(m.animate.set_opacity(1) for m in appearing), lag_ratio=0.03,
                                 group=new), *in_extra, run_time=times[2])

    def construct(self):
        play_title(self, values={"part": segment_number("s04_conectividad")}, fade=True)
        self.reverse_part()
        self.numbers_part()
        self.stride_part()
        self.next_part()

    # --- segment 4's diagram, its arrows reversed ------------------------------------------------
    def reverse_part(self):
        sp, tsp = LINE, LINE_T
        n_in, n_out, k = sp.input[0], sp.output[0], sp.kernel[0]
        fwd = self.diagram(sp)
        marks_long, marks_short = index_marks(fwd, "input"), index_marks(fwd, "output")
        tag = self.tag("conv")
        values = {"i": n_in, "o": n_out, "k": k}
        with self.beat("recall", values=values) as beat:
            a, b = beat.split(1, 2, leave=0.3)
            self.play(FadeIn(fwd.input_row, fwd.output_row, marks_long, marks_short, tag),
                      run_time=a)
            self.play(Create(fwd.lines, lag_ratio=0.08), run_time=b)
        self.add(fwd)
        self.forward = fwd

        # the same geometry, arrows reversed, rows relabelled with their new roles
        rev = self.reversed_diagram(sp)
        tag2 = self.tag("reversed")
        with self.beat("reverse", values=values) as beat:
            a, b = beat.split(2, 1.2, leave=0.3)
            self.turn_arrows(fwd, rev, FadeTransform(tag, tag2), times=(a, b))
        self.reversed_view = rev
        # where the arrows are now (the next beat moves them): faded forward ones, reversed ones
        self.arrow_ends = [((a.get_start().copy(), a.get_end().copy()),
                            (b.get_start().copy(), b.get_end().copy()))
                           for a, b in zip(fwd.lines, rev.lines)]

        # redrawn as a transposed convolution: input (5) at the bottom, output (7) on top
        tr = self.diagram(tsp)
        new_long, new_short = index_marks(tr, "output"), index_marks(tr, "input")
        tag3 = self.tag("transposed")
        with self.beat("flip", values=values) as beat:
            times = beat.split(1, 1.5, 1.2, leave=0.3)
            self.redraw(rev, tr, times, out_extra=[FadeOut(marks_long), FadeOut(marks_short),
                                                   FadeTransform(tag2, tag3)],
                        in_extra=[FadeIn(new_long), FadeIn(new_short)])
        self.transposed_view, self.tr_marks = tr, (new_short, new_long)
        self.tag_mob = tag3

        feeds = cm.feeds(tsp)[(FEED_CELL,)]
        cells = [o[0] + 1 for o, _ in feeds]
        self.shown_feeds = (FEED_CELL, [o[0] for o, _ in feeds])
        said = spoken_list(cells, self.lang)
        cap = self.caption(self.s("feeds", c=FEED_CELL + 1, cells=said))
        with self.beat("feeds", values={"c": FEED_CELL + 1, "cells": said}) as beat:
            a, = beat.split(1, leave=0.5)
            self.play(tr.highlight_input(FEED_CELL, run_time=a), FadeIn(cap), run_time=a)

        y, w, out = example()
        key = tap_kernel(w, cell_size=0.7, label=shape_label("kernel", w.shape, self.lang),
                         lang=self.lang)
        key.move_to([5.6, DIAGRAM_Y, 0])
        key.numbers.set_opacity(0)
        self.key = key
        cap2 = self.caption(self.s("same_weights"))
        with self.beat("weights") as beat:
            a, b = beat.split(1, 2.5, leave=0.3)
            self.play(tr.reset(run_time=a), FadeOut(cap), FadeIn(key), FadeIn(cap2), run_time=a)
            flashes = []
            for t in range(w.shape[0]):
                lines = [line for line in tr.lines if line.tap_flat == t]
                flashes.append(AnimationGroup(
                    Indicate(key.cell((t,)), color=palette.tap_color(t), scale_factor=1.3),
                    *(Indicate(line, color=palette.tap_color(t), scale_factor=1.0)
                      for line in lines), group=tr))
            self.play(AnimationGroup(*flashes, lag_ratio=1.0, group=tr), run_time=b)
        self.caption_mob = cap2

    # --- numbers: follow the arrows back ---------------------------------------------------------
    def numbers_part(self):
        tsp = LINE_T
        tr = self.transposed_view
        y, w, out = example()
        self.y, self.w, self.out = y, w, out
        valued = self.diagram(tsp, input_values=y)
        valued.short_row.numbers.set_opacity(0)
        marks_in, marks_out = self.tr_marks
        said_w = spoken_list([int(v) for v in w], self.lang)
        with self.beat("values", values={"i2": tsp.input[0], "w": said_w}) as beat:
            a, b = beat.split(1, 1, leave=0.3)
            self.remove(tr)
            self.add(valued)
            self.play(FadeOut(marks_in), FadeOut(marks_out), FadeOut(self.caption_mob),
                      valued.short_row.numbers.animate.set_opacity(1), run_time=a)
            self.play(self.key.numbers.animate.set_opacity(1), run_time=b)
        self.valued = valued

        reads = cm.reads(tsp)
        self.sums = []
        line_mob = None
        for beat_id, o in zip(("sum_one", "sum_two"), SUM_CELLS):
            pairs = [(y[i], w[t]) for (i,), (t,) in reads[(o,)]]
            colors = [palette.tap_color(t) for _, (t,) in reads[(o,)]]
            line = ProductsLine(pairs, weight_colors=colors, lang=self.lang, font_size=44)
            head = Text(self.s("sum_of", o=o + 1), font=palette.FONT, font_size=32,
                        color=palette.OUTPUT_TEXT)
            row = VGroup(head, line).arrange(RIGHT, buff=0.3).move_to([0, -3.2, 0])
            values = {"o1" if beat_id == "sum_one" else "o2": o + 1}
            if beat_id == "sum_one":
                values["v1"] = int(out[o])
            else:
                values.update(n2=len(pairs), v2=int(out[o]))
            with self.beat(beat_id, values=values) as beat:
                a, b, c = beat.split(1, 1.5, 1, leave=0.3)
                anims = [valued.highlight_output(o, run_time=a)]
                if line_mob is not None:
                    prev = self.sums[-1][0]
                    anims += [FadeOut(line_mob), valued.output_cell(prev).animate.set_stroke(
                        palette.OUTPUT, width=palette.CELL_STROKE)]
                self.play(*anims, run_time=a)
                self.play(FadeIn(row, shift=0.15 * UP), run_time=b)
                self.play(FlyNumbers([line.total], valued.long_row,
                                     [(o + valued.pad_before,)], [out[o]]), run_time=c)
            line_mob = row
            self.sums.append((o, line))

        rest = [o for o in range(tsp.output[0]) if o not in SUM_CELLS]
        cap = self.caption(self.s("matches"))
        with self.beat("fill") as beat:
            a, b, c = beat.split(0.8, 2, 0.8, leave=0.3)
            self.play(valued.reset(run_time=a), FadeOut(line_mob), run_time=a)
            fills = [valued.long_row.fill_animation((o + valued.pad_before,), out[o])
                     for o in rest]
            self.play(AnimationGroup(*fills, lag_ratio=0.3, group=valued.long_row), run_time=b)
            self.play(FadeIn(cap), run_time=c)
        self.fill_caption = cap

    # --- stride 2 ------------------------------------------------------------------------------
    def stride_part(self):
        sp, tsp = STRIDED, STRIDED_T
        fwd = self.diagram(sp)
        tr = self.diagram(tsp)
        self.strided_forward, self.strided = fwd, tr
        values = {"s": sp.stride[0], "i": sp.input[0], "o3": sp.output[0]}
        tag_c, tag_t = self.tag("conv"), self.tag("transposed")
        rev = self.reversed_diagram(sp)
        with self.beat("stride", values=values) as beat:
            a, b, c, c2, d1, d, e = beat.split(0.8, 1, 1.4, 0.6, 0.5, 1, 1.2, leave=0.3)
            self.play(FadeOut(self.valued), FadeOut(self.key), FadeOut(self.fill_caption),
                      FadeTransform(self.tag_mob, tag_c), run_time=a)
            self.play(FadeIn(fwd), run_time=b)
            self.turn_arrows(fwd, rev, times=(c, c2))
            self.redraw(rev, tr, (d1, d, e), out_extra=[FadeTransform(tag_c, tag_t)])

        counts = cm.overlap_map(tsp)
        marks = count_marks(tr, "output", counts)
        self.overlap_marks = marks
        cap = self.caption(self.s("arrivals"))
        with self.beat("overlap", values={"hi": int(counts.max()), "lo": int(counts.min())}) \
                as beat:
            a, = beat.split(1, leave=0.5)
            self.play(FadeIn(marks, lag_ratio=0.15), FadeIn(cap), run_time=a)
        self.stride_group = VGroup(tr, marks, cap, tag_t)

    def next_part(self):
        ids = [s.id for s in SEGMENTS]
        nxt = ids[ids.index(self.segment_id) + 1]
        num = Text(str(segment_number(nxt)), font=palette.TITLE_FONT, font_size=44,
                   color=palette.ACCENT)
        name = Text(load_segment_text(nxt, self.lang).title, font=palette.FONT, font_size=36,
                    color=palette.TEXT)
        item = VGroup(num, name).arrange(RIGHT, buff=0.4).move_to(DOWN * 0.2)
        with self.beat("next") as beat:
            a, b = beat.split(1, 1, leave=0.5)
            self.play(FadeOut(self.stride_group), run_time=a)
            self.play(FadeIn(item, shift=0.2 * UP), run_time=b)
        self.play(FadeOut(item), run_time=0.8)
