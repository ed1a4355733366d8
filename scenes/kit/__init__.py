"""The drawing kit every lecture segment uses, grouped by what it draws.

    palette     colours, stroke widths, font sizes        layout  fitting and layout checks
    text/       LaTeX, words, numbers, formula cards, title cards and headings
    motion/     moving, fading, clearing, revealing without copies; handing the screen over
    cells/      grids of cells, the kernel's footprint, legends, stacks, spans, shape maps
    operation/  the convolution carried out: the three-grid stage, sliding kernel, stamps
    matrices/   C, vec(x), Cᵀ, sums of products, checkerboard artifacts
    diagrams/   connectivity diagrams and their marks, layer stacks for receptive fields
    cases/      one case of the output-size formulas (convolution or transposed), as a panel

The kit imports only itself, convmath and the narration's plain text types: never a segment,
the segment list, the scene base class, a voice or production. The names below are the ones most segments use.

No number on screen is typed by hand: each mobject here is drawn from convmath
data passed in (arrays, ConvSpec, Storyboard, tap matrices, links) and keeps the
values it shows readable (``.values``, ``.shown()``, ``.number(idx).value``), so
tests can compare a scene's screen with convmath.

A sliding-kernel beat, in short::

    board = convmath.storyboard(convmath.spec((5, 5), 3, stride=2, padding=1), x, w)
    inp = CellGrid(board.padded, cell_kind=board.cell_kind, label=True)   # "Entrada 5×5"
    out = CellGrid(shape=board.spec.output, role="output", label=True)   # empty until filled
    VGroup(inp, out).arrange(RIGHT, buff=1.2)
    slider = Slider(board, inp, out)
    self.add(inp, out, OpCaption(board.op))
    self.play(slider.intro())
    self.play(slider.animation(budget=tracker.duration, detailed=2))   # exactly the beat

Layout checks for tests: ``layout_problems(scene.mobjects)`` lists overlapping
texts and things outside the frame. Manim caveats handled here: animations never
hand Manim a group of parts of a drawn grid (that would split the grid in the
scene), and big matrices are vector heat maps (ImageMobject does not render with
Manim 0.22 and the installed Pillow 13).
"""

from . import palette
from .cells.grid import CellGrid, KernelFootprint, dashed_square
from .diagrams.connectivity import ConnectivityDiagram, ConnectivityDiagram2D
from .layout import (fit_in_frame, fit_to_region, layout_problems, outside_frame,
                     overlapping_text, region, text_mobjects)
from .matrices.matrix_view import (MatrixHeatMap, MatrixView, VectorView, heat_pixels, matrix_view,
                                   tap_symbol)
from .operation.slider import Plan, Slider, plan_budget, product_terms
from .text.formula import FormulaCard, split_result
from .text.tex import (default_lang, math_tex, parse_value_text, tex_template, text_tex,
                       value_latex, value_text)
from .text.titles import OpCaption, TitleCard
from .text.words import shape_label, size_text, word

__all__ = [name for name in dir() if not name.startswith("_")]
