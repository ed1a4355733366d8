"""Part 3, "Convolución como matriz" (the post's animation A2): conv(x) = C·vec(x).

Two scenes:

``ConvolucionComoMatriz`` (segment ``s03_matriz``, narrated): the guide's 4×4 input and
3×3 kernel (``convmath.examples``). The input is flattened row by row into vec(x) (16
cells laid out over the 16 columns of C); each row r of the 4×16 matrix C (rows and
positions numbered from 1, as said) is the kernel at position r (its window shaded on the
input grid in the tap colours, the row framed in C, the columns it covers outlined in vec(x));
row 1 times vec(x) is a products line whose sum goes into C·vec(x), the others follow; the 4
results are reshaped into the 2×2 output. How sparse C is: 36 of its 64 entries here, and the
share of zeros for bigger inputs (a table, up to 98.9 % for 28×28); block separators show the
block Toeplitz structure. Then a strided, padded case (i=5, k=3, s=2, p=1) as a heat map of C
coloured by kernel tap beside the padded input, its rows filling the 3×3 output, 49 of 225
entries weights, no column for the padding; and the transpose Cᵀ, which carries the gradient
back in training: the transposed convolution of a later part. Every number is convmath's: C
from ``conv_matrix_dense``, the outputs from ``apply_matrix`` (equal to ``correlate``, which
the tests check), the counts from ``matrix_entries`` and ``matrix_shape``.

``MatrizConfigurable`` (not narrated; a plain Scene): the same picture for any
convolution chosen with the CONV_* environment variables shared with the configurable
convolution scene (A1), read by ``scenes.configurable.params_env``::

    CONV_INPUT=5x5 CONV_KERNEL=3 CONV_STRIDE=2 CONV_PADDING=1 CONV_DILATION=1 CONV_SEED=0 \\
        manim render scenes/s03_matriz.py MatrizConfigurable

Sizes like ``7`` (1D) or ``7x5`` (2D), padding as in the ``convmath`` command (``1``,
``1:2,0``, ``same``, ``full``); also ``CONV_INPUT_VALUES`` / ``CONV_KERNEL_VALUES`` (JSON
arrays), ``CONV_OP=convolution`` (C then holds the flipped kernel) and ``CONV_CONFIG`` (a
JSON file). Unset, it shows the guide's 4×4 input and 3×3 kernel. Bad settings print one
line (``convmath: error: ...``) and exit before anything renders; so does a padded input
of more than 16 cells per axis or more than 2 axes. It shows the settings, the padded
input, the kernel (each tap in its colour, the key of C's colours), C (entry by entry up
to 12×16, else a heat map), then row after row of C with its kernel window on the input,
filling the output with C·vec(x). On-screen words come from this segment's text file in
``$LECTURE_LANG``; it has no narration and no subtitles (nothing to wait for: each step
takes a fixed time, ``CONV_PACE`` seconds if set).

With ``CONV_TRANSPOSED=1`` (and ``CONV_OUTPUT_PADDING``) it shows a transposed convolution as
Cᵀ·vec(x): the input, the kernel, Cᵀ (entry by entry, or a heat map when large) and the output;
row after row of Cᵀ, the input cells that row reads are outlined and its output cell filled
(``convmath.apply_matrix``, equal to ``convmath.transposed_conv``).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, AnimationGroup, Arrow, ApplyMatrix, Create,
                   DashedLine, FadeIn, FadeOut, Indicate, ReplacementTransform, Scene, Square,
                   Succession, Text, Transform, VGroup, Write, config)

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.configurable.params_env import conv_params_from_env, exit_with
from scenes.configurable.views import LIMITS, PACE_VAR, check_drawable, read_pace, scene_environ
from scenes.kit import (CellGrid, KernelFootprint, MatrixHeatMap, MatrixView, OpCaption,
                        TitleCard, fit_to_region, math_tex, palette)
from scenes.kit.cells.legend import tap_kernel
from scenes.kit.matrices.products import ProductsLine
from scenes.kit.matrices.transposed_matrix import TransposedHeatMap, TransposedMatrixView
from scenes.kit.motion.fade import fade_out_all, hand_over
from scenes.kit.motion.moves import pulse, slide_to
from scenes.kit.operation.fly import FlyNumbers
from scenes.kit.text.numfmt import decimal, en_article
from scenes.kit.text.tex import LightenOnAdd
from scenes.kit.text.words import said_size, size_text
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import load_segment_text

# the paper's 4×16 example, then a strided and padded one
MAIN = dict(input=(4, 4), kernel=(3, 3))
STRIDED = dict(input=(5, 5), kernel=(3, 3), stride=2, padding=1)
ZERO_TABLE_SIZES = (4, 8, 16, 28)     # square inputs whose share of zeros in C is shown

# the narrated segment's layout (frame units): a top band (input, kernel, output), vec(x) under
# it, C under vec(x) (one column per cell of vec(x)), captions above the subtitles
PITCH = 0.55                 # cells of the grids, of vec(x), entries of C
BAND_Y = 2.3
INPUT_X, KERNEL_X, TABLE_X = -4.6, -2.0, 0.9
VEC_Y = 0.55
C_TOP = -0.3                 # centre of C's first row
CAPTION_Y = -2.45
CAPTION_SIZE = 24
LINE_WIDTH = 9.4             # a row's products line, clear of C·vec(x)'s label


def main_example():
    sp = cm.spec(MAIN["input"], MAIN["kernel"])
    return sp, example_input(sp.input), example_kernel(sp.kernel)


def strided_example():
    sp = cm.spec(STRIDED["input"], STRIDED["kernel"], stride=STRIDED["stride"],
                 padding=STRIDED["padding"])
    return sp, example_input(sp.input), example_kernel(sp.kernel)


def nonzero_columns(taps: np.ndarray, r: int) -> list[int]:
    """Columns of row ``r`` of a tap matrix that hold a kernel weight."""
    return [int(c) for c in np.nonzero(taps[r] >= 0)[0]]


def row_products(C: np.ndarray, taps: np.ndarray, xflat: np.ndarray, r: int,
                 lang=None) -> ProductsLine:
    """Row r of C times vec(x), written out: "x·w + … = y_r" over the kernel's entries of
    the row, each weight in its tap's colour (as C draws it)."""
    cols = nonzero_columns(taps, r)
    line = ProductsLine([(xflat[c], C[r, c]) for c in cols], lang=lang,
                        weight_colors=[palette.tap_color(int(taps[r, c])) for c in cols])
    if line.width > LINE_WIDTH:
        line.scale_to_fit_width(LINE_WIDTH)
    return line


