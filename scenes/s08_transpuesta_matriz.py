"""Segment 8 — La transpuesta por matriz: multiply by Cᵀ.

Segment 3's matrix C (the guide's 4×4 input, 3×3 kernel: 4×16, it takes 16 numbers to 4)
turns into Cᵀ (16×4: 4 numbers to 16), every row swinging in turn into its column.
A 2×2 input y (``convmath.examples``) is flattened into vec(y); one row of Cᵀ times
vec(y) is written out as a sum of products; the 16 results fill Cᵀ·vec(y) and, reshaped,
the 4×4 output — beside the same output computed directly (``convmath.transposed_direct``:
zeros inserted, padding, flipped kernel), equal to ``convmath.transposed_conv`` and
``transposed_matrix`` (the tests check). Then the shapes side by side (16 → 4, 4 → 16) and
why Cᵀ is also the "backward convolution": it carries a convolution's gradient back to its
input.

Every number, highlight and caption the voice names is anchored to its word.

    manim render scenes/s08_transpuesta_matriz.py TranspuestaPorMatriz
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Create, FadeIn, FadeOut, Group,
                   Indicate, Succession, SurroundingRectangle, Text, Transform, VGroup, Write)

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.cells.grid import CellGrid
from scenes.kit.cells.legend import tap_kernel
from scenes.kit.cells.shape_map import ShapeMap
from scenes.kit.matrices.matrix_view import MatrixView
from scenes.kit.matrices.products import ProductsLine
from scenes.kit.matrices.transposed_matrix import TransposedMatrixView, transpose_animation
from scenes.kit.motion.fade import fade_out, fade_swap
from scenes.kit.operation.fly import FlyNumbers
from scenes.kit.text.numfmt import en_article
from scenes.kit.text.tex import LightenOnAdd, math_tex
from scenes.kit.text.words import shape_label
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import NarrationTextError, load_segment_text
from scenes.segments import SEGMENTS, segment_number
from scenes.title_beat import play_title

# Segment 3's convolution (4×4 input, 3×3 kernel) and its transpose, 2×2 → 4×4.
CONV = cm.spec((4, 4), 3)
TRANSPOSED = cm.plan_transpose(CONV).transposed
INPUT_SEED = 1          # a 2×2 input with no zeros: every product of a row counts
SHOWN_ROW = 5           # the row of Cᵀ written out: an inner output cell, all four inputs

# Cᵀ's 16 rows fill the height between its label and the subtitle band (y > -2.8), at the
# left edge; C is drawn at the same pitch at the top right before its rows come down as
# Cᵀ's columns (the travelling entries never land on entries still in place).
PITCH = 0.37
CT_CENTER = np.array([-5.85, 0.175, 0])
C_TOP_LEFT = np.array([0.4, 2.95, 0])       # C's first entry while it is transposed
SIDE_X = -1.05                               # the kernel key and the input y, between
KEY_SHADE = 0.3                              # tap-colour fill light enough for white digits
ENTRY_SIZE = 30         # Cᵀ's digits (MathTex)
COLUMN_DIGITS = 20      # digits of the Cᵀ·vec(y) column (Pango), readable in its small cells
CAPTION_Y = -2.4        # the lowest line of text, just above the subtitle band


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
        self.card = play_title(self)
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
        cv = MatrixView(CONV, w, dx=0.68, dy=0.62, font_size=36, lang=lang)
        cv.move_to([0.9, -0.1, 0])
        c_label = self.text_line(self.s("c_shape", rows=rows, cols=cols), size=30)
        c_label.next_to(cv.brackets, UP, buff=0.35)
        c_maps = self.text_line(self.s("maps", a=cols, b=rows), size=28, color=palette.TEXT_DIM)
        c_maps.next_to(cv.brackets, DOWN, buff=0.35)
        key = tap_kernel(w, cell_size=0.5, label=shape_label("kernel", w.shape, lang),
                         lang=lang, opacity=KEY_SHADE)
        key.move_to([SIDE_X, 2.35, 0])
        self.c_view, self.key = cv, key
        values = {"i": CONV.input[0], "k": CONV.kernel[0], "rows": rows, "cols": cols,
                  "part": segment_number("s03_matriz"), "i_article": en_article(CONV.input[0]),
                  "k_article": en_article(CONV.kernel[0])}
        with self.beat("recall", values=values) as beat:
            # the title card stays until C is named
            beat.at("c", fade_swap(self.card, cv, out_time=0.25, in_time=0.6))
            beat.at("kernel", FadeIn(key))
            beat.at("shape", FadeIn(c_label))
            beat.at("maps", FadeIn(c_maps))

        ct = TransposedMatrixView(CONV, w, dx=PITCH, dy=PITCH, font_size=ENTRY_SIZE, lang=lang)
        ct.move_to(CT_CENTER)
        ct_label = self.text_line(self.s("ct_shape", rows=cols, cols=rows), size=30)
        ct_label.next_to(ct.brackets, UP, buff=0.15)
        ct_maps = self.text_line(self.s("maps", a=rows, b=cols), size=28, color=palette.TEXT_DIM)
        ct_maps.next_to(ct.brackets, RIGHT, buff=0.5)
        self.ct_view = ct
        # C at Cᵀ's pitch, top right; then its rows come down, one after another, as columns
        small = MatrixView(CONV, w, dx=PITCH, dy=PITCH, font_size=ENTRY_SIZE, lang=lang)
        small.shift(C_TOP_LEFT - small.slot_center(0, 0))
        with self.beat("transpose", values=values) as beat:
            self.play(FadeOut(c_maps), FadeOut(c_label))
            beat.at("transpose", Transform(cv, small))
            self.remove(cv)
            self.add(small)
            beat.at("rows", transpose_animation(small, ct, run_time=3.2, path_arc=0,
                                                row_lag=1.0))
            self.remove(small)
            self.add(ct)
            beat.at("shape", FadeIn(ct_label))
            beat.at("maps", FadeIn(ct_maps))
        self.ct_label, self.ct_maps = ct_label, ct_maps

    # --- Cᵀ·vec(y) ------------------------------------------------------------------------------
    def multiply_part(self):
        lang = self.lang
        y, out = self.y, self.out
        ct = self.ct_view
        yflat = y.reshape(-1)
        n_in, n_out = yflat.size, ct.rows

        # y level with vec(y), its label under it: the numbers fly left without crossing it
        yg = CellGrid(y, role="input", cell_size=0.65, label=shape_label("input", y.shape, lang),
                      label_side=DOWN, lang=lang)
        yg.shift(np.array([SIDE_X, CT_CENTER[1] + 0.3, 0]) - yg.cells.get_center())
        vec = CellGrid(shape=(n_in, 1), role="input", cell_size=0.55,
                       cell_kind=np.full((n_in, 1), "input", dtype=object))
        vec.move_to([ct.brackets.get_right()[0] + 0.6, CT_CENTER[1], 0])
        vec_label = self.text_line("vec(y)", color=palette.INPUT_TEXT)
        vec_label.next_to(vec.cells, UP, buff=0.25)
        self.y_grid, self.vec = yg, vec
        values = {"o": y.shape[0], "rows": n_in, "o_article": en_article(y.shape[0])}
        with self.beat("input", values=values) as beat:
            self.play(FadeOut(self.ct_maps))
            beat.at("y", FadeIn(yg))
            sources = [yg.number(idx) for idx in np.ndindex(*y.shape)]
            beat.at("flatten", FadeIn(vec),
                    FlyNumbers(sources, vec, [(k, 0) for k in range(n_in)], list(yflat),
                               lag_ratio=0))
            beat.at("vec", FadeIn(vec_label, shift=0.1 * DOWN))

        # the column Cᵀ·vec(y): one cell per row of Cᵀ, level with it; digits larger than
        # the default for such small cells, so they stay readable
        res = CellGrid(shape=(n_out, 1), role="output", cell_size=PITCH, font_size=COLUMN_DIGITS)
        eq = math_tex("=", lang=lang, font_size=44)
        eq.move_to([vec.cells.get_right()[0] + 0.35, CT_CENTER[1], 0])
        res.move_to([eq.get_right()[0] + 0.4, 0, 0], coor_mask=np.array([1, 0, 0]))
        res.shift(UP * (ct.slot_center(0, 0)[1] - res.cell_center((0, 0))[1]))
        res_label = self.text_line(self.s("result"), color=palette.OUTPUT_TEXT)
        res_label.next_to(res.cells, UP, buff=0.15)
        res_label.align_to(self.ct_label, DOWN)
        if res_label.get_left()[0] < self.ct_label.get_right()[0] + 0.2:
            res_label.shift(RIGHT * (self.ct_label.get_right()[0] + 0.2 - res_label.get_left()[0]))
        self.result = res

        # the 4×4 output, and beside it the same output computed directly (right of the
        # kernel and y, which leave before the numbers fly there)
        right = SIDE_X + 1.0
        outg = CellGrid(shape=TRANSPOSED.output, role="output", cell_size=0.64,
                        label=shape_label("output", TRANSPOSED.output, lang), lang=lang)
        direct = cm.transposed_direct(y, self.w)
        dg = CellGrid(direct, role="output", cell_size=0.64, label=self.s("direct"), lang=lang)
        same = math_tex("=", lang=lang, font_size=44)
        pair = VGroup(outg, same, dg).arrange(RIGHT, buff=0.35)
        same.match_y(outg.cells)
        pair.move_to([(right + 6.9) / 2, 1.35, 0])
        self.out_grid, self.direct_grid = outg, dg

        r = SHOWN_ROW
        terms, cols_r = row_terms(ct.taps, ct.values, yflat, r)
        line = ProductsLine([(v, wt) for v, wt, _ in terms],
                            weight_colors=[palette.tap_color(t) for _, _, t in terms],
                            lang=lang, font_size=40)
        row_cap = self.text_line(self.s("row", r=r + 1), size=28, color=palette.TEXT_DIM)
        block = VGroup(row_cap, line).arrange(DOWN, buff=0.3)
        block.move_to([(right + 6.9) / 2, -1.5, 0])
        if block.get_right()[0] > 6.8:
            block.shift(LEFT * (block.get_right()[0] - 6.8))
        self.row_line = (r, line)
        row_box = ct.row_rect(r)
        vec_box = SurroundingRectangle(vec.cells, color=palette.HIGHLIGHT, buff=0.05)
        values = {"r": r + 1, "n": len(terms), "v": int(out.reshape(-1)[r])}
        with self.beat("row", values=values) as beat:
            self.play(FadeIn(res), FadeIn(eq), FadeIn(res_label), FadeIn(outg))
            beat.at("row", Create(row_box), Create(vec_box))
            beat.at("this_row", FadeIn(block, shift=0.15 * UP),
                    Indicate(row_box, color=palette.HIGHLIGHT))
            beat.at("sum", FlyNumbers([line.total], res, [(r, 0)], [out.reshape(-1)[r]]))

        rest = [k for k in range(n_out) if k != r]
        with self.beat("rows", values={"cols": n_out}) as beat:
            fills = [res.fill_animation((k, 0), out.reshape(-1)[k]) for k in rest]
            beat.at("others", FadeOut(block), FadeOut(vec_box), FadeOut(row_box),
                    FadeOut(self.key), FadeOut(self.y_grid),
                    AnimationGroup(*fills, lag_ratio=0.15, group=res))
            beat.at("count", Indicate(res.cells, color=palette.OUTPUT, scale_factor=1.03),
                    Indicate(res_label, color=palette.OUTPUT))

        with self.beat("reshape", values={"i": TRANSPOSED.output[0],
                                          "i_article": en_article(TRANSPOSED.output[0])}) as beat:
            idxs = list(np.ndindex(*TRANSPOSED.output))
            srcs = [res.number((k, 0)) for k in range(n_out)]
            beat.at("reshape", FlyNumbers(srcs, outg, idxs, [out[i] for i in idxs],
                                          lag_ratio=0))
            beat.at("direct", FadeIn(same), FadeIn(dg, shift=0.15 * LEFT))

    # --- shapes, and the backward pass --------------------------------------------------------
    def shapes_part(self):
        rows, cols = self.C.shape
        style = {"slant": "ITALIC", "font_size": 36}
        conv = ShapeMap(CONV.input, CONV.output, self.s("c"), self.s("maps", a=cols, b=rows),
                        y=2.15, cell_size=0.5, font_size=28,
                        input_label=shape_label("input", CONV.input, self.lang),
                        output_label=shape_label("output", CONV.output, self.lang),
                        above_style=style)
        back = ShapeMap(TRANSPOSED.input, TRANSPOSED.output, self.s("ct"),
                        self.s("maps", a=rows, b=cols), y=-0.55, cell_size=0.5, font_size=28,
                        input_label=shape_label("input", TRANSPOSED.input, self.lang),
                        output_label=shape_label("output", TRANSPOSED.output, self.lang),
                        above_style=style)
        self.shape_maps = (conv, back)
        grids = VGroup(conv.input, conv.output, back.input, back.output)
        key = tap_kernel(self.w, cell_size=0.45, opacity=KEY_SHADE)
        same = self.text_line(self.s("same"), size=28)
        note = VGroup(key, same).arrange(RIGHT, buff=0.35)
        note.move_to([0, max(CAPTION_Y + 0.2, -2.7 + note.height / 2), 0])
        with self.beat("shapes", values={"rows": rows, "cols": cols}) as beat:
            # the four grids first; each arrow when the voice says what it does
            self.play(fade_swap(Group(*self.mobjects), grids))
            beat.at("c", *(FadeIn(m) for m in (conv.arrow, conv.above, conv.below)))
            beat.at("ct", *(FadeIn(m) for m in (back.arrow, back.above, back.below)))
            beat.at("same", FadeIn(note, shift=0.1 * UP))

        grad = math_tex(r"\frac{\partial L}{\partial x} = C^{\top}\,\frac{\partial L}{\partial y}",
                        lang=self.lang, font_size=44)
        name = self.text_line(self.s("backward"), size=30, color=palette.HIGHLIGHT)
        block = VGroup(grad, name).arrange(RIGHT, buff=0.5)
        block.move_to([0, CAPTION_Y + 0.25, 0])
        self.gradient = grad
        with self.beat("backward") as beat:
            beat.at("ct", Indicate(back.arrow, color=palette.HIGHLIGHT),
                    Indicate(back.above, color=palette.HIGHLIGHT))
            beat.at("grad", Succession(fade_out(note, run_time=0.3), Write(grad, run_time=0.9)))
            beat.at("name", FadeIn(name, shift=0.1 * LEFT))
        self.shapes_group = Group(*self.mobjects)

    def next_part(self):
        ids = [s.id for s in SEGMENTS]
        nxt = ids[ids.index(self.segment_id) + 1]
        try:
            title = load_segment_text(nxt, self.lang).title
        except NarrationTextError:
            title = None
        num = Text(str(segment_number(nxt)), font=palette.TITLE_FONT, font_size=48,
                   color=palette.ACCENT)
        name = self.text_line(title or "", size=40)
        item = VGroup(num, name).arrange(RIGHT, buff=0.4).move_to(DOWN * 0.2)
        with self.beat("next") as beat:
            beat.at("next", fade_swap(self.shapes_group, item if title else num))
        self.play(FadeOut(item if title else num), run_time=0.8)
