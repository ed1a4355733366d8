"""A convolution's parameters, checked and resolved per axis.

Everything else in convmath starts from a :class:`ConvSpec`: it holds the
spatial input size, kernel, stride, dilation and the padding actually applied
on each side of each axis, so no other module has to re-derive them.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from numbers import Integral
from typing import Sequence, Union

from .errors import ConvError

PADDING_NAMES = ("valid", "same", "full")
PaddingArg = Union[int, str, Sequence[Union[int, Sequence[int]]]]


def _is_int(v) -> bool:
    """An integer (Python or numpy), but not a bool."""
    return isinstance(v, Integral) and not isinstance(v, bool)


def per_axis(value, ndim: int, name: str) -> tuple[int, ...]:
    """Broadcast an int (or a sequence of one int per axis) to ``ndim`` ints."""
    if _is_int(value):
        return (int(value),) * ndim
    try:
        values = tuple(value)
    except TypeError:
        raise ConvError(f"{name} must be an integer or one integer per axis, got {value!r}") from None
    if len(values) == 1 and ndim != 1:
        values = values * ndim
    if len(values) != ndim:
        raise ConvError(f"{name} has {len(values)} axes but the input has {ndim}")
    for v in values:
        if not _is_int(v):
            raise ConvError(f"{name} must be integers, got {v!r}")
    return tuple(int(v) for v in values)


def effective_kernel(k: int, d: int) -> int:
    """Size of a kernel of ``k`` taps spread out by dilation ``d``: d(k−1)+1."""
    return d * (k - 1) + 1


def tf_same_padding(i: int, k: int, s: int, d: int = 1) -> tuple[int, int]:
    """TensorFlow SAME padding (before, after): o = ⌈i/s⌉, extra cell after."""
    o = -(-i // s)
    total = max((o - 1) * s + effective_kernel(k, d) - i, 0)
    return total // 2, total - total // 2


def _resolve_padding(padding, inp, kernel, stride, dilation, transposed):
    ndim = len(inp)
    if isinstance(padding, str):
        name = padding.lower()
        if name not in PADDING_NAMES:
            raise ConvError(f"padding must be an integer, before:after pairs or one of "
                            f"{', '.join(PADDING_NAMES)}; got {padding!r}")
        if transposed:
            raise ConvError(f"padding '{name}' is defined for convolutions, not transposed ones; "
                            f"give the transposed padding as integers")
        if name == "valid":
            return tuple((0, 0) for _ in range(ndim)), name
        if name == "full":
            return tuple((effective_kernel(k, d) - 1,) * 2 for k, d in zip(kernel, dilation)), name
        return tuple(tf_same_padding(i, k, s, d)
                     for i, k, s, d in zip(inp, kernel, stride, dilation)), name
    if _is_int(padding):
        pads = ((int(padding), int(padding)),) * ndim
    else:
        try:
            items = tuple(padding)
        except TypeError:
            raise ConvError(f"padding must be an integer, a name or one value per axis, "
                            f"got {padding!r}") from None
        if len(items) == 1 and ndim != 1:
            items = items * ndim
        if len(items) != ndim:
            raise ConvError(f"padding has {len(items)} axes but the input has {ndim}")
        pads = []
        for item in items:
            if _is_int(item):
                pads.append((int(item), int(item)))
            else:
                pair = tuple(item)
                if len(pair) != 2 or not all(_is_int(v) for v in pair):
                    raise ConvError(f"padding per axis must be an integer or a (before, after) "
                                    f"pair of integers, got {item!r}")
                pads.append(tuple(int(v) for v in pair))
        pads = tuple(pads)
    for axis, (b, a) in enumerate(pads):
        if b < 0 or a < 0:
            raise ConvError(f"padding must not be negative, got {b}:{a} on axis {axis}")
    return pads, None


@dataclass(frozen=True)
class ConvSpec:
    """A checked convolution (or transposed convolution), resolved per axis.

    ``input`` and ``output`` are spatial sizes. ``padding`` is the (before, after)
    padding of each axis: for a convolution, cells added around the input; for a
    transposed convolution, PyTorch's meaning (cells cropped from the full result).
    """

    input: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    output: tuple[int, ...]
    padding_name: str | None = None
    transposed: bool = False
    output_padding: tuple[int, ...] = ()
    in_channels: int = 1
    out_channels: int = 1
    groups: int = 1

    @property
    def ndim(self) -> int:
        return len(self.input)

    @property
    def effective_kernel(self) -> tuple[int, ...]:
        return tuple(effective_kernel(k, d) for k, d in zip(self.kernel, self.dilation))

    @property
    def padded_input(self) -> tuple[int, ...]:
        """Size of the padded input a convolution slides over."""
        return tuple(i + b + a for i, (b, a) in zip(self.input, self.padding))

    @property
    def symmetric(self) -> bool:
        return all(b == a for b, a in self.padding)

    @property
    def kernel_taps(self) -> int:
        return prod(self.kernel)

    def forward(self) -> "ConvSpec":
        """For a transposed convolution: the convolution whose transpose it is.

        That convolution maps this one's output size back to its input size.
        """
        if not self.transposed:
            return self
        return spec(self.output, self.kernel, self.stride, self.padding, self.dilation,
                    in_channels=self.out_channels, out_channels=self.in_channels,
                    groups=self.groups)

    def describe(self) -> str:
        def fmt(t):
            return "x".join(str(v) for v in t)
        pads = ",".join(f"{b}" if b == a else f"{b}:{a}" for b, a in self.padding)
        kind = "transposed convolution" if self.transposed else "convolution"
        text = (f"{kind} input {fmt(self.input)} kernel {fmt(self.kernel)} stride {fmt(self.stride)} "
                f"padding {self.padding_name or pads} dilation {fmt(self.dilation)}")
        if self.transposed and any(self.output_padding):
            text += f" output_padding {fmt(self.output_padding)}"
        return text + f" -> output {fmt(self.output)}"


def spec(input, kernel, stride=1, padding: PaddingArg = 0, dilation=1, *, transposed=False,
         output_padding=0, in_channels=1, out_channels=1, groups=1) -> ConvSpec:
    """Check a convolution's parameters and resolve them per axis.

    ``input`` is the spatial size (an int for 1D, or one int per axis). Any other
    parameter is an int for every axis or one value per axis. ``padding`` may also
    be ``(before, after)`` pairs per axis or a name: ``valid``, ``same``
    (TensorFlow SAME, any stride, extra cell after) or ``full`` (d(k−1) each side).
    Raises :class:`ConvError` naming the broken constraint.
    """
    if _is_int(input):
        inp = (int(input),)
    else:
        try:
            inp = tuple(input)
        except TypeError:
            raise ConvError(f"input size must be an integer or one integer per axis, "
                            f"got {input!r}") from None
        if not inp or not all(_is_int(v) for v in inp):
            raise ConvError(f"input size must be positive integers, got {input!r}")
        inp = tuple(int(v) for v in inp)
    ndim = len(inp)
    k = per_axis(kernel, ndim, "kernel")
    s = per_axis(stride, ndim, "stride")
    d = per_axis(dilation, ndim, "dilation")
    op = per_axis(output_padding, ndim, "output_padding")
    for axis in range(ndim):
        if inp[axis] < 1:
            raise ConvError(f"input size must be at least 1, got {inp[axis]} on axis {axis}")
        if k[axis] < 1:
            raise ConvError(f"kernel size must be at least 1, got {k[axis]} on axis {axis}")
        if s[axis] < 1:
            raise ConvError(f"stride must be at least 1, got {s[axis]} on axis {axis}")
        if d[axis] < 1:
            raise ConvError(f"dilation must be at least 1, got {d[axis]} on axis {axis}")
        if op[axis] < 0:
            raise ConvError(f"output_padding must not be negative, got {op[axis]} on axis {axis}")
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels),
                        ("groups", groups)):
        if not _is_int(value) or value < 1:
            raise ConvError(f"{name} must be a positive integer, got {value!r}")
    in_channels, out_channels, groups = int(in_channels), int(out_channels), int(groups)
    if in_channels % groups:
        raise ConvError(f"in_channels {in_channels} is not divisible by groups {groups}")
    if out_channels % groups:
        raise ConvError(f"out_channels {out_channels} is not divisible by groups {groups}")

    pads, name = _resolve_padding(padding, inp, k, s, d, transposed)
    out = []
    if not transposed:
        if any(op):
            raise ConvError("output_padding only applies to transposed convolutions")
        for axis in range(ndim):
            padded = inp[axis] + pads[axis][0] + pads[axis][1]
            kk = effective_kernel(k[axis], d[axis])
            if kk > padded:
                dil = f" (dilated {kk})" if d[axis] > 1 else ""
                raise ConvError(f"kernel {k[axis]}{dil} is larger than padded input {padded} "
                                f"on axis {axis}")
            out.append((padded - kk) // s[axis] + 1)
    else:
        for axis in range(ndim):
            if op[axis] >= max(s[axis], d[axis]):
                raise ConvError(f"output_padding {op[axis]} must be smaller than stride "
                                f"{s[axis]} or dilation {d[axis]} on axis {axis}")
            kk = effective_kernel(k[axis], d[axis])
            o = (inp[axis] - 1) * s[axis] - pads[axis][0] - pads[axis][1] + kk + op[axis]
            if o < 1:
                raise ConvError(f"transposed output size {o} is not positive on axis {axis} "
                                f"((i−1)s − 2p + d(k−1) + output_padding + 1 with i={inp[axis]}, "
                                f"s={s[axis]}, padding {pads[axis][0]}+{pads[axis][1]}, k={k[axis]}, "
                                f"d={d[axis]}, output_padding={op[axis]})")
            out.append(o)
    return ConvSpec(input=inp, kernel=k, stride=s, dilation=d, padding=pads, output=tuple(out),
                    padding_name=name, transposed=transposed, output_padding=op,
                    in_channels=in_channels, out_channels=out_channels, groups=groups)


def transposed(input, kernel, stride=1, padding=0, dilation=1, *, output_padding=0,
               in_channels=1, out_channels=1, groups=1) -> ConvSpec:
    """A transposed convolution with PyTorch's parameters (see :func:`spec`)."""
    return spec(input, kernel, stride, padding, dilation, transposed=True,
                output_padding=output_padding, in_channels=in_channels,
                out_channels=out_channels, groups=groups)
