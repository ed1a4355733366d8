"""Receptive fields of a stack of convolution (or pooling) layers.

Per layer l with kernel k, stride s, padding p (before) and dilation d, using
k̂ = d(k−1)+1 (Araujo et al., Distill 2019; Dang Ha The Hien):
  jump   j_l = j_{l−1}·s
  size   r_l = r_{l−1} + (k̂−1)·j_{l−1}
  center c_l = c_{l−1} + ((k̂−1)/2 − p)·j_{l−1}   (center of the first output's field,
         in input cells, the first input cell's center being 0; the guides call it "start")
  effective padding P_l = P_{l−1} + p·j_{l−1}
Closed form: r = Σ_l (k̂_l − 1)·Π_{i<l} s_i + 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

from .errors import ConvError
from .spec import effective_kernel


@dataclass(frozen=True)
class Layer:
    kernel: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    name: str = ""

    def __post_init__(self):
        for field, low in (("kernel", 1), ("stride", 1), ("dilation", 1), ("padding", 0)):
            v = getattr(self, field)
            if not isinstance(v, Integral) or isinstance(v, bool) or v < low:
                raise ConvError(f"layer {self.name or ''} {field} must be an integer "
                                f"≥ {low}, got {v!r}".replace("  ", " "))
            object.__setattr__(self, field, int(v))


@dataclass(frozen=True)
class FieldAfter:
    """The receptive field of one output cell after a layer."""

    layer: Layer
    size: int                 # r: input cells seen by one output cell
    jump: int                 # j: input cells between neighbouring output cells
    center: Fraction          # center of the first output cell's field, in input cells
    effective_padding: int    # P: the field of output 0 begins at input cell −P

    @property
    def start(self) -> Fraction:
        """The center, under the name the receptive-field guides give it ("start")."""
        return self.center

    @property
    def first_cell_span(self) -> tuple[int, int]:
        """First and last input cell (may lie in the padding) seen by output cell 0."""
        return -self.effective_padding, -self.effective_padding + self.size - 1


def _as_layer(item) -> Layer:
    if isinstance(item, Layer):
        return item
    if isinstance(item, dict):
        return Layer(**item)
    return Layer(*item)


def receptive_field(layers) -> list[FieldAfter]:
    """The field after each layer of ``layers`` (Layer, dicts, or (k, s, p, d) tuples)."""
    r, j, center, eff_pad = 1, 1, Fraction(0), 0
    out = []
    for item in layers:
        layer = _as_layer(item)
        kk = effective_kernel(layer.kernel, layer.dilation)
        r = r + (kk - 1) * j
        center = center + (Fraction(kk - 1, 2) - layer.padding) * j
        eff_pad = eff_pad + layer.padding * j
        j = j * layer.stride
        out.append(FieldAfter(layer, r, j, center, eff_pad))
    if not out:
        raise ConvError("receptive_field needs at least one layer")
    return out


def closed_form_size(layers) -> int:
    """r₀ = Σ_l (k̂_l − 1)·Π_{i<l} s_i + 1."""
    total, jump = 1, 1
    for item in layers:
        layer = _as_layer(item)
        total += (effective_kernel(layer.kernel, layer.dilation) - 1) * jump
        jump *= layer.stride
    return total
