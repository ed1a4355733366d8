"""Part 1, "Convolución": why networks use convolutions.

Beats (segment ``s01_convolucion``):

- title: the title card.
- structure: a small picture (an eye drawn as pixel brightness, no numbers) where a
  pixel's 3×3 neighbourhood is framed: the patterns are made of neighbouring pixels.
- dense: a dense layer on a 1D input of 6 (every input cell linked to every output cell)
  and its weight matrix W, every entry its own weight w_{r,c}.
- prior: beside it, the convolution with a kernel of 3 on the same input: its links
  (coloured by kernel tap, convmath.links) and its matrix C (convmath.tap_matrix): zeros
  away from the diagonal (locality; here half of the 24 entries), the same three weights
  repeated, shifted, on every row (weight sharing). An MLP with an infinitely strong prior.
- params: a 28×28 input, a 3×3 kernel and the 26×26 output; the parameter counts from
  convmath.compare_with_dense (3·3 = 9 against (28·28)·(26·26) = 529 984), for one channel
  and no bias (channels and biases come in the extra on several dimensions).
- sparse: the same convolution's C (convmath.matrix_shape, matrix_entries): 676 rows of 784
  columns, 9 weights a row, 98.9 % zeros: with a real image size "almost all zeros" is true.
- network: VGG16's parameters per layer as bars (convmath.networks.vgg16) and the totals
  of its convolutional and dense layers.
- correlation: the guide's 4×4 input and 3×3 kernel; cross-correlation slides the kernel
  as it is, convolution slides it rotated by 180° (flipped on both axes: each weight turns
  to its flipped place, digits upright); both outputs from cm.correlate and cm.convolve.
- moot: a convolution with the flipped kernel gives exactly the correlation's output
  (cm.convolve(x, flip(w)) = cm.correlate(x, w)): with learned kernels the difference does
  not matter, and frameworks compute the correlation. Kernels and output change together.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, Arrow, Create, FadeIn, GrowFromEdge, Indicate,
                   LaggedStart, Line, Rectangle, ReplacementTransform, Text, Transform, VGroup)

import convmath as cm
from convmath import networks
from convmath.examples import example_input, example_kernel
from scenes.kit import (CellGrid, ConnectivityDiagram, FormulaCard, MatrixView, TitleCard,
                        math_tex, palette)
from scenes.kit.matrices.matrix_view import brackets, tap_symbol
from scenes.kit.motion.fade import hand_over
from scenes.kit.motion.moves import TurnUpright
from scenes.kit.text.numfmt import decimal, en_article, group_int, latex_int, millions
from scenes.kit.text.tex import LightenOnAdd
from scenes.kit.text.words import size_text
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import SaidShown

# --- the examples, all sizes in one place ------------------------------------------------------
IMAGE_SHAPE = (12, 16)           # the picture of the "structure" beat
NEIGHBOURHOOD = 3                # the window framed on it
DENSE_EXAMPLE = dict(input=6, kernel=3)          # 1D: dense layer against convolution
PARAMS_EXAMPLE = dict(input=(28, 28), kernel=(3, 3))
FLIP_EXAMPLE = dict(input=(4, 4), kernel=(3, 3))

DENSE_COLOR = palette.TAP_COLORS[1]      # dense layers' bars (vermilion); conv bars are amber
SUB_SIZE = 36                            # formulas with subscripts (w₁₁): readable at 36


def eye_image(shape=IMAGE_SHAPE) -> np.ndarray:
    """Brightness in [0, 1] of a small picture of an eye: bright white, a darker iris ring
    and a dark pupil with a highlight, inside an almond outline; background dark."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    u, v = (xx - cx) / (w / 2 - 0.3), (yy - cy) / (h / 2 - 1.2)
    almond = (np.abs(v) <= 1 - u ** 2)             # between two parabolas
    r = np.hypot(xx - cx, yy - cy)
    img = np.where(almond, 0.95, 0.08)
    img = np.where(almond & (r < 3.6), 0.55, img)   # iris
    img = np.where(almond & (r < 1.7), 0.15, img)   # pupil
    img[int(cy) - 1, int(cx) + 1] = 1.0             # highlight
    return img


