"""Small marks written on the cells of a 1D connectivity diagram.

:func:`index_marks` numbers the cells of both rows (1-based, as a person counts; light digits
that stay readable on the blue and teal cells);
:func:`count_marks` writes one number per cell of a row (e.g. how many arrows arrive
at each output, ``convmath.overlap_map``), each mark keeping its ``value``.
"""

from __future__ import annotations

from typing import Sequence

from manim import DOWN, LEFT, UP, Text, VGroup

from .. import palette
from .connectivity import ConnectivityDiagram


def _cells(diagram: ConnectivityDiagram, role: str):
    sp = diagram.spec
    if role == "input":
        return sp.input[0], diagram.input_cell
    if role == "output":
        return sp.output[0], diagram.output_cell
    raise ValueError(f"role is 'input' or 'output', got {role!r}")


def index_marks(diagram: ConnectivityDiagram, role: str, font_size: float = 22,
                color=palette.TEXT_ON_CELL, outside: bool = False) -> VGroup:
    """1-based numbers inside the cells of the operation's input or output row; ``outside``:
    beside the cells, above the top row or below the bottom one (so the cells can hold
    values), in a dim colour."""
    n, cell_of = _cells(diagram, role)
    row = diagram.input_row if role == "input" else diagram.output_row
    other = diagram.output_row if role == "input" else diagram.input_row
    above = row.cells.get_center()[1] > other.cells.get_center()[1]
    if outside and color is palette.TEXT_ON_CELL:
        color = palette.TEXT_DIM
    marks = VGroup()
    for j in range(n):
        t = Text(str(j + 1), font=palette.FONT, font_size=font_size, color=color)
        cell = cell_of(j)
        if outside:
            t.next_to(cell, UP if above else DOWN, buff=0.12)
        else:
            t.move_to(cell)
        t.value = j + 1
        marks.add(t)
    return marks


def count_marks(diagram: ConnectivityDiagram, role: str, counts: Sequence[int],
                font_size: float = 26, color=palette.HIGHLIGHT) -> VGroup:
    """``counts[j]`` written inside cell ``j`` of the input or output row."""
    n, cell_of = _cells(diagram, role)
    counts = [int(c) for c in counts]
    if len(counts) != n:
        raise ValueError(f"{len(counts)} counts for {n} cells")
    marks = VGroup()
    for j, c in enumerate(counts):
        t = Text(str(c), font=palette.FONT, font_size=font_size, color=color)
        t.move_to(cell_of(j))
        t.value = c
        marks.add(t)
    return marks


def grid_index_marks(diagram, role: str, rows_side=LEFT, font_size: float = 24,
                     color=palette.TEXT_DIM, buff: float = 0.15) -> VGroup:
    """1-based row numbers beside the rows of a 2D diagram's input or output grid (on
    ``rows_side``) and column numbers under its columns, so a cell named "(2, 3)" can be
    found by eye. ``diagram``: a :class:`~scenes.kit.diagrams.connectivity.ConnectivityDiagram2D`."""
    sp = diagram.spec
    shape, cell_of = ((sp.input, diagram.input_cell) if role == "input" else
                      (sp.output, diagram.output_cell) if role == "output" else (None, None))
    if shape is None:
        raise ValueError(f"role is 'input' or 'output', got {role!r}")
    marks = VGroup()
    for r in range(shape[0]):
        t = Text(str(r + 1), font=palette.FONT, font_size=font_size, color=color)
        t.next_to(cell_of((r, 0) if rows_side is LEFT else (r, shape[1] - 1)), rows_side,
                  buff=buff)
        marks.add(t)
    for c in range(shape[1]):
        t = Text(str(c + 1), font=palette.FONT, font_size=font_size, color=color)
        t.next_to(cell_of((shape[0] - 1, c)), DOWN, buff=buff)
        marks.add(t)
    return marks
