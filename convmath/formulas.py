"""Output-size formulas written out, then with the numbers substituted.

Each function returns a :class:`Formula`: the general form, the same form with
this axis' numbers in place, and the value — as Unicode text (for the command
line) or LaTeX (for the scenes' formula cards).
"""

from __future__ import annotations

from dataclasses import dataclass

from .spec import ConvSpec, effective_kernel


@dataclass(frozen=True)
class Formula:
    general: str
    substituted: str
    value: int

    def line(self) -> str:
        """``general = substituted = value`` on one line."""
        return f"{self.general} = {self.substituted} = {self.value}"


def _floor(inner: str, den: str, latex: bool) -> str:
    if latex:
        return rf"\left\lfloor \frac{{{inner}}}{{{den}}} \right\rfloor"
    return f"⌊({inner})/{den}⌋"


def _ceil(inner: str, den: str, latex: bool) -> str:
    if latex:
        return rf"\left\lceil \frac{{{inner}}}{{{den}}} \right\rceil"
    return f"⌈{inner}/{den}⌉"


def _ops(latex: bool):
    """Minus and times signs for the chosen output."""
    return ("-", r"\cdot ") if latex else ("−", "·")


def conv_output(sp: ConvSpec, axis: int = 0, latex: bool = False) -> Formula:
    """o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 (PyTorch's form; asymmetric padding as p_b + p_a)."""
    minus, times = _ops(latex)
    i, k, s, d = sp.input[axis], sp.kernel[axis], sp.stride[axis], sp.dilation[axis]
    b, a = sp.padding[axis]
    if b == a:
        pad_sym, pad_num = "2p", f"2{times}{b}"
    else:
        pad_sym = "p_b + p_a" if latex else "p_b + p_a"
        pad_num = f"{b} + {a}"
    general = "o = " + _floor(f"i + {pad_sym} {minus} d(k{minus}1) {minus} 1", "s", latex) + " + 1"
    subst = _floor(f"{i} + {pad_num} {minus} {d}{times}{k - 1} {minus} 1", str(s), latex) + " + 1"
    return Formula(general, subst, sp.output[axis])


def paper_output(sp: ConvSpec, axis: int = 0, latex: bool = False) -> Formula:
    """The paper's relationship 15: o = ⌊(i + 2p − k − (k−1)(d−1))/s⌋ + 1."""
    minus, times = _ops(latex)
    i, k, s, d = sp.input[axis], sp.kernel[axis], sp.stride[axis], sp.dilation[axis]
    b, a = sp.padding[axis]
    pad_num = f"2{times}{b}" if b == a else f"{b} + {a}"
    pad_sym = "2p" if b == a else "p_b + p_a"
    if d == 1:
        general = "o = " + _floor(f"i + {pad_sym} {minus} k", "s", latex) + " + 1"
        subst = _floor(f"{i} + {pad_num} {minus} {k}", str(s), latex) + " + 1"
    else:
        general = "o = " + _floor(f"i + {pad_sym} {minus} k {minus} (k{minus}1)(d{minus}1)", "s",
                                  latex) + " + 1"
        subst = _floor(f"{i} + {pad_num} {minus} {k} {minus} {k - 1}{times}{d - 1}", str(s),
                       latex) + " + 1"
    return Formula(general, subst, sp.output[axis])


def transposed_output(sp: ConvSpec, axis: int = 0, latex: bool = False) -> Formula:
    """o = (i − 1)s − 2p + d(k−1) + output_padding + 1 (PyTorch's ConvTranspose)."""
    minus, times = _ops(latex)
    i, k, s, d = sp.input[axis], sp.kernel[axis], sp.stride[axis], sp.dilation[axis]
    b, a = sp.padding[axis]
    op = sp.output_padding[axis]
    opname = r"\mathit{op}" if latex else "output_padding"
    if b == a:
        pad_sym, pad_num = f"{minus} 2p", f"{minus} 2{times}{b}"
    else:
        pad_sym, pad_num = f"{minus} p_b {minus} p_a", f"{minus} {b} {minus} {a}"
    general = f"o = (i {minus} 1)s {pad_sym} + d(k{minus}1) + {opname} + 1"
    subst = f"({i} {minus} 1){times}{s} {pad_num} + {d}{times}{k - 1} + {op} + 1"
    return Formula(general, subst, sp.output[axis])


def same_output(sp: ConvSpec, axis: int = 0, latex: bool = False) -> Formula:
    """TensorFlow SAME: o = ⌈i/s⌉."""
    i, s = sp.input[axis], sp.stride[axis]
    return Formula("o = " + _ceil("i", "s", latex), _ceil(str(i), str(s), latex), sp.output[axis])


def same_padding(sp: ConvSpec, axis: int = 0, latex: bool = False) -> Formula:
    """TensorFlow SAME total padding: max((o−1)s + d(k−1) + 1 − i, 0), split before/after."""
    minus, times = _ops(latex)
    i, k, s, d = sp.input[axis], sp.kernel[axis], sp.stride[axis], sp.dilation[axis]
    o = sp.output[axis]
    b, a = sp.padding[axis]
    general = f"p_b + p_a = \\max((o {minus} 1)s + d(k {minus} 1) + 1 {minus} i, 0)" if latex else \
        f"p_b + p_a = max((o − 1)s + d(k−1) + 1 − i, 0)"
    subst = (f"\\max(({o} {minus} 1){times}{s} + {d}{times}{k - 1} + 1 {minus} {i}, 0)" if latex
             else f"max(({o} − 1)·{s} + {d}·{k - 1} + 1 − {i}, 0)")
    return Formula(general, subst, b + a)


def output_formulas(sp: ConvSpec, axis: int = 0, latex: bool = False) -> list[Formula]:
    """The formulas that explain this axis' output size, most specific last."""
    if sp.transposed:
        return [transposed_output(sp, axis, latex)]
    if sp.padding_name == "same":
        return [same_output(sp, axis, latex), same_padding(sp, axis, latex),
                conv_output(sp, axis, latex)]
    return [conv_output(sp, axis, latex)]


def effective_kernel_formula(k: int, d: int, latex: bool = False) -> Formula:
    """k̂ = d(k − 1) + 1."""
    minus, times = _ops(latex)
    general = (r"\hat{k} = d(k - 1) + 1" if latex else "k̂ = d(k − 1) + 1")
    return Formula(general, f"{d}{times}({k} {minus} 1) + 1", effective_kernel(k, d))
