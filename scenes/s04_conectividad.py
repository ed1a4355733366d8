"""Segment 4 — Conectividad de los filtros (the post's animation A3).

Which input cells each kernel position reads and, turned around, which output
cells each input cell feeds. The reversed view is the transposed convolution's,
so this segment prepares segments 7–9. Every link drawn is one of convmath.links;
the "used n times" counts are convmath.usage_count.

    manim render scenes/s04_conectividad.py ConectividadFiltros
"""

from __future__ import annotations

from manim import DOWN, UP, Create, FadeIn, FadeOut, Text, VGroup, Write

import convmath as cm
from scenes.kit import palette
from scenes.kit.connectivity import ConnectivityDiagram, ConnectivityDiagram2D
from scenes.kit.diagram_marks import count_marks, index_marks
from scenes.kit.lists import spoken_list
from scenes.kit.titles import TitleCard
from scenes.narration.scene import NarratedScene
from scenes.segments import segment_number

# The examples: a 1D input of 7 cells and a 3-tap kernel, then the same with stride 2,
# then a 2D 4×4 input with a 3×3 kernel (the guide's first figure).
LINE_1D = cm.spec(7, 3)
STRIDED_1D = cm.spec(7, 3, stride=2)
GRID_2D = cm.spec((4, 4), 3)


def index_labels(diagram: ConnectivityDiagram) -> tuple[VGroup, VGroup]:
    """1-based cell numbers inside the input row and the output row."""
    return index_marks(diagram, "input"), index_marks(diagram, "output")


class ConectividadFiltros(NarratedScene):
    segment_id = "s04_conectividad"

    def caption(self, text: str) -> Text:
        t = Text(text, font=palette.FONT, font_size=30, color=palette.TEXT)
        return t.to_edge(DOWN, buff=0.6)

    def diagram_1d(self, sp) -> tuple[ConnectivityDiagram, tuple[VGroup, VGroup]]:
        diagram = ConnectivityDiagram(sp, cell_size=0.95, gap=3.2, lang=self.lang)
        diagram.move_to(0.35 * UP)
        return diagram, index_labels(diagram)

    def construct(self):
        card = TitleCard(segment_number(self.segment_id), self.text.title, self.s("subtitle"),
                         lang=self.lang)
        with self.beat("title") as beat:
            self.play(card.intro(run_time=min(2.0, beat.duration / 2)))
        self.play(FadeOut(card), run_time=0.5)

        # --- 1D: what each output reads ------------------------------------------------------
        sp = LINE_1D
        diagram, numbers = self.diagram_1d(sp)
        self.diagram, self.diagram_numbers = diagram, numbers
        values = {"i": sp.input[0], "o": sp.output[0], "k": sp.kernel[0]}
        with self.beat("diagram", values=values) as beat:
            first, second = beat.split(1, 2)
            self.play(FadeIn(diagram.input_row, diagram.output_row, *numbers), run_time=first)
            self.play(Create(diagram.lines, lag_ratio=0.08), run_time=second)
        self.add(diagram)

        reads = cm.reads(sp)
        o1 = (1,)
        cells1 = [c[0] + 1 for c, _ in reads[o1]]
        caption = self.caption(self.s("reads", o=o1[0] + 1, cells=spoken_list(cells1, self.lang)))
        with self.beat("reads", values={"o1": o1[0] + 1,
                                        "cells1": spoken_list(cells1, self.lang)}) as beat:
            self.play(diagram.highlight_output(o1, run_time=beat.duration * 0.3),
                      FadeIn(caption), run_time=beat.duration * 0.3)
            self.wait(beat.duration * 0.3)
            self.play(diagram.reset(run_time=beat.duration * 0.3))
        self.shown_reads = (o1, cells1)

        feeds = cm.feeds(sp)
        c2 = (3,)
        cells2 = [o[0] + 1 for o, _ in feeds[c2]]
        caption2 = self.caption(self.s("feeds", c=c2[0] + 1,
                                       cells=spoken_list(cells2, self.lang)))
        with self.beat("feeds", values={"c2": c2[0] + 1,
                                        "cells2": spoken_list(cells2, self.lang)}) as beat:
            self.play(diagram.highlight_input(c2, run_time=beat.duration * 0.4),
                      FadeOut(caption), FadeIn(caption2), run_time=beat.duration * 0.4)
        self.shown_feeds = (c2, cells2)

        counts = cm.usage_count(sp)
        uses = count_marks(diagram, "input", counts)
        uses_title = self.caption(self.s("uses"))
        self.usage_shown = uses
        with self.beat("uses", values={"max": int(counts.max()),
                                       "min": int(counts.min())}) as beat:
            self.play(diagram.reset(run_time=beat.duration * 0.3), FadeOut(caption2),
                      FadeOut(numbers[0]), run_time=beat.duration * 0.3)
            self.play(FadeIn(uses, lag_ratio=0.1), FadeIn(uses_title),
                      run_time=beat.duration * 0.4)

        # --- the same with stride 2 -------------------------------------------------------------
        sp2 = STRIDED_1D
        strided, numbers2 = self.diagram_1d(sp2)
        counts2 = cm.usage_count(sp2)
        uses2 = count_marks(strided, "input", counts2)
        self.strided, self.usage_shown2 = strided, uses2
        with self.beat("stride", values={"s": sp2.stride[0]}) as beat:
            a, b = beat.split(1, 2)
            self.play(FadeOut(diagram), FadeOut(numbers[1]), FadeOut(uses), run_time=a)
            self.remove(diagram)
            self.play(FadeIn(strided), FadeIn(numbers2[1]), FadeIn(uses2), run_time=b)

        # --- 2D ------------------------------------------------------------------------------
        sp3 = GRID_2D
        grid = ConnectivityDiagram2D(sp3, (0, 0), of="output", cell_size=1.0, gap=3.0,
                                     lang=self.lang)
        grid.move_to(0.2 * DOWN)
        self.grid_2d = grid
        with self.beat("grid") as beat:
            a, b, c, d = beat.split(1, 1, 1, 1)
            self.play(FadeOut(strided), FadeOut(numbers2[1]), FadeOut(uses2), FadeOut(uses_title),
                      run_time=a)
            self.remove(strided)
            self.play(FadeIn(grid), run_time=b)
            self.play(grid.show((1, 1), of="output", run_time=c))
            self.play(grid.show((1, 2), of="input", run_time=d))

        # --- teaser: the arrows reversed --------------------------------------------------------
        reverse = ConnectivityDiagram(LINE_1D, cell_size=0.95, gap=3.2, reverse=True,
                                      lang=self.lang).move_to(0.35 * UP)
        numbers3 = index_labels(reverse)
        self.reverse = reverse
        with self.beat("next") as beat:
            a, b = beat.split(1, 2)
            self.play(FadeOut(grid), run_time=a)
            self.remove(grid)
            self.play(FadeIn(reverse.input_row, reverse.output_row, *numbers3), run_time=a)
            self.play(Create(reverse.lines, lag_ratio=0.08), run_time=b - a)
        self.add(reverse)
        self.play(FadeOut(reverse), FadeOut(*numbers3), run_time=0.8)
