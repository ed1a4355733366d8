"""Fading big things in and out without copying them.

Manim's ``FadeIn``/``FadeOut`` are transforms: each deep-copies its mobject two or three
times, which for a whole panel of grids, numbers and formulas costs more than the frames
themselves. :class:`OpacityFade` only scales the opacities of the mobject's own family
(fill, stroke and background stroke) from what they were to zero or back, and restores
them when it is cleaned up, so a faded-out mobject can be shown again later. No shift,
no scale: a plain fade.
"""

from __future__ import annotations

import numpy as np
from manim import Animation, FadeOut, Mobject, linear, rush_from

_ALPHA_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")


class OpacityFade(Animation):
    """Fade ``mobject`` in (``fade_in=True``) or out (the default: it is removed at the end)."""

    def __init__(self, mobject: Mobject, fade_in: bool = False, **kwargs):
        kwargs.setdefault("introducer", fade_in)
        kwargs.setdefault("remover", not fade_in)
        super().__init__(mobject, **kwargs)
        self.fade_in = fade_in
        self._saved: list[tuple[Mobject, str, np.ndarray]] = []

    def begin(self) -> None:
        # no starting copy: the family's own alphas are the starting state
        self.starting_mobject = self.mobject
        self._saved = []
        for m in self.mobject.get_family():
            for name in _ALPHA_ARRAYS:
                arr = getattr(m, name, None)
                if isinstance(arr, np.ndarray) and arr.ndim == 2 and arr.shape[1] == 4:
                    self._saved.append((m, name, arr[:, 3].copy()))
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        factor = a if self.fade_in else 1.0 - a
        for m, name, alphas in self._saved:
            arr = getattr(m, name)
            if arr.shape[0] == alphas.shape[0]:
                arr[:, 3] = alphas * factor

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        self._restore()

    def _restore(self) -> None:
        for m, name, alphas in self._saved:
            arr = getattr(m, name)
            if arr.shape[0] == alphas.shape[0]:
                arr[:, 3] = alphas


def fade_out(mobject: Mobject, **kwargs) -> OpacityFade:
    """A copy-free FadeOut (the mobject leaves the scene, its opacities are kept for later)."""
    return OpacityFade(mobject, fade_in=False, **kwargs)


def fade_in(mobject: Mobject, **kwargs) -> OpacityFade:
    """A copy-free FadeIn of a mobject at the opacities it has now."""
    return OpacityFade(mobject, fade_in=True, **kwargs)


def fade_swap(old: Mobject, new: Mobject, out_time: float = 0.3, in_time: float = 0.5):
    """``old`` fades out, then ``new`` fades in, as one play: the screen is never empty for
    long, and the two never show at once (so texts in the same place never overlap)."""
    from manim import Succession

    return Succession(fade_out(old, run_time=out_time), fade_in(new, run_time=in_time))


# ---------- Clearing the screen between beats: fade out whatever the scene shows.

def fade_out_all(scene, keep=(), copy_free: bool = False) -> list[FadeOut]:
    """One FadeOut per top-level mobject on ``scene`` (except those in ``keep``).

    Fading the scene's own top-level mobjects (rather than groups built for the beat)
    removes exactly what is drawn, however the parts were brought in. ``copy_free``: use
    :func:`scenes.kit.motion.fade.fade_out` (opacities only, no deep copies; same look).
    """
    kept = set(id(m) for m in keep)
    if copy_free:
        return [fade_out(m) for m in list(scene.mobjects) if id(m) not in kept]
    return [FadeOut(m) for m in list(scene.mobjects) if id(m) not in kept]


# ---------- Handing the screen from one picture to the next at the word that names the new one.
#
# Under the voice the screen is never empty for long: the old picture stays until just before the
# anchored word, fades out in the last moments before it (evenly, so it is visible almost to
# the end), and the new picture comes in on the word, quickly at first (``rush_from``). Fading
# out at the start of a beat and waiting for the word would leave the viewer looking at
# nothing while the narrator talks.

LEAD = 0.35        # seconds the old picture takes to fade out, ending on the anchored word
ENTRANCE = 0.9     # seconds the new picture takes to come in


def hand_over(scene, beat, mark: str, *entrance, keep=(), lead: float = LEAD,
              run_time: float = ENTRANCE) -> None:
    """Fade out everything on ``scene`` (but ``keep``) so that the fade ends when the voice
    reaches ``mark``, then play ``entrance`` (the new picture) on that word."""
    scene.wait_until_time(beat.marks[mark] - lead)
    leaving = fade_out_all(scene, keep=keep)
    if leaving:
        scene.play(*leaving, run_time=lead, rate_func=linear)
    beat.at(mark, *entrance, run_time=run_time, rate_func=rush_from)
