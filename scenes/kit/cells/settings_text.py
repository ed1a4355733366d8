"""A convolution's settings as one short plain-text line, and relabelling a drawn grid.

:func:`settings_text` writes ``i = 5×5  k = 3×3  s = 2  p = 1  d = 1  →  o = 3×3``
(the symbols of the guide; ``op`` for a transposed convolution's output padding) for the
silent clips, as Pango text: no LaTeX, so a clip needs no TeX run. Every number comes from
the ConvSpec. :func:`relabel` swaps a grid's label for another text at the same size and
place (e.g. a transposed convolution's input ``Entrada 2×2`` over its zero-stuffed grid).
"""

from __future__ import annotations

from manim import UP, Text

from .. import palette
from ..text.words import size_text
from .grid import CellGrid

GAP = "  "


def axes_text(values) -> str:
    """One number when every axis agrees (``2``), else one per axis (``2×1``)."""
    values = [int(v) for v in values]
    return str(values[0]) if len(set(values)) == 1 else size_text(values)


def padding_text(sp) -> str:
    """``1``, ``0:1`` (before:after), ``1, 0:1`` per axis, or ``same (0:1)``."""
    per_axis = [str(b) if b == a else f"{b}:{a}" for b, a in sp.padding]
    text = per_axis[0] if len(set(per_axis)) == 1 else ", ".join(per_axis)
    if sp.padding_name == "valid":
        return "valid"
    if sp.padding_name:
        return f"{sp.padding_name} ({text})"
    return text


def settings_parts(sp) -> list[tuple[str, str]]:
    """(symbol, value) pairs of a ConvSpec, in the guide's order, then the output."""
    parts = [("i", size_text(sp.input)), ("k", size_text(sp.kernel)), ("s", axes_text(sp.stride)),
             ("p", padding_text(sp)), ("d", axes_text(sp.dilation))]
    if sp.transposed and any(sp.output_padding):
        parts.append(("op", axes_text(sp.output_padding)))
    parts.append(("o", size_text(sp.output)))
    return parts


def settings_text(sp) -> str:
    """The settings line: ``i = 5×5  k = 3×3  s = 2  p = 1  d = 1  →  o = 3×3``."""
    parts = settings_parts(sp)
    left = GAP.join(f"{name} = {value}" for name, value in parts[:-1])
    name, value = parts[-1]
    return f"{left}{GAP}→{GAP}{name} = {value}"


def settings_line(sp, font_size: float = palette.BODY_SIZE, color=palette.TEXT) -> Text:
    """:func:`settings_text` as a Text mobject (its ``parts`` keep the pairs shown)."""
    line = Text(settings_text(sp), font=palette.FONT, font_size=font_size, color=color)
    line.parts = settings_parts(sp)
    return line


def relabel(grid: CellGrid, text: str) -> Text:
    """Replace ``grid``'s label by ``text`` (same font size, colour and place); returns it."""
    old = grid.label
    if old is None:
        raise ValueError("the grid has no label to replace")
    new = Text(text, font=palette.FONT, font_size=old.font_size, color=old.get_color())
    gap = old.get_bottom()[1] - grid.cells.get_top()[1]
    new.next_to(grid.cells, UP, buff=gap)
    grid.remove(old)
    grid.add(new)
    grid.label = new
    return new


def header_row(sp, op: str = "correlation", lang=None, font_size: float = palette.BODY_SIZE):
    """The operation's name (as the corner caption writes it) and the settings line, one row
    across the top of the frame, scaled to fit its width. Parts: ``.caption``, ``.line``."""
    from manim import RIGHT, VGroup, config

    import numpy as np

    from ..text.titles import OpCaption

    caption = OpCaption(op, lang=lang, transposed=sp.transposed)
    caption.scale(font_size / palette.CAPTION_SIZE)
    line = settings_line(sp, font_size=font_size)
    row = VGroup(caption, line).arrange(RIGHT, buff=0.7)
    room = config.frame_width - 2 * palette.FRAME_MARGIN
    if row.width > room:
        row.scale_to_fit_width(room)
    row.move_to(np.array([0.0, config.frame_height / 2 - palette.FRAME_MARGIN - row.height / 2,
                          0.0]))
    row.caption, row.line = caption, line
    return row
