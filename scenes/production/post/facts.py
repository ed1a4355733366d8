"""Every number of the post, computed by convmath: the fields ``{{name}}`` of its text.

Each example of the post is a convmath call below; :func:`fields` returns the field names and
their text in one language (Spanish groups thousands with a space and writes a decimal comma,
English uses commas and a decimal point). A field whose name ends in ``_tex`` is LaTeX, for
use inside ``$…$``; the others are plain text. The examples are the lecture's own, so the post
and the video show the same numbers. Cells, rows and positions are numbered from 1.

Pure Python and convmath; never imports manim.
"""

from __future__ import annotations

from fractions import Fraction
from math import prod
from typing import Callable, Iterable, Sequence

import numpy as np

import convmath as cm
from convmath.examples import example_input, example_kernel, example_values
from convmath.networks import totals, vgg16
from convmath.relationships import relationship

LANGS = ("es", "en")
NBSP = "\u00a0"

# --- the examples (the lecture's, see scenes/s*.py) -------------------------------------------
PARAMS_IMAGE = cm.spec((28, 28), 3)                       # conv against a dense layer
GUIDE = dict(input=(5, 5), kernel=(3, 3))                 # the guide's Figure 1.1
STRIDE, PADDING, DILATION = 2, 1, 2                       # one parameter at a time
A1 = cm.spec((5, 5), 3, stride=2, padding=1)              # A1: all together
A1_DILATED = cm.spec((7, 7), 3, dilation=2)               # the guide's dilation figure
MATRIX = cm.spec((4, 4), 3)                               # A2
MATRIX_STRIDED = cm.spec((5, 5), 3, stride=2, padding=1)
LINE = cm.spec(7, 3)                                      # A3, one axis
LINE_STRIDED = cm.spec(7, 3, stride=2)
OUTPUT_CASES = [   # (relationship, (i, k, s, p, d)): the guide's Figures 2.1–2.7 and 5.1
    (1, (4, 3, 1, 0, 1)), (2, (5, 4, 1, 2, 1)), (3, (5, 3, 1, 1, 1)), (4, (5, 3, 1, 2, 1)),
    (5, (5, 3, 2, 0, 1)), (6, (5, 3, 2, 1, 1)), (15, (7, 3, 1, 0, 2)),
]
ODD = cm.spec((6, 6), 3, stride=2, padding=1)             # the odd case: 6 and 5 give 3
DOWN_STEP = dict(kernel=4, stride=2, padding=1)           # halves, and its transposed doubles
DOWN_INPUT, DOWN_STEPS = 16, 2
ROUND_TRIP = cm.spec((4, 4), 3)                           # Cᵀ(C·x) ≠ x
T_LINE = cm.plan_transpose(LINE).transposed               # 5 → 7, the arrows reversed
T_LINE_VALUES = (example_input(T_LINE.input), example_values(T_LINE.kernel, seed=14, low=1, high=3))
T_STRIDED = cm.plan_transpose(LINE_STRIDED).transposed    # 3 → 7
T_MATRIX = cm.plan_transpose(MATRIX).transposed           # 2×2 → 4×4 through Cᵀ
T_MATRIX_VALUES = (example_input(T_MATRIX.input, seed=1), example_kernel(T_MATRIX.kernel))
T_MATRIX_ROW = 5                                          # the row of Cᵀ written out (0-based)
SUPER = cm.transposed((3, 3), 3, stride=2, padding=1)     # superposition and direct view
SUPER_VALUES = (example_values(SUPER.input, seed=9, low=1, high=3),   # no zeros: every stamp
                example_values(SUPER.kernel, seed=1, low=1, high=2))  # and every sum shows
