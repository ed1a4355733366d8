"""Motion at a natural speed, then a still frame, inside a narrated beat.

Segments share a beat's voice out among their plays (``beat.split``), so a play may be asked to
last many seconds: a fade over five seconds looks sluggish, and every one of its frames has to
be drawn and encoded. Inside a beat, :class:`~scenes.narration.scene.NarratedScene` plays such an
animation at its natural length (:func:`natural_run_time`) and holds the last frame for the rest
of its share. A held frame is drawn once (Manim repeats it), so the step still starts when the
voice gets to it, ends when its share ends, and costs a fraction of the drawing.

Natural lengths: one animation at most :data:`MOTION_CAP` seconds; a ``Succession`` is the sum of
its steps, each at most :data:`STEP_CAP` seconds (a sliding kernel keeps a readable pace per
position); a group played together lasts as long as its longest part.
"""

from __future__ import annotations

from manim import Animation, AnimationGroup, Wait

MOTION_CAP = 1.2   # seconds for one animation on its own (Manim's default is 1)
STEP_CAP = 0.8     # seconds for one step of a Succession


def natural_run_time(animation: Animation, run_time: float) -> float:
    """How long ``animation`` needs when asked to last ``run_time`` seconds (never longer)."""
    return _natural(animation, run_time, MOTION_CAP)


def _natural(animation: Animation, run_time: float, cap: float) -> float:
    if isinstance(animation, AnimationGroup) and animation.animations:
        own = float(animation.max_end_time)
        scale = run_time / own if own > 0 else 0.0
        parts = animation.animations
        if animation.lag_ratio >= 1:  # one after the other
            return min(run_time, sum(_natural(p, p.run_time * scale, STEP_CAP) for p in parts))
        longest = max(_natural(p, p.run_time * scale, cap) for p in parts)
        return min(run_time, max(cap, longest))
    return min(run_time, cap)


def is_still(animations: list[Animation]) -> bool:
    """A plain wait: nothing to speed up."""
    return all(isinstance(a, Wait) for a in animations)


__all__ = ["MOTION_CAP", "STEP_CAP", "is_still", "natural_run_time"]
