"""Plain data kept on a mobject without being copied along with it.

Manim copies a mobject (every Transform, FadeIn, FadeOut does, twice) with ``deepcopy`` of
its whole ``__dict__``: a storyboard of hundreds of steps kept as an attribute is copied
every time, which makes a scene slow. Data held in a :class:`SharedData` is shared by a
mobject and all its copies instead (it is read-only for drawing; nothing animates it)::

    self._data = SharedData(board=board, plan=plan)
    board = property(lambda self: self._data.board)
"""

from __future__ import annotations


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
