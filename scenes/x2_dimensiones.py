"""Extra 2 — "Varias dimensiones": the same arithmetic in 1D, 2D and 3D, and the channels.

1D (a signal) and 2D (an image whose two axes have their own kernel, stride and padding)
slide a convmath storyboard over the grids and write the output-size formula of each axis;
3D (a volume) is drawn as its depth slices side by side, the kernel a block of slices. Every
axis uses the same form of the formula, the guide's o = ⌊(i + 2p − k)/s⌋ + 1
(``convmath.formulas.paper_output``; no dilation here). Then channels: the red, green and
blue channels of an image, a kernel that covers them all and still slides in two
dimensions, one output map per kernel, the parameters counted by ``convmath.conv_params``
(weights, then biases); and a small two-channel example computed by ``convmath.correlate``
on (C_in, H, W) arrays: each channel against its slice of the kernel, then the sum.

Every number, formula, highlight and caption the voice names appears on its word (anchors
in the narration text); the pictures sit left of their formulas, above the subtitles.

    manim render scenes/x2_dimensiones.py VariasDimensiones
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, Create, FadeIn, FadeOut,
                   GrowArrow, Indicate, RoundedRectangle, Succession, SurroundingRectangle,
                   Text, VGroup)

import convmath as cm
from convmath import formulas
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.cells.grid import CellGrid, KernelFootprint
from scenes.kit.cells.stack import GridStack
from scenes.kit.motion.fade import fade_out
from scenes.kit.motion.moves import slide_to
from scenes.kit.motion.reveal import hide, reveal
from scenes.kit.operation.conv_stage import ConvStage, sweep
from scenes.kit.operation.slider import Slider
from scenes.kit.text.formula import FormulaCard
from scenes.kit.text.tex import LightenOnAdd, math_tex
from scenes.kit.text.titles import Headings
from scenes.kit.text.words import size_text
from scenes.narration.scene import NarratedScene
from scenes.title_beat import play_title

# 1D: a signal of 7 samples and a 3-tap kernel.
LINE = cm.spec(7, 3)
LINE_X = example_input(7, seed=4)
LINE_W = example_kernel(3, seed=4)
# 2D: rows and columns with their own kernel, stride and padding.
IMAGE = cm.spec((7, 5), kernel=(3, 2), stride=(2, 1), padding=(1, 0))
IMAGE_X = example_input((7, 5), seed=5)
IMAGE_W = example_kernel((3, 2))
# 3D: a volume of depth × height × width and a block kernel.
VOLUME = cm.spec((4, 5, 5), kernel=(2, 3, 3))
# Channels: the three channels of a colour image, C_in×H×W to C_out×H′×W′.
CHANNELS = cm.spec((5, 5), 3, in_channels=3, out_channels=2)
CHANNEL_NAMES = ("red", "green", "blue")     # the narration names them one by one
# A small multi-channel example computed for real: (C_in, H, W) input, (C_out, C_in, k, k) kernel.
MULTI_X = example_input((2, 4, 4), seed=6)
# (seeds whose two channels give different first cells: "a plus b" is heard as a sum)
MULTI_W = example_kernel((1, 2, 3, 3), seed=3)

TOP = 3.05                  # top of the pictures, under the heading
BOTTOM = -2.7               # bottom of the pictures and formulas, over the subtitles
PICTURE_RIGHT = 0.3         # 1D, 2D and 3D: the picture left of this, the formulas right of it
FORMULA_X = 3.75            # centre of the formulas' column
FORMULA_WIDTH = 5.6


def per_axis_values(sp: cm.ConvSpec) -> dict:
    """Input, kernel, stride, padding and output of each axis of ``sp``, for the narration."""
    out = {}
    for a in range(sp.ndim):
        out.update({f"i{a}": sp.input[a], f"k{a}": sp.kernel[a], f"s{a}": sp.stride[a],
                    f"p{a}": sp.padding[a][0], f"o{a}": sp.output[a]})
    return out


def drop_weight_digits(slider: Slider) -> None:
    """The footprint's small weight digits, beside each cell's own number, are too small to
    read; the kernel grid beside the input shows the weights."""
    labels = getattr(slider.footprint, "weight_labels", None)
    if labels is not None and labels in slider.footprint.submobjects:
        slider.footprint.remove(labels)


def padding_parts(grid: CellGrid) -> list:
    """The padding cells of a grid and their zeros (written light enough to read under the
    kernel's footprint; the dashed outline says they are padding)."""
    parts = []
    for idx in np.ndindex(*grid.shape):
        if grid.cell_kind[idx] == "padding":
            parts.append(grid.cell(idx))
            if grid.number(idx) is not None:
                parts.append(grid.number(idx).set_color(palette.TEXT))
    return parts


def room(scene, beat, fallback: float = 2.0) -> float:
    """Seconds from now to the beat's next anchor (what a run of plays may take)."""
    nxt = beat.next_mark_time()
    return fallback if nxt is None else max(0.4, nxt - float(scene.time) - 0.05)


class SizedLabel(VGroup):
    """"Entrada 4×5×5": the word now, the size when the voice says it (:attr:`size` is
    hidden until revealed)."""

    def __init__(self, word: str, shape, color, **kwargs):
        super().__init__(**kwargs)
        self.word = Text(word, font=palette.FONT, font_size=palette.LABEL_SIZE, color=color)
        self.size = Text(size_text(shape), font=palette.FONT, font_size=palette.LABEL_SIZE,
                         color=color)
        self.add(self.word, self.size).arrange(RIGHT, buff=0.15)
        self.shape = tuple(shape)
        hide(self.size)


class VariasDimensiones(LightenOnAdd, NarratedScene):
    segment_id = "x2_dimensiones"

    def words(self) -> dict:
        return {"input": self.s("input"), "output": self.s("output"),
                "kernel": self.s("kernel")}

    def axis_card(self, sp, axis: int, title: str | None, font_size: float = 36):
        card = FormulaCard.from_formula(formulas.paper_output(sp, axis, latex=True), title=title,
                                        lang=self.lang, max_width=FORMULA_WIDTH - 0.7,
                                        font_size=font_size)
        card.axis = axis
        return card

    def construct(self):
        play_title(self)
        self.headings = Headings(self)
        self.one_d()
        self.two_d()
        self.three_d()
        self.channels()
        self.numbers()
        self.play(*(fade_out(m) for m in list(self.mobjects)), run_time=0.8)

    # --- 1D --------------------------------------------------------------------------------------
    def one_d(self):
        board = cm.storyboard(LINE, LINE_X, LINE_W)
        stage = ConvStage(board, lang=self.lang, words=self.words(), max_cell=0.85,
                          region=(-6.7, BOTTOM + 0.4, PICTURE_RIGHT, TOP))
        slider = Slider(board, stage.input, stage.output, lang=self.lang)
        drop_weight_digits(slider)
        intro = slider.intro(run_time=0.6)          # (the footprint waits for its word)
        hide(stage.output.label)
        card = self.axis_card(LINE, 0, None, font_size=40)
        card.move_to(np.array([FORMULA_X, stage.get_center()[1], 0.0]))
        self.stage_1d, self.card_1d = stage, card
        values = {"i": LINE.input[0], "k": LINE.kernel[0], "s": LINE.stride[0],
                  "p": LINE.padding[0][0], "o": LINE.output[0]}
        with self.beat("one_d", values=values) as beat:
            self.play(*self.headings.to(self.s("one_d"), clear=True))
            beat.at("input", FadeIn(stage.input))
            beat.at("n", Indicate(stage.input.label, color=palette.HIGHLIGHT))
            beat.at("kernel", FadeIn(stage.kernel))
            beat.at("slide", FadeIn(stage.output), intro)
            self.add(*slider.mobjects)
            self.play(sweep(slider, room(self, beat)))
            beat.at("formula", card.write(run_time=1.0), slider.outro())
            beat.at("o", card.substitute(run_time=1.0), *reveal(stage.output.label))

    # --- 2D --------------------------------------------------------------------------------------
    def two_d(self):
        board = cm.storyboard(IMAGE, IMAGE_X, IMAGE_W)
        stage = ConvStage(board, lang=self.lang, words=self.words(), max_cell=0.6,
                          region=(-6.8, BOTTOM, PICTURE_RIGHT + 0.3, TOP), gap=0.55)
        slider = Slider(board, stage.input, stage.output, lang=self.lang)
        drop_weight_digits(slider)
        intro = slider.intro(run_time=0.6)
        padding = padding_parts(stage.input)
        hide(*padding, stage.output.label)
        values = per_axis_values(IMAGE)
        params = [Text(self.s(name, k=values[f"k{a}"], s=values[f"s{a}"], p=values[f"p{a}"]),
                       font=palette.FONT, font_size=palette.LABEL_SIZE, color=palette.TEXT)
                  for a, name in enumerate(("rows", "cols"))]
        cards = [self.axis_card(IMAGE, a, None) for a in (0, 1)]
        column = VGroup(*(VGroup(p, c).arrange(DOWN, buff=0.2) for p, c in zip(params, cards)))
        column.arrange(DOWN, buff=0.45).move_to(np.array([FORMULA_X + 0.3, 0.2, 0.0]))
        for a, p in enumerate(params):
            p.value = tuple(values[f"{name}{a}"] for name in "ksp")
        self.stage_2d, self.params_2d, self.cards_2d = stage, params, VGroup(*cards)
        with self.beat("two_d", values=values) as beat:
            self.play(*self.headings.to(self.s("two_d"), clear=True))
            beat.at("input", FadeIn(stage.input))
            beat.at("rows", FadeIn(stage.kernel), FadeIn(params[0]), *reveal(*padding))
            beat.at("cols", FadeIn(params[1]))

        with self.beat("per_axis", values=values) as beat:
            beat.at("slide", FadeIn(stage.output), intro)
            self.add(*slider.mobjects)
            self.play(sweep(slider, room(self, beat)))
            beat.at("formula", *(c.write(run_time=1.0) for c in cards), slider.outro())
            beat.at("o0", cards[0].substitute(run_time=1.0))
            beat.at("o1", cards[1].substitute(run_time=1.0))
            beat.at("out", *reveal(stage.output.label))

    # --- 3D --------------------------------------------------------------------------------------
    def slices(self, shape, role, cell, word, gap=0.3) -> VGroup:
        """A volume (depth, H, W) as its depth slices side by side, each tagged with its place
        in depth, under a label whose size comes in later."""
        grids = VGroup()
        for n in range(shape[0]):
            g = CellGrid(shape=shape[1:], role=role, cell_size=cell, show_numbers=False,
                         cell_kind=np.full(shape[1:], role, dtype=object), lang=self.lang)
            tag = Text(self.s("slice", n=n + 1), font=palette.FONT,
                       font_size=palette.CAPTION_SIZE, color=palette.TEXT_DIM)
            tag.next_to(g.cells, DOWN, buff=0.12)
            g.add(tag)
            g.tag = tag
            grids.add(g)
        grids.arrange(RIGHT, buff=gap, aligned_edge=UP)
        title = SizedLabel(word, shape, palette.ROLE_COLORS[role])
        title.next_to(grids, UP, buff=0.2)
        group = VGroup(grids, title)
        group.grids, group.title, group.shape = grids, title, tuple(shape)
        return group

    def three_d(self):
        sp = VOLUME
        words = self.words()
        cell = 0.46
        vol = self.slices(sp.input, "input", cell, words["input"])
        ker = self.slices(sp.kernel, "kernel", cell, words["kernel"], gap=0.2)
        out = self.slices(sp.output, "output", cell, words["output"], gap=0.2)
        low = VGroup(ker, out).arrange(RIGHT, buff=1.2, aligned_edge=UP)
        picture = VGroup(vol, low).arrange(DOWN, buff=0.35)
        picture.move_to(np.array([0.0, (TOP + BOTTOM) / 2 + 0.1, 0.0]))
        self.volume = (vol, ker, out)

        # the kernel's positions, from convmath: one step along each axis, then the last
        board = cm.storyboard(sp, np.zeros(sp.input, dtype=np.int64),
                              np.zeros(sp.kernel, dtype=np.int64))
        by_output = {st.output: st.window for st in board.steps}
        route = [(0, 0, 0), (0, 0, 1), (0, 1, 1), (1, 1, 1), tuple(n - 1 for n in sp.output)]
        shown = [(by_output[o], o) for o in route]
        self.volume_positions = shown

        def block(window, output):
            marks = VGroup()
            for dz in range(sp.kernel[0]):
                marks.add(KernelFootprint(vol.grids[window[0] + dz], sp.kernel[1:],
                                          window=window[1:]))
            og = out.grids[output[0]]
            marks.add(og.window_rectangle(output[1:], (1, 1), color=palette.HIGHLIGHT))
            marks.window, marks.output = window, output
            return marks

        blocks = [block(w, o) for w, o in shown]
        moves = [AnimationGroup(FadeOut(a), FadeIn(b), run_time=0.7)
                 for a, b in zip(blocks, blocks[1:])]
        with self.beat("three_d") as beat:
            self.play(*self.headings.to(self.s("three_d"), clear=True))
            beat.at("volume", FadeIn(vol))
            beat.at("kernel", FadeIn(ker), FadeIn(blocks[0][:-1]))
            beat.at("moves", FadeIn(out), Create(blocks[0][-1]))
            self.play(Succession(*moves, group=blocks[0]))
        self.volume_block = blocks[-1]

        titles = [self.s("axis_depth"), self.s("axis_rows"), self.s("axis_cols")]
        cards = VGroup(*(self.axis_card(sp, a, titles[a], font_size=32) for a in range(3)))
        cards.arrange(DOWN, buff=0.15)
        if cards.height > TOP - BOTTOM:          # under the heading, over the subtitles
            cards.scale_to_fit_height(TOP - BOTTOM)
        cards.move_to(np.array([FORMULA_X + 0.3, (TOP + BOTTOM) / 2, 0.0]))
        self.cards_3d = cards
        # the picture makes room for the formulas' column
        target = VGroup(picture, blocks[-1]).copy()
        left, right = -6.8, cards.get_left()[0] - 0.3
        target.scale(min(1.0, (right - left) / picture.width))
        target.shift(np.array([(left + right) / 2 - target[0].get_center()[0], 0.0, 0.0]))
        values = {"d": sp.input[0], "h": sp.input[1], "w": sp.input[2], "kd": sp.kernel[0],
                  "kh": sp.kernel[1], "kw": sp.kernel[2], "od": sp.output[0],
                  "oh": sp.output[1], "ow": sp.output[2]}
        with self.beat("three_d_sizes", values=values) as beat:
            self.play(VGroup(picture, blocks[-1]).animate.become(target), run_time=0.8)
            beat.at("formula", *(c.write(run_time=1.0) for c in cards))
            beat.at("input", *reveal(vol.title.size))
            beat.at("kernel", *reveal(ker.title.size))
            beat.at("out", *reveal(out.title.size), *(c.substitute(run_time=1.0) for c in cards))

    # --- channels --------------------------------------------------------------------------------
    def channels(self):
        sp = CHANNELS
        cin, cout = sp.in_channels, sp.out_channels
        if cin != len(CHANNEL_NAMES):
            raise ValueError(f"the narration names {len(CHANNEL_NAMES)} channels, the example "
                             f"has {cin}")
        words = self.words()
        cell, kcell = 0.55, 0.45
        # the usual picture: one grid in, one grid out
        flat_in = CellGrid(shape=sp.input, role="input", cell_size=0.6, show_numbers=False,
                           label=f"{words['input']} {size_text(sp.input)}", lang=self.lang)
        flat_out = CellGrid(shape=sp.output, role="output", cell_size=0.6, show_numbers=False,
                            cell_kind=np.full(sp.output, "output", dtype=object),
                            label=f"{words['output']} {size_text(sp.output)}", lang=self.lang)
        VGroup(flat_in, flat_out).arrange(RIGHT, buff=3.0).move_to(np.array([0.0, 0.2, 0.0]))
        flat_arrow = Arrow(flat_in.cells.get_right(), flat_out.cells.get_left(), buff=0.3,
                           color=palette.TEXT_DIM, stroke_width=4)

        # the real picture: C_in×H×W in, C_out kernels of C_in×k×k, one H′×W′ map per kernel
        shape_in, shape_k = (cin,) + sp.input, (cin,) + sp.kernel
        stack_in = GridStack(shape=shape_in, role="input", cell_size=cell, numbers="none",
                             offset=(0.3, 0.42), label=f"{words['input']} {size_text(shape_in)}",
                             label_side=UP, lang=self.lang)
        tags = VGroup()
        for c, name in enumerate(CHANNEL_NAMES):
            tag = Text(self.s(name), font=palette.FONT, font_size=palette.CAPTION_SIZE,
                       color=palette.CHANNEL_COLORS[c])
            layer = stack_in.layers[c].cells
            # beside the strip of the layer that shows above the one in front of it
            y = layer.get_top()[1] - (0.21 if c else 0.3)
            tag.move_to(np.array([stack_in.block().get_left()[0] - 0.15, y, 0.0]),
                        aligned_edge=RIGHT)
            tags.add(tag)
        channel_block = VGroup(stack_in, tags)
        channel_block.move_to(np.array([-4.05, 0.2, 0.0]))
        kernels = [GridStack(shape=shape_k, role="kernel", cell_size=kcell, numbers="none",
                             lang=self.lang) for _ in range(cout)]
        kcol = VGroup(*kernels).arrange(DOWN, buff=0.6).move_to(np.array([-0.2, 0.35, 0.0]))
        maps = VGroup(*(CellGrid(shape=sp.output, role="output", cell_size=0.5,
                                 show_numbers=False, lang=self.lang) for _ in range(cout)))
        for m in maps[1:]:               # (the first map fills in when the voice says so)
            m.cells.set_fill(palette.OUTPUT, opacity=palette.FILL_OPACITY["output"])
        map_tags = VGroup()
        for n, (m, k) in enumerate(zip(maps, kernels)):
            m.move_to(np.array([3.9, k.block().get_center()[1], 0.0]))
            tag = Text(self.s("map", n=n + 1), font=palette.FONT, font_size=palette.CAPTION_SIZE,
                       color=palette.OUTPUT_TEXT)
            tag.next_to(m.cells, RIGHT, buff=0.2)
            map_tags.add(tag)
        out_label = Text(f"{words['output']} {size_text((cout,) + sp.output)}", font=palette.FONT,
                         font_size=palette.LABEL_SIZE, color=palette.OUTPUT)
        out_label.next_to(maps[0].cells, UP, buff=0.3)
        maps.shape, maps.label = (cout,) + sp.output, out_label
        k1_label = Text(f"{words['kernel']} {size_text(shape_k)}", font=palette.FONT,
                        font_size=palette.LABEL_SIZE, color=palette.KERNEL)
        k1_label.next_to(kernels[0], DOWN, buff=0.2)
        k_label = Text(self.s("kernels", n=cout, shape=size_text(shape_k)), font=palette.FONT,
                       font_size=palette.LABEL_SIZE, color=palette.KERNEL)
        k_label.next_to(kcol, DOWN, buff=0.2)
        arrows = VGroup(*(
            Arrow(k.block().get_right(), m.cells.get_left(), buff=0.25, color=palette.KERNEL,
                  stroke_width=4, max_tip_length_to_length_ratio=0.12)
            for k, m in zip(kernels, maps)))
        # the kernel's place on every channel (a block through the stack), shown on its word
        footprints = []
        for layer in stack_in.layers:
            fp = KernelFootprint(layer, sp.kernel, window=(0, 0))
            layer.overlays.add(fp)
            footprints.append(fp)
        hide(*footprints)
        marker = maps[0].window_rectangle((0, 0), (1, 1), color=palette.HIGHLIGHT)
        # the input stack first stands alone in the middle, then makes room for the kernels
        home = channel_block.get_center()
        channel_block.move_to(np.array([0.0, home[1], 0.0]))
        self.channel_parts = {"input": stack_in, "kernels": kernels, "output": maps,
                              "weights_label": k_label, "flat": (flat_in, flat_out),
                              "tags": tags, "arrows": arrows}

        with self.beat("habitual", values={"cin": cin}) as beat:
            self.play(*self.headings.to(self.s("habitual"), clear=True))
            beat.at("flat", FadeIn(flat_in), GrowArrow(flat_arrow), FadeIn(flat_out))
            beat.at("three", *self.headings.to(self.s("channels")),
                    Succession(AnimationGroup(fade_out(flat_in), fade_out(flat_out),
                                              fade_out(flat_arrow), run_time=0.3),
                               FadeIn(stack_in, run_time=0.6)))
            for c, name in enumerate(CHANNEL_NAMES):
                beat.at(name, stack_in.tint(c, palette.CHANNEL_COLORS[c]), FadeIn(tags[c]),
                        run_time=0.5)

        steps = [(0, 1), (0, 2), (1, 0)]          # a few of the kernel's positions
        kernel_and_map = VGroup(stack_in, maps[0], marker)

        def slide_step(window):
            target = maps[0].cell_center(window)
            return AnimationGroup(*(fp.slide_to(window) for fp in footprints),
                                  slide_to(marker, lambda: target), group=kernel_and_map,
                                  run_time=0.6)

        with self.beat("kernel_block", values={"cin": cin}) as beat:
            self.play(*self.headings.to(self.s("kernel_block")),
                      channel_block.animate.move_to(home))
            beat.at("kernel", FadeIn(kernels[0]), FadeIn(k1_label))
            beat.at("covers", *reveal(*footprints))
            beat.at("sum", GrowArrow(arrows[0]), FadeIn(maps[0]), Create(marker))
            beat.at("slides", Succession(*(slide_step(w) for w in steps), group=kernel_and_map))
            beat.at("map", maps[0].cells.animate.set_fill(
                palette.OUTPUT, opacity=palette.FILL_OPACITY["output"]),
                    FadeIn(map_tags[0]))

        values = {"cin": cin, "cout": cout, "k": sp.kernel[0], "h": sp.input[0],
                  "w": sp.input[1], "oh": sp.output[0], "ow": sp.output[1]}
        with self.beat("out_channels", values=values) as beat:
            self.play(*self.headings.to(self.s("out_channels")), FadeOut(marker))
            beat.at("more", *(FadeIn(k) for k in kernels[1:]))
            beat.at("own", *(GrowArrow(a) for a in arrows[1:]),
                    *(FadeIn(VGroup(m, t)) for m, t in zip(maps[1:], map_tags[1:])))
            beat.at("k2", FadeOut(k1_label), FadeIn(k_label))
            beat.at("out", FadeIn(out_label))

        self.params(kernels, k_label)

    def params(self, kernels, k_label):
        """The parameters: weights C_out·C_in·k_h·k_w, one bias per kernel, their sum."""
        sp = CHANNELS
        cin, cout = sp.in_channels, sp.out_channels
        terms = [cout, cin, *sp.kernel]
        n_weights = cm.conv_params(cin, cout, sp.kernel, bias=False)
        n_params = cm.conv_params(cin, cout, sp.kernel)
        n_biases = n_params - n_weights
        c_in, c_out = (rf"C_{{\text{{{self.s(key)}}}}}" for key in ("sym_in", "sym_out"))
        w, b, p = (rf"\text{{{self.s(key)}}}" for key in ("weights_word", "biases_word",
                                                        "params_word"))
        weights = FormulaCard(rf"{w} = {c_out} \cdot {c_in} \cdot k_h \cdot k_w",
                              rf"{w} = " + r" \cdot ".join(map(str, terms)) + f" = {n_weights}",
                              box=False, lang=self.lang, font_size=40)
        biases = FormulaCard(rf"{b} = {c_out}", rf"{b} = {cout} = {n_biases}", box=False,
                             lang=self.lang, font_size=40)
        total = FormulaCard(rf"{p} = {w} + {b}", rf"{p} = {n_weights} + {n_biases} = {n_params}",
                            box=False, lang=self.lang, font_size=40)
        # centred lines: a substituted formula takes its general form's centre
        # (the heading above already says "Parameters": no second title in the box)
        lines = VGroup(weights, biases, total).arrange(DOWN, buff=0.45)
        inner = lines
        box = RoundedRectangle(corner_radius=0.15, width=inner.width + 0.8,
                               height=inner.height + 0.7, stroke_color=palette.MUTED,
                               stroke_width=2, fill_color=palette.BACKGROUND, fill_opacity=0.85)
        # behind the lines: a card's write() puts the card in before the box's FadeIn does
        box.set_z_index(-1)
        panel = VGroup(box, inner)
        box.move_to(inner)
        panel.move_to(np.array([2.6, 0.2, 0.0]))
        weights.value, weights.terms = n_weights, terms
        biases.value, total.value = n_biases, n_params
        self.params_lines = {"weights": weights, "biases": biases, "total": total}

        kcol = VGroup(*kernels, k_label)
        left = kcol.copy().move_to(np.array([-4.6, kcol.get_center()[1], 0.0]))
        keep = [*kernels, k_label]
        with self.beat("params", values={"nw": n_weights, "nb": n_biases, "n": n_params}) as beat:
            self.play(*self.headings.to(self.s("params"), clear=True, keep=keep),
                      kcol.animate.become(left))
            beat.at("weights", FadeIn(box), weights.write(run_time=0.8))
            beat.at("nw", weights.substitute(run_time=0.8))
            beat.at("bias", biases.write(run_time=0.8))
            beat.at("nb", biases.substitute(run_time=0.8), total.write(run_time=0.8))
            beat.at("n", total.substitute(run_time=0.8))

    # --- a multi-channel example, in numbers -----------------------------------------------------
    def numbers(self):
        x, w = MULTI_X, MULTI_W
        cin = x.shape[0]
        k = w.shape[2:]
        partials = [cm.correlate(x[c], w[0, c]) for c in range(cin)]
        out = cm.correlate(x, w)[0]                 # the convolution on (C_in, H, W) arrays
        cell = 0.55
        words = self.words()

        def at(m, x, y):
            """Put ``m`` (a grid: its cells; else the whole mobject) centred at (x, y)."""
            ref = m.cells if hasattr(m, "cells") else m
            m.shift(np.array([x, y, 0.0]) - ref.get_center())
            return m

        rows = []
        for c in range(cin):
            y = 1.3 - 2.9 * c
            xg = at(CellGrid(x[c], role="input", cell_size=cell,
                             label=self.s("channel", n=c + 1), lang=self.lang), -5.3, y)
            star = at(math_tex(r"\star", lang=self.lang, font_size=72), -3.5, y)
            wg = at(CellGrid(w[0, c], role="kernel", cell_size=cell,
                             label=self.s("kernel_channel", n=c + 1), lang=self.lang), -1.9, y)
            eq = at(math_tex("=", lang=self.lang, font_size=48), -0.55, y)
            pg = at(CellGrid(shape=partials[c].shape, role="output", cell_size=cell,
                             cell_kind=np.full(partials[c].shape, "empty", dtype=object),
                             lang=self.lang), 0.55, y)
            row = VGroup(xg, star, wg, eq, pg)
            row.grids = (xg, wg, pg)
            rows.append(row)
        p_cells = [r.grids[2] for r in rows]
        mid = (p_cells[0].cells.get_center() + p_cells[-1].cells.get_center()) / 2
        plus = at(math_tex("+", lang=self.lang, font_size=56), 0.55, mid[1])
        out_grid = at(CellGrid(shape=out.shape, role="output", cell_size=0.7,
                               cell_kind=np.full(out.shape, "empty", dtype=object),
                               label=f"{words['output']} {size_text(out.shape)}",
                               lang=self.lang), 5.7, mid[1])
        sum_arrow = Arrow(np.array([1.4, mid[1], 0]), out_grid.cells.get_left(), buff=0.3,
                          color=palette.OUTPUT, stroke_width=4)
        sum_label = Text(self.s("sum"), font=palette.FONT, font_size=palette.LABEL_SIZE,
                         color=palette.TEXT_DIM)
        if sum_label.width > sum_arrow.width:
            sum_label.scale_to_fit_width(sum_arrow.width)
        sum_label.next_to(sum_arrow, DOWN, buff=0.15)
        self.multi = {"rows": rows, "output": out_grid, "partials": partials, "out": out}

        values = {"cin": cin, "h": x.shape[1], "w": x.shape[2], "k": k[0]}
        with self.beat("numbers", values=values) as beat:
            self.play(*self.headings.to(self.s("numbers", cin=cin), clear=True))
            beat.at("ch", *(FadeIn(r.grids[0]) for r in rows))
            beat.at("kern", *(FadeIn(VGroup(r[1], r[2])) for r in rows))
            fills = []
            for r, part in zip(rows, partials):
                pg = r.grids[2]
                fills += [pg.fill_animation(idx, part[idx]) for idx in np.ndindex(*part.shape)]
            beat.at("corr", *(FadeIn(VGroup(r[3], r.grids[2])) for r in rows))
            self.play(*fills, run_time=0.8)

        first = (0,) * out.ndim
        a_v, b_v, c_v = partials[0][first], partials[1][first], out[first]
        marks = [r.grids[2].window_rectangle(first, (1, 1), color=palette.HIGHLIGHT)
                 for r in rows]
        out_mark = out_grid.window_rectangle(first, (1, 1), color=palette.HIGHLIGHT)
        rest = [idx for idx in np.ndindex(*out.shape) if idx != first]
        with self.beat("sum", values={"a": int(a_v), "b": int(b_v), "c": int(c_v),
                                      "cin": cin}) as beat:
            beat.at("sum", FadeIn(plus), GrowArrow(sum_arrow), FadeIn(sum_label),
                    FadeIn(out_grid))
            beat.at("a", Create(marks[0]))
            beat.at("b", Create(marks[1]))
            beat.at("c", out_grid.fill_animation(first, out[first]), Create(out_mark))
            beat.at("conv", *(out_grid.fill_animation(idx, out[idx]) for idx in rest))


__all__ = ["VariasDimensiones", "per_axis_values"]
