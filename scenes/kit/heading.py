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


class Headings:
    """The heading of a narrated scene's picture, changed so that two headings are never on
    screen at once (a cross-fade would show both in the same place)."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self.current: Text | None = None

    def to(self, text: str, *, clear: bool = False, keep=()) -> list:
        """Animations, for one play, that put up the heading ``text``: the old one fades out,
        then the new one fades in. ``clear``: everything else on screen (except ``keep``)
        fades out meanwhile."""
        from manim import FadeIn, FadeOut, Succession

        from .clear import fade_out_all

        new = heading(text)
        anims = []
        if clear:
            kept = [m for m in (self.current, *keep) if m is not None]
            anims += fade_out_all(self.scene, keep=kept, copy_free=True)
        if self.current is None:
            anims.append(FadeIn(new))
        else:
            anims.append(Succession(FadeOut(self.current, run_time=0.25),
                                    FadeIn(new, run_time=0.35)))
        self.current = new
        return anims