def outline_cells(grid: CellGrid, indices, color=palette.KERNEL, width: float = 4.0) -> VGroup:
    """Outlines (no fill) over some cells of a grid."""
    out = VGroup()
    for idx in indices:
        sq = Square(grid.step * 0.94, stroke_color=color, stroke_width=width, fill_opacity=0)
        out.add(sq.move_to(grid.cell_center(idx)))
    return out


def block_separators(mv, block_rows: int, block_cols: int, color=palette.TEXT_DIM) -> VGroup:
    """Dashed lines between the blocks of a block matrix drawn by MatrixView/MatrixHeatMap."""
    lines = VGroup()
    sx, sy = mv.slot_size()
    top = mv.slot_center(0, 0)[1] + sy / 2
    bottom = mv.slot_center(mv.rows - 1, 0)[1] - sy / 2
    left = mv.slot_center(0, 0)[0] - sx / 2
    right = mv.slot_center(0, mv.cols - 1)[0] + sx / 2
    for c in range(block_cols, mv.cols, block_cols):
        x = (mv.slot_center(0, c - 1)[0] + mv.slot_center(0, c)[0]) / 2
        lines.add(DashedLine([x, top, 0], [x, bottom, 0], color=color, stroke_width=2,
                             dash_length=0.08))
    for r in range(block_rows, mv.rows, block_rows):
        y = (mv.slot_center(r - 1, 0)[1] + mv.slot_center(r, 0)[1]) / 2
        lines.add(DashedLine([left, y, 0], [right, y, 0], color=color, stroke_width=2,
                             dash_length=0.08))
    return lines


