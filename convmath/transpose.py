"""Planning the transposed convolution that undoes a convolution's shape."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConvError
from .spec import ConvSpec, transposed


@dataclass(frozen=True)
class TransposePlan:
    """A convolution and the transposed convolution that maps its output shape back.

    Paper terms (Dumoulin & Visin): the transposed convolution equals a direct
    convolution with kernel k′ = k, stride s′ = 1, ``zeros_between`` = s − 1 zeros
    inserted between input cells, padding p′ = d(k−1) − p on each side, and the
    ``a`` = (i + 2p − k̂) mod s extra cells added after (bottom/right).
    PyTorch terms: ConvTranspose with the convolution's kernel, stride, padding and
    dilation, and output_padding = a.
    """

    conv: ConvSpec
    transposed: ConvSpec
    a: tuple[int, ...]
    zeros_between: tuple[int, ...]
    direct_padding: tuple[tuple[int, int], ...]

    @property
    def kernel(self):
        return self.conv.kernel

    @property
    def pytorch(self) -> dict:
        """Keyword arguments of torch.nn.ConvTranspose*d that give this transposed convolution."""
        sym = self.conv.symmetric
        return {
            "kernel_size": list(self.conv.kernel),
            "stride": list(self.conv.stride),
            "padding": [b for b, _ in self.conv.padding] if sym else None,
            "output_padding": list(self.a),
            "dilation": list(self.conv.dilation),
        }

    @property
    def paper(self) -> dict:
        return {
            "k'": list(self.conv.kernel),
            "s'": [1] * self.conv.ndim,
            "zeros_between": list(self.zeros_between),
            "p'": [list(p) for p in self.direct_padding],
            "a": list(self.a),
            "d'": list(self.conv.dilation),
            "i'": list(self.conv.output),
            "o'": list(self.transposed.output),
        }


def plan_transpose(conv: ConvSpec) -> TransposePlan:
    """The transposed convolution whose output has ``conv``'s input shape."""
    if conv.transposed:
        raise ConvError("plan_transpose takes a convolution, not a transposed one")
    a = tuple((p + b + aa - kk) % s for p, (b, aa), kk, s in
              zip(conv.input, conv.padding, conv.effective_kernel, conv.stride))
    t = transposed(conv.output, conv.kernel, conv.stride, conv.padding, conv.dilation,
                   output_padding=a, in_channels=conv.out_channels,
                   out_channels=conv.in_channels, groups=conv.groups)
    assert t.output == conv.input, (t.output, conv.input)
    direct = tuple((kk - 1 - b, kk - 1 - aa + ai) for kk, (b, aa), ai in
                   zip(conv.effective_kernel, conv.padding, a))
    return TransposePlan(conv, t, a, tuple(s - 1 for s in conv.stride), direct)
