"""Segment 6 — Convolución transpuesta: what it is for, its names, and why it is no deconvolution.

A convolution of the guide's 4×4 input with a 3×3 kernel gives 2×2; the transposed
convolution with the same kind of kernel goes from 2×2 back to 4×4. Its many names
(deconvolution, fractionally strided convolution, up-convolution, backward convolution)
and why "deconvolution" is wrong: a deconvolution undoes a convolution, a transposed
convolution only reverses its shape and connectivity — shown with numbers: x, C·x and
Cᵀ·(C·x) ≠ x, every value from convmath (``conv_matrix_dense`` / ``apply_matrix``, equal
to ``correlate`` and ``transposed_conv``). Then where it is used, as small diagrams whose
sizes come from convmath specs, and what the next two parts derive.

    manim render scenes/s06_transpuesta.py ConvolucionTranspuesta
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, GrowArrow, Line,
                   Rectangle, Square, Text, TransformFromCopy, VGroup, Write)

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.grid import CellGrid
from scenes.kit.light import LightenOnAdd
from scenes.kit.shape_map import ShapeMap
from scenes.kit.tex import value_text
from scenes.kit.titles import play_title
from scenes.kit.words import size_text
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import load_segment_text
from scenes.segments import segment_number

# The guide's 4×4 input and 3×3 kernel (segment 3's example): 4×4 → 2×2, and back to 4×4.
MAIN = cm.spec((4, 4), 3)
BACK = cm.transposed(MAIN.output, MAIN.kernel)

# Sizes in the "where it is used" sketches: halving convolutions (k=4, s=2, p=1) and
# the transposed convolutions that double back.
DOWN_STEP = dict(kernel=4, stride=2, padding=1)
SKETCH_INPUT = 16
SUPERRES_INPUT = (3, 3)
NAME_KEYS = ("transposed", "deconv", "fractional", "up", "backward")


def round_trip():
    """x, the kernel w, C, C·x and Cᵀ·(C·x), all from convmath."""
    x = example_input(MAIN.input)
    w = example_kernel(MAIN.kernel)
    C = cm.conv_matrix_dense(MAIN, w)
    cx = cm.apply_matrix(MAIN, w, x)
    back = cm.apply_matrix(BACK, w, cx)
    return x, w, C, cx, back


def sketch_sizes() -> tuple[list[int], list[int]]:
    """Encoder sizes (convolutions halving) and decoder sizes (transposed doubling back)."""
    down = [SKETCH_INPUT]
    for _ in range(2):
        down.append(cm.spec(down[-1], **DOWN_STEP).output[0])
    up = [down[-1]]
    for _ in range(2):
        up.append(cm.transposed(up[-1], **DOWN_STEP).output[0])
    return down, up


def symbol_arrow(start, end, symbol: str) -> VGroup:
    """An arrow named by a matrix symbol ("C", "Cᵀ") written above it."""
    arrow = Arrow(start, end, buff=0, color=palette.TEXT_DIM, stroke_width=4,
                  max_tip_length_to_length_ratio=0.15)
    lab = Text(symbol, font=palette.FONT, font_size=34, color=palette.TEXT, slant="ITALIC")
    lab.next_to(arrow, UP, buff=0.15)
    return VGroup(arrow, lab)


def place_cells(grid: CellGrid, x: float, y: float) -> CellGrid:
    """Move a grid so its cells (not its label) are centred on (x, y)."""
    grid.shift(np.array([x, y, 0]) - grid.cells.get_center())
    return grid


class ConvolucionTranspuesta(LightenOnAdd, NarratedScene):
    segment_id = "s06_transpuesta"

    def text_line(self, text: str, size: float = palette.BODY_SIZE, color=palette.TEXT) -> Text:
        return Text(text, font=palette.FONT, font_size=size, color=color)

    def inequality(self, left: str, right: str, size: float = 36) -> VGroup:
        """"left ≠ right", the left part in the input's colour, the right in the output's."""
        parts = VGroup(Text(left, font=palette.FONT, font_size=size, color=palette.INPUT_TEXT),
                       Text("≠", font=palette.FONT, font_size=size, color=palette.TEXT),
                       Text(right, font=palette.FONT, font_size=size, color=palette.OUTPUT_TEXT))
        return parts.arrange(RIGHT, buff=0.25)

    def label(self, role: str, shape) -> str:
        return f"{self.s(role)} {size_text(shape)}"

    def construct(self):
        play_title(self, fade=True)

        self.shapes_part()
        self.names_part()
        self.numbers_part()
        self.uses_part()
        self.next_part()

    # --- 4×4 → 2×2, and back ---------------------------------------------------------------
    def shapes_part(self):
        sp, tsp = MAIN, BACK
        kernel = self.s("kernel_size", k=size_text(sp.kernel))
        conv = ShapeMap(sp.input, sp.output, self.s("conv_arrow"), kernel, y=1.75,
                        input_label=self.label("input", sp.input),
                        output_label=self.label("output", sp.output))
        back = ShapeMap(tsp.input, tsp.output, self.s("transposed_arrow"), kernel, y=-1.95,
                        input_label=self.label("input", tsp.input),
                        output_label=self.label("output", tsp.output))
        self.shape_maps = (conv, back)
        values = {"i": sp.input[0], "k": sp.kernel[0], "o": sp.output[0]}
        with self.beat("shrink", values=values) as beat:
            a, b, c = beat.split(1, 1.2, 1, leave=0.3)
            self.play(FadeIn(conv.input), run_time=a)
            self.play(GrowArrow(conv.arrow), FadeIn(conv.above), FadeIn(conv.below), run_time=b)
            self.play(FadeIn(conv.output), run_time=c)
        self.add(conv)
        with self.beat("back", values=values) as beat:
            a, b, c = beat.split(1.4, 1.2, 1, leave=0.3)
            # the convolution's output becomes the transposed convolution's input
            self.play(TransformFromCopy(conv.output.cells, back.input.cells),
                      FadeIn(back.input.label), run_time=a)
            self.remove(back.input.cells, back.input.label)
            self.add(back.input)
            self.play(GrowArrow(back.arrow), FadeIn(back.above), FadeIn(back.below), run_time=b)
            self.play(FadeIn(back.output), run_time=c)
        self.add(back)
        self.shapes_group = VGroup(conv, back)

    # --- its names ----------------------------------------------------------------------------
    def names_part(self):
        heading = self.text_line(self.s("names_title"), size=palette.SUBTITLE_SIZE + 4,
                                 color=palette.TEXT_DIM).to_edge(UP, buff=0.6)
        rows = VGroup()
        self.names = {}
        for key in NAME_KEYS:
            name = self.text_line(self.s(f"name_{key}"), size=34)
            orig_text = self.s(f"orig_{key}")
            row = VGroup(name)
            if orig_text:
                orig = self.text_line(orig_text, size=22, color=palette.TEXT_DIM)
                orig.next_to(name, DOWN, buff=0.08, aligned_edge=LEFT)
                row.add(orig)
            row.name = name
            rows.add(row)
            self.names[key] = row
        with_originals = any(len(r) > 1 for r in rows)
        rows.arrange(DOWN, buff=0.26 if with_originals else 0.5, aligned_edge=LEFT)
        rows.move_to([0, 0.3, 0])
        if rows.get_top()[1] > heading.get_bottom()[1] - 0.35:
            rows.next_to(heading, DOWN, buff=0.35)
        first = self.names["transposed"]
        first.name.set_color(palette.OUTPUT_TEXT)
        others = VGroup(*(self.names[k] for k in NAME_KEYS[1:]))
        with self.beat("names") as beat:
            a, b, c = beat.split(0.8, 1, 3, leave=0.3)
            self.play(FadeOut(self.shapes_group), run_time=a)
            self.play(FadeIn(heading), FadeIn(first, shift=0.2 * UP), run_time=b)
            self.play(FadeIn(others, lag_ratio=0.35, shift=0.2 * UP), run_time=c)

        deconv = self.names["deconv"]
        cross = Line(deconv.name.get_left() + 0.1 * LEFT, deconv.name.get_right() + 0.1 * RIGHT,
                     color=palette.TAP_COLORS[1], stroke_width=6)
        dimmed = [self.names[k] for k in NAME_KEYS if k not in ("deconv", "transposed")]
        does = self.text_line(self.s("deconv_does"), size=30)
        undo = self.text_line(self.s("deconv_formula"), size=34, color=palette.HIGHLIGHT)
        note = VGroup(does, undo).arrange(RIGHT, buff=0.6).to_edge(DOWN, buff=0.7)
        with self.beat("wrong") as beat:
            a, b = beat.split(1, 1.5, leave=0.3)
            self.play(*(m.animate.set_opacity(0.3) for m in dimmed), Create(cross), run_time=a)
            self.play(FadeIn(does), Write(undo), run_time=b)
        self.names_group = VGroup(heading, rows, cross, note)

    # --- numbers: Cᵀ after C is not the identity ------------------------------------------------
    def numbers_part(self):
        x, w, C, cx, back = round_trip()
        self.x, self.w, self.C, self.cx, self.back = x, w, C, cx, back
        cell = 0.62
        y0 = 0.35
        xg = place_cells(CellGrid(x, role="input", cell_size=cell), -4.75, y0)
        cxg = place_cells(CellGrid(shape=MAIN.output, role="output", cell_size=cell), 0, y0)
        bg = place_cells(CellGrid(shape=BACK.output, role="output", cell_size=cell), 4.75, y0)
        labels = []
        for grid, key, shape, color in ((xg, "x_label", MAIN.input, palette.INPUT),
                                        (cxg, "cx_label", MAIN.output, palette.OUTPUT),
                                        (bg, "back_label", BACK.output, palette.OUTPUT)):
            t = self.text_line(f"{self.s(key)}  {size_text(shape)}", size=palette.LABEL_SIZE,
                               color=color)
            t.next_to(grid.cells, UP, buff=0.25)
            labels.append(t)
        arrow_c = symbol_arrow([xg.cells.get_right()[0] + 0.3, y0, 0],
                               [cxg.cells.get_left()[0] - 0.3, y0, 0], self.s("c"))
        arrow_ct = symbol_arrow([cxg.cells.get_right()[0] + 0.3, y0, 0],
                                [bg.cells.get_left()[0] - 0.3, y0, 0], self.s("ct"))
        self.x_grid, self.cx_grid, self.back_grid = xg, cxg, bg
        statement = self.text_line(self.s("transposed_does"), size=30).to_edge(DOWN, buff=0.7)
        xg.numbers.set_opacity(0)
        with self.beat("shape_only") as beat:
            a, b, c = beat.split(0.8, 2, 1, leave=0.3)
            self.play(FadeOut(self.names_group), run_time=a)
            self.play(FadeIn(xg), FadeIn(labels[0]), GrowArrow(arrow_c[0]), FadeIn(arrow_c[1]),
                      FadeIn(cxg), FadeIn(labels[1]), GrowArrow(arrow_ct[0]),
                      FadeIn(arrow_ct[1]), FadeIn(bg), FadeIn(labels[2]), lag_ratio=0.15,
                      run_time=b)
            self.play(FadeIn(statement), run_time=c)

        i, o = MAIN.input[0], MAIN.output[0]
        with self.beat("numbers", values={"i": i, "o": o}) as beat:
            a, b = beat.split(1, 1.6, leave=0.3)
            self.play(xg.numbers.animate.set_opacity(1), run_time=a)
            fills = [cxg.fill_animation(idx, cx[idx]) for idx in np.ndindex(*MAIN.output)]
            self.play(*fills, lag_ratio=0.25, run_time=b)

        with self.beat("apply", values={"i": i}) as beat:
            a, = beat.split(1, leave=0.4)
            fills = [bg.fill_animation(idx, back[idx]) for idx in np.ndindex(*BACK.output)]
            self.play(*fills, lag_ratio=0.06, run_time=a)

        diff = np.abs(back.astype(np.int64) - x.astype(np.int64))
        where = tuple(int(v) for v in np.unravel_index(int(np.argmax(diff)), diff.shape))
        a_val, b_val = x[where], back[where]
        self.compared = (where, a_val, b_val)
        marks = VGroup(*(Square(g.step * 0.98, stroke_color=palette.HIGHLIGHT, stroke_width=6,
                                fill_opacity=0).move_to(g.cell_center(where)) for g in (xg, bg)))
        neq = self.inequality(value_text(a_val), value_text(b_val))
        general = self.inequality(self.s("x"), self.s("back_label"))
        VGroup(general, neq).arrange(DOWN, buff=0.3).next_to(cxg.cells, DOWN, buff=0.7)
        self.neq = neq
        verdict = self.text_line(f"{self.s('shape_back')} · {self.s('values_not_back')}",
                                 size=30).to_edge(DOWN, buff=0.7)
        with self.beat("compare", values={"a": value_text(a_val), "b": value_text(b_val)}) \
                as beat:
            a, b = beat.split(1, 1, leave=0.3)
            self.play(Create(marks), run_time=a)
            self.play(Write(general), Write(neq), FadeOut(statement), FadeIn(verdict),
                      run_time=b)
        self.numbers_group = VGroup(xg, cxg, bg, *labels, arrow_c, arrow_ct, marks, general, neq,
                                    verdict)

    # --- where it is used ---------------------------------------------------------------------
    def panel(self, title: str, sub: str, drawing: VGroup, width: float = 4.3,
              height: float = 5.4) -> VGroup:
        """A framed panel: title, dim subtitle, and the drawing centred in the space below."""
        from manim import RoundedRectangle

        frame = RoundedRectangle(corner_radius=0.2, width=width, height=height,
                                 stroke_color=palette.MUTED, stroke_width=2)
        t = self.text_line(title, size=30)
        if t.width > width - 0.4:
            t.scale_to_fit_width(width - 0.4)
        s = self.text_line(sub, size=22, color=palette.TEXT_DIM)
        top = frame.get_top()[1]
        t.move_to([0, top - 0.5, 0])
        s.move_to([0, top - 1.0, 0])
        room_top, room_bottom = top - 1.4, frame.get_bottom()[1] + 0.3
        if drawing.width > width - 0.5:
            drawing.scale_to_fit_width(width - 0.5)
        if drawing.height > room_top - room_bottom:
            drawing.scale_to_fit_height(room_top - room_bottom)
        drawing.move_to([0, (room_top + room_bottom) / 2, 0])
        return VGroup(frame, t, s, drawing)

    def segmentation_sketch(self) -> VGroup:
        down, up = sketch_sizes()
        unit = 0.15
        bars = VGroup()
        sizes = down + up[1:]
        for j, n in enumerate(sizes):
            color = palette.INPUT if j < len(down) else palette.OUTPUT
            bars.add(Rectangle(width=0.3, height=n * unit, stroke_color=color, stroke_width=2,
                               fill_color=color, fill_opacity=0.45))
        bars.arrange(RIGHT, buff=0.5)
        # labels under the bars before and after the narrowest one
        enc = self.text_line(self.s("encoder"), size=20, color=palette.INPUT_TEXT)
        dec = self.text_line(self.s("decoder"), size=20, color=palette.OUTPUT_TEXT)
        enc.next_to(VGroup(*bars[:len(down) - 1]), DOWN, buff=0.25)
        dec.next_to(VGroup(*bars[len(down):]), DOWN, buff=0.25)
        dec.align_to(enc, UP)
        g = VGroup(bars, enc, dec)
        g.sizes = sizes
        return g

    def gan_sketch(self) -> VGroup:
        _, up = sketch_sizes()
        unit = 0.085
        noise = Rectangle(width=0.16, height=up[0] * unit * 2.2, stroke_color=palette.INPUT,
                          stroke_width=2, fill_color=palette.INPUT, fill_opacity=0.45)
        squares = VGroup(*(Square(n * unit, stroke_color=palette.OUTPUT, stroke_width=2,
                                  fill_color=palette.OUTPUT, fill_opacity=0.45) for n in up))
        chain = VGroup(noise, *squares).arrange(RIGHT, buff=0.36)
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.06, color=palette.TEXT_DIM,
                                stroke_width=3, max_tip_length_to_length_ratio=0.35)
                          for a, b in zip(chain[:-1], chain[1:])))
        n_lab = self.text_line(self.s("noise"), size=20, color=palette.INPUT_TEXT)
        i_lab = self.text_line(self.s("image"), size=20, color=palette.OUTPUT_TEXT)
        n_lab.next_to(noise, DOWN, buff=0.25)
        i_lab.next_to(squares[-1], DOWN, buff=0.25)
        n_lab.align_to(i_lab, UP)
        how = self.text_line(self.s("decoder"), size=20, color=palette.OUTPUT_TEXT)
        how.next_to(squares[-1], UP, buff=0.3).set_x(VGroup(*arrows).get_center()[0])
        g = VGroup(chain, arrows, n_lab, i_lab, how)
        g.sizes = up
        return g

    def superres_sketch(self) -> VGroup:
        tsp = cm.transposed(SUPERRES_INPUT, **DOWN_STEP)
        small = CellGrid(shape=tsp.input, role="input", cell_size=0.3,
                         cell_kind=np.full(tsp.input, "input", dtype=object))
        big = CellGrid(shape=tsp.output, role="output", cell_size=0.3,
                       cell_kind=np.full(tsp.output, "output", dtype=object))
        pair = VGroup(small, big).arrange(RIGHT, buff=1.0)
        arrow = Arrow(small.get_right(), big.get_left(), buff=0.08, color=palette.TEXT_DIM,
                      stroke_width=3, max_tip_length_to_length_ratio=0.3)
        s_lab = self.text_line(self.label("input", tsp.input), size=20,
                               color=palette.INPUT_TEXT).next_to(small, DOWN, buff=0.25)
        b_lab = self.text_line(self.label("output", tsp.output), size=20,
                               color=palette.OUTPUT_TEXT).next_to(big, DOWN, buff=0.25)
        s_lab.align_to(b_lab, UP)
        g = VGroup(pair, arrow, s_lab, b_lab)
        g.spec = tsp
        g.small, g.big = small, big
        return g

    def uses_part(self):
        heading = self.text_line(self.s("uses_title"), size=palette.SUBTITLE_SIZE + 4,
                                 color=palette.TEXT_DIM).to_edge(UP, buff=0.6)
        seg = self.panel(self.s("use_segmentation"), self.s("use_segmentation_sub"),
                         self.segmentation_sketch())
        gan = self.panel(self.s("use_gan"), self.s("use_gan_sub"), self.gan_sketch())
        sr = self.panel(self.s("use_superres"), self.s("use_superres_sub"),
                        self.superres_sketch())
        panels = VGroup(seg, gan, sr).arrange(RIGHT, buff=0.35, aligned_edge=UP)
        panels.next_to(heading, DOWN, buff=0.5).set_x(0)
        self.panels = (seg, gan, sr)
        self.superres = sr[3]
        with self.beat("uses") as beat:
            a, *rest = beat.split(0.8, 1, 1, 1, leave=0.3)
            self.play(FadeOut(self.numbers_group), FadeIn(heading), run_time=a)
            for p, t in zip((seg, gan, sr), rest):
                self.play(FadeIn(p, shift=0.2 * UP), run_time=t)
        self.uses_group = VGroup(heading, panels)

    # --- what comes next ------------------------------------------------------------------------
    def next_part(self):
        from scenes.segments import SEGMENTS

        ids = [s.id for s in SEGMENTS]
        nxt = ids[ids.index(self.segment_id) + 1: ids.index(self.segment_id) + 3]
        items = VGroup()
        for sid in nxt:
            title = load_segment_text(sid, self.lang).title
            num = Text(str(segment_number(sid)), font=palette.TITLE_FONT, font_size=44,
                       color=palette.ACCENT)
            name = self.text_line(title, size=36)
            items.add(VGroup(num, name).arrange(RIGHT, buff=0.4))
        items.arrange(DOWN, buff=0.6, aligned_edge=LEFT).move_to(np.zeros(3))
        self.next_items = items
        with self.beat("next") as beat:
            a, b = beat.split(0.8, 2, leave=0.5)
            self.play(FadeOut(self.uses_group), run_time=a)
            self.play(FadeIn(items, lag_ratio=0.4, shift=0.2 * UP), run_time=b)
        self.play(FadeOut(items), run_time=0.8)
