"""Segment 8 — La transpuesta por matriz: multiply by Cᵀ.

Segment 3's matrix C (the guide's 4×4 input, 3×3 kernel: 4×16, it takes 16 numbers to 4)
turns into Cᵀ (16×4: 4 numbers to 16), every entry travelling to its transposed place.
A 2×2 input y (``convmath.examples``) is flattened into vec(y); one row of Cᵀ times
vec(y) is written out as a sum of products; the 16 results fill Cᵀ·vec(y) and, reshaped,
the 4×4 output — equal to ``convmath.transposed_conv`` and ``transposed_matrix`` (the
tests check). Then the shapes side by side (16 → 4, 4 → 16) and why Cᵀ is also the
"backward convolution": it carries a convolution's gradient back to its input.

    manim render scenes/s08_transpuesta_matriz.py TranspuestaPorMatriz
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Create, FadeIn, FadeOut, Indicate,
                   SurroundingRectangle, Text, Transform, VGroup, Write, config)

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.fly import FlyNumbers
from scenes.kit.grid import CellGrid
from scenes.kit.light import LightenOnAdd
from scenes.kit.matrix_view import MatrixView
from scenes.kit.products import ProductsLine
from scenes.kit.shape_map import ShapeMap
from scenes.kit.tap_kernel import tap_kernel
from scenes.kit.tex import math_tex
from scenes.kit.titles import play_title
from scenes.kit.transposed_matrix import (TransposedMatrixView, aligned_c_view, diagonal_guide,
                                          transpose_animation)
from scenes.kit.words import shape_label
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import NarrationTextError, load_segment_text
from scenes.segments import SEGMENTS, segment_number

# Segment 3's convolution (4×4 input, 3×3 kernel) and its transpose, 2×2 → 4×4.
CONV = cm.spec((4, 4), 3)
TRANSPOSED = cm.plan_transpose(CONV).transposed
INPUT_SEED = 1          # a 2×2 input with no zeros: every product of a row counts
SHOWN_ROW = 5           # the row of Cᵀ written out: an inner output cell, all four inputs

PITCH_X = PITCH_Y = 0.4      # equal pitches: transposing is a reflection on screen
CT_CENTER = np.array([-2.7, -0.2, 0])


def example():
    """y (2×2), the kernel w (the guide's), C, and Cᵀ·vec(y) reshaped (convmath)."""
    y = example_input(TRANSPOSED.input, seed=INPUT_SEED)
    w = example_kernel(CONV.kernel)
    C = cm.conv_matrix_dense(CONV, w)
    out = cm.apply_matrix(TRANSPOSED, w, y)
    return y, w, C, out


def row_terms(taps_t: np.ndarray, values_t: np.ndarray, yflat: np.ndarray, r: int):
    """(y value, weight, tap) of every kernel entry in row ``r`` of Cᵀ."""
    cols = [int(c) for c in np.nonzero(taps_t[r] >= 0)[0]]
    return [(yflat[c], values_t[r, c], int(taps_t[r, c])) for c in cols], cols


class TranspuestaPorMatriz(LightenOnAdd, NarratedScene):
    segment_id = "s08_transpuesta_matriz"

    def text_line(self, text: str, size: float = palette.LABEL_SIZE, color=palette.TEXT) -> Text:
        return Text(text, font=palette.FONT, font_size=size, color=color)

    def construct(self):
        play_title(self, fade=True)
        self.matrix_part()
        self.multiply_part()
        self.shapes_part()
        self.next_part()

    # --- C, then Cᵀ ------------------------------------------------------------------------------
    def matrix_part(self):
        lang = self.lang
        y, w, C, out = example()
        self.y, self.w, self.C, self.out = y, w, C, out
        rows, cols = C.shape
        cv = MatrixView(CONV, w, dx=0.6, dy=0.55, font_size=32, lang=lang)
        cv.move_to([1.0, 0.0, 0])
        c_label = self.text_line(self.s("c_shape", rows=rows, cols=cols))
        c_label.next_to(cv.brackets, UP, buff=0.3)
        c_maps = self.text_line(self.s("maps", a=cols, b=rows), color=palette.TEXT_DIM)
        c_maps.next_to(cv.brackets, DOWN, buff=0.3)
        key = tap_kernel(w, cell_size=0.45, label=shape_label("kernel", w.shape, lang),
                         lang=lang)
        key.move_to([-5.4, 2.3, 0])
        first_row = cv.row_rect(0)
        self.c_view, self.key = cv, key
        values = {"i": CONV.input[0], "k": CONV.kernel[0], "rows": rows, "cols": cols,
                  "part": segment_number("s03_matriz")}
        with self.beat("recall", values=values) as beat:
            a, b, c = beat.split(1, 1.6, 1, leave=0.3)
            self.play(FadeIn(key), run_time=a)
            self.play(FadeIn(cv, lag_ratio=0.01), FadeIn(c_label), run_time=b)
            self.play(FadeIn(c_maps), Create(first_row), run_time=c)

        ct = TransposedMatrixView(CONV, w, dx=PITCH_X, dy=PITCH_Y, font_size=28, lang=lang)
        ct.move_to(CT_CENTER)
        ct_label = self.text_line(self.s("ct_shape", rows=cols, cols=rows))
        ct_label.next_to(ct.brackets, UP, buff=0.2)
        ct_maps = self.text_line(self.s("maps", a=rows, b=cols), color=palette.TEXT_DIM)
        ct_maps.next_to(ct.brackets, RIGHT, buff=0.4)
        first_col = ct.col_rect(0)
        self.ct_view = ct
        # C, smaller, its top-left entry where Cᵀ's will be; then every entry crosses the diagonal
        small = aligned_c_view(CONV, w, ct, font_size=28, lang=lang)
        mirror = diagonal_guide(ct)
        with self.beat("transpose", values=values) as beat:
            a, b, c, d = beat.split(0.6, 1.4, 2.6, 1, leave=0.3)
            self.play(FadeOut(c_maps), FadeOut(c_label), run_time=a)
            self.play(Transform(cv, small), first_row.animate.become(small.row_rect(0)),
                      run_time=b)
            self.remove(cv)
            self.add(small)
            self.play(Create(mirror), run_time=min(0.8, c * 0.3))
            self.play(transpose_animation(small, ct, run_time=c * 0.7,
                                          riders={0: [(first_row, first_col)]}),
                      run_time=c * 0.7)
            self.remove(small)
            self.add(ct)
            self.play(FadeIn(ct_label), FadeIn(ct_maps), FadeOut(mirror), run_time=d)
        self.first_col, self.ct_label, self.ct_maps = first_row, ct_label, ct_maps

    # --- Cᵀ·vec(y) ------------------------------------------------------------------------------
    def multiply_part(self):
        lang = self.lang
        y, out = self.y, self.out
        ct = self.ct_view
        yflat = y.reshape(-1)
        n_in, n_out = yflat.size, ct.rows

        yg = CellGrid(y, role="input", cell_size=0.6, label=shape_label("input", y.shape, lang),
                      lang=lang)
        yg.move_to([-5.4, -1.0, 0])
        vec = CellGrid(shape=(n_in, 1), role="input", cell_size=0.5,
                       cell_kind=np.full((n_in, 1), "input", dtype=object))
        vec.move_to([ct.brackets.get_right()[0] + 0.95, CT_CENTER[1], 0])
        vec_label = self.text_line("vec(y)", color=palette.INPUT_TEXT)
        vec_label.next_to(vec.cells, UP, buff=0.25)
        self.y_grid, self.vec = yg, vec
        with self.beat("input", values={"o": y.shape[0], "rows": n_in}) as beat:
            a, b, c = beat.split(1, 0.8, 2, leave=0.3)
            self.play(FadeOut(self.ct_maps), FadeOut(self.first_col), FadeIn(yg), run_time=a)
            self.play(FadeIn(vec), FadeIn(vec_label), run_time=b)
            sources = [yg.number(idx) for idx in np.ndindex(*y.shape)]
            self.play(FlyNumbers(sources, vec, [(k, 0) for k in range(n_in)], list(yflat),
                                 lag_ratio=0.2), run_time=c)

        res = CellGrid(shape=(n_out, 1), role="output", cell_size=PITCH_Y)
        eq = math_tex("=", lang=lang, font_size=40)
        eq.move_to([vec.cells.get_right()[0] + 0.45, CT_CENTER[1], 0])
        res.move_to([eq.get_right()[0] + 0.5, 0, 0], coor_mask=np.array([1, 0, 0]))
        res.shift(UP * (ct.slot_center(0, 0)[1] - res.cell_center((0, 0))[1]))
        res_label = self.text_line(self.s("result"), color=palette.OUTPUT_TEXT)
        res_label.next_to(res.cells, UP, buff=0.2)
        res_label.align_to(self.ct_label, DOWN)
        self.result = res

        outg = CellGrid(shape=TRANSPOSED.output, role="output", cell_size=0.6,
                        label=shape_label("output", TRANSPOSED.output, lang), lang=lang)
        outg.move_to([4.7, 1.55, 0])
        self.out_grid = outg

        r = SHOWN_ROW
        terms, cols_r = row_terms(ct.taps, ct.values, yflat, r)
        line = ProductsLine([(v, wt) for v, wt, _ in terms],
                            weight_colors=[palette.tap_color(t) for _, _, t in terms],
                            lang=lang, font_size=38)
        row_cap = self.text_line(self.s("row", r=r + 1), color=palette.TEXT_DIM)
        block = VGroup(row_cap, line).arrange(DOWN, buff=0.3)
        block.move_to([4.6, -1.9, 0])
        if block.get_right()[0] > 6.8:
            block.shift(LEFT * (block.get_right()[0] - 6.8))
        self.row_line = (r, line)
        row_box = ct.row_rect(r)
        vec_box = SurroundingRectangle(vec.cells, color=palette.HIGHLIGHT, buff=0.05)
        values = {"r": r + 1, "n": len(terms), "v": int(out.reshape(-1)[r])}
        with self.beat("row", values=values) as beat:
            a, b, c = beat.split(1, 1.6, 1, leave=0.3)
            self.play(FadeIn(res), FadeIn(eq), FadeIn(res_label), FadeIn(outg),
                      Create(row_box), Create(vec_box), run_time=a)
            self.play(FadeIn(block, shift=0.15 * UP), run_time=b)
            self.play(FlyNumbers([line.total], res, [(r, 0)], [out.reshape(-1)[r]]),
                      run_time=c)

        rest = [k for k in range(n_out) if k != r]
        with self.beat("rows", values={"cols": n_out}) as beat:
            a, b = beat.split(0.6, 2.4, leave=0.3)
            self.play(FadeOut(block), FadeOut(vec_box), row_box.animate.set_opacity(0),
                      run_time=a)
            self.remove(row_box)
            fills = [res.fill_animation((k, 0), out.reshape(-1)[k]) for k in rest]
            self.play(AnimationGroup(*fills, lag_ratio=0.15, group=res), run_time=b)

        cap = self.text_line(self.s("matches"), size=28)
        room = (res.cells.get_right()[0] + 0.5, config.frame_width / 2 - palette.FRAME_MARGIN)
        if cap.width > room[1] - room[0]:
            cap.scale_to_fit_width(room[1] - room[0])
        cap.next_to(outg.cells, DOWN, buff=0.5)
        cap.shift(RIGHT * min(0.0, room[1] - cap.get_right()[0]))
        with self.beat("reshape", values={"i": TRANSPOSED.output[0]}) as beat:
            a, b = beat.split(2.5, 1, leave=0.3)
            idxs = list(np.ndindex(*TRANSPOSED.output))
            srcs = [res.number((k, 0)) for k in range(n_out)]
            self.play(FlyNumbers(srcs, outg, idxs, [out[i] for i in idxs], lag_ratio=0.08),
                      run_time=a)
            self.play(FadeIn(cap), Indicate(outg.cells, color=palette.OUTPUT, scale_factor=1.05),
                      run_time=b)
        self.matches_caption = cap

    # --- shapes, and the backward pass --------------------------------------------------------
    def shapes_part(self):
        rows, cols = self.C.shape
        conv = ShapeMap(CONV.input, CONV.output, self.s("c"), self.s("maps", a=cols, b=rows),
                        y=1.95, input_label=shape_label("input", CONV.input, self.lang),
                        output_label=shape_label("output", CONV.output, self.lang),
                        above_style={"slant": "ITALIC", "font_size": 34})
        back = ShapeMap(TRANSPOSED.input, TRANSPOSED.output, self.s("ct"),
                        self.s("maps", a=rows, b=cols), y=-1.2,
                        input_label=shape_label("input", TRANSPOSED.input, self.lang),
                        output_label=shape_label("output", TRANSPOSED.output, self.lang),
                        above_style={"slant": "ITALIC", "font_size": 34})
        self.shape_maps = (conv, back)
        with self.beat("shapes", values={"rows": rows, "cols": cols}) as beat:
            a, b, c = beat.split(0.8, 1.4, 1.4, leave=0.3)
            self.play(*(FadeOut(m) for m in list(self.mobjects)), run_time=a)
            self.play(FadeIn(conv), run_time=b)
            self.play(FadeIn(back), run_time=c)

        grad = math_tex(r"\frac{\partial L}{\partial x} = C^{\top}\,\frac{\partial L}{\partial y}",
                        lang=self.lang, font_size=40)
        note = self.text_line(self.s("backward"), size=28)
        block = VGroup(note, grad).arrange(RIGHT, buff=0.5)
        block.move_to([0, -3.2, 0])
        self.gradient = grad
        with self.beat("backward") as beat:
            a, b = beat.split(1, 1.5, leave=0.3)
            self.play(Indicate(back.arrow, color=palette.HIGHLIGHT),
                      Indicate(back.above, color=palette.HIGHLIGHT), run_time=a)
            self.play(FadeIn(note), Write(grad), run_time=b)
        self.shapes_group = VGroup(conv, back, block)

    def next_part(self):
        ids = [s.id for s in SEGMENTS]
        nxt = ids[ids.index(self.segment_id) + 1]
        items = VGroup()
        try:
            title = load_segment_text(nxt, self.lang).title
        except NarrationTextError:
            title = None
        if title:
            num = Text(str(segment_number(nxt)), font=palette.TITLE_FONT, font_size=44,
                       color=palette.ACCENT)
            name = self.text_line(title, size=36)
            items.add(VGroup(num, name).arrange(RIGHT, buff=0.4))
        items.move_to(DOWN * 0.2)
        with self.beat("next") as beat:
            a, b = beat.split(1, 1, leave=0.5)
            self.play(FadeOut(self.shapes_group), run_time=a)
            if title:
                self.play(FadeIn(items, shift=0.2 * UP), run_time=b)
        if title:
            self.play(FadeOut(items), run_time=0.8)