class ConvolucionComoMatriz(LightenOnAdd, NarratedScene):
    segment_id = "s03_matriz"

    def label(self, text: str, color=palette.TEXT, size=palette.LABEL_SIZE) -> Text:
        return Text(text, font=palette.FONT, font_size=size, color=color)

    def construct(self):
        lang = self.lang
        sp, x, w = main_example()
        self.sp, self.x, self.w = sp, x, w
        C = cm.conv_matrix_dense(sp, w)
        taps = cm.tap_matrix(sp)
        xflat = x.reshape(-1)
        y = cm.apply_matrix(sp, w, x)               # C·vec(x), reshaped to the output
        yflat = y.reshape(-1)
        board = cm.storyboard(sp, x, w)
        n_in, n_out = xflat.size, yflat.size

        # --- title ---------------------------------------------------------------------------
        with self.beat("title") as beat:
            card = TitleCard(int(self.s("number")), self.text.title, self.s("subtitle"),
                             lang=lang)
            self.play(card.intro(run_time=min(2.0, beat.duration * 0.4)))

        # --- the top band: input, kernel (the key of C's colours), output ---------------------
        cell = PITCH
        inp = CellGrid(x, role="input", cell_size=cell,
                       label=f"{self.s('input')} {size_text(sp.input)}", lang=lang)
        ker = tap_kernel(w, cell_size=cell, label=f"{self.s('kernel')} {size_text(sp.kernel)}")
        out = CellGrid(shape=sp.output, role="output", cell_size=cell,
                       label=f"{self.s('output')} {size_text(sp.output)}", lang=lang)
        # vec(x): one row of cells over the columns of C; its first four cells right under the
        # input's first row, so that row drops straight down into them
        vec = CellGrid(shape=(n_in,), role="input", cell_size=cell,
                       cell_kind=np.full(n_in, "input", dtype=object))
        inp.shift(np.array([INPUT_X, BAND_Y, 0]) - inp.cells.get_center())
        vec.shift(np.array([inp.cell_center((0, 0))[0] - vec.cell_center((0,))[0], VEC_Y, 0]))
        ker.shift(np.array([KERNEL_X, BAND_Y, 0]) - ker.cells.get_center())
        vec_label = math_tex(r"\mathrm{vec}(x)", lang=lang, font_size=30,
                             color=palette.INPUT_TEXT)
        vec_label.next_to(vec.cells, LEFT, buff=0.2)
        self.inp, self.ker, self.out, self.vec = inp, ker, out, vec

        # --- flatten: row after row into vec(x) -------------------------------------------------
        sources = [inp.number(idx) for idx in np.ndindex(*sp.input)]
        flying = [s.copy() for s in sources]
        with self.beat("flatten", values={"i": sp.input[0], "n": n_in}) as beat:
            hand_over(self, beat, "input", FadeIn(inp))
            # the numbers leave the input for a moment: each row moves right to the place its
            # cells take in the vector, then all drop into it (no digit crosses another)
            beat.at("rows")
            inp.numbers.set_opacity(0)
            self.add(*flying)
            self.play(*(slide_to(f, np.array([vec.cell_center((c,))[0], f.get_y(), 0]))
                        for c, f in enumerate(flying)))
            beat.at("vec", *(slide_to(f, vec.cell_center((c,))) for c, f in enumerate(flying)),
                    FadeIn(vec), Write(vec_label))
            self.remove(*flying)
            for c in range(n_in):
                vec.set_number((c,), xflat[c])
            self.play(inp.numbers.animate.set_opacity(1))

        # --- rows: row r of C is the kernel at position r -------------------------------------
        mv = MatrixView(sp, w, dx=cell, dy=cell, font_size=30, lang=lang)
        mv.shift(np.array([vec.cell_center((0,))[0] - mv.slot_center(0, 0)[0],
                           C_TOP - mv.slot_center(0, 0)[1], 0]))
        c_label = math_tex("C", lang=lang, font_size=40)
        c_label.next_to(mv.brackets, LEFT, buff=0.25)
        self.mv = mv
        footprint = KernelFootprint(inp, sp.kernel, sp.dilation, window=board.steps[0].window,
                                    weights=w, tap_colors=True)
        row_box = mv.row_rect(0)
        cover = outline_cells(vec, [(c,) for c in nonzero_columns(taps, 0)])
        centre_x = vec.cells.get_center()[0] - 0.3     # clear of C·vec(x)'s label

        def caption(key, **fields):
            return self.label(self.s(key, **fields), size=CAPTION_SIZE).move_to(
                [centre_x, CAPTION_Y, 0])

        def row_move(r):
            """The kernel, the row frame, the covered columns and the caption, to row r."""
            return [footprint.slide_to(board.steps[r].window), slide_to(row_box, mv.row_rect(r)),
                    Transform(cover, outline_cells(vec, [(c,) for c in nonzero_columns(taps, r)]))]

        caps = [caption("row", r=r + 1) for r in range(n_out)]
        self.row_captions = caps
        with self.beat("rows", values={"taps": int(np.prod(sp.kernel)), "m": n_out}) as beat:
            footprint.save_state()
            inp.overlays.add(footprint)
            footprint.set_opacity(0)
            beat.at("c", FadeIn(ker), FadeIn(c_label), FadeIn(mv))
            beat.at("row1", footprint.animate.restore(), Create(row_box), Create(cover),
                    FadeIn(caps[0]))
            beat.at("row2", *row_move(1), ReplacementTransform(caps[0], caps[1]))
            beat.at("rest", *row_move(2), ReplacementTransform(caps[1], caps[2]))
            for r in range(3, n_out):
                self.play(*row_move(r), ReplacementTransform(caps[r - 1], caps[r]))

        # --- multiply: each row times vec(x) is one number -------------------------------------
        ycol = CellGrid(shape=(n_out, 1), role="output", cell_size=cell)
        ycol.shift(np.array([mv.brackets.get_right()[0] + 1.0, 0, 0])
                   + (mv.slot_center(0, 0)[1] - ycol.cell_center((0, 0))[1]) * UP
                   - ycol.cells.get_center()[0] * RIGHT)
        eq = math_tex("=", lang=lang, font_size=40).move_to(
            [(mv.brackets.get_right()[0] + ycol.cells.get_left()[0]) / 2,
             mv.brackets.get_center()[1], 0])
        y_label = math_tex(r"C\,\mathrm{vec}(x)", lang=lang, font_size=30,
                           color=palette.OUTPUT_TEXT)
        y_label.next_to(ycol.cells, DOWN, buff=0.2)
        self.ycol = ycol
        out.shift(np.array([ycol.cells.get_center()[0], BAND_Y, 0]) - out.cells.get_center())
        lines = [row_products(C, taps, xflat, r, lang=lang) for r in range(n_out)]
        for line in lines:
            line.move_to([centre_x, CAPTION_Y, 0])
        self.products = lines
        first = lines[0]
        values = {f"y{r + 1}": yflat[r] for r in range(n_out)}
        with self.beat("multiply", values=values) as beat:
            self.play(FadeOut(caps[-1]), FadeOut(cover), *row_move(0)[:2])
            beat.at("vec", FadeIn(ycol), FadeIn(eq), FadeIn(y_label),
                    Indicate(vec.cells, color=palette.INPUT, scale_factor=1.05))
            beat.at("row1", FadeIn(first.body, shift=0.15 * UP),
                    Indicate(row_box, color=palette.HIGHLIGHT, scale_factor=1.02))
            beat.at("y1", FadeIn(first.total, scale=1.3),
                    FlyNumbers([first.total], ycol, [(0, 0)], [yflat[0]]))
            for r in range(1, n_out):
                # the first row's products leave as the second row's number comes in
                done = [FadeOut(first.body), FadeOut(first.total)] if r == 1 else []
                beat.at(f"y{r + 1}", *row_move(r)[:2],
                        ycol.fill_animation((r, 0), yflat[r]), *done)

        # --- reshape: the results are the output grid -------------------------------------------
        op = OpCaption(cm.CORRELATION, lang=lang)
        op.next_to(out.cells, DOWN, buff=0.3)         # under the output it names
        with self.beat("reshape", values={"m": n_out, "o": sp.output[0],
                                          "a_o": en_article(sp.output[0])}) as beat:
            self.play(footprint.animate.set_opacity(0), FadeOut(row_box))
            srcs = [ycol.number((r, 0)) for r in range(n_out)]
            idxs = list(np.ndindex(*sp.output))
            beat.at("grid", FadeIn(out),
                    FlyNumbers(srcs, out, idxs, [y[i] for i in idxs], lag_ratio=0.0,
                               path_arc=0.8 * PI))
            beat.at("out", FadeIn(op), Indicate(out.cells, color=palette.OUTPUT,
                                                scale_factor=1.08))

        # --- sparse: here more than half of C is kernel weights; for bigger inputs, zeros ---------
        r_all, _, _ = cm.matrix_entries(sp)
        nz, total = len(r_all), taps.size
        table, rows_of = self.zeros_table(sp)
        self.zero_rows = rows_of
        big = rows_of[-1]
        note = caption("nonzero", nz=nz, total=total, values=int(np.count_nonzero(C)))
        self.nonzero_note = note
        values = {"nz": nz, "total": total, "taps": int(np.prod(sp.kernel)),
                  "big": said_size((big.size, big.size), lang), "pct": big.pct}
        with self.beat("sparse", values=values) as beat:
            beat.at("nz", FadeIn(note, shift=0.15 * UP),
                    pulse(mv, [mv.entry(int(rr), int(cc))
                               for rr, cc in zip(*np.nonzero(taps >= 0))], scale_factor=1.25))
            beat.at("grow", FadeIn(table, lag_ratio=0.15))
            beat.at("big", Indicate(big, color=palette.HIGHLIGHT, scale_factor=1.1))

        # --- toeplitz: the same weights, shifted from row to row --------------------------------
        blocks = block_separators(mv, sp.output[1], sp.input[1])
        centre_tap = int(np.ravel_multi_index(tuple(k // 2 for k in sp.kernel), sp.kernel))
        same = [mv.entry(int(rr), int(cc)) for rr, cc in zip(*np.nonzero(taps == centre_tap))]
        toeplitz = caption("toeplitz")
        with self.beat("toeplitz") as beat:
            beat.at("shift", pulse(mv, same, color=palette.tap_color(centre_tap),
                                   scale_factor=1.5))
            beat.at("toeplitz", Create(blocks), ReplacementTransform(note, toeplitz))

        # --- stride and padding: a heat map of C ------------------------------------------------
        self.strided_part(lang)

    def zeros_table(self, sp):
        """Share of zeros in C for this kernel on bigger and bigger square inputs (convmath's
        matrix_entries and matrix_shape): a little table, this example's row first."""
        head = VGroup(self.label(self.s("table_input"), color=palette.TEXT_DIM, size=22),
                      self.label(self.s("table_zeros"), color=palette.TEXT_DIM, size=22))
        rows = []
        for n in ZERO_TABLE_SIZES:
            spn = cm.spec((n, n), sp.kernel)
            r_all, _, _ = cm.matrix_entries(spn)
            nrows, ncols = cm.matrix_shape(spn)
            pct = decimal(100 * (1 - Fraction(len(r_all), nrows * ncols)), 1, self.lang)
            color = palette.HIGHLIGHT if n == ZERO_TABLE_SIZES[-1] else palette.TEXT
            row = VGroup(self.label(size_text((n, n)), size=24, color=color),
                         self.label(self.s("pct", pct=pct), size=24, color=color))
            row.size, row.pct, row.nonzero, row.entries = n, pct, len(r_all), nrows * ncols
            rows.append(row)
        table = VGroup(head, *rows)
        for row in table:
            row[0].move_to([0, 0, 0], aligned_edge=RIGHT)
            row[1].move_to([0.5, 0, 0], aligned_edge=LEFT)
        table.arrange(DOWN, buff=0.22)
        for row in table:
            row[0].align_to(np.array([0.0, 0, 0]), RIGHT)
            row[1].align_to(np.array([0.4, 0, 0]), LEFT)
        table.move_to([TABLE_X, BAND_Y, 0])
        return table, rows

    def strided_part(self, lang):
        sp, x, w = strided_example()
        self.sp2, self.x2, self.w2 = sp, x, w
        board = cm.storyboard(sp, x, w)
        taps = cm.tap_matrix(sp)
        y = cm.apply_matrix(sp, w, x)
        rows, cols = taps.shape
        r_all, _, _ = cm.matrix_entries(sp)
        nz = len(r_all)
        pad = sp.padding[0][0]

        inp = CellGrid(board.padded, cell_kind=board.cell_kind, role="input", cell_size=0.5,
                       label=f"{self.s('input')} {size_text(sp.input)}", lang=lang)
        inp.shift(np.array([-5.05, 0.55, 0]) - inp.cells.get_center())
        heat = MatrixHeatMap(sp, w, height=2.9, max_width=8.3)
        heat.move_to([2.45, 1.75, 0])
        heat_label = self.label(self.s("c_shape", rows=rows, cols=cols))
        heat_label.next_to(heat.brackets, UP, buff=0.15)
        key = tap_kernel(w, cell_size=0.5, label=f"{self.s('kernel')} {size_text(sp.kernel)}")
        key.shift(np.array([-0.35, -1.45, 0]) - key.cells.get_center())
        out = CellGrid(shape=sp.output, role="output", cell_size=0.5,
                       label=f"{self.s('output')} {size_text(sp.output)}", lang=lang)
        out.shift(np.array([2.45, -1.45, 0]) - out.cells.get_center())
        note = self.label(self.s("nonzero", nz=nz, total=taps.size,
                                 values=int(np.count_nonzero(cm.conv_matrix_dense(sp, w)))),
                          size=CAPTION_SIZE)
        note.move_to([0.6, CAPTION_Y, 0])
        cols_note = self.label(self.s("columns", cols=cols, i=size_text(sp.input)),
                               size=CAPTION_SIZE)
        cols_note.move_to(note)
        self.inp2, self.heat, self.key, self.out2 = inp, heat, key, out
        self.nonzero_note2, self.columns_note = note, cols_note
        footprint = KernelFootprint(inp, sp.kernel, sp.dilation, window=board.steps[0].window,
                                    weights=w, tap_colors=True)
        footprint.save_state()
        inp.overlays.add(footprint)
        footprint.set_opacity(0)
        row_box = heat.row_rect(0, width=3)

        values = {"i2": sp.input[0], "k2": sp.kernel[0], "s2": sp.stride[0], "p2": pad,
                  "rows2": rows, "cols2": cols, "nz2": nz, "total2": taps.size}
        with self.beat("stride", values=values) as beat:
            hand_over(self, beat, "i2", FadeIn(inp), FadeIn(key), FadeIn(out))
            beat.at("shape", FadeIn(heat), FadeIn(heat_label))

        def row_step(r):
            cell = board.steps[r].output
            moves = [footprint.animate.restore(), Create(row_box)] if r == 0 else [
                footprint.slide_to(board.steps[r].window), slide_to(row_box, heat.row_rect(r))]
            return Succession(AnimationGroup(*moves), out.fill_animation(cell, y[cell]),
                              group=VGroup(inp, out))

        with self.beat("fill2", values=values) as beat:
            beat.at("sweep", Succession(*(row_step(r) for r in range(rows))))
            beat.at("nz2", FadeIn(note, shift=0.15 * UP))

        padding_cells = [inp.cell(idx) for idx in np.ndindex(*inp.shape)
                         if inp.cell_kind[idx] == "padding"]
        with self.beat("padcols", values=values) as beat:
            beat.at("pad", footprint.animate.set_opacity(0), FadeOut(row_box),
                    pulse(inp, padding_cells, color=palette.HIGHLIGHT, scale_factor=1.0))
            beat.at("cols", ReplacementTransform(note, cols_note),
                    Indicate(heat_label, color=palette.HIGHLIGHT))

        # --- next: Cᵀ, the backward pass and the transposed convolution -------------------------
        with self.beat("next") as beat:
            self.play(*fade_out_all(self, keep=(heat, heat_label)), run_time=0.6)
            pitch = 0.22
            target = heat.copy()
            target.scale(pitch * cols / target.background.width)
            target.move_to([-3.0, 1.0, 0])
            lab_target = heat_label.copy().next_to(target.brackets, UP, buff=0.2)
            self.play(heat.animate.become(target), heat_label.animate.become(lab_target))
            flipped = heat.copy()
            flipped.move_to([4.6, 0.05, 0])
            # transposing a drawn matrix: reflect it across its main diagonal
            flipped.apply_matrix(np.array([[0, -1], [-1, 0]]),
                                 about_point=flipped.background.get_center())
            ct_label = self.label(self.s("ct_shape", rows=cols, cols=rows))
            ct_label.next_to(flipped, UP, buff=0.2)
            grad = math_tex(r"\frac{\partial L}{\partial x} = C^{\mathsf{T}}\,"
                            r"\frac{\partial L}{\partial y}", lang=lang, font_size=40)
            grad.next_to(heat, DOWN, buff=0.45).set_x(-2.6)
            self.gradient = grad
            moving = heat.copy()
            beat.at("ct")
            # a copy goes to the right, then turns over its diagonal there into Cᵀ
            self.add(moving)
            self.play(moving.animate.move_to(flipped), FadeIn(grad, shift=0.2 * UP))
            self.play(ApplyMatrix(np.array([[0, -1], [-1, 0]]), moving,
                                  about_point=flipped.background.get_center()))
            self.remove(moving)
            self.add(flipped)
            self.play(FadeIn(ct_label))
            self.transposed_view = flipped
            cap = self.label(self.s("transposed"), color=palette.TEXT)
            cap.next_to(grad, DOWN, buff=0.4).set_x(-2.6)
            arrow = Arrow(cap.get_right(), flipped.get_left() + 0.5 * DOWN, buff=0.25,
                          color=palette.TEXT_DIM, stroke_width=3)
            beat.at("tconv", FadeIn(cap), Create(arrow))


def _per_axis(values) -> str:
    """One number when every axis has the same value (``2``), else one per axis (``2×1``)."""
    return str(values[0]) if len(set(values)) == 1 else size_text(values)


class MatrizConfigurable(LightenOnAdd, Scene):
    """A2 for any convolution chosen with CONV_* environment variables (see the module doc);
    with ``CONV_TRANSPOSED=1``, the transposed convolution as Cᵀ·vec(x)."""

    MAX_CELLS = LIMITS["matrix"][2]   # padded input (or transposed output) cells per axis
    DEFAULTS = {"input": "4x4"}   # unset: the guide's 4×4 input and 3×3 kernel (4×16 C)
    MAX_VIEW_SHAPE = (12, 16)  # C drawn entry by entry up to this many rows and columns
    CONV_ENV: dict = {}        # settings over the environment (scenes.configurable.views.scene_environ)
    PACE = 0.7                 # seconds per step when CONV_PACE is not set

    def __init__(self, *args, **kwargs):
        # read and check the settings before Manim sets anything up: a bad one is one line
        env = scene_environ(self)
        try:
            self.conv = conv_params_from_env(env, defaults=self.DEFAULTS, max_ndim=2,
                                             max_cells=64)
            check_drawable(self.conv.spec, "matrix")
            self.pace = read_pace(env) if env.get(PACE_VAR, "").strip() else self.PACE
        except cm.ConvError as exc:
            exit_with(exc)
        from scenes.kit.text.tex import default_lang

        self.lang = default_lang()
        self.text = load_segment_text("s03_matriz", self.lang)
        super().__init__(*args, **kwargs)

    def s(self, key, **fields):
        return self.text.string(key, **fields)

    def settings_line(self) -> str:
        sp = self.conv.spec
        from scenes.kit.text.words import word

        if sp.padding_name:
            pad = sp.padding_name
        else:
            pad = ",".join(str(b) if b == a else f"{b}:{a}" for b, a in sp.padding)
            if len(set(sp.padding)) == 1 and sp.padding[0][0] == sp.padding[0][1]:
                pad = str(sp.padding[0][0])
        parts = [f"{self.s('input')} {size_text(sp.input)}",
                 f"{self.s('kernel')} {size_text(sp.kernel)}",
                 f"{word('stride', self.lang)} {_per_axis(sp.stride)}",
                 f"{word('padding', self.lang)} {pad}",
                 f"{word('dilation', self.lang)} {_per_axis(sp.dilation)}"]
        if sp.transposed and any(sp.output_padding):
            parts.append(f"output padding {_per_axis(sp.output_padding)}")
        return "  ·  ".join(parts) + f"  →  {self.s('output')} {size_text(sp.output)}"

    def _header(self, lang):
        """The settings line, left of the corner caption naming the operation."""
        fw = config.frame_width
        op = OpCaption(self.conv.op, lang=lang, transposed=self.conv.transposed)
        header = Text(self.settings_line(), font=palette.FONT, font_size=palette.CAPTION_SIZE + 2,
                      color=palette.TEXT)
        room = op.get_left()[0] - 0.4 - (-fw / 2 + palette.FRAME_MARGIN)
        if header.width > room:
            header.scale_to_fit_width(room)
        header.to_edge(UP, buff=0.35).to_edge(LEFT, buff=palette.FRAME_MARGIN)
        header.shift(RIGHT * max(0.0, (room - header.width) / 2))
        self.header, self.op_caption = header, op
        return header, op

    def _show_columns(self, header, op, left, grids, sp, w, rows, cols, label_key,
                      transposed):
        """Grids on the left (as wide as they need, 4.6 to 6.6 units), C or Cᵀ on the right,
        entry by entry when small enough to read; then both fade in under the header."""
        fw, fh = config.frame_width, config.frame_height
        top = header.get_bottom()[1] - 0.3
        bottom = -fh / 2 + palette.FRAME_MARGIN
        split = -fw / 2 + palette.FRAME_MARGIN + min(max(left.width, 4.6), 6.6)
        fit_to_region(left, -fw / 2 + palette.FRAME_MARGIN, bottom, split, top, buff=0.1)
        right_w = fw / 2 - palette.FRAME_MARGIN - split - 0.4
        mat = self._matrix(sp, w, rows, cols, top, bottom, right_w, transposed=transposed)
        mat_label = Text(self.s(label_key, rows=rows, cols=cols), font=palette.FONT,
                         font_size=palette.LABEL_SIZE, color=palette.TEXT)
        right = VGroup(mat_label, mat).arrange(DOWN, buff=0.25)
        fit_to_region(right, split + 0.4, bottom, fw / 2 - palette.FRAME_MARGIN, top, buff=0.1)
        self.inp, self.key, self.out = grids
        self.mat, self.mat_label = mat, mat_label
        self.add(header, op)
        self.play(FadeIn(left), run_time=1.2)
        self.play(FadeIn(right), run_time=1.2)

    def _matrix(self, sp, w, rows, cols, top, bottom, right_w, transposed: bool):
        """C (or Cᵀ) entry by entry when it is small enough to read, else a heat map."""
        if rows <= self.MAX_VIEW_SHAPE[0] and cols <= self.MAX_VIEW_SHAPE[1]:
            if transposed:
                return TransposedMatrixView(sp, w, lang=self.lang, font_size=28)
            return MatrixView(sp, w, lang=self.lang, font_size=28)
        cls = TransposedHeatMap if transposed else MatrixHeatMap
        return cls(sp, w, height=top - bottom - 1.2, max_width=right_w)

    def construct(self):
        if self.conv.transposed:
            self.construct_transposed()
            return
        sp, x = self.conv.spec, self.conv.x
        lang = self.lang
        board = self.conv.storyboard()
        # what slides: the kernel, flipped for a true convolution; C holds it
        w = board.kernel_applied
        self.w_applied = w
        taps = cm.tap_matrix(sp)
        y = cm.apply_matrix(sp, w, x)
        self.y = y
        rows, cols = taps.shape
        header, op = self._header(lang)

        # left column: padded input over kernel and output
        inp = CellGrid(board.padded, cell_kind=board.cell_kind, role="input",
                       label=f"{self.s('input')} {size_text(sp.input)}", lang=lang,
                       show_numbers=max(board.padded.shape) <= 12)
        key_label = self.s("kernel_flipped" if self.conv.op == cm.CONVOLUTION else "kernel_sized",
                           k=size_text(sp.kernel))
        key = tap_kernel(w, label=key_label)
        out = CellGrid(shape=sp.output, role="output",
                       label=f"{self.s('output')} {size_text(sp.output)}", lang=lang)
        lower = VGroup(key, out).arrange(RIGHT, buff=0.8, aligned_edge=UP)
        left = VGroup(inp, lower).arrange(DOWN, buff=0.5)
        self._show_columns(header, op, left, (inp, key, out), sp, w, rows, cols, "c_shape",
                           transposed=False)
        mat = self.mat
        footprint = KernelFootprint(inp, sp.kernel, sp.dilation, window=board.steps[0].window,
                                    weights=w, tap_colors=True)
        footprint.save_state()
        inp.overlays.add(footprint)
        footprint.set_opacity(0)
        box = mat.row_rect(0, width=3)
        steps = board.steps
        p = self.pace
        detailed = min(len(steps), 4)
        for k in range(detailed):
            st = steps[k]
            if k == 0:
                self.play(footprint.animate.restore(), Create(box), run_time=p + 0.1)
            else:
                self.play(footprint.slide_to(st.window),
                          slide_to(box, mat.row_rect(k)), run_time=p)
            self.play(out.fill_animation(st.output, y[st.output]), run_time=p)
        rest = steps[detailed:]
        if rest:
            # the other rows in at most about eight plays
            chunk = max(1, -(-len(rest) // 8))
            for j in range(0, len(rest), chunk):
                group = rest[j:j + chunk]
                last = group[-1]
                self.play(footprint.slide_to(last.window),
                          slide_to(box, mat.row_rect(last.order)),
                          AnimationGroup(*(out.fill_animation(st.output, y[st.output])
                                           for st in group), group=out),
                          run_time=p)
        self.play(footprint.animate.set_opacity(0), FadeOut(box), run_time=0.6)
        self.wait(1.5)

    def construct_transposed(self):
        """Cᵀ·vec(x): row r of Cᵀ is output cell r, reading the input cells it outlines."""
        sp, x, w = self.conv.spec, self.conv.x, self.conv.w
        lang = self.lang
        self.w_applied = w
        taps = cm.tap_matrix(sp).T                 # Cᵀ: rows output cells, columns inputs
        y = cm.apply_matrix(sp, w, x)              # Cᵀ·vec(x), reshaped to the output
        self.y = y
        rows, cols = taps.shape
        header, op = self._header(lang)

        inp = CellGrid(x, role="input", label=f"{self.s('input')} {size_text(sp.input)}",
                       lang=lang)
        key = tap_kernel(w, label=self.s("kernel_sized", k=size_text(sp.kernel)))
        out = CellGrid(shape=sp.output, role="output",
                       label=f"{self.s('output')} {size_text(sp.output)}", lang=lang,
                       show_numbers=max(sp.output) <= 12)
        upper = VGroup(inp, key).arrange(RIGHT, buff=0.8, aligned_edge=UP)
        left = VGroup(upper, out).arrange(DOWN, buff=0.5)
        self._show_columns(header, op, left, (inp, key, out), sp, w, rows, cols, "ct_shape",
                           transposed=True)
        mat = self.mat
        out_cells = list(np.ndindex(*sp.output))

        def reads(r):
            return [tuple(int(v) for v in np.unravel_index(c, sp.input))
                    for c in nonzero_columns(taps, r)]

        p = self.pace
        box = mat.row_rect(0, width=3)
        cover = outline_cells(inp, reads(0))
        marker = out.window_rectangle(out_cells[0], (1,) * out.ndim, color=palette.HIGHLIGHT,
                                      width=4)
        self.add(cover, marker)
        self.play(Create(box), FadeIn(cover), FadeIn(marker), run_time=p + 0.1)
        self.play(out.fill_animation(out_cells[0], y[out_cells[0]]), run_time=p)
        detailed = min(rows, 4)
        for r in range(1, detailed):
            idx = out_cells[r]
            self.play(slide_to(box, mat.row_rect(r)),
                      Transform(cover, outline_cells(inp, reads(r))),
                      slide_to(marker, out.cell_center(idx)), run_time=p)
            self.play(out.fill_animation(idx, y[idx]), run_time=p)
        rest = list(range(detailed, rows))
        chunk = max(1, -(-len(rest) // 8)) if rest else 1
        for j in range(0, len(rest), chunk):
            group = rest[j:j + chunk]
            last = group[-1]
            self.play(slide_to(box, mat.row_rect(last)),
                      Transform(cover, outline_cells(inp, reads(last))),
                      slide_to(marker, out.cell_center(out_cells[last])),
                      AnimationGroup(*(out.fill_animation(out_cells[r], y[out_cells[r]])
                                       for r in group), group=out),
                      run_time=p)
        self.play(FadeOut(box), FadeOut(cover), FadeOut(marker), run_time=0.6)
        self.wait(1.5)