def image_grid(img: np.ndarray, cell: float, label: str) -> CellGrid:
    """A picture as a grid of input-blue cells whose opacity is the pixel's brightness."""
    grid = CellGrid(shape=img.shape, role="input", cell_size=cell, show_numbers=False,
                    cell_kind=np.full(img.shape, "input", dtype=object), label=label)
    for idx in np.ndindex(*img.shape):
        grid.cell(idx).set_fill(palette.INPUT, opacity=float(img[idx])).set_stroke(
            palette.INPUT, width=0.6, opacity=0.35)
    grid.brightness = img
    return grid


def interesting_pixels(img: np.ndarray) -> list[tuple[int, int]]:
    """Two pixels whose 3×3 neighbourhoods (inside the picture) mix the most different
    brightnesses: one in the left half of the picture and one in the right half."""
    h, w = img.shape
    spread = np.zeros((h, w))
    for r in range(1, h - 1):
        for c in range(1, w - 1):
            patch = img[r - 1:r + 2, c - 1:c + 2]
            spread[r, c] = patch.max() - patch.min() + patch.std()
    left = np.unravel_index(np.argmax(spread[:, : w // 2]), (h, w // 2))
    right_part = spread[:, w // 2:]
    right = np.unravel_index(np.argmax(right_part[::-1]), right_part.shape)
    right = (h - 1 - right[0], right[1] + w // 2)
    return [(int(left[0]), int(left[1])), (int(right[0]), int(right[1]))]


class DenseMatrix(VGroup):
    """A dense layer's weight matrix: every entry its own weight w_{r,c}, none zero.

    All entries are one LaTeX formula (compiled once), its parts laid out as a table.
    """

    def __init__(self, rows: int, cols: int, *, dx: float, dy: float, font_size: float = SUB_SIZE,
                 lang=None, **kwargs):
        super().__init__(**kwargs)
        self.rows, self.cols = rows, cols
        self._shown = np.array([[tap_symbol((r, c)) for c in range(cols)] for r in range(rows)],
                               dtype=object)
        tex = math_tex(list(self._shown.flat), lang=lang, font_size=font_size,
                       color=palette.TEXT)
        self.entries = VGroup()
        for n, part in enumerate(tex.submobjects):
            r, c = divmod(n, cols)
            part.move_to([(c - (cols - 1) / 2) * dx, ((rows - 1) / 2 - r) * dy, 0])
            self.entries.add(part)
        self.tex = tex
        self.brackets = brackets(rows * dy, cols * dx + 0.2, color=palette.TEXT)
        self.add(tex, self.brackets)

    def shown(self) -> np.ndarray:
        return self._shown.copy()


def cell_block(shape, cell: float, role: str) -> VGroup:
    """A big grid drawn as two VMobjects (all cells filled, then all outlines), with a
    ``shape``: for pictures of many cells where no cell needs a number."""
    from scenes.kit.matrices.matrix_view import rects_mobject

    rows, cols = shape
    rr, cc = np.mgrid[0:rows, 0:cols]
    centers = np.stack([(cc.ravel() - (cols - 1) / 2) * cell,
                        ((rows - 1) / 2 - rr.ravel()) * cell, np.zeros(rr.size)], axis=1)
    color = palette.ROLE_COLORS[role]
    fill = rects_mobject(centers, cell, cell, color, opacity=palette.FILL_OPACITY[role])
    lines = VGroup()
    w, h = cols * cell, rows * cell
    for k in range(rows + 1):
        y = h / 2 - k * cell
        lines.add(Line([-w / 2, y, 0], [w / 2, y, 0]))
    for k in range(cols + 1):
        x = -w / 2 + k * cell
        lines.add(Line([x, h / 2, 0], [x, -h / 2, 0]))
    lines.set_stroke(color, width=0.8)
    block = VGroup(fill, lines)
    block.shape = tuple(shape)
    block.cell_size = cell
    return block


def dense_diagram(sp, cell: float, gap: float, lang) -> ConnectivityDiagram:
    """The convolution's connectivity diagram with its lines replaced by all-to-all links."""
    diagram = ConnectivityDiagram(sp, arrows=False, cell_size=cell, gap=gap, lang=lang)
    diagram.remove(diagram.lines)
    lines = VGroup()
    for i in range(sp.input[0]):
        for o in range(sp.output[0]):
            a = diagram.input_cell(i).get_top()
            b = diagram.output_cell(o).get_bottom()
            lines.add(Line(a, b, stroke_width=1.6, color=palette.TEXT_DIM))
    diagram.lines = lines
    diagram.submobjects.insert(0, lines)
    return diagram


def side_labels(diagram: ConnectivityDiagram) -> ConnectivityDiagram:
    """Move a connectivity diagram's row labels ("Entrada 6", "Salida 4") to the rows' left."""
    for row in (diagram.input_row, diagram.output_row):
        if row.label is not None:
            row.label.next_to(row.cells, LEFT, buff=0.3)
    return diagram


class LayerBars(VGroup):
    """Parameters per layer as bars on one baseline; readback ``names``, ``params``."""

    def __init__(self, layers, *, height: float, bar_width: float, gap: float,
                 colors: dict, name_size: float = 18, **kwargs):
        super().__init__(**kwargs)
        self.layers = [layer for layer in layers if layer.params > 0]
        self.names = [layer.name for layer in self.layers]
        self.params = [layer.params for layer in self.layers]
        top = max(self.params)
        self.bars = VGroup()
        self.labels = VGroup()
        for n, layer in enumerate(self.layers):
            h = max(height * layer.params / top, 0.03)
            bar = Rectangle(width=bar_width, height=h, stroke_width=0,
                            fill_color=colors[layer.kind], fill_opacity=0.9)
            bar.move_to([n * (bar_width + gap), h / 2, 0])
            bar.params = layer.params
            bar.kind = layer.kind
            self.bars.add(bar)
            name = Text(layer.name, font=palette.FONT, font_size=name_size,
                        color=palette.TEXT_DIM).rotate(PI / 2)
            name.next_to(bar, DOWN, buff=0.12)
            name.align_to(bar.get_bottom() + 0.12 * DOWN, UP)
            self.labels.add(name)
        self.add(self.bars, self.labels)

    def bars_of(self, kind: str) -> VGroup:
        return VGroup(*(b for b in self.bars if b.kind == kind))


class Convolucion(LightenOnAdd, NarratedScene):
    segment_id = "s01_convolucion"

    def label(self, text: str, color=palette.TEXT, size: float = palette.LABEL_SIZE) -> Text:
        return Text(text, font=palette.FONT, font_size=size, color=color)

    def settle(self, group):
        """Hold ``group`` in the scene as one object (its parts were animated in one by one)."""
        self.remove(*(m for m in group.get_family() if m in self.mobjects))
        self.add(group)

    def construct(self):
        self.title_beat()
        self.structure_beat()
        self.dense_and_prior_beats()
        self.params_beats()
        self.network_beat()
        self.correlation_beats()

    # --- title -------------------------------------------------------------------------------
    def title_beat(self):
        with self.beat("title") as beat:
            self.card = TitleCard(int(self.s("number")), self.text.title, self.s("subtitle"),
                                  lang=self.lang)
            self.play(self.card.intro(run_time=min(2.0, beat.duration * 0.4)))

    # --- structure: neighbouring pixels --------------------------------------------------------
    def structure_beat(self):
        img = eye_image()
        grid = image_grid(img, 0.5, self.s("image"))
        grid.move_to([-2.3, 0.3, 0])
        self.image = grid
        (r, c), (r2, c2) = interesting_pixels(img)
        half = NEIGHBOURHOOD // 2
        box = grid.window_rectangle((r - half, c - half), (NEIGHBOURHOOD, NEIGHBOURHOOD),
                                    color=palette.HIGHLIGHT, width=5)
        centre = grid.window_rectangle((r, c), (1, 1), color=palette.HIGHLIGHT, width=2)
        note = self.label(self.s("neighbours"), color=palette.HIGHLIGHT, size=30)
        note.next_to(grid.cells, RIGHT, buff=0.5).align_to(grid.cells, UP).shift(0.3 * DOWN)
        arrow = Arrow(note.get_left(), box.get_right(), buff=0.15,
                      color=palette.HIGHLIGHT, stroke_width=4)
        # then a second neighbourhood, on the other side of the eye
        box2 = grid.window_rectangle((r2 - half, c2 - half), (NEIGHBOURHOOD,) * 2,
                                     color=palette.HIGHLIGHT, width=5)
        centre2 = grid.window_rectangle((r2, c2), (1, 1), color=palette.HIGHLIGHT, width=2)
        arrow2 = Arrow(note.get_left(), box2.get_right(), buff=0.15,
                       color=palette.HIGHLIGHT, stroke_width=4)
        with self.beat("structure") as beat:
            hand_over(self, beat, "image", FadeIn(grid, lag_ratio=0.002))
            beat.at("neighbours", Create(box), Create(centre), FadeIn(note), Create(arrow))
            self.play(Transform(box, box2), Transform(centre, centre2), Transform(arrow, arrow2))
        self.neighbourhoods = [((r - half, c - half), NEIGHBOURHOOD),
                               ((r2 - half, c2 - half), NEIGHBOURHOOD)]

    # --- dense layer, then the convolution as a constrained dense layer -----------------------
    def dense_and_prior_beats(self):
        lang = self.lang
        sp = cm.spec(DENSE_EXAMPLE["input"], DENSE_EXAMPLE["kernel"])
        self.sp_dense = sp
        n_in, n_out = sp.input[0], sp.output[0]
        cell, gap = 0.56, 1.35
        dx, dy = 0.94, 0.58

        # the dense column
        d_head = self.label(self.s("dense_layer"), size=30)
        d_diag = side_labels(dense_diagram(sp, cell, gap, lang))
        d_mat = DenseMatrix(n_out, n_in, dx=dx, dy=dy, lang=lang)
        d_name = math_tex("W", lang=lang, font_size=SUB_SIZE).next_to(d_mat.brackets, LEFT,
                                                                      buff=0.25)
        d_foot = self.label(self.s("every_pixel"), color=palette.TEXT_DIM,
                            size=palette.CAPTION_SIZE + 1)
        dense_col = VGroup(d_head, d_diag, VGroup(d_name, d_mat), d_foot).arrange(DOWN, buff=0.3)
        self.dense_matrix, self.dense_diag = d_mat, d_diag

        # the convolution column (same geometry)
        c_head = self.label(self.s("conv_1d", k=sp.kernel[0]), size=30)
        c_diag = side_labels(ConnectivityDiagram(sp, arrows=False, cell_size=cell, gap=gap,
                                                 lang=lang))
        c_mat = MatrixView(sp, mode="symbols", dx=dx, dy=dy, font_size=SUB_SIZE, lang=lang)
        c_name = math_tex("C", lang=lang, font_size=SUB_SIZE).next_to(c_mat.brackets, LEFT,
                                                                      buff=0.25)
        zeros = int((c_mat.taps < 0).sum())
        key_size = palette.CAPTION_SIZE + 1
        zero_key = VGroup(math_tex("0", lang=lang, font_size=30, color=palette.TEXT_DIM),
                          self.label(self.s("zeros", zeros=zeros, total=c_mat.taps.size),
                                     size=key_size)).arrange(RIGHT, buff=0.25)
        zero_key.count = zero_key[1]
        taps = [math_tex(tap_symbol((t,)), lang=lang, font_size=SUB_SIZE,
                         color=palette.tap_color(t)) for t in range(sp.kernel[0])]
        tied_key = VGroup(VGroup(*taps).arrange(RIGHT, buff=0.12),
                          self.label(self.s("tied"), size=key_size)).arrange(RIGHT, buff=0.25)
        keys = VGroup(zero_key, tied_key).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        conv_col = VGroup(c_head, c_diag, VGroup(c_name, c_mat), keys).arrange(DOWN, buff=0.3)
        self.conv_matrix, self.conv_diag = c_mat, c_diag
        self.zero_key = zero_key

        left_x, right_x = -3.55, 3.55
        dense_col.move_to([left_x, 0, 0])
        conv_col.move_to([right_x, 0, 0])
        # the matrices and diagrams of both columns on the same lines
        for part_d, part_c in ((d_head, c_head), (d_diag, c_diag)):
            part_c.shift(UP * (part_d.get_center()[1] - part_c.get_center()[1]))
        VGroup(c_name, c_mat).shift(UP * (d_mat.get_center()[1] - c_mat.get_center()[1]))
        keys.next_to(c_mat, DOWN, buff=0.25).set_x(right_x)
        # both columns fill the frame above the subtitles; the dense one starts in the middle
        pair = VGroup(dense_col, conv_col)
        pair.move_to([0, (palette.SUBTITLE_TOP + 0.1 + 3.75) / 2, 0])
        dense_place = dense_col.get_center()
        dense_col.set_x(0)

        with self.beat("dense") as beat:
            hand_over(self, beat, "mlp", FadeIn(d_head), FadeIn(d_diag.input_row),
                      FadeIn(d_diag.output_row))
            beat.at("links", Create(d_diag.lines, lag_ratio=0.03))
            beat.at("weights", FadeIn(d_name), FadeIn(d_mat, lag_ratio=0.02), FadeIn(d_foot))
            self.settle(dense_col)

        with self.beat("prior", values={"zeros": zeros, "total": c_mat.taps.size}) as beat:
            self.play(dense_col.animate.move_to(dense_place))
            beat.at("conv", FadeIn(c_head), FadeIn(c_diag.input_row), FadeIn(c_diag.output_row),
                    Create(c_diag.lines, lag_ratio=0.05), FadeIn(c_name), FadeIn(c_mat))
            zero_entries = VGroup(*(c_mat.entry(r, c) for r, c in zip(*np.nonzero(c_mat.taps < 0))))
            beat.at("zeros", FadeIn(zero_key),
                    Indicate(zero_entries, color=palette.HIGHLIGHT, scale_factor=1.3))
            tapped = VGroup(*(c_mat.entry(r, c) for r, c in zip(*np.nonzero(c_mat.taps >= 0))))
            beat.at("tied", FadeIn(tied_key), Indicate(tapped, scale_factor=1.3, color=None))
            self.settle(conv_col)
        self.columns = VGroup(dense_col, conv_col)

    # --- parameter counts, then the matrix of that convolution ---------------------------------
    def params_beats(self):
        lang = self.lang
        sp = cm.spec(PARAMS_EXAMPLE["input"], PARAMS_EXAMPLE["kernel"])
        cmp = cm.compare_with_dense(sp)
        n_in, n_out = int(np.prod(sp.input)), int(np.prod(sp.output))
        assert cmp.dense == n_in * n_out and cmp.conv == int(np.prod(sp.kernel))
        self.sp_params, self.comparison = sp, cmp

        cell = 0.11
        inp_cells = cell_block(sp.input, cell, "input")
        out_cells = cell_block(sp.output, cell, "output")
        # the kernel at the first position: its 3×3 cells over the input's corner
        kh, kw = sp.kernel
        corner = inp_cells.get_corner(UP + LEFT)
        foot = Rectangle(width=kw * cell, height=kh * cell, stroke_color=palette.KERNEL,
                         stroke_width=3, fill_color=palette.FOOTPRINT,
                         fill_opacity=palette.FOOTPRINT_OPACITY)
        foot.move_to(corner + np.array([kw * cell / 2, -kh * cell / 2, 0]))
        inp_label = self.label(f"{self.s('image')} {size_text(sp.input)}", color=palette.INPUT)
        out_label = self.label(f"{self.s('output')} {size_text(sp.output)}",
                               color=palette.OUTPUT)
        inp = VGroup(inp_cells, foot, inp_label.next_to(inp_cells, UP, buff=0.2))
        out = VGroup(out_cells, out_label.next_to(out_cells, UP, buff=0.2))
        inp.shape, out.shape, inp.kernel = sp.input, sp.output, sp.kernel
        arrow = Arrow(LEFT, RIGHT, color=palette.TEXT_DIM, stroke_width=4).scale(0.8)
        top = VGroup(inp, arrow, out).arrange(RIGHT, buff=0.5)
        top.move_to([-2.45, 1.65, 0])

        k = sp.kernel
        conv_tex = rf"{k[0]} \cdot {k[1]} = {latex_int(cmp.conv, lang)}"
        i, o = sp.input, sp.output
        dense_tex = (rf"({i[0]} \cdot {i[1]}) \cdot ({o[0]} \cdot {o[1]}) = "
                     rf"{latex_int(cmp.dense, lang)}")
        conv_card = FormulaCard(conv_tex, title=self.s("conv_layer", k=size_text(k)), lang=lang)
        dense_card = FormulaCard(dense_tex, title=self.s("dense_same"), lang=lang)
        cards = VGroup(conv_card, dense_card).arrange(RIGHT, buff=0.7)
        cards.move_to([-0.4, -1.2, 0])
        conv_card.general.set_color(palette.KERNEL)
        dense_card.general.set_color(DENSE_COLOR)
        channel = self.label(self.s("one_channel"), color=palette.TEXT_DIM,
                             size=palette.CAPTION_SIZE)
        channel.next_to(conv_card, DOWN, buff=0.15)
        self.param_cards = (conv_card, dense_card)
        self.param_grids = (inp, out)

        def spoken(n):
            return SaidShown(group_int(n, lang, spoken=True), group_int(n, lang))

        values = {"i": sp.input[0], "k": k[0], "conv": spoken(cmp.conv),
                  "dense": spoken(cmp.dense), "a_i": en_article(sp.input[0]),
                  "a_k": en_article(k[0])}
        with self.beat("params", values=values) as beat:
            hand_over(self, beat, "image", FadeIn(top))
            beat.at("conv", conv_card.write(), FadeIn(channel))
            beat.at("dense", dense_card.write())
        self.params_top = top

        # the same convolution as a matrix: almost every entry is zero
        rows, cols = cm.matrix_shape(sp)
        r_all, _, _ = cm.matrix_entries(sp)
        per_row = np.bincount(r_all, minlength=rows)
        assert (per_row == per_row[0]).all()             # every row holds the whole kernel
        zero_share = 100 * (1 - Fraction(len(r_all), rows * cols))
        pct = decimal(zero_share, 1, lang)
        facts = [self.label(self.s("c_shape", rows=group_int(rows, lang),
                                   cols=group_int(cols, lang)), size=30),
                 self.label(self.s("per_row", taps=int(per_row[0])), color=palette.KERNEL,
                            size=30),
                 self.label(self.s("zero_pct", pct=pct), color=palette.HIGHLIGHT, size=30)]
        line = VGroup(*facts).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        line.move_to([4.9, 1.65, 0])
        self.sparse_facts = dict(rows=rows, cols=cols, per_row=int(per_row[0]), pct=pct,
                                 texts=facts)
        values = {"rows": rows, "cols": cols, "taps": int(per_row[0]), "pct": pct}
        with self.beat("sparse", values=values) as beat:
            beat.at("shape", FadeIn(facts[0], shift=0.2 * UP))
            beat.at("taps", FadeIn(facts[1], shift=0.2 * UP))
            beat.at("pct", FadeIn(facts[2], shift=0.2 * UP))

    # --- VGG16 -------------------------------------------------------------------------------------
    def network_beat(self):
        lang = self.lang
        layers = networks.vgg16()
        tot = networks.totals(layers)
        self.vgg_totals = tot
        bars = LayerBars(layers, height=3.5, bar_width=0.5, gap=0.24,
                         colors={"conv": palette.KERNEL, "dense": DENSE_COLOR})
        bars.move_to([0, 0, 0])
        bars.shift(UP * (-0.35 - bars.bars[0].get_bottom()[1]))
        bars.shift(RIGHT * (0.3 - bars.bars.get_center()[0]))
        self.bars = bars
        title = self.label(self.s("network"), size=40).to_corner(UP + LEFT, buff=0.45)
        biggest = max(bars.bars, key=lambda b: b.params)
        big_label = self.label(self.s("millions", value=millions(biggest.params, 1, lang)),
                               color=DENSE_COLOR, size=26)
        big_label.next_to(biggest, LEFT, buff=0.15).align_to(biggest, UP)

        def group_label(kind, text_key, color):
            group = bars.bars_of(kind)
            names = VGroup(*(lab for lab, b in zip(bars.labels, bars.bars) if b.kind == kind))
            y = names.get_bottom()[1] - 0.15
            rule = Line([group.get_left()[0], y, 0], [group.get_right()[0], y, 0], color=color,
                        stroke_width=3)
            words = self.label(self.s(text_key), color=color, size=24)
            amount = self.label(self.s("millions", value=millions(tot[kind], 1, lang)),
                                color=color, size=30)
            block = VGroup(words, amount).arrange(DOWN, buff=0.1)
            block.next_to(rule, DOWN, buff=0.12)
            block.amount = amount
            return VGroup(rule, block), block

        conv_group, conv_block = group_label("conv", "conv_part", palette.KERNEL)
        dense_group, dense_block = group_label("dense", "dense_part", DENSE_COLOR)
        # keep the dense block inside the frame and clear of the conv block
        overflow = dense_block.get_right()[0] - (7.11 - palette.FRAME_MARGIN)
        if overflow > 0:
            dense_block.shift(LEFT * overflow)
        self.vgg_blocks = (conv_block, dense_block)

        values = {"conv": millions(tot["conv"], 1, lang), "dense": millions(tot["dense"], 1, lang)}
        conv_bars = bars.bars_of("conv")
        dense_bars = bars.bars_of("dense")
        with self.beat("network", values=values) as beat:
            hand_over(self, beat, "vgg", FadeIn(title), FadeIn(bars.labels),
                      LaggedStart(*(GrowFromEdge(b, DOWN) for b in bars.bars), lag_ratio=0.08))
            beat.at("conv", FadeIn(conv_group), Indicate(conv_bars, color=palette.KERNEL,
                                                        scale_factor=1.05))
            beat.at("dense", FadeIn(dense_group), FadeIn(big_label),
                    Indicate(dense_bars, color=DENSE_COLOR, scale_factor=1.05))
        self.network_group = VGroup(title, bars, conv_group, dense_group, big_label)

    # --- correlation against convolution ---------------------------------------------------------
    def correlation_beats(self):
        lang = self.lang
        x = example_input(FLIP_EXAMPLE["input"])
        w = example_kernel(FLIP_EXAMPLE["kernel"])
        flipped = w[::-1, ::-1]
        corr = cm.correlate(x, w)
        conv = cm.convolve(x, w)
        self.flip_inputs = (x, w)

        kcell, ocell = 0.56, 0.62
        inp = CellGrid(x, role="input", cell_size=0.62,
                       label=f"{self.s('input')} {size_text(x.shape)}", lang=lang)
        col_a, col_b, col_c = -2.0, 1.35, 4.7
        top_y, bottom_y = 1.2, -1.8
        inp.shift(np.array([-5.3, (top_y + bottom_y) / 2, 0]) - inp.cells.get_center())

        def kernel_grid(values, label):
            return CellGrid(values, role="kernel", cell_size=kcell, label=label, lang=lang)

        def output_grid(values):
            return CellGrid(values, role="output", cell_size=ocell,
                            label=f"{self.s('output')} {size_text(values.shape)}", lang=lang)

        def place(grid, x_, y_):
            grid.shift(np.array([x_, y_, 0]) - grid.cells.get_center())
            return grid

        kernel_label = f"{self.s('kernel')} {size_text(w.shape)}"
        # top row: the kernel slides as it is; bottom row: it is flipped first
        k_top = place(kernel_grid(w, kernel_label), col_a, top_y)
        o_top = place(output_grid(corr), col_c, top_y)
        k_given = place(kernel_grid(w, kernel_label), col_a, bottom_y)
        k_flip = place(kernel_grid(flipped, self.s("flip")), col_b, bottom_y)
        o_bottom = place(output_grid(conv), col_c, bottom_y)
        head_top = VGroup(math_tex(r"\star", lang=lang, font_size=60),
                          self.label(self.s("correlation"), size=30)).arrange(RIGHT, buff=0.2)
        head_bottom = VGroup(math_tex(r"\ast", lang=lang, font_size=60),
                             self.label(self.s("convolution"), size=30)).arrange(RIGHT, buff=0.2)
        for head, y_ in ((head_top, top_y), (head_bottom, bottom_y)):
            head.move_to([0, y_ + 1.68, 0]).align_to(k_top.cells, LEFT)

        def arrow(a, b):
            return Arrow(a.cells.get_right(), b.cells.get_left(), buff=0.2,
                         color=palette.TEXT_DIM, stroke_width=3)

        a_top = arrow(k_top, o_top)
        a_bottom = arrow(k_flip, o_bottom)
        a_flip = arrow(k_given, k_flip)
        self.flip_grids = dict(input=inp, k_top=k_top, o_top=o_top, k_given=k_given,
                               k_flip=k_flip, o_bottom=o_bottom)

        with self.beat("correlation") as beat:
            hand_over(self, beat, "corr", FadeIn(inp), FadeIn(head_top), FadeIn(k_top),
                      Create(a_top), FadeIn(o_top))
            beat.at("conv", FadeIn(head_bottom), FadeIn(k_given))
            # the flip: the kernel turns half a circle into the flipped kernel's place, each
            # weight landing where the flip puts it, its digits upright all the way; then the
            # kernel as given comes back in its place (it is gone while the turn passes by)
            body = VGroup(k_given.cells, k_given.numbers)
            turning = body.copy()
            delta = k_flip.cells.get_center() - k_given.cells.get_center()
            self.flip_turn = TurnUpright(turning, upright=turning[1], angle=-PI, shift=delta)
            beat.at("flip")
            body.save_state()
            body.set_opacity(0)
            self.add(turning)
            self.play(self.flip_turn, Create(a_flip), FadeIn(k_flip.label))
            self.remove(turning, k_flip.label)
            self.add(k_flip)
            self.play(body.animate.restore())
            beat.at("out", Create(a_bottom), FadeIn(o_bottom))
        self.turned = turning

        # --- moot: learn the flipped kernel and the convolution is the correlation --------------
        learned = flipped
        learned_out = cm.convolve(x, learned)
        k_learned = place(kernel_grid(learned, self.s("learned")), col_a, bottom_y)
        k_relearned = place(kernel_grid(learned[::-1, ::-1], self.s("flip")), col_b, bottom_y)
        o_learned = place(output_grid(learned_out), col_c, bottom_y)
        same = self.label("= " + self.s("same"), color=palette.OUTPUT_TEXT, size=26)
        same.move_to([col_c, (o_top.cells.get_bottom()[1] + o_learned.label.get_top()[1]) / 2,
                      0])
        frameworks = self.label(self.s("frameworks"), color=palette.TEXT, size=palette.BODY_SIZE)
        frameworks.move_to([0, 3.55, 0])
        self.learned = dict(k_learned=k_learned, k_relearned=k_relearned, o_learned=o_learned)

        with self.beat("moot") as beat:
            # the learned kernel, its flip and the output they give change in one play
            beat.at("learned", ReplacementTransform(k_given, k_learned),
                    ReplacementTransform(k_flip, k_relearned),
                    ReplacementTransform(o_bottom, o_learned))
            beat.at("same", FadeIn(same),
                    Indicate(o_top.cells, color=palette.OUTPUT, scale_factor=1.1),
                    Indicate(o_learned.cells, color=palette.OUTPUT, scale_factor=1.1))
            beat.at("frameworks", FadeIn(frameworks, shift=0.2 * DOWN))
