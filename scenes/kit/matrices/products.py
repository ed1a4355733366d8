"""A sum of products written out: "3·1 + 2·3 + 2·2 = 13".

:class:`ProductsLine` takes (value, weight) pairs — e.g. the links of one output cell
(``convmath.reads``) or the non-zero entries of one matrix row — and writes every
product and their sum in one MathTex, the value in the input's colour, the weight in
the kernel's and the sum in the output's. The sum is computed from the pairs given
(exactly: ints and Fractions stay exact); a scene compares it with convmath, and a
test reads :attr:`ProductsLine.pairs` and :attr:`ProductsLine.total_value` back.
"""

from __future__ import annotations

from typing import Sequence

from manim import VGroup

from .. import palette
from ..text.tex import math_tex, value_latex


def factor_latex(v) -> str:
    """LaTeX of one factor, negative values in parentheses."""
    s = value_latex(v)
    return f"({s})" if s.startswith("-") else s


class ProductsLine(VGroup):
    """``x₀·w₀ + x₁·w₁ + … = total`` from ``pairs`` of (value, weight).

    ``prefix``: optional LaTeX written before the products (e.g. ``y_{3} =``), in the
    output colour. ``weight_colors``: one colour per weight (e.g. its kernel tap's colour,
    as the connectivity lines and matrix entries draw it); default the kernel's amber. Parts:
    :attr:`line` (the MathTex), :attr:`body` (all but the sum, to show before it),
    :attr:`total` (the sum's part), :meth:`value_part` / :meth:`weight_part` (the i-th
    product's factors).
    Readback: :attr:`pairs`, :attr:`total_value`.
    """

    def __init__(self, pairs: Sequence[tuple[object, object]], *, prefix: str | None = None,
                 weight_colors=None, lang=None,
                 font_size: float = palette.FONT_SIZES["products"], **kwargs):
        super().__init__(**kwargs)
        if not pairs:
            raise ValueError("a products line needs at least one (value, weight) pair")
        self.pairs = [(v, w) for v, w in pairs]
        total = 0
        for v, w in self.pairs:
            total = total + v * w
        self.total_value = total
        parts: list[str] = []
        self._offset = 0
        if prefix:
            parts.append(prefix)
            self._offset = 1
        for j, (v, w) in enumerate(self.pairs):
            if j:
                parts.append("+")
            parts += [factor_latex(v), r"\cdot", factor_latex(w)]
        parts += ["=", value_latex(total)]
        self.line = math_tex(parts, lang=lang, font_size=font_size)
        if prefix:
            self.line[0].set_color(palette.OUTPUT_TEXT)
        if weight_colors is not None and len(weight_colors) != len(self.pairs):
            raise ValueError(f"{len(weight_colors)} weight colours for {len(self.pairs)} products")
        for j in range(len(self.pairs)):
            self.value_part(j).set_color(palette.INPUT_TEXT)
            self.weight_part(j).set_color(palette.KERNEL if weight_colors is None
                                          else weight_colors[j])
        self.total = self.line[-1]
        self.total.set_color(palette.OUTPUT_TEXT)
        self.body = VGroup(*self.line[:-1])
        self.add(self.line)

    def _start(self, j: int) -> int:
        return self._offset + 4 * j

    def value_part(self, j: int):
        """The value factor of product ``j``."""
        return self.line[self._start(j)]

    def weight_part(self, j: int):
        """The weight factor of product ``j``."""
        return self.line[self._start(j) + 2]
