"""Segment 6 — Convolución transpuesta: what it is for, its names, and why it is no deconvolution.

A convolution of the guide's 4×4 input with a 3×3 kernel gives 2×2; the transposed
convolution with the same kind of kernel goes from 2×2 back to 4×4. Its many names
(deconvolution, fractionally strided convolution, up-convolution, backward convolution)
and why "deconvolution" is wrong: a deconvolution undoes a convolution, a transposed
convolution only recovers its shape and connectivity — shown with numbers: x, the kernel w,
C·x and Cᵀ·(C·x) ≠ x, one value of Cᵀ(C·x) written out as its sum of products, every value
from convmath (``conv_matrix_dense`` / ``apply_matrix``, equal to ``correlate`` and
``transposed_conv``). C is 4×16 (``matrix_shape``): not square, so it has no inverse and Cᵀ
cannot be C⁻¹. Then where it is used, as small diagrams whose sizes come from convmath specs,
and what the next two parts derive.

Every number, highlight and caption the voice names is anchored to its word.

    manim render scenes/s06_transpuesta.py ConvolucionTranspuesta
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, Create, FadeIn, FadeOut, Group,
                   GrowArrow, Indicate, Line, Rectangle, ReplacementTransform, Square, Text,
                   Transform, TransformFromCopy, VGroup, Write)

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.cells.grid import CellGrid
from scenes.kit.cells.shape_map import ShapeMap
from scenes.kit.matrices.products import ProductsLine
from scenes.kit.motion.fade import fade_out_all, fade_swap
from scenes.kit.text.numfmt import en_article
from scenes.kit.text.tex import LightenOnAdd, value_text
from scenes.kit.text.words import size_text
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import load_segment_text
from scenes.segments import segment_number
from scenes.title_beat import play_title

# The guide's 4×4 input and 3×3 kernel (segment 3's example): 4×4 → 2×2, and back to 4×4.
MAIN = cm.spec((4, 4), 3)
BACK = cm.transposed(MAIN.output, MAIN.kernel)

# Sizes in the "where it is used" sketches: halving convolutions (k=4, s=2, p=1) and
# the transposed convolutions that double back.
DOWN_STEP = dict(kernel=4, stride=2, padding=1)
SKETCH_INPUT = 16
SUPERRES_INPUT = (3, 3)
NAME_KEYS = ("transposed", "deconv", "fractional", "up", "backward")
FADE = 0.4           # seconds to clear the screen between two pictures
CAPTION_Y = -2.4     # the caption line, just above the subtitle band (y < -2.8)


def round_trip():
    """x, the kernel w, C, C·x and Cᵀ·(C·x), all from convmath."""
    x = example_input(MAIN.input)
    w = example_kernel(MAIN.kernel)
    C = cm.conv_matrix_dense(MAIN, w)
    cx = cm.apply_matrix(MAIN, w, x)
    back = cm.apply_matrix(BACK, w, cx)
    return x, w, C, cx, back


def back_terms(cx, w, where) -> list[tuple[object, object]]:
    """(value of C·x, weight) of every link reaching cell ``where`` of Cᵀ(C·x): the
    transposed convolution's connectivity (``convmath.reads``)."""
    return [(cx[q], w[tap]) for q, tap in cm.reads(BACK)[tuple(where)]]


def compare_values(a, b) -> dict:
    """Fields of the "compare" beat: the two values and, for English, each one's article
    ("a 2", "an 8", "an 80")."""
    return {"a": value_text(a), "b": value_text(b), "a_article": en_article(a),
            "b_article": en_article(b)}


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
    lab = Text(symbol, font=palette.FONT, font_size=36, color=palette.TEXT, slant="ITALIC")
    lab.next_to(arrow, UP, buff=0.15)
    return VGroup(arrow, lab)