CHECKER = (cm.transposed((4, 4), 3, stride=2, padding=1), cm.transposed((4, 4), 4, stride=2, padding=1))
TRANSPOSED_CASES = [   # (relationship, (i, k, s, p)) of the convolution whose transposed it is
    (8, (4, 3, 1, 0)), (9, (5, 4, 1, 2)), (10, (5, 3, 1, 1)), (11, (5, 3, 1, 2)),
    (12, (5, 3, 2, 0)), (13, (5, 3, 2, 1)), (14, (6, 3, 2, 1)),
]
PLAN = cm.spec((28, 28), 3, stride=2, padding=1)          # from a conv to its transposed
SAME_ODD = cm.spec((5, 5), 3, padding="same")
SAME_EVEN = cm.spec((5, 5), 4, padding="same")
SAME_STRIDED = cm.spec(7, 3, stride=2, padding="same")
SAME_UNEVEN = cm.spec(6, 3, stride=2, padding="same")
DIMS_LINE = cm.spec(7, 3)
DIMS_IMAGE = cm.spec((7, 5), kernel=(3, 2), stride=(2, 1), padding=(1, 0))
DIMS_IMAGE_VALUES = (example_input(DIMS_IMAGE.input, seed=5), example_kernel(DIMS_IMAGE.kernel))
DIMS_VOLUME = cm.spec((4, 5, 5), kernel=(2, 3, 3))
DIMS_CHANNELS = cm.spec((5, 5), 3, in_channels=3, out_channels=2)
RF_STRIDED = [cm.Layer(3), cm.Layer(3, stride=2), cm.Layer(3)]
RF_DILATED = [cm.Layer(3, dilation=1), cm.Layer(3, dilation=2), cm.Layer(3, dilation=4)]


class FieldError(ValueError):
    """A field defined twice, or a value that cannot be written."""


# --- writing numbers --------------------------------------------------------------------------

def number(n, lang: str) -> str:
    """An integer as prose writes it: es ``529 984`` (no grouping under 10 000), en ``529,984``."""
    n = int(n)
    digits = f"{abs(n):,}"
    if lang == "es":
        digits = str(abs(n)) if abs(n) < 10_000 else digits.replace(",", NBSP)
    return ("−" if n < 0 else "") + digits


def tex_number(n, lang: str) -> str:
    """An integer or Fraction for LaTeX: ``529\\,984`` (es), ``529{,}984`` (en), ``\\frac{1}{2}``."""
    if isinstance(n, Fraction) and n.denominator != 1:
        sign = "-" if n < 0 else ""
        return rf"{sign}\tfrac{{{abs(n.numerator)}}}{{{n.denominator}}}"
    text = number(n, lang).replace("−", "-")
    return text.replace(NBSP, r"\,") if lang == "es" else text.replace(",", "{,}")


def decimal(x, digits: int, lang: str) -> str:
    """``x`` rounded: ``14,7`` (es) / ``14.7`` (en)."""
    text = f"{float(x):.{digits}f}"
    return text.replace(".", ",") if lang == "es" else text


def size(shape: Sequence[int]) -> str:
    """``5×5``, ``4×5×5``, or ``7`` for one axis."""
    return "×".join(str(int(v)) for v in shape)


def tex_size(shape: Sequence[int]) -> str:
    return r" \times ".join(str(int(v)) for v in shape)


def and_list(items: Iterable, lang: str) -> str:
    """``2, 3 y 4`` / ``2, 3, and 4``."""
    items = [str(v) for v in items]
    if len(items) < 2:
        return "".join(items)
    word = " y " if lang == "es" else " and "
    if len(items) == 2:
        return items[0] + word + items[1]
    return ", ".join(items[:-1]) + ("," if lang == "en" else "") + word + items[-1]


def tex_matrix(a, lang: str, kind: str = "bmatrix") -> str:
    """A 2D array (or a 1D one, as a row) as a LaTeX matrix of exact numbers."""
    a = np.asarray(a, dtype=object)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    rows = [" & ".join(tex_number(v, lang) for v in row) for row in a]
    return rf"\begin{{{kind}}} " + r" \\ ".join(rows) + rf" \end{{{kind}}}"


def tex_products(pairs, lang: str) -> str:
    """``3\\cdot 0 + 3\\cdot 1 + …`` from (x, w) pairs."""
    return " + ".join(rf"{tex_number(x, lang)} \cdot {tex_number(w, lang)}" for x, w in pairs)


def cells(indices: Iterable, lang: str) -> str:
    """1-based cell numbers of 0-based 1D indices: ``2, 3 y 4``."""
    return and_list([int(i[0] if isinstance(i, tuple) else i) + 1 for i in indices], lang)


