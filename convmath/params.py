"""Parameter counts: a convolution layer against a dense layer on the same shapes.

The argument of the post: a convolution is a dense layer (an MLP layer) with an
infinitely strong prior — most weights forced to zero (locality) and the rest
tied to a few shared values (weight sharing).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from .matrix import matrix_entries
from .spec import ConvSpec


def conv_params(in_channels: int, out_channels: int, kernel, groups: int = 1,
                bias: bool = True) -> int:
    """Weights of a convolution layer: C_out·(C_in/groups)·Πk (+ C_out biases)."""
    k = (kernel,) if isinstance(kernel, int) else tuple(kernel)
    return out_channels * (in_channels // groups) * prod(k) + (out_channels if bias else 0)


def dense_params(n_in: int, n_out: int, bias: bool = True) -> int:
    """Weights of a dense layer: n_in·n_out (+ n_out biases)."""
    return n_in * n_out + (n_out if bias else 0)


@dataclass(frozen=True)
class Comparison:
    conv: int              # trainable weights of the convolution layer
    dense: int             # trainable weights of a dense layer on the same input/output
    connections: int       # non-zero entries of the convolution's matrix C (single channel)
    dense_entries: int     # entries of C if it were dense
    shared_values: int     # distinct weights those connections use (the kernel's taps)

    @property
    def ratio(self) -> float:
        return self.dense / self.conv


def compare_with_dense(sp: ConvSpec, bias: bool = False) -> Comparison:
    """Count the convolution's parameters against a dense layer with the same shapes."""
    n_in = sp.in_channels * prod(sp.input)
    n_out = sp.out_channels * prod(sp.output)
    r, _, _ = matrix_entries(sp)
    return Comparison(
        conv=conv_params(sp.in_channels, sp.out_channels, sp.kernel, sp.groups, bias),
        dense=dense_params(n_in, n_out, bias),
        connections=len(r),
        dense_entries=prod(sp.input) * prod(sp.output),
        shared_values=prod(sp.kernel),
    )
