"""Extra 2 — "Varias dimensiones": the same arithmetic in 1D, 2D and 3D, and the channels.

1D (a signal) and 2D (an image whose two axes have their own kernel, stride and padding)
slide a convmath storyboard over the grids and write the output-size formula of each axis
(``convmath.formulas.conv_output``). 3D (a volume) is drawn as its depth slices side by
side, the kernel a block of slices. Then channels: a 2D convolution takes C_in×H×W to
C_out×H′×W′ with C_out kernels of C_in×k×k (stacks of grids), its weights counted by
``convmath.params.conv_params``, and a small two-channel example computed by
``convmath.correlate`` on (C_in, H, W) arrays: each channel against its slice of the
kernel, then the sum.

    manim render scenes/x2_dimensiones.py VariasDimensiones
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, GrowArrow, Restore,
                   Text, VGroup)

import convmath as cm
from convmath import formulas
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.clear import fade_out_all
from scenes.kit.conv_stage import ConvStage, sweep
from scenes.kit.formula import FormulaCard
from scenes.kit.grid import CellGrid, KernelFootprint
from scenes.kit.heading import heading
from scenes.kit.light import LightenOnAdd
from scenes.kit.slider import Slider
from scenes.kit.stack import GridStack
from scenes.kit.tex import math_tex
from scenes.kit.titles import play_title
from scenes.kit.words import size_text
from scenes.narration.scene import NarratedScene

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
# Channels: C_in×H×W to C_out×H′×W′.
CHANNELS = cm.spec((5, 5), 3, in_channels=3, out_channels=2)
# A small multi-channel example computed for real: (C_in, H, W) input, (C_out, C_in, k, k) kernel.
MULTI_X = example_input((2, 4, 4), seed=6)
MULTI_W = example_kernel((1, 2, 3, 3), seed=6)

STAGE_REGION = (-6.6, -1.05, 6.6, 3.05)      # the grids of the 1D and 2D beats
CARD_BOTTOM = -3.7


def per_axis_values(sp: cm.ConvSpec) -> dict:
    """Kernel, stride, padding and output of each axis of ``sp``, for the narration."""
    out = {}
    for a in range(sp.ndim):
        out.update({f"k{a}": sp.kernel[a], f"s{a}": sp.stride[a], f"p{a}": sp.padding[a][0],
                    f"o{a}": sp.output[a]})
    return out


class VariasDimensiones(LightenOnAdd, NarratedScene):
    segment_id = "x2_dimensiones"

    def words(self) -> dict:
        return {"input": self.s("input"), "output": self.s("output"),
                "kernel": self.s("kernel")}

    def axis_card(self, sp, axis: int, title: str, max_width: float, font_size: float = 34,
                  formula=formulas.conv_output):
        card = FormulaCard.from_formula(formula(sp, axis, latex=True), title=title,
                                        lang=self.lang, max_width=max_width,
                                        font_size=font_size)
        card.axis = axis
        return card

    def construct(self):
        play_title(self)
        self.one_d()
        self.two_d()
        self.three_d()
        self.channels()
        self.numbers()
        self.play(*fade_out_all(self, copy_free=True), run_time=0.8)

    # --- 1D --------------------------------------------------------------------------------------
    def one_d(self):
        board = cm.storyboard(LINE, LINE_X, LINE_W)
        stage = ConvStage(board, lang=self.lang, words=self.words(), max_cell=0.75,
                          region=STAGE_REGION)
        slider = Slider(board, stage.input, stage.output, lang=self.lang)
        card = self.axis_card(LINE, 0, None, 9.0, font_size=40)
        card.move_to(np.array([0.0, CARD_BOTTOM + card.height / 2 + 0.2, 0.0]))
        self.stage_1d, self.card_1d = stage, card
        head = heading(self.s("one_d"))
        values = {"i": LINE.input[0], "k": LINE.kernel[0], "o": LINE.output[0]}
        with self.beat("one_d", values=values) as beat:
            a, b, c, d, e = beat.split(0.6, 1.2, 3.0, 1.2, 1.2, leave=0.4)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(FadeIn(stage), slider.intro(run_time=b), run_time=b)
            self.add(*slider.mobjects)
            self.play(sweep(slider, c))
            self.play(card.write(run_time=d))
            self.play(card.substitute(run_time=e))

    # --- 2D --------------------------------------------------------------------------------------
    def two_d(self):
        board = cm.storyboard(IMAGE, IMAGE_X, IMAGE_W)
        stage = ConvStage(board, lang=self.lang, words=self.words(), max_cell=0.42,
                          region=STAGE_REGION, gap=1.0)
        slider = Slider(board, stage.input, stage.output, lang=self.lang)
        values = per_axis_values(IMAGE)
        params = VGroup(
            Text(self.s("rows", k=values["k0"], s=values["s0"], p=values["p0"]),
                 font=palette.FONT, font_size=palette.BODY_SIZE, color=palette.TEXT),
            Text(self.s("cols", k=values["k1"], s=values["s1"], p=values["p1"]),
                 font=palette.FONT, font_size=palette.BODY_SIZE, color=palette.TEXT),
        ).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        params.move_to(np.array([0.0, -2.5, 0.0]))
        params.values = [(values[f"k{a}"], values[f"s{a}"], values[f"p{a}"]) for a in (0, 1)]
        self.stage_2d, self.params_2d = stage, params
        head = heading(self.s("two_d"))
        with self.beat("two_d", values=values) as beat:
            a, b, c = beat.split(0.6, 1.5, 1.5, leave=0.2)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(FadeIn(stage), run_time=b)
            self.play(FadeIn(params, lag_ratio=0.4), slider.intro(run_time=c), run_time=c)
            self.add(*slider.mobjects)

        cards = VGroup(self.axis_card(IMAGE, 0, self.s("axis_rows"), 5.6),
                       self.axis_card(IMAGE, 1, self.s("axis_cols"), 5.6)).arrange(RIGHT, buff=0.5)
        cards.move_to(np.array([0.0, CARD_BOTTOM + cards.height / 2, 0.0]))
        self.cards_2d = cards
        with self.beat("per_axis", values=values) as beat:
            a, b, c = beat.split(3.0, 1.2, 1.6, leave=0.6)
            self.play(sweep(slider, a), FadeOut(params), run_time=a)
            self.play(*(card.write(run_time=b) for card in cards), run_time=b)
            self.play(*(card.substitute(run_time=c) for card in cards), run_time=c)

    # --- 3D --------------------------------------------------------------------------------------
    def slices(self, shape, role, cell, label, gap=0.3, numbers=None) -> VGroup:
        """A volume (depth, H, W) as its depth slices side by side, each tagged "d = n"."""
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
        title = Text(label, font=palette.FONT, font_size=palette.LABEL_SIZE,
                     color=palette.ROLE_COLORS[role])
        title.next_to(grids, UP, buff=0.2)
        group = VGroup(grids, title)
        group.grids, group.title, group.shape = grids, title, tuple(shape)
        return group

    def three_d(self):
        sp = VOLUME
        words = self.words()
        vol = self.slices(sp.input, "input", 0.3, f"{words['input']} {size_text(sp.input)}")
        ker = self.slices(sp.kernel, "kernel", 0.3, f"{words['kernel']} {size_text(sp.kernel)}",
                          gap=0.2)
        out = self.slices(sp.output, "output", 0.3, f"{words['output']} {size_text(sp.output)}",
                          gap=0.2)
        vol.move_to(np.array([0.0, 1.85, 0.0]))
        low = VGroup(ker, out).arrange(RIGHT, buff=1.6, aligned_edge=UP)
        low.next_to(vol, DOWN, buff=0.3)
        self.volume = (vol, ker, out)
        # the kernel's positions, from convmath: the window's first cell per output cell
        board = cm.storyboard(sp, np.zeros(sp.input, dtype=np.int64),
                              np.zeros(sp.kernel, dtype=np.int64))
        positions = [(st.window, st.output) for st in board.steps]
        shown = [positions[0], positions[len(positions) // 2], positions[-1]]
        self.volume_positions = shown

        def block(window, output):
            d0 = window[0]
            marks = VGroup()
            for dz in range(sp.kernel[0]):
                grid = vol.grids[d0 + dz]
                marks.add(KernelFootprint(grid, sp.kernel[1:], window=window[1:]))
            og = out.grids[output[0]]
            marks.add(og.window_rectangle(output[1:], (1, 1), color=palette.HIGHLIGHT))
            marks.window, marks.output = window, output
            return marks

        head = heading(self.s("three_d"))
        with self.beat("three_d") as beat:
            a, b, c, d, e = beat.split(0.6, 1.5, 1.2, 1.2, 1.2, leave=0.4)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(FadeIn(vol), FadeIn(ker), FadeIn(out), run_time=b)
            current = block(*shown[0])
            self.play(FadeIn(current), run_time=c)
            for window, output in shown[1:]:
                nxt = block(window, output)
                self.play(FadeOut(current), FadeIn(nxt), run_time=d)
                current = nxt
        self.volume_block = current

        titles = [self.s("axis_depth"), self.s("axis_rows"), self.s("axis_cols")]
        # the guide's shorter form (relationship 15 without dilation) fits three cards abreast
        cards = VGroup(*(self.axis_card(sp, a, titles[a], 3.4, font_size=34,
                                        formula=formulas.paper_output)
                         for a in range(3))).arrange(RIGHT, buff=0.25)
        cards.move_to(np.array([0.0, CARD_BOTTOM + cards.height / 2, 0.0]))
        self.cards_3d = cards
        values = {"d": sp.input[0], "h": sp.input[1], "w": sp.input[2], "kd": sp.kernel[0],
                  "kh": sp.kernel[1], "kw": sp.kernel[2], "od": sp.output[0],
                  "oh": sp.output[1], "ow": sp.output[2]}
        with self.beat("three_d_sizes", values=values) as beat:
            a, b = beat.split(1.2, 1.8, leave=0.8)
            self.play(*(card.write(run_time=a) for card in cards), run_time=a)
            self.play(*(card.substitute(run_time=b) for card in cards), run_time=b)

    # --- channels --------------------------------------------------------------------------------
    def channels(self):
        sp = CHANNELS
        cin, cout = sp.in_channels, sp.out_channels
        words = self.words()
        cell, kcell = 0.5, 0.42
        # the usual picture: one grid in, one grid out
        flat_in = CellGrid(shape=sp.input, role="input", cell_size=cell, show_numbers=False,
                           label=f"{words['input']} {size_text(sp.input)}", lang=self.lang)
        flat_out = CellGrid(shape=sp.output, role="output", cell_size=cell, show_numbers=False,
                            cell_kind=np.full(sp.output, "output", dtype=object),
                            label=f"{words['output']} {size_text(sp.output)}", lang=self.lang)
        flat = VGroup(flat_in, flat_out).arrange(RIGHT, buff=3.0)
        flat.move_to(np.array([0.0, 0.6, 0.0]))
        flat_arrow = Arrow(flat_in.cells.get_right(), flat_out.cells.get_left(), buff=0.3,
                           color=palette.TEXT_DIM, stroke_width=4)
        # the real picture: C_in×H×W in, C_out kernels of C_in×k×k, C_out×H′×W′ out
        shape_in = (cin,) + sp.input
        shape_out = (cout,) + sp.output
        shape_k = (cin,) + sp.kernel
        stack_in = GridStack(shape=shape_in, role="input", cell_size=cell, numbers="none",
                             label=f"{words['input']} {size_text(shape_in)}", label_side=UP,
                             lang=self.lang)
        kernels = [GridStack(shape=shape_k, role="kernel", cell_size=kcell, numbers="none",
                             lang=self.lang) for _ in range(cout)]
        stack_out = GridStack(shape=shape_out, role="output", cell_size=cell, numbers="none",
                              label=f"{words['output']} {size_text(shape_out)}", label_side=UP,
                              lang=self.lang)
        one_map = CellGrid(shape=sp.output, role="output", cell_size=cell, show_numbers=False,
                           cell_kind=np.full(sp.output, "output", dtype=object))
        stack_in.shift(np.array([-4.5, 0.75, 0.0]) - stack_in.block().get_center())
        kcol = VGroup(*kernels).arrange(DOWN, buff=0.45)
        kcol.move_to(np.array([-0.3, 0.95, 0.0]))
        stack_out.shift(np.array([4.4, 0.75, 0.0]) - stack_out.block().get_center())
        one_map.move_to(stack_out.front.cells)
        k_label = Text(self.s("weights", shape=size_text((cout,) + shape_k)), font=palette.FONT,
                       font_size=palette.LABEL_SIZE, color=palette.KERNEL)
        k_label.next_to(kcol, DOWN, buff=0.25)
        k1_label = Text(f"{words['kernel']} {size_text(shape_k)}", font=palette.FONT,
                        font_size=palette.LABEL_SIZE, color=palette.KERNEL)
        k1_label.next_to(kernels[0], DOWN, buff=0.25)
        # the kernel's first position on every channel (a block through the stack), hidden
        # until the kernel comes in
        self.channel_footprints = []
        for layer in stack_in.layers:
            fp = KernelFootprint(layer, sp.kernel, window=(0, 0))
            layer.overlays.add(fp)
            fp.save_state()
            fp.set_opacity(0)
            self.channel_footprints.append(fp)
        first_cell = one_map.window_rectangle((0, 0), (1, 1), color=palette.HIGHLIGHT)
        arrows = VGroup(*(
            Arrow(k.block().get_right(), stack_out.layers[n].cells.get_left(), buff=0.2,
                  color=palette.KERNEL, stroke_width=3, max_tip_length_to_length_ratio=0.12)
            for n, k in enumerate(kernels)))
        # the input stack first appears alone in the middle, then makes room for the kernels
        # (the footprints' saved state is at home, where Restore brings them back)
        home = stack_in.get_center()
        stack_in.move_to(np.array([0.0, home[1], 0.0]))
        self.channel_parts = {"input": stack_in, "kernels": kernels, "output": stack_out,
                              "weights_label": k_label, "flat": flat}

        with self.beat("habitual") as beat:
            a, b, c, d = beat.split(0.6, 1.6, 1.0, 1.8, leave=0.6)
            head = heading(self.s("habitual"))
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(FadeIn(flat_in), GrowArrow(flat_arrow), FadeIn(flat_out), run_time=b)
            self.wait(c)
            head2 = heading(self.s("channels"))
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head2), FadeIn(stack_in, shift=0.3 * RIGHT),
                      run_time=d)

        with self.beat("kernel_block") as beat:
            m, a, b, c = beat.split(1.0, 1.0, 1.5, 1.5, leave=0.6)
            head3 = heading(self.s("kernel_block"))
            self.play(FadeOut(head2), FadeIn(head3), stack_in.animate.move_to(home), run_time=m)
            self.play(FadeIn(kernels[0]), FadeIn(k1_label), run_time=a)
            self.play(*(Restore(fp) for fp in self.channel_footprints), run_time=b)
            self.play(GrowArrow(arrows[0]), FadeIn(one_map), Create(first_cell), run_time=c)

        values = {"cin": cin, "cout": cout, "k": sp.kernel[0], "h": sp.input[0],
                  "w": sp.input[1], "oh": sp.output[0], "ow": sp.output[1]}
        with self.beat("out_channels", values=values) as beat:
            a, b = beat.split(1.5, 2.0, leave=0.8)
            head4 = heading(self.s("out_channels"))
            self.play(FadeOut(head3), FadeIn(head4), FadeOut(k1_label), FadeIn(k_label),
                      *(FadeIn(k) for k in kernels[1:]), run_time=a)
            self.play(*(GrowArrow(ar) for ar in arrows[1:]), FadeOut(one_map),
                      FadeOut(first_cell), FadeIn(stack_out), run_time=b)

        n_params = cm.conv_params(cin, cout, sp.kernel)
        terms = [cout, cin, *sp.kernel]
        word = self.s("weights_word")
        general = (rf"\text{{{word}}} = C_{{out}} \cdot C_{{in}} \cdot k_h \cdot k_w + C_{{out}}")
        subst = (rf"\text{{{word}}} = " + r" \cdot ".join(str(t) for t in terms)
                 + f" + {cout} = {n_params}")
        pcard = FormulaCard(general, subst, title=self.s("params"), lang=self.lang,
                            font_size=40, max_width=11.0)
        pcard.move_to(np.array([0.0, CARD_BOTTOM + pcard.height / 2, 0.0]))
        pcard.value = n_params
        pcard.terms = terms
        self.params_card = pcard
        with self.beat("params", values={"n": n_params}) as beat:
            a, b = beat.split(1.5, 1.8, leave=1.0)
            self.play(pcard.write(run_time=a))
            self.play(pcard.substitute(run_time=b))

    # --- a multi-channel example, in numbers -----------------------------------------------------
    def numbers(self):
        x, w = MULTI_X, MULTI_W
        cin = x.shape[0]
        k = w.shape[2:]
        partials = [cm.correlate(x[c], w[0, c]) for c in range(cin)]
        out = cm.correlate(x, w)[0]                 # the convolution on (C_in, H, W) arrays
        cell = 0.5
        words = self.words()

        def at(m, x, y):
            """Put ``m`` (a grid: its cells; else the whole mobject) centred at (x, y)."""
            ref = m.cells if hasattr(m, "cells") else m
            m.shift(np.array([x, y, 0.0]) - ref.get_center())
            return m

        rows = []
        for c in range(cin):
            y = 1.25 - 3.2 * c
            xg = at(CellGrid(x[c], role="input", cell_size=cell,
                             label=self.s("channel", n=c + 1), lang=self.lang), -5.0, y)
            star = at(math_tex(r"\star", lang=self.lang, font_size=72), -3.35, y)
            wg = at(CellGrid(w[0, c], role="kernel", cell_size=cell,
                             label=self.s("kernel_channel", n=c + 1), lang=self.lang), -1.95, y)
            eq = at(math_tex("=", lang=self.lang, font_size=48), -0.75, y)
            pg = at(CellGrid(shape=partials[c].shape, role="output", cell_size=cell,
                             cell_kind=np.full(partials[c].shape, "empty", dtype=object),
                             lang=self.lang), 0.3, y)
            row = VGroup(xg, star, wg, eq, pg)
            row.grids = (xg, wg, pg)
            rows.append(row)
        p_cells = [r.grids[2] for r in rows]
        mid = (p_cells[0].cells.get_center() + p_cells[-1].cells.get_center()) / 2
        plus = at(math_tex("+", lang=self.lang, font_size=56), 0.3, mid[1])
        out_grid = at(CellGrid(shape=out.shape, role="output", cell_size=cell * 1.2,
                               cell_kind=np.full(out.shape, "empty", dtype=object),
                               label=f"{words['output']} {size_text(out.shape)}",
                               lang=self.lang), 5.3, mid[1])
        sum_arrow = Arrow(np.array([1.0, mid[1], 0]), out_grid.cells.get_left(), buff=0.3,
                          color=palette.OUTPUT, stroke_width=4)
        sum_label = Text(self.s("sum"), font=palette.FONT, font_size=palette.CAPTION_SIZE,
                         color=palette.TEXT_DIM)
        sum_label.next_to(sum_arrow, UP, buff=0.15).set_x(sum_arrow.get_center()[0])
        self.multi = {"rows": rows, "output": out_grid, "partials": partials, "out": out}

        head = heading(self.s("numbers", cin=cin))
        values = {"cin": cin, "h": x.shape[1], "w": x.shape[2], "k": k[0]}
        with self.beat("numbers", values=values) as beat:
            a, b, c = beat.split(0.6, 1.8, 2.4, leave=0.6)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(*(FadeIn(VGroup(*r[:4])) for r in rows),
                      *(FadeIn(r.grids[2]) for r in rows), run_time=b)
            fills = []
            for r, part in zip(rows, partials):
                pg = r.grids[2]
                fills += [pg.fill_animation(idx, part[idx]) for idx in np.ndindex(*part.shape)]
            self.play(*fills, run_time=c)

        first = (0,) * out.ndim
        a_v, b_v, c_v = partials[0][first], partials[1][first], out[first]
        marks = VGroup(*(r.grids[2].window_rectangle(first, (1, 1), color=palette.HIGHLIGHT)
                         for r in rows),
                       out_grid.window_rectangle(first, (1, 1), color=palette.HIGHLIGHT))
        with self.beat("sum", values={"a": int(a_v), "b": int(b_v), "c": int(c_v),
                                      "cin": cin}) as beat:
            a, b, c = beat.split(1.2, 2.4, 1.2, leave=0.6)
            self.play(FadeIn(plus), GrowArrow(sum_arrow), FadeIn(sum_label), FadeIn(out_grid),
                      run_time=a)
            self.play(*(out_grid.fill_animation(idx, out[idx]) for idx in np.ndindex(*out.shape)),
                      run_time=b)
            self.play(Create(marks), run_time=c)

