"""Parts of a picture that come in later, at the word that names them.

A grid's padding cells, the size in a label, a kernel's footprint on every channel: they
belong to something already on screen (and move with it), but the narration names them
later. :func:`hide` makes them transparent and remembers their opacities; :func:`reveal`
gives the animations that bring those opacities back in place, wherever the picture has
moved meanwhile. One animation per part, each on a mobject the scene already holds, so
nothing is added again or regrouped.
"""

from __future__ import annotations

import numpy as np
from manim import Animation, Mobject

_ALPHA_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")
_SAVED = "_alphas_before_hiding"


def hide(*mobjects: Mobject) -> None:
    """Make ``mobjects`` transparent until :func:`reveal` brings them back."""
    for mob in mobjects:
        for m in mob.get_family():
            if hasattr(m, _SAVED):
                continue                  # hidden already: keep the opacities it had before
            saved = {}
            for name in _ALPHA_ARRAYS:
                arr = getattr(m, name, None)
                if isinstance(arr, np.ndarray) and arr.ndim == 2 and arr.shape[1] == 4:
                    saved[name] = arr[:, 3].copy()
                    arr[:, 3] = 0.0
            setattr(m, _SAVED, saved)


def is_hidden(mob: Mobject) -> bool:
    """Whether some part of ``mob`` is still waiting for :func:`reveal`."""
    return any(hasattr(m, _SAVED) for m in mob.get_family())


class Reveal(Animation):
    """Bring a hidden mobject's opacities back (a fade in, in place, without copies)."""

    def begin(self) -> None:
        self.starting_mobject = self.mobject
        self.parts = [(m, getattr(m, _SAVED)) for m in self.mobject.get_family()
                      if hasattr(m, _SAVED)]
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        for m, saved in self.parts:
            for name, alphas in saved.items():
                arr = getattr(m, name)
                # (an array Manim has resized since keeps the highest opacity it had)
                arr[:, 3] = (alphas if len(alphas) == len(arr) else alphas.max()) * a

    def finish(self) -> None:
        super().finish()
        for m, _ in self.parts:
            if hasattr(m, _SAVED):
                delattr(m, _SAVED)


def reveal(*mobjects: Mobject, run_time: float = 0.6) -> list[Reveal]:
    """One :class:`Reveal` per mobject hidden by :func:`hide` (play them together)."""
    return [Reveal(m, run_time=run_time) for m in mobjects]


__all__ = ["Reveal", "hide", "is_hidden", "reveal"]