def place_cells(grid: CellGrid, x: float, y: float) -> CellGrid:
    """Move a grid so its cells (not its label) are centred on (x, y)."""
    grid.shift(np.array([x, y, 0]) - grid.cells.get_center())
    return grid


def block_rect(grid: CellGrid, cells, color=palette.HIGHLIGHT) -> Rectangle:
    """A frame around the block of cells spanned by ``cells`` (a list of indices)."""
    arr = np.array([tuple(c) for c in cells])
    start = arr.min(axis=0)
    size = arr.max(axis=0) - start + 1
    return grid.window_rectangle(tuple(start), tuple(size), color=color, width=5)


class ConvolucionTranspuesta(LightenOnAdd, NarratedScene):
    segment_id = "s06_transpuesta"

    def text_line(self, text: str, size: float = palette.BODY_SIZE, color=palette.TEXT) -> Text:
        return Text(text, font=palette.FONT, font_size=size, color=color)

    def inequality(self, left: str, right: str, size: float = 40) -> VGroup:
        """"left ≠ right", the left part in the input's colour, the right in the output's."""
        parts = VGroup(Text(left, font=palette.FONT, font_size=size, color=palette.INPUT_TEXT),
                       Text("≠", font=palette.FONT, font_size=size, color=palette.TEXT),
                       Text(right, font=palette.FONT, font_size=size, color=palette.OUTPUT_TEXT))
        return parts.arrange(RIGHT, buff=0.25)

    def label(self, role: str, shape) -> str:
        return f"{self.s(role)} {size_text(shape)}"

    def caption(self, key: str) -> Text:
        """A one-line caption just above the subtitle band, fitted to the frame."""
        t = self.text_line(self.s(key), size=30)
        if t.width > 13.0:
            t.scale_to_fit_width(13.0)
        return t.move_to([0, CAPTION_Y, 0])

    def construct(self):
        self.card = play_title(self)

        self.shapes_part()
        self.names_part()
        self.numbers_part()
        self.uses_part()
        self.next_part()

    # --- 4×4 → 2×2, and back ---------------------------------------------------------------
    def shapes_part(self):
        sp, tsp = MAIN, BACK
        kernel = self.s("kernel_size", k=size_text(sp.kernel))
        conv = ShapeMap(sp.input, sp.output, self.s("conv_arrow"), kernel, y=1.7,
                        cell_size=0.55, font_size=28,
                        input_label=self.label("input", sp.input),
                        output_label=self.label("output", sp.output))
        back = ShapeMap(tsp.input, tsp.output, self.s("transposed_arrow"), kernel, y=-1.45,
                        cell_size=0.55, font_size=28,
                        input_label=self.label("input", tsp.input),
                        output_label=self.label("output", tsp.output))
        self.shape_maps = (conv, back)
        values = {"i": sp.input[0], "k": sp.kernel[0], "o": sp.output[0]}
        with self.beat("shrink", values=values) as beat:
            # the title card stays until the input is named
            beat.at("input", FadeOut(self.card), FadeIn(conv.input), GrowArrow(conv.arrow),
                    FadeIn(conv.above))
            beat.at("kernel", FadeIn(conv.below, shift=0.1 * UP))
            beat.at("output", FadeIn(conv.output))
        with self.beat("back", values=values) as beat:
            # the convolution's output becomes the transposed convolution's input
            beat.at("small", TransformFromCopy(conv.output.cells, back.input.cells),
                    FadeIn(back.input.label))
            self.remove(back.input.cells, back.input.label)
            self.add(back.input)
            beat.at("large", GrowArrow(back.arrow), FadeIn(back.below), FadeIn(back.output))
            beat.at("name", Write(back.above))
        self.add(back)

    # --- its names ----------------------------------------------------------------------------
    def names_part(self):
        heading = self.text_line(self.s("names_title"), size=palette.SUBTITLE_SIZE + 4,
                                 color=palette.TEXT_DIM).to_edge(UP, buff=0.4)
        rows = VGroup()
        self.names = {}
        for key in NAME_KEYS:
            name = self.text_line(self.s(f"name_{key}"), size=36)
            orig_text = self.s(f"orig_{key}")
            row = VGroup(name)
            if orig_text:
                orig = self.text_line(orig_text, size=24, color=palette.TEXT_DIM)
                orig.next_to(name, DOWN, buff=0.08, aligned_edge=LEFT)
                row.add(orig)
            row.name = name
            rows.add(row)
            self.names[key] = row
        with_originals = any(len(r) > 1 for r in rows)
        rows.arrange(DOWN, buff=0.22 if with_originals else 0.45, aligned_edge=LEFT)
        room = heading.get_bottom()[1] - 0.3 - (CAPTION_Y + 0.5)     # above the note to come
        if rows.height > room:
            rows.scale_to_fit_height(room)
        rows.next_to(heading, DOWN, buff=0.3).set_x(0)
        first = self.names["transposed"]
        first.name.set_color(palette.OUTPUT_TEXT)
        conv, back = self.shape_maps
        back.remove(back.above)
        self.add(back.above)
        with self.beat("names") as beat:
            # the arrow's name "convolución transpuesta" becomes the first name of the list
            self.play(*fade_out_all(self, keep=[back.above], copy_free=True), run_time=FADE)
            self.play(ReplacementTransform(back.above, first.name), FadeIn(heading),
                      *(FadeIn(m) for m in first[1:]))
            for key in NAME_KEYS[1:]:
                beat.at(key, FadeIn(self.names[key], shift=0.2 * UP))

        deconv = self.names["deconv"]
        cross = Line(deconv.name.get_left() + 0.1 * LEFT, deconv.name.get_right() + 0.1 * RIGHT,
                     color=palette.TEXT, stroke_width=6)
        dimmed = [self.names[k].name for k in NAME_KEYS if k not in ("deconv", "transposed")]
        does = self.text_line(self.s("deconv_does"), size=30)
        undo = self.text_line(self.s("deconv_formula"), size=36, color=palette.HIGHLIGHT)
        note = VGroup(does, undo).arrange(RIGHT, buff=0.4).move_to([0, CAPTION_Y, 0])
        if note.width > 13.0:
            note.scale_to_fit_width(13.0)
        with self.beat("wrong") as beat:
            beat.at("deconv", *(m.animate.set_color(palette.TEXT_DIM) for m in dimmed),
                    Create(cross), deconv.name.animate.set_color(palette.HIGHLIGHT))
            beat.at("undo", FadeIn(does), Write(undo))

    # --- numbers: Cᵀ after C is not the identity ------------------------------------------------
    def numbers_part(self):
        x, w, C, cx, back = round_trip()
        self.x, self.w, self.C, self.cx, self.back = x, w, C, cx, back
        cell = 0.72
        y0 = 1.2
        xg = place_cells(CellGrid(x, role="input", cell_size=cell), -4.9, y0)
        cxg = place_cells(CellGrid(shape=MAIN.output, role="output", cell_size=cell), 0, y0)
        bg = place_cells(CellGrid(shape=BACK.output, role="output", cell_size=cell), 4.9, y0)
        labels = []
        for grid, key, shape, color in ((xg, "x_label", MAIN.input, palette.INPUT_TEXT),
                                        (cxg, "cx_label", MAIN.output, palette.OUTPUT_TEXT),
                                        (bg, "back_label", BACK.output, palette.OUTPUT_TEXT)):
            t = self.text_line(f"{self.s(key)}  {size_text(shape)}", size=palette.LABEL_SIZE + 2,
                               color=color)
            t.next_to(grid.cells, UP, buff=0.25)
            labels.append(t)
        arrow_c = symbol_arrow([xg.cells.get_right()[0] + 0.3, y0, 0],
                               [cxg.cells.get_left()[0] - 0.3, y0, 0], self.s("c"))
        arrow_ct = symbol_arrow([cxg.cells.get_right()[0] + 0.3, y0, 0],
                                [bg.cells.get_left()[0] - 0.3, y0, 0], self.s("ct"))
        # the kernel under the arrow C: what makes 12, 12, 10, 17 checkable
        kern = CellGrid(w, role="kernel", cell_size=0.5,
                        label=self.s("kernel_label", k=size_text(w.shape)), label_side=DOWN)
        kern.move_to([arrow_c[0].get_center()[0], 0, 0])
        kern.shift(UP * (arrow_c[0].get_bottom()[1] - 0.3 - kern.cells.get_top()[1]))
        self.x_grid, self.cx_grid, self.back_grid, self.kernel_grid = xg, cxg, bg, kern
        xg.numbers.set_opacity(0)

        # the connectivity: output cell (1, 1) of C·x reads a 3×3 window of x, and Cᵀ sends
        # it back to the same window of the 4×4 grid
        first = (0, 0)
        read = [q for q, _ in cm.reads(MAIN)[first]]
        fed = [o for o, _ in cm.feeds(BACK)[first]]
        links = VGroup(block_rect(xg, read), block_rect(cxg, [first]), block_rect(bg, fed))
        self.links = (read, fed)
        statement = self.caption("transposed_does")
        with self.beat("shape_only") as beat:
            self.play(fade_swap(Group(*self.mobjects),
                                VGroup(xg, cxg, bg, *labels, arrow_c, arrow_ct)))
            beat.at("shape", Indicate(xg.cells, color=palette.INPUT, scale_factor=1.04),
                    Indicate(bg.cells, color=palette.OUTPUT, scale_factor=1.04),
                    FadeIn(statement))
            beat.at("links", Create(links, lag_ratio=0.5))

        i, o = MAIN.input[0], MAIN.output[0]
        with self.beat("numbers", values={"i": i, "o": o}) as beat:
            self.play(FadeOut(links))
            beat.at("x", xg.numbers.animate.set_opacity(1))
            beat.at("kernel", FadeIn(kern, shift=0.1 * DOWN))
            fills = [cxg.fill_animation(idx, cx[idx]) for idx in np.ndindex(*MAIN.output)]
            beat.at("cx", AnimationGroup(*fills, lag_ratio=0.25, group=cxg))

        with self.beat("apply", values={"i": i, "i_article": en_article(i)}) as beat:
            fills = [bg.fill_animation(idx, back[idx]) for idx in np.ndindex(*BACK.output)]
            beat.at("ct", Indicate(arrow_ct[1], color=palette.HIGHLIGHT),
                    AnimationGroup(*fills, lag_ratio=0.06, group=bg))
            beat.at("grid", Indicate(labels[2], color=palette.HIGHLIGHT))

        diff = np.abs(back.astype(np.int64) - x.astype(np.int64))
        where = tuple(int(v) for v in np.unravel_index(int(np.argmax(diff)), diff.shape))
        a_val, b_val = x[where], back[where]
        self.compared = (where, a_val, b_val)
        marks = [Square(g.step * 0.98, stroke_color=palette.HIGHLIGHT, stroke_width=6,
                        fill_opacity=0).move_to(g.cell_center(where)) for g in (xg, bg)]
        neq = self.inequality(value_text(a_val), value_text(b_val))
        terms = back_terms(cx, w, where)
        line = ProductsLine(terms, lang=self.lang, font_size=40)
        for j in range(len(terms)):          # the values are C·x's: the output's colour
            line.value_part(j).set_color(palette.OUTPUT_TEXT)
        self.neq, self.back_line = neq, line
        # "2 ≠ 70" under C·x, and how 70 is made (the kernel's weights, C·x's values) under it
        neq.next_to(cxg.cells, DOWN, buff=0.45)
        line.next_to(bg.cells, DOWN, buff=0.45).align_to(bg.cells, RIGHT)
        if line.get_top()[1] > neq.get_bottom()[1] - 0.15:
            line.shift(DOWN * (line.get_top()[1] - neq.get_bottom()[1] + 0.15))
        verdict = self.caption("verdict")
        with self.beat("compare", values=compare_values(a_val, b_val)) as beat:
            beat.at("a", Create(marks[0]), FadeIn(neq[0]))
            beat.at("b", Create(marks[1]), FadeIn(neq[1:]), FadeIn(line, shift=0.1 * UP))
            beat.at("verdict", Transform(statement, verdict))

        rows, cols = cm.matrix_shape(MAIN)
        c_shape = self.text_line(self.s("matrix_shape", m="C", rows=rows, cols=cols), size=28)
        ct_shape = self.text_line(self.s("matrix_shape", m="Cᵀ", rows=cols, cols=rows), size=28)
        for t, arrow in ((c_shape, arrow_c), (ct_shape, arrow_ct)):
            t.move_to(arrow[1])
        self.matrix_shapes = (c_shape, ct_shape)
        no_inverse = self.caption("no_inverse")
        with self.beat("no_inverse", values={"rows": rows, "cols": cols}) as beat:
            beat.at("c_shape", ReplacementTransform(arrow_c[1], c_shape))
            beat.at("no_inverse", Transform(statement, no_inverse))
            beat.at("ct_shape", ReplacementTransform(arrow_ct[1], ct_shape))

    # --- where it is used ---------------------------------------------------------------------
    def panel(self, title: str, sub: str, drawing: VGroup, width: float = 4.4,
              height: float = 5.2) -> VGroup:
        """A framed panel: title, dim subtitle, and the drawing centred in the space below."""
        from manim import RoundedRectangle

        frame = RoundedRectangle(corner_radius=0.2, width=width, height=height,
                                 stroke_color=palette.MUTED, stroke_width=2)
        t = self.text_line(title, size=32)
        if t.width > width - 0.4:
            t.scale_to_fit_width(width - 0.4)
        s = self.text_line(sub, size=24, color=palette.TEXT_DIM)
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
        unit = 0.17
        bars = VGroup()
        sizes = down + up[1:]
        for j, n in enumerate(sizes):
            color = palette.INPUT if j < len(down) else palette.OUTPUT
            bars.add(Rectangle(width=0.3, height=n * unit, stroke_color=color, stroke_width=2,
                               fill_color=color, fill_opacity=0.45))
        bars.arrange(RIGHT, buff=0.45)
        # labels under the bars before and after the narrowest one
        enc = self.text_line(self.s("encoder"), size=22, color=palette.INPUT_TEXT)
        dec = self.text_line(self.s("decoder"), size=22, color=palette.OUTPUT_TEXT)
        enc.next_to(VGroup(*bars[:len(down) - 1]), DOWN, buff=0.25)
        dec.next_to(VGroup(*bars[len(down):]), DOWN, buff=0.25)
        dec.align_to(enc, UP)
        if dec.get_left()[0] < enc.get_right()[0] + 0.15:
            dec.shift(RIGHT * (enc.get_right()[0] + 0.15 - dec.get_left()[0]))
        g = VGroup(bars, enc, dec)
        g.sizes = sizes
        return g

    def gan_sketch(self) -> VGroup:
        _, up = sketch_sizes()
        unit = 0.1
        noise = Rectangle(width=0.16, height=up[0] * unit * 2.2, stroke_color=palette.INPUT,
                          stroke_width=2, fill_color=palette.INPUT, fill_opacity=0.45)
        squares = VGroup(*(Rectangle(width=n * unit, height=n * unit, stroke_color=palette.OUTPUT,
                                     stroke_width=2, fill_color=palette.OUTPUT, fill_opacity=0.45)
                           for n in up))
        chain = VGroup(noise, *squares).arrange(RIGHT, buff=0.36)
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.06, color=palette.TEXT_DIM,
                                stroke_width=3, max_tip_length_to_length_ratio=0.35)
                          for a, b in zip(chain[:-1], chain[1:])))
        n_lab = self.text_line(self.s("noise"), size=22, color=palette.INPUT_TEXT)
        i_lab = self.text_line(self.s("image"), size=22, color=palette.OUTPUT_TEXT)
        n_lab.next_to(noise, DOWN, buff=0.25)
        i_lab.next_to(squares[-1], DOWN, buff=0.25)
        n_lab.align_to(i_lab, UP)
        how = self.text_line(self.s("decoder"), size=22, color=palette.OUTPUT_TEXT)
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
        pair = VGroup(small, big).arrange(RIGHT, buff=0.8)
        arrow = Arrow(small.get_right(), big.get_left(), buff=0.08, color=palette.TEXT_DIM,
                      stroke_width=3, max_tip_length_to_length_ratio=0.3)
        s_lab = self.text_line(self.label("input", tsp.input), size=22,
                               color=palette.INPUT_TEXT).next_to(small, DOWN, buff=0.25)
        b_lab = self.text_line(self.label("output", tsp.output), size=22,
                               color=palette.OUTPUT_TEXT).next_to(big, DOWN, buff=0.25)
        s_lab.align_to(b_lab, UP)
        g = VGroup(pair, arrow, s_lab, b_lab)
        g.spec = tsp
        g.small, g.big = small, big
        return g

    def uses_part(self):
        heading = self.text_line(self.s("uses_title"), size=palette.SUBTITLE_SIZE + 4,
                                 color=palette.TEXT_DIM).to_edge(UP, buff=0.45)
        seg = self.panel(self.s("use_segmentation"), self.s("use_segmentation_sub"),
                         self.segmentation_sketch())
        gan = self.panel(self.s("use_gan"), self.s("use_gan_sub"), self.gan_sketch())
        sr = self.panel(self.s("use_superres"), self.s("use_superres_sub"),
                        self.superres_sketch())
        panels = VGroup(seg, gan, sr).arrange(RIGHT, buff=0.3, aligned_edge=UP)
        panels.next_to(heading, DOWN, buff=0.35).set_x(0)
        self.panels = (seg, gan, sr)
        self.superres = sr[3]
        frames = VGroup(*(p[0] for p in self.panels))
        with self.beat("uses") as beat:
            # the heading and the empty frames first; each use fills its frame when named
            self.play(fade_swap(Group(*self.mobjects), VGroup(heading, frames)))
            for mark, p in zip(("segmentation", "gan", "superres"), self.panels):
                beat.at(mark, FadeIn(VGroup(*p[1:]), shift=0.2 * UP))
            self.add(*self.panels)

    # --- what comes next ------------------------------------------------------------------------
    def next_part(self):
        from scenes.segments import SEGMENTS

        ids = [s.id for s in SEGMENTS]
        nxt = ids[ids.index(self.segment_id) + 1: ids.index(self.segment_id) + 3]
        items = VGroup()
        for sid in nxt:
            title = load_segment_text(sid, self.lang).title
            num = Text(str(segment_number(sid)), font=palette.TITLE_FONT, font_size=48,
                       color=palette.ACCENT)
            name = self.text_line(title, size=40)
            items.add(VGroup(num, name).arrange(RIGHT, buff=0.4))
        items.arrange(DOWN, buff=0.7, aligned_edge=LEFT).move_to(np.zeros(3))
        self.next_items = items
        dim = items.copy().set_color(palette.TEXT_DIM)
        with self.beat("next") as beat:
            # "the next two parts": both, dim; each lights up when the voice names its way
            self.play(fade_swap(Group(*self.mobjects), dim))
            for mark, item, faint in zip(("connectivity", "matrix"), items, dim):
                beat.at(mark, ReplacementTransform(faint, item))
        self.play(FadeOut(items), run_time=0.8)
