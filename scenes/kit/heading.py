"""A beat's heading: one line of text at the top of the frame, naming what the beat shows."""

from __future__ import annotations

import numpy as np
from manim import Text, config

from . import palette

HEADING_Y = 3.45


def heading(text: str, *, y: float = HEADING_Y, font_size: float = palette.SUBTITLE_SIZE,
            color=palette.TITLE) -> Text:
    """``text`` centred at height ``y`` (the top band of the frame), fitted to its width."""
    mob = Text(text, font=palette.FONT, font_size=font_size, color=color)
    max_w = config.frame_width - 2 * palette.FRAME_MARGIN - 0.4
    if mob.width > max_w:
        mob.scale_to_fit_width(max_w)
    return mob.move_to(np.array([0.0, y, 0.0]))
