"""Part 9, "Visualización por superposición": the transposed convolution as stamps.

Beats (segment ``s09_superposicion``):

- title: the title card.
- setup: a 3×3 input, a 3×3 kernel (stride 2, padding 1) and the empty canvas the stamps
  land on, (i−1)s + k = 7 cells a side (kit :class:`~scenes.kit.superposition.StampView`
  drawing ``convmath.superposition``).
- stamp_first: the first input cell stamps the kernel scaled by its value: the copy, each
  product "v·w", the products landing on the canvas.
- stamp_second: the second stamp lands s cells to the right; where it overlaps the first,
  the values add (one sum written out).
- stamp_rest: the other stamps, faster; the canvas ends as the sum of every copy.
- crop: the transposed convolution's padding crops p cells from each border: the output.
- overlap: the output beside ``convmath.overlap_map``: how many stamps land on each cell.
- checkerboard: overlap maps for k = 3 and k = 4 with stride 2: uneven (a checkerboard)
  when s does not divide k, even inside when it does.
- artifacts: the same two maps, larger and without numbers: the checkerboard artifacts.
- direct_setup: the guide's equivalent direct convolution: s − 1 zeros inserted between
  the inputs, padding k − p − 1, the kernel flipped (``convmath.direct_storyboard``).
- direct_slide: the flipped kernel slides with stride 1 (kit Slider) and fills the output.
- same: connectivity (``convmath.feeds``), the matrix (``convmath.transposed_matrix``),
  superposition (``convmath.transposed_scatter``) and the direct convolution
  (``convmath.transposed_direct``) side by side: the same numbers.

    manim render scenes/s09_superposicion.py VisualizacionSuperposicion
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, AnimationGroup, FadeIn, FadeOut,
                   ReplacementTransform, Rotate, Text, VGroup)

import convmath as cm
from convmath.examples import example_values
from scenes.kit import CellGrid, Slider, palette
from scenes.kit.conv_stage import sweep
from scenes.kit.fade import fade_in, fade_out
from scenes.kit.legend import CellLegend
from scenes.kit.light import LightenOnAdd
from scenes.kit.lists import spoken_list
from scenes.kit.superposition import StampView, overlap_grid
from scenes.kit.words import size_text
from scenes.kit.titles import play_title
from scenes.narration.scene import NarratedScene

SEGMENT_ID = "s09_superposicion"

# The example: a 3×3 input, a 3×3 kernel, stride 2, padding 1 (output 5×5). Values from
# convmath.examples (digits 1–3 and 1–2: no zero, so every stamp and every sum shows).
I, K, S, P = 3, 3, 2, 1
SPEC = cm.transposed((I, I), K, stride=S, padding=P)
X = example_values((I, I), seed=9, low=1, high=3)
W = example_values((K, K), seed=1, low=1, high=2)

# Overlap maps: stride 2 with a kernel it does not divide (3) and one it does (4).
CHECKER = [cm.transposed((4, 4), 3, stride=2, padding=1),
           cm.transposed((4, 4), 4, stride=2, padding=1)]
ARTIFACTS = [cm.transposed((8, 8), 3, stride=2, padding=1),
             cm.transposed((8, 8), 4, stride=2, padding=1)]


def connectivity_output(sp, x, w) -> np.ndarray:
    """The transposed convolution by its connectivity: every input cell adds x·w to each
    output cell it feeds (``convmath.feeds``: the convolution's links, reversed)."""
    out = np.zeros(sp.output, dtype=object)
    for q, pairs in cm.feeds(sp).items():
        for o, tap in pairs:
            out[o] = out[o] + x[q] * w[tap]
    return out


def derivations(sp, x, w) -> dict[str, np.ndarray]:
    """The four derivations of the transposed convolution, each computed by convmath."""
    pads, op = sp.padding, sp.output_padding
    return {
        "connectivity": connectivity_output(sp, x, w),
        "matrix": cm.transposed_matrix(x, w, sp.stride, pads, sp.dilation, 1, op),
        "superposition": cm.transposed_scatter(x, w, sp.stride, pads, sp.dilation, 1, op),
        "direct": cm.transposed_direct(x, w, sp.stride, pads, sp.dilation, 1, op),
    }


def titled_row(grids, texts, max_width: float, color=palette.OUTPUT) -> VGroup:
    """Labels over a row of grids, all at one size (shrunk so the widest fits)."""
    labels = [Text(t, font=palette.FONT, font_size=palette.LABEL_SIZE, color=color)
              for t in texts]
    factor = min(1.0, *(max_width / lab.width for lab in labels))
    for lab, g in zip(labels, grids):
        lab.scale(factor)
        lab.next_to(g, UP, buff=0.25)
    return VGroup(*labels)


class VisualizacionSuperposicion(LightenOnAdd, NarratedScene):
    segment_id = SEGMENT_ID

    def words(self) -> dict:
        return {k: self.s(k) for k in ("input", "output", "kernel", "canvas")}

    def construct(self):
        lang = self.lang
        card = play_title(self)

        # --- the stamps --------------------------------------------------------------------------
        sup = cm.superposition(SPEC, X, W)
        view = StampView(sup, lang=lang, words=self.words(), max_cell=0.75)
        self.view, self.sup = view, sup
        with self.beat("setup", values={"i": I, "k": K, "s": S,
                                        "c": sup.canvas_shape[0]}) as beat:
            self.play(fade_out(card), run_time=0.6)
            self.play(view.intro(run_time=min(3.0, beat.split(1, leave=1.5)[0])))

        first, second = sup.stamps[0], sup.stamps[1]
        with self.beat("stamp_first", values={"v1": first.value}) as beat:
            view.play_detailed(self, 0, run_time=min(7.0, beat.split(1, leave=0.8)[0]))

        cell, old, prod_, new = view.overlap_sum(1)
        with self.beat("stamp_second", values={"v2": second.value, "s": S, "old": old,
                                               "prod": prod_, "new": new}) as beat:
            budget = min(7.5, beat.split(1, leave=0.8)[0])
            view.play_detailed(self, 1, run_time=budget, show_sum=True)

        with self.beat("stamp_rest", values={"s": S}) as beat:
            view.play(self, budget=beat.split(1, leave=1.0)[0], detailed=0, start=2)

        out_label = self.s("output_size", size=size_text(SPEC.output))
        with self.beat("crop", values={"p": P, "o": SPEC.output[0]}) as beat:
            self.play(view.outro(run_time=0.6))
            self.play(view.crop(out_label, run_time=min(3.0, beat.split(1, leave=1.5)[0])))

        # --- how many stamps land on each cell ---------------------------------------------------
        counts = cm.overlap_map(SPEC)
        out_grid = CellGrid(sup.output, role="output", cell_size=0.75, label=out_label,
                            lang=lang)
        count_grid = overlap_grid(counts, cell_size=0.75, label=self.s("counts"), lang=lang)
        VGroup(out_grid, count_grid).arrange(RIGHT, buff=1.6).move_to(0.2 * DOWN)
        self.overlap_pair = (out_grid, count_grid)
        shown_counts = sorted({int(c) for c in counts.ravel()})
        with self.beat("overlap", values={"counts": spoken_list(shown_counts, lang)}) as beat:
            self.play(fade_out(view), fade_out(view.output_label), fade_out(view.crop_rect),
                      run_time=0.7)
            self.play(fade_in(out_grid), run_time=1.0)
            self.wait_until_fraction(beat, 0.35)
            self.play(fade_in(count_grid), run_time=1.5)

        header = Text(self.s("counts"), font=palette.FONT, font_size=palette.SUBTITLE_SIZE,
                      color=palette.TITLE).move_to(np.array([0.0, 3.45, 0.0]))
        checker = self.count_pair(CHECKER, cell_size=0.55, numbers=True)
        self.checker = checker
        inner = cm.overlap_map(CHECKER[1])[1:-1, 1:-1]
        with self.beat("checkerboard", values={"k1": CHECKER[0].kernel[0],
                                               "k2": CHECKER[1].kernel[0], "s": S,
                                               "n": int(inner.min())}) as beat:
            self.play(fade_out(out_grid), fade_out(count_grid), run_time=0.7)
            self.play(fade_in(checker[0]), FadeIn(header), run_time=1.5)
            self.wait_until_fraction(beat, 0.55)
            self.play(fade_in(checker[1]), run_time=1.5)

        artifacts = self.count_pair(ARTIFACTS, cell_size=0.31, numbers=False)
        self.artifacts = artifacts
        with self.beat("artifacts") as beat:
            self.play(fade_out(checker), run_time=0.7)
            self.play(fade_in(artifacts[0]), run_time=1.2)
            self.play(fade_in(artifacts[1]), run_time=1.2)

        # --- the guide's equivalent direct convolution -------------------------------------------
        de = cm.direct_storyboard(SPEC, X, W)
        self.direct = de
        board = de.storyboard
        inp = CellGrid(board.padded, cell_kind=de.cell_kind, role="input", cell_size=0.56,
                       label=True, lang=lang)
        kern = CellGrid(W, role="kernel", cell_size=0.56)
        flipped = CellGrid(board.kernel_applied, role="kernel", cell_size=0.56)
        out = CellGrid(shape=SPEC.output, role="output", cell_size=0.56, label=True, lang=lang)
        row = VGroup(inp, kern, out).arrange(RIGHT, buff=1.3, aligned_edge=UP)
        row.move_to(np.array([0.0, 0.8, 0.0]))
        kern.align_to(inp.cells, UP)
        out.shift(np.array([0.0, inp.cells.get_top()[1] - out.cells.get_top()[1], 0.0]))
        flipped.move_to(kern)
        kern_label = Text(f"{self.s('kernel')} {size_text(W.shape)}", font=palette.FONT,
                          font_size=palette.LABEL_SIZE, color=palette.KERNEL)
        kern_label.next_to(kern, UP, buff=0.2)
        flip_label = Text(self.s("flipped"), font=palette.FONT, font_size=palette.LABEL_SIZE,
                          color=palette.KERNEL).move_to(kern_label)
        z = de.zeros_between[0]
        pp = de.padding[0][0]
        legend = CellLegend([("inserted", self.s("inserted", z=z)),
                             ("padding", self.s("padding", p=pp))], cell_size=0.42,
                            sample_value=0)
        legend.next_to(inp, DOWN, buff=0.35).align_to(inp, LEFT)
        self.direct_grids = (inp, flipped, out)
        self.legend = legend
        with self.beat("direct_setup", values={"z": z, "pp": pp}) as beat:
            self.play(fade_out(artifacts), FadeOut(header), run_time=0.7)
            self.play(fade_in(inp), fade_in(legend), run_time=1.5)
            self.play(fade_in(kern), FadeIn(kern_label), fade_in(out), run_time=1.2)
            self.wait_until_fraction(beat, 0.7)
            self.play(Rotate(kern, PI), run_time=1.5)
            self.play(ReplacementTransform(kern, flipped),
                      ReplacementTransform(kern_label, flip_label), run_time=1.0)

        slider = Slider(board, inp, out, lang=lang, line_anchor=np.array([0.0, -3.35, 0.0]))
        self.slider = slider
        with self.beat("direct_slide", values={"o": SPEC.output[0]}) as beat:
            a, b, c = beat.split(0.6, 4.0, 3.0, leave=0.8)
            self.play(slider.intro(run_time=min(a, 1.0)))
            self.play(slider.animation(budget=b, detailed=1, stop=1))
            self.play(sweep(slider, c, min_play=0.6, start=1))
            self.play(slider.outro(run_time=0.5))

        # --- four derivations, one result ---------------------------------------------------------
        results = derivations(SPEC, X, W)
        self.results = {}
        grids = VGroup()
        for key in ("connectivity", "matrix", "superposition", "direct"):
            g = CellGrid(results[key], role="output", cell_size=0.5)
            grids.add(g)
            self.results[key] = g
        grids.arrange(RIGHT, buff=1.1).move_to(0.1 * UP)
        equals = VGroup()
        for g1, g2 in zip(grids[:-1], grids[1:]):
            eq = Text("=", font=palette.FONT, font_size=44, color=palette.TEXT)
            eq.move_to((g1.get_right() + g2.get_left()) / 2)
            equals.add(eq)
        labels = titled_row(list(grids), [self.s(k) for k in self.results],
                            max_width=grids[0].width + 0.5)
        self.result_labels = labels
        same_header = Text(self.s("same_header"), font=palette.FONT,
                           font_size=palette.SUBTITLE_SIZE, color=palette.TITLE)
        same_header.move_to(np.array([0.0, 2.6, 0.0]))
        with self.beat("same") as beat:
            self.play(fade_out(inp), fade_out(flipped), fade_out(out), FadeOut(flip_label),
                      fade_out(legend), run_time=0.7)
            self.play(FadeIn(same_header), run_time=0.6)
            self.play(AnimationGroup(*[AnimationGroup(fade_in(g), FadeIn(lab))
                                       for g, lab in zip(grids, labels)], lag_ratio=0.6),
                      run_time=min(4.0, beat.split(1, leave=3.0)[0]))
            self.play(FadeIn(equals, lag_ratio=0.3), run_time=1.0)
        self.next_section("end")
        self.play(fade_out(grids), fade_out(labels), fade_out(equals), fade_out(same_header),
                  run_time=0.8)

    def wait_until_fraction(self, beat, fraction: float) -> None:
        """Hold the picture until ``fraction`` of the beat's voice has been spoken."""
        beat.wait_until(fraction)

    def count_pair(self, specs, cell_size: float, numbers: bool) -> VGroup:
        """Overlap maps of two transposed convolutions side by side, labelled k and s."""
        pair = VGroup()
        for sp in specs:
            counts = cm.overlap_map(sp)
            g = overlap_grid(counts, cell_size=cell_size, lang=self.lang,
                             label=self.s("counts_case", k=sp.kernel[0], s=sp.stride[0]),
                             show_numbers=numbers)
            g.spec = sp
            pair.add(g)
        pair.arrange(RIGHT, buff=1.2, aligned_edge=DOWN).move_to(0.45 * DOWN)
        return pair
