"""Part 9, "Visualización por superposición": the transposed convolution as stamps.

Beats (segment ``s09_superposicion``), every number, highlight and caption anchored to the
word that names it:

- title: the title card.
- setup: a 3×3 input, a 3×3 kernel, stride 2 and the empty canvas the stamps land on,
  (i−1)s + k = 7 cells a side (kit :class:`~scenes.kit.operation.superposition.StampView` drawing
  ``convmath.superposition``).
- stamp_first: the first input cell stamps the kernel scaled by its value: the copy, each
  product "v·w", the products landing on the canvas.
- stamp_second: the second stamp lands s cells to the right; where it overlaps the first,
  the values add (one sum written out).
- stamp_rest: the other stamps, faster; the canvas ends as the sum of every copy.
- crop: the transposed convolution's padding crops p cells from each border: the output.
- overlap: the output beside ``convmath.overlap_map``: how many stamps land on each cell.
- checkerboard: overlap maps for k = 3 and k = 4 with stride 2 (outputs 7×7 and 8×8, said):
  uneven (a checkerboard) when k is not a multiple of s, even inside when it is.
- artifacts, remedy: the artifact itself (kit :mod:`~scenes.kit.matrices.artifacts`): a smooth image
  doubled by transposed convolutions of equal weights with k = 3 and k = 4 (s = 2), by k = 4
  with unequal weights (k a multiple of s is not enough), and by resize-then-convolve, the
  remedy of Odena, Dumoulin & Olah (Distill 2016), all computed exactly by convmath.
- direct_setup, direct_flip: the guide's equivalent direct convolution: s − 1 zeros
  inserted between the inputs (why it is a "fractionally strided" convolution), padding
  k − p − 1, the kernel rotated 180° (``convmath.direct_storyboard``).
- direct_slide: the rotated kernel slides with stride 1 (kit Slider) and fills the output.
- same: four derivations side by side, each with its own way and its own result —
  connectivity (sums over ``convmath.feeds``), the matrix (``convmath.transposed_matrix``),
  superposition (``convmath.transposed_scatter``) and the direct convolution
  (``convmath.transposed_direct``) — equal.

    manim render scenes/s09_superposicion.py VisualizacionSuperposicion
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, Create, FadeIn, FadeOut, Group, Indicate,
                   Rectangle, ReplacementTransform, Text, VGroup)

import convmath as cm
from convmath.examples import example_values
from scenes.kit import CellGrid, Slider, palette
from scenes.kit.cells.grid import KernelFootprint
from scenes.kit.cells.legend import CellLegend
from scenes.kit.matrices.artifacts import artifact_cases, image_of, smooth_input
from scenes.kit.matrices.transposed_matrix import TransposedHeatMap
from scenes.kit.motion.fade import fade_in, fade_out, fade_swap
from scenes.kit.operation.conv_stage import sweep
from scenes.kit.operation.superposition import StampView, overlap_grid
from scenes.kit.text.tex import LightenOnAdd, math_tex, value_latex, value_text
from scenes.kit.text.words import size_text, spoken_list
from scenes.narration.scene import NarratedScene
from scenes.title_beat import play_title

SEGMENT_ID = "s09_superposicion"

# The example: a 3×3 input, a 3×3 kernel, stride 2, padding 1 (output 5×5). Values from
# convmath.examples (digits 1–3 and 1–2: no zero, so every stamp and every sum shows).
I, K, S, P = 3, 3, 2, 1
SPEC = cm.transposed((I, I), K, stride=S, padding=P)
X = example_values((I, I), seed=9, low=1, high=3)
W = example_values((K, K), seed=1, low=1, high=2)

# Overlap maps: stride 2 with a kernel size that is not a multiple of it (3) and one that is (4).
CHECKER = [cm.transposed((4, 4), 3, stride=2, padding=1),
           cm.transposed((4, 4), 4, stride=2, padding=1)]
ARTIFACT_INPUT = 12          # the smooth image doubled in the artifacts beat

TOP = 3.7                    # below the frame's top edge
BOTTOM = -2.75               # above the subtitle band (y < -2.8)
HOLD_SAME = 2.5              # seconds the four results stay after the voice, to compare them


def connectivity_output(sp, x, w) -> np.ndarray:
    """The transposed convolution by its connectivity: every input cell adds x·w to each
    output cell it feeds (``convmath.feeds``: the convolution's links, reversed)."""
    out = np.zeros(sp.output, dtype=object)
    for q, pairs in cm.feeds(sp).items():
        for o, tap in pairs:
            out[o] = out[o] + x[q] * w[tap]
    return out


def connectivity_terms(sp, x, w, cell) -> list[tuple[object, object]]:
    """(input value, weight) of every link reaching output ``cell`` (``convmath.feeds``)."""
    return [(x[q], w[tap]) for q, pairs in cm.feeds(sp).items() for o, tap in pairs
            if o == tuple(cell)]


def derivations(sp, x, w) -> dict[str, np.ndarray]:
    """The four derivations of the transposed convolution, each computed by convmath."""
    pads, op = sp.padding, sp.output_padding
    return {
        "connectivity": connectivity_output(sp, x, w),
        "matrix": cm.transposed_matrix(x, w, sp.stride, pads, sp.dilation, 1, op),
        "superposition": cm.transposed_scatter(x, w, sp.stride, pads, sp.dilation, 1, op),
        "direct": cm.transposed_direct(x, w, sp.stride, pads, sp.dilation, 1, op),
    }


def busiest_cell(sp) -> tuple[int, ...]:
    """The output cell that most stamps reach (the first of them): its sum has most terms."""
    counts = cm.overlap_map(sp)
    return tuple(int(v) for v in np.unravel_index(int(np.argmax(counts)), counts.shape))


def sum_in_lines(pairs, lang: str, font_size: float, per_line: int = 2) -> VGroup:
    """"x·w + x·w +" / "x·w + x·w = total": a sum of products on lines of ``per_line``
    products (values in the input's colour, weights in the kernel's, the total in the
    output's), for a narrow column. :attr:`total` keeps the exact sum."""
    total = sum(v * w for v, w in pairs)
    lines = VGroup()
    for start in range(0, len(pairs), per_line):
        chunk = pairs[start:start + per_line]
        parts: list[str] = []
        for j, (v, w) in enumerate(chunk):
            if j or start:
                parts.append("+")
            parts += [value_latex(v), r"\cdot", value_latex(w)]
        last = start + per_line >= len(pairs)
        if last:
            parts += ["=", value_latex(total)]
        tex = math_tex(parts, lang=lang, font_size=font_size)
        for j in range(len(chunk)):
            base = 4 * j + (1 if start else 0)       # a later line opens with "+"
            tex[base].set_color(palette.INPUT_TEXT)
            tex[base + 2].set_color(palette.KERNEL)
        if last:
            tex[-1].set_color(palette.OUTPUT_TEXT)
        lines.add(tex)
    lines.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
    lines.total = total
    return lines


class VisualizacionSuperposicion(LightenOnAdd, NarratedScene):
    segment_id = SEGMENT_ID

    def words(self) -> dict:
        return {k: self.s(k) for k in ("input", "output", "kernel", "canvas")}

    def txt(self, text: str, size: float = palette.LABEL_SIZE, color=palette.TEXT) -> Text:
        return Text(text, font=palette.FONT, font_size=size, color=color)

    def header(self, key: str) -> Text:
        return self.txt(self.s(key), size=palette.SUBTITLE_SIZE, color=palette.TITLE).move_to(
            np.array([0.0, 3.45, 0.0]))

    def construct(self):
        self.card = play_title(self)
        self.stamps_part()
        self.counts_part()
        self.artifacts_part()
        self.direct_part()
        self.same_part()

    # --- the stamps ------------------------------------------------------------------------------
    def stamps_part(self):
        sup = cm.superposition(SPEC, X, W)
        view = StampView(sup, lang=self.lang, words=self.words(), max_cell=0.75,
                         region=(-6.8, BOTTOM, 6.8, TOP))
        self.view, self.sup = view, sup
        stride = self.txt(self.s("stride", s=S), size=28, color=palette.TEXT_DIM)
        stride.next_to(view.kernel, DOWN, buff=0.2)
        self.stride_label = stride
        parts = view.intro_parts()
        with self.beat("setup", values={"i": I, "k": K, "s": S,
                                        "c": sup.canvas_shape[0]}) as beat:
            # the title card stays until the input is named
            beat.at("input", fade_swap(self.card, VGroup(view.input, view.marker),
                                       out_time=0.25, in_time=0.6))
            beat.at("kernel", parts["kernel"])
            beat.at("stride", FadeIn(stride))
            beat.at("canvas", parts["canvas"])

        first, second = sup.stamps[0], sup.stamps[1]
        with self.beat("stamp_first", values={"v1": first.value}) as beat:
            view.play_detailed(self, 0, at={"mark": lambda: beat.at("value"),
                                            "factors": lambda: beat.at("multiply"),
                                            "land": lambda: beat.at("land")})

        cell, old, prod_, new = view.overlap_sum(1)
        with self.beat("stamp_second", values={"v2": second.value, "s": S, "old": old,
                                               "prod": prod_, "new": new}) as beat:
            view.play_detailed(self, 1, show_sum=True,
                               at={"mark": lambda: beat.at("value"),
                                   "place": lambda: beat.at("shift"),
                                   "sum": lambda: beat.at("sum")})

        with self.beat("stamp_rest", values={"s": S}) as beat:
            budget = beat.marks["total"] - beat.marks["rest"] - 0.2
            beat.at("rest")
            view.play(self, budget=max(budget, 1.0), detailed=0, start=2)
            beat.at("total", Indicate(view.canvas.cells, color=palette.OUTPUT,
                                      scale_factor=1.02))

        out_label = self.s("output_size", size=size_text(SPEC.output))
        with self.beat("crop", values={"p": P, "o": SPEC.output[0]}) as beat:
            beat.at("crop", view.outro(run_time=0.6))
            self.play(view.crop(out_label, run_time=1.2, cropped_color=palette.TEXT_DIM))
            beat.at("output", Indicate(view.output_label, color=palette.OUTPUT_TEXT),
                    Indicate(view.crop_rect, color=palette.OUTPUT_TEXT))

    # --- how many stamps land on each cell --------------------------------------------------------
    def counts_part(self):
        lang = self.lang
        view, sup = self.view, self.sup
        counts = cm.overlap_map(SPEC)
        out_label = self.s("output_size", size=size_text(SPEC.output))
        out_grid = CellGrid(sup.output, role="output", cell_size=0.8, label=out_label,
                            lang=lang)
        count_grid = overlap_grid(counts, cell_size=0.8, label=self.s("counts"), lang=lang)
        VGroup(out_grid, count_grid).arrange(RIGHT, buff=1.8).move_to(0.35 * DOWN)
        self.overlap_pair = (out_grid, count_grid)
        shown_counts = sorted({int(c) for c in counts.ravel()})
        most = [idx for idx in np.ndindex(*counts.shape) if counts[idx] == max(shown_counts)]
        most_marks = VGroup(*(count_grid.window_rectangle(idx, (1, 1), width=5) for idx in most))
        values = {"counts": spoken_list(shown_counts, lang, conj="or")}
        with self.beat("overlap", values=values) as beat:
            self.play(fade_swap(Group(*self.mobjects), out_grid))
            beat.at("count", fade_in(count_grid))
            beat.at("counts", Create(most_marks, lag_ratio=0.2))

        header = self.header("counts")
        checker = self.count_pair(CHECKER, cell_size=0.58)
        self.checker = checker
        inner_counts = cm.overlap_map(CHECKER[1])[1:-1, 1:-1]
        inner = checker[1].window_rectangle((1, 1), inner_counts.shape, width=5)
        values = {"k1": CHECKER[0].kernel[0], "k2": CHECKER[1].kernel[0], "s": S,
                  "o1": CHECKER[0].output[0], "o2": CHECKER[1].output[0],
                  "n": int(inner_counts.min())}
        with self.beat("checkerboard", values=values) as beat:
            self.play(fade_swap(Group(*self.mobjects), header))
            beat.at("k1", fade_in(checker[0]))
            beat.at("k2", fade_in(checker[1]))
            beat.at("inner", Create(inner))

    def count_pair(self, specs, cell_size: float) -> VGroup:
        """Overlap maps of two transposed convolutions side by side, labelled k, s and size."""
        pair = VGroup()
        for sp in specs:
            counts = cm.overlap_map(sp)
            g = overlap_grid(counts, cell_size=cell_size, lang=self.lang,
                             label=self.s("counts_case", k=sp.kernel[0], s=sp.stride[0],
                                          size=size_text(sp.output)))
            g.spec = sp
            pair.add(g)
        pair.arrange(RIGHT, buff=1.3, aligned_edge=DOWN).move_to(0.3 * DOWN)
        return pair

    # --- the artifacts themselves ----------------------------------------------------------------
    def artifacts_part(self):
        x = smooth_input(ARTIFACT_INPUT)
        k_odd, k_even = CHECKER[0].kernel[0], CHECKER[1].kernel[0]
        cases = artifact_cases(x, k_odd, k_even, stride=S)
        self.artifact_input, self.artifact_cases = x, cases
        width, gap = 2.35, 0.3
        entries = [("input", x, self.s("art_input"), self.s("art_size", size=size_text(x.shape)))]
        for key in ("odd", "even", "uneven"):
            k = cases[key].kernel.shape[0]
            entries.append((key, cases[key].output, self.s(f"art_{key}"),
                            self.s("art_case", k=k, s=S)))
        entries.append(("resize", cases["resize"].output, self.s("art_resize"),
                        self.s("art_resize_case", s=S, k=k_odd)))
        panels = {}
        for key, values, title, sub in entries:
            pic = image_of(values, width)
            frame = Rectangle(width=width + 0.08, height=width + 0.08, stroke_color=palette.MUTED,
                              stroke_width=2).move_to(pic)
            t = self.txt(title, size=24)
            if t.width > width + gap - 0.05:
                t.scale_to_fit_width(width + gap - 0.05)
            u = self.txt(sub, size=22, color=palette.TEXT_DIM)
            labels = VGroup(t, u).arrange(DOWN, buff=0.1)
            panel = VGroup(labels, VGroup(frame, pic)).arrange(DOWN, buff=0.2)
            panel.picture, panel.key = pic, key
            panels[key] = panel
        row = VGroup(*panels.values()).arrange(RIGHT, buff=gap, aligned_edge=DOWN)
        row.move_to([0, 0.25, 0])
        for panel in panels.values():
            panel[0].align_to(row, UP)
        self.artifact_panels = panels
        header = self.header("artifacts_header")
        cite = self.txt(self.s("cite"), size=22, color=palette.TEXT_DIM)
        if cite.width > 13.4:
            cite.scale_to_fit_width(13.4)
        cite.next_to(row, DOWN, buff=0.35)
        self.cite = cite
        with self.beat("artifacts", values={"s": S, "k1": k_odd, "k2": k_even}) as beat:
            self.play(fade_swap(Group(*self.mobjects), header))
            beat.at("input", FadeIn(panels["input"], shift=0.1 * UP))
            beat.at("k1", FadeIn(panels["odd"], shift=0.1 * UP))
            beat.at("k2", FadeIn(panels["even"], shift=0.1 * UP))
        with self.beat("remedy", values={"k2": k_even}) as beat:
            beat.at("uneven", FadeIn(panels["uneven"], shift=0.1 * UP))
            beat.at("cite", FadeIn(cite))
            beat.at("resize", FadeIn(panels["resize"], shift=0.1 * UP))

    # --- the guide's equivalent direct convolution -----------------------------------------------
    def direct_part(self):
        lang = self.lang
        de = cm.direct_storyboard(SPEC, X, W)
        self.direct = de
        board = de.storyboard
        cell = 0.56
        stretched_label = self.s("stretched", i=size_text(SPEC.input),
                                 n=size_text(board.padded.shape))
        inp = CellGrid(board.padded, cell_kind=de.cell_kind, role="input", cell_size=cell,
                       label=stretched_label, lang=lang)
        kern = CellGrid(W, role="kernel", cell_size=cell)
        flipped = CellGrid(board.kernel_applied, role="kernel", cell_size=cell)
        out = CellGrid(shape=SPEC.output, role="output", cell_size=cell, label=True, lang=lang)
        row = VGroup(inp, kern, out).arrange(RIGHT, buff=1.2, aligned_edge=UP)
        row.shift(np.array([-row.get_center()[0], 1.25 - inp.cells.get_center()[1], 0.0]))
        kern.align_to(inp.cells, UP)
        out.shift(np.array([0.0, inp.cells.get_top()[1] - out.cells.get_top()[1], 0.0]))
        flipped.move_to(kern)
        kern_label = self.txt(f"{self.s('kernel')} {size_text(W.shape)}", color=palette.KERNEL)
        kern_label.next_to(kern, UP, buff=0.2)
        flip_label = self.txt(self.s("flipped"), color=palette.KERNEL)
        flip_label.next_to(kern, UP, buff=0.2)
        z = de.zeros_between[0]
        pp = de.padding[0][0]
        legend_font = palette.CAPTION_SIZE + 2
        inserted = CellLegend([("inserted", self.s("inserted", z=z))], cell_size=0.45,
                              sample_value=0, font_size=legend_font)
        padding = CellLegend([("padding", self.s("padding", p=pp))], cell_size=0.45,
                             sample_value=0, font_size=legend_font)
        legend = VGroup(inserted, padding).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        legend.next_to(inp, DOWN, buff=0.3).align_to(inp, LEFT)
        fraction = Fraction(1, S)
        frac = self.txt(self.s("fractional", f=value_text(fraction)), size=28,
                         color=palette.HIGHLIGHT)
        # beside the inserted zeros' legend: clear of the output grid that comes in later
        frac.next_to(inserted, RIGHT, buff=0.8)
        self.direct_grids = (inp, flipped, out)
        self.legend = (inserted, padding)
        self.fraction = (fraction, frac)
        # the inserted zeros and the padding cells, framed when the voice names them
        kinds = de.cell_kind
        inserted_cells = VGroup(*(inp.window_rectangle(idx, (1, 1), width=3)
                                  for idx in np.ndindex(*kinds.shape) if kinds[idx] == "inserted"))
        padding_cells = VGroup(*(inp.window_rectangle(idx, (1, 1), width=3)
                                 for idx in np.ndindex(*kinds.shape) if kinds[idx] == "padding"))
        with self.beat("direct_setup", values={"z": z, "s": S}) as beat:
            self.play(fade_swap(Group(*self.mobjects), inp))
            beat.at("zeros", Create(inserted_cells, lag_ratio=0.05), fade_in(inserted))
            beat.at("fractional", FadeIn(frac, shift=0.1 * UP), FadeOut(inserted_cells))
        with self.beat("direct_flip", values={"pp": pp}) as beat:
            beat.at("padding", fade_in(padding), Create(padding_cells, lag_ratio=0.02))
            self.play(FadeOut(padding_cells), fade_in(kern), FadeIn(kern_label), fade_in(out))
            # each weight travels to its place in the rotated kernel, its digits upright
            moves = [kern.number(idx).animate(path_arc=PI).move_to(
                kern.cell_center(tuple(n - 1 - i for n, i in zip(W.shape, idx))))
                for idx in np.ndindex(*W.shape)]
            beat.at("flip", *moves, ReplacementTransform(kern_label, flip_label))
            self.remove(kern)
            self.add(flipped)

        slider = Slider(board, inp, out, lang=lang, tap_colors=False,
                        line_anchor=np.array([0.0, -2.45, 0.0]))
        self.slider = slider
        with self.beat("direct_slide", values={"o": SPEC.output[0]}) as beat:
            beat.at("stride1", FadeOut(frac), slider.intro(run_time=0.6))
            self.play(slider.animation(budget=None, detailed=1, stop=1))
            budget = max(1.2, beat.end - beat.marks["fill"] - 0.6)
            beat.at("fill", sweep(slider, budget, min_play=0.3, start=1))
            self.play(slider.outro(run_time=0.5))

    # --- four derivations, each its own way, one result -----------------------------------------
    def same_part(self):
        lang = self.lang
        results = derivations(SPEC, X, W)
        keys = ("connectivity", "matrix", "superposition", "direct")
        xs = [-5.1, -1.7, 1.7, 5.1]
        grids, titles, ways = {}, {}, {}
        for key, x in zip(keys, xs):
            g = CellGrid(results[key], role="output", cell_size=0.5)
            g.move_to([x, -0.95, 0])
            grids[key] = g
            title = self.txt(self.s(key), size=26, color=palette.OUTPUT_TEXT)
            if title.width > 3.2:
                title.scale_to_fit_width(3.2)
            titles[key] = title.move_to([x, 2.95, 0])
        self.results = grids
        pictures = {"connectivity": self.connectivity_way(grids["connectivity"]),
                    "matrix": self.matrix_way(), "superposition": self.superposition_way(),
                    "direct": self.direct_way()}
        for key, x in zip(keys, xs):
            picture, name = pictures[key]
            if picture.width > 3.2:
                picture.scale_to_fit_width(3.2)
            if picture.height > 1.7:
                picture.scale_to_fit_height(1.7)
            picture.move_to([x, 1.7, 0])
            if name.width > 3.3:
                name.scale_to_fit_width(3.3)
            name.move_to([x, 0.6, 0])
            ways[key] = VGroup(picture, name)
        self.ways = ways
        equals = VGroup()
        for a, b in zip(keys[:-1], keys[1:]):
            eq = math_tex("=", lang=lang, font_size=48)
            eq.move_to((grids[a].cells.get_right() + grids[b].cells.get_left()) / 2)
            equals.add(eq)
        self.equals = equals
        header = self.header("same_header")
        with self.beat("same") as beat:
            self.play(fade_swap(Group(*self.mobjects), header))
            for mark, key in zip(("conn", "matrix", "sup", "direct"), keys):
                beat.at(mark, FadeIn(titles[key]), FadeIn(ways[key], shift=0.1 * DOWN),
                        fade_in(grids[key]))
            beat.at("same", FadeIn(equals, lag_ratio=0.3),
                    *(Indicate(g.cells, color=palette.OUTPUT, scale_factor=1.03)
                      for g in grids.values()))
        self.wait(HOLD_SAME)
        self.next_section("end")
        self.play(*(fade_out(m) for m in list(self.mobjects)), run_time=0.8)

    def connectivity_way(self, grid: CellGrid):
        """One output cell's sum over the links that reach it (``convmath.feeds``); the cell
        is framed on the result."""
        cell = busiest_cell(SPEC)
        terms = connectivity_terms(SPEC, X, W, cell)
        lines = sum_in_lines(terms, self.lang, font_size=36)
        grid.overlays.add(grid.window_rectangle(cell, (1, 1), width=5))
        self.connectivity_sum = (cell, terms, lines)
        name = self.txt(self.s("cell", r=cell[0] + 1, c=cell[1] + 1), size=22,
                        color=palette.TEXT_DIM)
        return lines, name

    def matrix_way(self):
        """Cᵀ as a heat map of its taps (``convmath.tap_matrix``) times vec(x)."""
        heat = TransposedHeatMap(SPEC, W, height=1.7)
        rows, cols = heat.taps.shape
        vec = CellGrid(shape=(cols, 1), role="input", cell_size=1.7 / cols,
                       cell_kind=np.full((cols, 1), "input", dtype=object))
        dot = math_tex(r"\cdot", lang=self.lang, font_size=40)
        self.matrix_heat = heat
        name = self.txt(self.s("ct_vec", rows=rows, cols=cols), size=22, color=palette.TEXT_DIM)
        return VGroup(heat, dot, vec).arrange(RIGHT, buff=0.15), name

    def superposition_way(self):
        """The canvas with every stamp's outline (``convmath.superposition``) and the crop."""
        sup = self.sup
        canvas = CellGrid(shape=sup.canvas_shape, role="output", cell_size=0.3,
                          cell_kind=np.full(sup.canvas_shape, "empty", dtype=object))
        outlines = VGroup(*(canvas.window_rectangle(tuple(st.cells[0][1]), SPEC.kernel,
                                                    color=palette.KERNEL, width=2)
                            .set_fill(palette.KERNEL, opacity=0.12) for st in sup.stamps))
        crop = canvas.window_rectangle(tuple(b for b, _ in sup.crop), SPEC.output,
                                       color=palette.OUTPUT_TEXT, width=4)
        self.stamp_outlines = outlines
        name = self.txt(self.s("canvas_crop", c=size_text(sup.canvas_shape)), size=22,
                         color=palette.TEXT_DIM)
        return VGroup(canvas, outlines, crop), name

    def direct_way(self):
        """The stretched, padded input with the rotated kernel's footprint on it."""
        de = self.direct
        board = de.storyboard
        stretched = CellGrid(shape=board.padded.shape, cell_kind=de.cell_kind, role="input",
                             cell_size=0.3, show_numbers=False)
        stretched.overlays.add(KernelFootprint(stretched, SPEC.kernel,
                                               window=board.steps[0].window))
        name = self.txt(self.s("stretched_short", n=size_text(board.padded.shape)), size=22,
                         color=palette.TEXT_DIM)
        return VGroup(stretched), name
