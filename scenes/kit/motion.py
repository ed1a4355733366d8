"""Moving a mobject without copying it.

A Transform-based ``.animate`` move deep-copies the mobject twice when it begins (a kernel
footprint with its weights: a few milliseconds each time, on every step of a slide).
:class:`Slide` only shifts the mobject, by an offset measured when the animation begins, so it
can wait its turn in a ``Succession``.
"""

from __future__ import annotations

import numpy as np
from manim import Animation


class Slide(Animation):
    """Move ``mobject`` by ``offset()``, measured when the animation begins; ``on_finish`` runs
    once it has arrived."""

    def __init__(self, mobject, offset, on_finish=None, **kwargs):
        super().__init__(mobject, **kwargs)
        self.offset_fn = offset
        self.on_finish = on_finish

    def begin(self) -> None:
        self.starting_mobject = self.mobject
        self.offset = np.asarray(self.offset_fn(), dtype=float)
        self.moved = 0.0
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.mobject.shift((a - self.moved) * self.offset)
        self.moved = a

    def finish(self) -> None:
        super().finish()
        if self.on_finish is not None:
            self.on_finish()


def slide_to(mobject, target, **kwargs) -> Slide:
    """Move ``mobject``'s centre to ``target``'s, as ``mobject.animate.move_to(target)`` would:
    a point, a mobject, or a function giving either when the slide begins."""

    def offset():
        where = target() if callable(target) else target
        where = where.get_center() if hasattr(where, "get_center") else where
        return np.asarray(where, dtype=float) - mobject.get_center()

    return Slide(mobject, offset, **kwargs)


__all__ = ["Slide", "slide_to"]