# --- the fields -------------------------------------------------------------------------------

class Fields(dict):
    """Field name → text; ``add`` refuses a name twice (a copy-paste slip in this module)."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def add(self, prefix: str, **values) -> None:
        for key, value in values.items():
            name = f"{prefix}.{key}"
            if name in self:
                raise FieldError(f"field {name} is defined twice")
            if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
                value = number(value, self.lang)
            elif not isinstance(value, str):
                raise FieldError(f"field {name}: {value!r} is not text or an integer")
            self[name] = value

    def spec_fields(self, prefix: str, sp: cm.ConvSpec) -> None:
        """i, k, s, p, d, o (first axis), their sizes, and the effective kernel."""
        self.add(prefix, i=sp.input[0], k=sp.kernel[0], s=sp.stride[0], p=sp.padding[0][0],
                 d=sp.dilation[0], o=sp.output[0], kk=sp.effective_kernel[0],
                 i_size=size(sp.input), k_size=size(sp.kernel), o_size=size(sp.output),
                 i_tex=tex_size(sp.input), k_tex=tex_size(sp.kernel), o_tex=tex_size(sp.output))


def _convolution(f: Fields) -> None:
    lang = f.lang
    cmp = cm.compare_with_dense(PARAMS_IMAGE)
    f.add("conv", image=size(PARAMS_IMAGE.input), kernel=size(PARAMS_IMAGE.kernel),
          out=size(PARAMS_IMAGE.output), weights=cmp.conv, dense=cmp.dense,
          dense_tex=tex_number(cmp.dense, lang), n_in=prod(PARAMS_IMAGE.input),
          n_out=prod(PARAMS_IMAGE.output), ratio=number(cmp.dense // cmp.conv, lang),
          k_tex=r" \cdot ".join(str(k) for k in PARAMS_IMAGE.kernel),
          n_in_tex=tex_number(prod(PARAMS_IMAGE.input), lang),
          n_out_tex=tex_number(prod(PARAMS_IMAGE.output), lang))
    layers = vgg16()
    tot = totals(layers)
    fc1 = next(layer for layer in layers if layer.kind == "dense")
    f.add("vgg", conv=decimal(Fraction(tot["conv"], 10**6), 1, lang),
          dense=decimal(Fraction(tot["dense"], 10**6), 1, lang),
          fc1=decimal(Fraction(fc1.params, 10**6), 1, lang),
          n_conv=sum(layer.kind == "conv" for layer in layers),
          n_dense=sum(layer.kind == "dense" for layer in layers),
          share=number(round(100 * tot["dense"] / tot["total"]), lang))
    x = example_input(GUIDE["input"])[0]
    w = example_kernel(GUIDE["kernel"])[0]
    f.add("corr", x_tex=tex_matrix(x, lang, "pmatrix"), w_tex=tex_matrix(w, lang, "pmatrix"),
          w_flip_tex=tex_matrix(w[::-1], lang, "pmatrix"),
          corr_tex=tex_matrix(cm.correlate(x, w), lang, "pmatrix"),
          conv_tex=tex_matrix(cm.convolve(x, w), lang, "pmatrix"))


def _parameters(f: Fields) -> None:
    lang = f.lang
    x = example_input(GUIDE["input"])
    w = example_kernel(GUIDE["kernel"])
    plain = cm.spec(GUIDE["input"], GUIDE["kernel"])
    board = cm.storyboard(plain, x, w)
    first = board.steps[0]
    strided = cm.spec(GUIDE["input"], GUIDE["kernel"], stride=STRIDE)
    padded = cm.spec(GUIDE["input"], GUIDE["kernel"], padding=PADDING)
    dilated = cm.spec(GUIDE["input"], GUIDE["kernel"], dilation=DILATION)
    f.spec_fields("par", plain)
    f.add("par", x_tex=tex_matrix(x, lang), w_tex=tex_matrix(w, lang),
          out_tex=tex_matrix(board.output, lang),
          first_products=tex_products([(t.x, t.w) for t in first.taps], lang),
          first=first.total, s2=STRIDE, p2=PADDING, d2=DILATION,
          o_stride=size(strided.output), o_pad=size(padded.output),
          o_dil=size(dilated.output), kk2=dilated.effective_kernel[0],
          positions=len(board.steps))
    a1 = cm.storyboard(A1, example_input(A1.input), example_kernel(A1.kernel))
    f.spec_fields("a1", A1)
    f.add("a1", n=len(a1.steps), first=a1.steps[0].total, out_tex=tex_matrix(a1.output, lang),
          corner_zeros=sum(t.input is None for t in a1.steps[0].taps))
    f.spec_fields("a1d", A1_DILATED)


def _matrix(f: Fields) -> None:
    taps = cm.tap_matrix(MATRIX)
    kernel_index = list(np.ndindex(*MATRIX.kernel))

    def entry(t):
        if t < 0:
            return "0"
        r, c = kernel_index[t]
        return f"w_{{{r + 1}{c + 1}}}"
    c_tex = (r"\begin{bmatrix} " + r" \\ ".join(" & ".join(entry(t) for t in row) for row in taps)
             + r" \end{bmatrix}")
    rows, cols = cm.matrix_shape(MATRIX)
    nz = len(cm.matrix_entries(MATRIX)[0])
    f.spec_fields("mat", MATRIX)
    f.add("mat", c_tex=c_tex, rows=rows, cols=cols, nz=nz, total=rows * cols,
          taps=MATRIX.kernel_taps, zeros=rows * cols - nz)
    rows2, cols2 = cm.matrix_shape(MATRIX_STRIDED)
    nz2 = len(cm.matrix_entries(MATRIX_STRIDED)[0])
    f.spec_fields("mat2", MATRIX_STRIDED)
    f.add("mat2", rows=rows2, cols=cols2, nz=nz2, total=rows2 * cols2)


def _connectivity(f: Fields) -> None:
    lang = f.lang
    reads, feeds = cm.reads(LINE), cm.feeds(LINE)
    out_cell = LINE.output[0] // 2                   # a middle output
    in_cell = LINE.input[0] // 2                     # a middle input
    uses = cm.usage_count(LINE)
    f.spec_fields("con", LINE)
    f.add("con", o_cell=out_cell + 1, o_reads=cells([c for c, _ in reads[(out_cell,)]], lang),
          in_cell=in_cell + 1, in_feeds=cells([o for o, _ in feeds[(in_cell,)]], lang),
          max_uses=int(uses.max()), min_uses=int(uses.min()))
    uses2 = cm.usage_count(LINE_STRIDED)
    f.spec_fields("con2", LINE_STRIDED)
    f.add("con2", max_uses=int(uses2.max()), min_uses=int(uses2.min()))


def _params_tex(i: int, k: int, s: int, p: int, d: int) -> str:
    """``i = 5,\\ k = 3,\\ s = 2``: i, k and the parameters that differ from the default."""
    parts = [f"i = {i}", f"k = {k}"]
    parts += [f"{name} = {v}" for name, v, default in (("s", s, 1), ("p", p, 0), ("d", d, 1))
              if v != default]
    return r",\ ".join(parts)


def _example_case(i: int, k: int, s: int, p: int, d: int, o: int) -> str:
    """``i = 5,\\ k = 3,\\ s = 2 \\Rightarrow o = 2``."""
    return _params_tex(i, k, s, p, d) + rf" \;\Rightarrow\; o = {o}"


def _output_formulas(f: Fields) -> None:
    for n, (i, k, s, p, d) in OUTPUT_CASES:
        rel = relationship(n)
        o = cm.spec(i, k, s, p, d).output[0]
        if rel.output(i, k, s, p, d) != o:
            raise FieldError(f"relationship {n} gives {rel.output(i, k, s, p, d)}, convmath {o}")
        f.add(f"r{n}", n=n, tex=rel.latex, example_tex=_example_case(i, k, s, p, d, o))
    general = relationship(6)
    f.spec_fields("odd", ODD)
    five = cm.spec(ODD.input[0] - 1, ODD.kernel[0], ODD.stride[0], ODD.padding[0][0])
    if five.output[0] != ODD.output[0]:
        raise FieldError("the odd case's smaller input gives another output size")
    last_read = (ODD.output[0] - 1) * ODD.stride[0] + ODD.effective_kernel[0]   # cells reached
    f.add("odd", i_other=five.input[0], o_other=five.output[0], rel=general.number,
          padded=size(ODD.padded_input), unread=ODD.padded_input[0] - last_read)


def _transposed(f: Fields) -> None:
    lang = f.lang
    x = example_input(ROUND_TRIP.input)
    w = example_kernel(ROUND_TRIP.kernel)
    back_spec = cm.transposed(ROUND_TRIP.output, ROUND_TRIP.kernel)
    cx = cm.apply_matrix(ROUND_TRIP, w, x)
    back = cm.apply_matrix(back_spec, w, cx)
    diff = [(a, b) for a, b in zip(x.reshape(-1), back.reshape(-1)) if a != b]
    f.spec_fields("tr", ROUND_TRIP)
    f.add("tr", x_tex=tex_matrix(x, lang), cx_tex=tex_matrix(cx, lang),
          back_tex=tex_matrix(back, lang), a=int(diff[0][0]), b=int(diff[0][1]),
          back_o=size(back_spec.output))
    down = [DOWN_INPUT]
    for _ in range(DOWN_STEPS):
        down.append(cm.spec(down[-1], **DOWN_STEP).output[0])
    up = [down[-1]]
    for _ in range(DOWN_STEPS):
        up.append(cm.transposed(up[-1], **DOWN_STEP).output[0])
    arrow = " → "
    f.add("up", k=DOWN_STEP["kernel"], s=DOWN_STEP["stride"], p=DOWN_STEP["padding"],
          down=arrow.join(number(v, lang) for v in down), up=arrow.join(number(v, lang) for v in up))


def _transposed_connectivity(f: Fields) -> None:
    lang = f.lang
    y, w = T_LINE_VALUES
    out = cm.transposed_conv(y, w)
    reads = cm.reads(T_LINE)
    middle, border = T_LINE.output[0] // 2, 0
    def arrivals(o):
        pairs = reads[(o,)]
        return pairs, rf" + ".join(rf"{y[c[0]]} \cdot {w[t[0]]}" for c, t in pairs)
    pairs1, sum1 = arrivals(middle)
    pairs2, _ = arrivals(border)
    conv = LINE
    f.add("tc", i=conv.input[0], k=conv.kernel[0], o=conv.output[0],
          y_tex=tex_matrix(y, lang, "pmatrix"), w_tex=tex_matrix(w, lang, "pmatrix"),
          out_tex=tex_matrix(out, lang, "pmatrix"), o1=middle + 1, n1=len(pairs1), sum1=sum1,
          v1=int(out[middle]), o2=border + 1, n2=len(pairs2), v2=int(out[border]),
          feed_cell=T_LINE.input[0] // 2 + 1,
          feeds=cells([o for o, _ in cm.feeds(T_LINE)[(T_LINE.input[0] // 2,)]], lang))
    counts = cm.overlap_map(T_STRIDED)
    f.add("tc2", s=LINE_STRIDED.stride[0], i=LINE_STRIDED.input[0], o=LINE_STRIDED.output[0],
          hi=int(counts.max()), lo=int(counts.min()),
          counts_tex=tex_matrix(counts, lang, "pmatrix"))


def _transposed_matrix(f: Fields) -> None:
    lang = f.lang
    rows, cols = cm.matrix_shape(MATRIX)
    y, w = T_MATRIX_VALUES
    ct = cm.conv_matrix_dense(MATRIX, w).T
    out = cm.apply_matrix(T_MATRIX, w, y)
    row = ct[T_MATRIX_ROW]
    links = cm.tap_matrix(MATRIX).T[T_MATRIX_ROW] >= 0       # Cᵀ's entries that are weights
    yv = y.reshape(-1)
    used = [(int(yv[j]), int(row[j])) for j in np.nonzero(links)[0]]
    f.add("tm", i_size=size(MATRIX.input), k_size=size(MATRIX.kernel),
          o_size=size(MATRIX.output), rows=rows, cols=cols, r=T_MATRIX_ROW + 1, n=len(used),
          row_sum=tex_products(used, lang), v=int(out.reshape(-1)[T_MATRIX_ROW]),
          y_tex=tex_matrix(y, lang), out_tex=tex_matrix(out, lang),
          row_cell=f"{np.unravel_index(T_MATRIX_ROW, MATRIX.input)[0] + 1}",
          col_cell=f"{np.unravel_index(T_MATRIX_ROW, MATRIX.input)[1] + 1}")


def _superposition(f: Fields) -> None:
    lang = f.lang
    x, w = SUPER_VALUES
    sup = cm.superposition(SUPER, x, w)
    pads = [b for b, _ in SUPER.padding]
    ways = {"matrix": cm.transposed_matrix(x, w, SUPER.stride, pads),
            "scatter": cm.transposed_scatter(x, w, SUPER.stride, pads),
            "direct": cm.transposed_direct(x, w, SUPER.stride, pads),
            "conv": cm.transposed_conv(x, w, SUPER.stride, pads)}
    first = next(iter(ways.values()))
    if not all(np.array_equal(first, v) for v in ways.values()):
        raise FieldError("the four derivations of the transposed convolution disagree")
    plan = cm.plan_transpose(SUPER.forward())
    f.spec_fields("sup", SUPER)
    f.add("sup", x_tex=tex_matrix(x, lang), w_tex=tex_matrix(w, lang),
          out_tex=tex_matrix(first, lang), v1=int(x.reshape(-1)[0]), v2=int(x.reshape(-1)[1]),
          canvas=size(sup.canvas_shape), z=SUPER.stride[0] - 1, pp=plan.direct_padding[0][0],
          stretched=size(tuple((i - 1) * s + 1 for i, s in zip(SUPER.input, SUPER.stride))),
          overlap=int(sup.overlap.max()), stamps=len(sup.stamps))
    odd, even = CHECKER
    c_odd, c_even = cm.overlap_map(odd), cm.overlap_map(even)
    inner_even = c_even[1:-1, 1:-1]
    if inner_even.min() != inner_even.max():
        raise FieldError("the even kernel's inner counts are not uniform")
    f.add("chk", s=odd.stride[0], k1=odd.kernel[0], k2=even.kernel[0],
          odd_tex=tex_matrix(c_odd, lang), even_tex=tex_matrix(c_even, lang),
          n2=int(inner_even.max()), lo=int(c_odd.min()), hi=int(c_odd.max()),
          size=size(odd.output))


def _transposed_formulas(f: Fields) -> None:
    t = SUPER
    f.add("tf", i=t.input[0], k=t.kernel[0], s=t.stride[0], p=t.padding[0][0], o=t.output[0],
          canvas=(t.input[0] - 1) * t.stride[0] + t.effective_kernel[0])
    for n, (i, k, s, p) in TRANSPOSED_CASES:
        rel = relationship(n)
        conv = cm.spec(i, k, s, p)
        plan = cm.plan_transpose(conv)
        o_t = rel.output(i, k, s, p, 1)
        if o_t != plan.transposed.output[0]:
            raise FieldError(f"relationship {n} gives {o_t}, convmath {plan.transposed.output[0]}")
        f.add(f"r{n}", n=n, tex=rel.latex,
              conv_tex=_params_tex(i, k, s, p, 1),
              t_example_tex=rf"i' = {conv.output[0]} \;\Rightarrow\; o' = {o_t}",
              pp=plan.direct_padding[0][0], z=plan.zeros_between[0], a=plan.a[0],
              ip=conv.output[0], op=o_t)
    odd_conv = cm.spec(*TRANSPOSED_CASES[-1][1])
    smaller = cm.spec(odd_conv.input[0] - 1, *TRANSPOSED_CASES[-1][1][1:])
    no_op = cm.transposed(odd_conv.output, odd_conv.kernel, odd_conv.stride, odd_conv.padding)
    if smaller.output != odd_conv.output or no_op.output != smaller.input:
        raise FieldError("the odd case's two inputs do not share an output")
    f.add("r14", i=odd_conv.input[0], o0=no_op.output[0], i_other=smaller.input[0])
    plan = cm.plan_transpose(PLAN)
    t = plan.transposed
    f.add("plan", i=size(PLAN.input), o=size(PLAN.output), k=PLAN.kernel[0], s=PLAN.stride[0],
          p=PLAN.padding[0][0], a=plan.a[0], z=plan.zeros_between[0],
          before=plan.direct_padding[0][0], after=plan.direct_padding[0][1],
          ti=t.input[0], to=t.output[0], i1=PLAN.input[0],
          check_tex=(rf"({t.input[0]} - 1) \cdot {t.stride[0]} - 2 \cdot {t.padding[0][0]}"
                     rf" + {t.dilation[0]} \cdot ({t.kernel[0]} - 1) + {t.output_padding[0]} + 1"
                     rf" = {t.output[0]}"))


def _same(f: Fields) -> None:
    for prefix, sp in (("same1", SAME_ODD), ("same2", SAME_EVEN), ("same3", SAME_STRIDED),
                       ("same4", SAME_UNEVEN)):
        (before, after), i, k, s = sp.padding[0], sp.input[0], sp.kernel[0], sp.stride[0]
        o = -(-i // s)
        total = max((o - 1) * s + sp.effective_kernel[0] - i, 0)
        if (before, after) != cm.tf_same_padding(i, k, s) or o != sp.output[0]:
            raise FieldError(f"SAME padding of {prefix} disagrees with convmath")
        f.spec_fields(prefix, sp)
        f.add(prefix, total=total, before=before, after=after,
              total_tex=rf"\max(({o} - 1) \cdot {s} + {k} - {i},\ 0) = {total}")


def _dimensions(f: Fields) -> None:
    f.spec_fields("d1", DIMS_LINE)
    img = DIMS_IMAGE
    f.add("d2", i=size(img.input), o=size(img.output), k0=img.kernel[0], k1=img.kernel[1],
          s0=img.stride[0], s1=img.stride[1], p0=img.padding[0][0], p1=img.padding[1][0],
          i0=img.input[0], i1=img.input[1], o0=img.output[0], o1=img.output[1],
          k=size(img.kernel))
    vol = DIMS_VOLUME
    f.add("d3", i=size(vol.input), k=size(vol.kernel), o=size(vol.output))
    ch = DIMS_CHANNELS
    cin, cout, k = ch.in_channels, ch.out_channels, ch.kernel
    f.add("ch", cin=cin, cout=cout, k=size(k), i=size(ch.input), o=size(ch.output),
          block=size((cin,) + k), params=cm.conv_params(cin, cout, k),
          weights=cout * cin * prod(k),
          in_shape=size((cin,) + ch.input), out_shape=size((cout,) + ch.output))


def _receptive(f: Fields) -> None:
    lang = f.lang
    for prefix, layers in (("rf", RF_STRIDED), ("rfd", RF_DILATED)):
        steps = cm.receptive_field(layers)
        r = cm.closed_form_size(layers)
        if r != steps[-1].size:
            raise FieldError(f"{prefix}: the closed form gives {r}, the recurrence {steps[-1].size}")
        jumps = [1] + [s.jump for s in steps[:-1]]
        kks = [cm.effective_kernel(s.layer.kernel, s.layer.dilation) for s in steps]
        terms = " + ".join(rf"({kk} - 1) \cdot {j}" for kk, j in zip(kks, jumps)) + " + 1"
        f.add(prefix, n=len(layers), k=layers[0].kernel, r=r, sizes=and_list(
              [s.size for s in steps], lang), jump=steps[-1].jump, terms_tex=terms,
              kks=and_list(kks, lang), ds=and_list([s.layer.dilation for s in steps], lang),
              strides=and_list([s.layer.stride for s in steps], lang),
              first=steps[0].size)
    mid = RF_STRIDED[1]
    f.add("rf", s=mid.stride)


SECTIONS: list[Callable[[Fields], None]] = [
    _convolution, _parameters, _matrix, _connectivity, _output_formulas, _transposed,
    _transposed_connectivity, _transposed_matrix, _superposition, _transposed_formulas, _same,
    _dimensions, _receptive,
]


def fields(lang: str) -> dict[str, str]:
    """Every field of the post in ``lang``: name → text."""
    if lang not in LANGS:
        raise FieldError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    f = Fields(lang)
    for section in SECTIONS:
        section(f)
    return dict(f)
