"""The lecture's thumbnail: its title over a convolution caught mid-slide.

A still, 1280×720, in the language of ``$LECTURE_LANG``::

    LECTURE_LANG=en manim render -s -r 1280,720 scenes/thumbnail.py Miniatura

The picture is the guide's 5×5 example with padding 1 and stride 2: the padded input (dashed
padding cells), the 3×3 kernel's footprint with its weights on the window of the output cell
being computed, and the output with the cells computed so far. Every number is convmath's
(``convmath.storyboard``); the words come from ``scenes/narration/text/<lang>.json``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Rectangle, Scene, Text, VGroup, config

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.kit import palette
from scenes.kit.cells.grid import CellGrid, KernelFootprint
from scenes.kit.text.tex import default_lang
from scenes.narration.lecture_text import lecture_text

SPEC = cm.spec((5, 5), 3, stride=2, padding=1)
STEP = 3                      # the kernel position shown (row-major): output cell (1, 0)


def storyboard() -> cm.Storyboard:
    return cm.storyboard(SPEC, example_input(SPEC.input), example_kernel(SPEC.kernel))


class Miniatura(Scene):
    """Title, subtitle and a convolution mid-slide; nothing moves."""

    def construct(self) -> None:
        self.camera.background_color = palette.BACKGROUND
        lang = default_lang()
        words = lecture_text(lang)["thumbnail"]
        board = storyboard()
        step = board.steps[STEP]
        width = config.frame_width - 2 * palette.FRAME_MARGIN - 0.6

        title = Text(words["title"], font=palette.TITLE_FONT, weight="BOLD", font_size=84,
                     color=palette.TITLE)
        if title.width > width:
            title.scale_to_fit_width(width)
        subtitle = Text(words["subtitle"], font=palette.TITLE_FONT, font_size=66, weight="BOLD",
                        color=palette.ACCENT)
        if subtitle.width > width:
            subtitle.scale_to_fit_width(width)
        heading = VGroup(title, subtitle).arrange(DOWN, buff=0.22)
        heading.to_edge(UP, buff=0.45)

        inp = CellGrid(board.padded, cell_kind=board.cell_kind, cell_size=0.62, label=True,
                       lang=lang)
        footprint = KernelFootprint(inp, board.spec.kernel, board.spec.dilation,
                                    window=step.window, weights=board.kernel_applied)
        inp.overlays.add(footprint)
        shown = np.empty(board.spec.output, dtype=object)
        for done in board.steps[: STEP + 1]:
            shown[done.output] = done.total
        out = CellGrid(shown, role="output", cell_size=0.62, label=True, lang=lang,
                       cell_kind=np.where(np.vectorize(lambda v: v is None)(shown), "empty", "output"))
        picture = VGroup(inp, out).arrange(RIGHT, buff=2.2)
        picture.next_to(heading, DOWN, buff=0.45)
        picture.align_to(inp.cells, LEFT)
        picture.set_x(0)
        if picture.get_bottom()[1] < -config.frame_height / 2 + palette.FRAME_MARGIN:
            picture.scale_to_fit_height(picture.height - 0.3).next_to(heading, DOWN, buff=0.35)
        window = inp.window_rectangle(step.window, board.spec.kernel, color=palette.HIGHLIGHT,
                                      width=5)
        target = out.cell(step.output)
        mark = Rectangle(width=target.width, height=target.height, stroke_color=palette.HIGHLIGHT,
                         stroke_width=5).move_to(target)
        start = np.array([inp.cells.get_right()[0], window.get_center()[1], 0.0])
        arrow = Arrow(start, mark.get_left(), buff=0.12, color=palette.HIGHLIGHT,
                      stroke_width=6, max_tip_length_to_length_ratio=0.12)
        self.picture = VGroup(inp, out, window, mark, arrow)
        self.heading = heading
        self.add(inp, out, window, mark, arrow, heading)
