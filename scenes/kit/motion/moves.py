"""Moving a mobject without copying it.

A Transform-based ``.animate`` move deep-copies the mobject twice when it begins (a kernel
footprint with its weights: a few milliseconds each time, on every step of a slide).
:class:`Slide` only shifts the mobject, by an offset measured when the animation begins, so it
can wait its turn in a ``Succession``.
"""

from __future__ import annotations

import numpy as np
from manim import Animation, ManimColor, there_and_back


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


class TurnUpright(Animation):
    """``mobject`` turns by ``angle`` about its centre while the centre moves by ``shift``; the
    mobjects in ``upright`` (a grid's numbers) ride along without turning, so digits never
    stand on their heads. A kernel flipped on both axes is a half turn: each weight lands in
    its flipped place, readable all the way."""

    def __init__(self, mobject, upright=(), angle: float = np.pi, shift=(0.0, 0.0, 0.0),
                 **kwargs):
        super().__init__(mobject, **kwargs)
        self.angle = float(angle)
        self.shift_by = np.asarray(shift, dtype=float)
        self.upright = list(upright)

    def begin(self) -> None:
        self.starting_mobject = self.mobject
        self.centre = self.mobject.get_center().copy()
        riders = {id(m) for u in self.upright for m in u.get_family()}
        self.turning = [(m, m.points.copy()) for m in self.mobject.family_members_with_points()
                        if id(m) not in riders]
        self.riding = [(u, u.get_center().copy(),
                        [(m, m.points.copy()) for m in u.family_members_with_points()])
                       for u in self.upright]
        self.interpolate(0)

    def _place(self, points: np.ndarray, a: float) -> np.ndarray:
        c, s = np.cos(self.angle * a), np.sin(self.angle * a)
        rel = points - self.centre
        out = np.empty_like(points)
        out[:, 0] = c * rel[:, 0] - s * rel[:, 1]
        out[:, 1] = s * rel[:, 0] + c * rel[:, 1]
        out[:, 2] = rel[:, 2]
        return out + self.centre + self.shift_by * a

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        for m, points in self.turning:
            m.points = self._place(points, a)
        for _, centre, members in self.riding:
            offset = self._place(centre[None, :], a)[0] - centre
            for m, points in members:
                m.points = points + offset


class Pulse(Animation):
    """Some parts of something on screen (cells of a grid, entries of a matrix, terms of a
    formula) swell and take a colour for a moment, like Manim's ``Indicate``, then are exactly
    as before.

    The animation's mobject is their ``owner`` (already on screen): Manim adds an animated
    group that is not on screen to the scene, and adding a group of parts takes those parts out
    of the groups they belong to in the scene's list; so the parts are never grouped anew."""

    def __init__(self, owner, parts, color=None, scale_factor: float = 1.2, **kwargs):
        kwargs.setdefault("rate_func", there_and_back)
        super().__init__(owner, **kwargs)
        self.parts = list(parts)
        self.color = None if color is None else np.array(ManimColor(color).to_rgb())
        self.scale_factor = scale_factor

    def begin(self) -> None:
        self.starting_mobject = self.mobject
        self.saved = []
        for part in self.parts:
            centre = part.get_center().copy()
            for m in part.family_members_with_points():
                self.saved.append((m, centre, m.points.copy(), m.fill_rgbas.copy(),
                                   m.stroke_rgbas.copy()))
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        k = 1 + (self.scale_factor - 1) * t
        for m, centre, points, fill, stroke in self.saved:
            m.points = centre + (points - centre) * k
            if self.color is not None:
                for name, rgbas in (("fill_rgbas", fill), ("stroke_rgbas", stroke)):
                    mixed = rgbas.copy()
                    mixed[:, :3] = rgbas[:, :3] * (1 - t) + self.color * t
                    setattr(m, name, mixed)

    def finish(self) -> None:
        for m, _, points, fill, stroke in self.saved:
            m.points, m.fill_rgbas, m.stroke_rgbas = points, fill, stroke


def pulse(owner, parts, color=None, scale_factor: float = 1.2, **kwargs) -> Pulse:
    """:class:`Pulse` of ``parts`` (a list, or a group whose members are the parts) of
    ``owner``."""
    return Pulse(owner, list(parts), color=color, scale_factor=scale_factor, **kwargs)


__all__ = ["Slide", "TurnUpright", "pulse", "slide_to"]


# ---------- Plain data kept on a mobject without being copied along with it.
#
# Manim copies a mobject (every Transform, FadeIn, FadeOut does, twice) with ``deepcopy`` of
# its whole ``__dict__``: a storyboard of hundreds of steps kept as an attribute is copied
# every time, which makes a scene slow. Data held in a :class:`SharedData` is shared by a
# mobject and all its copies instead (it is read-only for drawing; nothing animates it)::
#
#     self._data = SharedData(board=board, plan=plan)
#     board = property(lambda self: self._data.board)

class SharedData:
    """Attributes shared by a mobject and its copies: ``deepcopy`` returns the same object."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self


def shared_property(name: str, doc: str | None = None) -> property:
    """A property reading (and setting) ``name`` in the mobject's ``_data`` (a SharedData)."""

    def get(self):
        return getattr(self._data, name)

    def set_(self, value):
        setattr(self._data, name, value)

    return property(get, set_, doc=doc)
