"""The ``convmath`` command: exact answers with the formula written out.

    convmath shape 7 --kernel 3 --stride 2 --padding 1
    convmath transpose 6 --kernel 3 --stride 2 --padding 1
    convmath matrix 4x4 --kernel 3
    convmath conv --input-values '[[1,2,3],[4,5,6],[7,8,9]]' --kernel-values '[[1,0],[0,-1]]'
    convmath receptive-field --layer 3,1,1 --layer 3,2,1 --layer 3,1,1

Bad parameters print one line on stderr and exit with status 2; every input is checked against
the limits of :mod:`convmath.limits` before any work starts.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction

import numpy as np

from . import formulas, relationships
from .errors import ConvError
from .limits import (MAX_AXES, MAX_CELLS, MAX_DENSE_ENTRIES, MAX_LAYERS, MAX_SPARSE_ENTRIES,
                     check_axes, check_conv, check_matrix, check_taps, quotients,
                     integer, integers, read_values)
from .matrix import matrix_entries, matrix_nonzeros, matrix_shape
from .receptive import Layer, closed_form_size, receptive_field
from .spec import PADDING_NAMES, ConvSpec, spec
from .transpose import plan_transpose
from .values import convolve, correlate, exact_operands, transposed_scatter

PRINTED_COLUMNS = 40    # a wider C is summarised (its entries: --json)
PRINTED_ROWS = 200


class UsageError(ConvError):
    """A command-line argument that cannot be read."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, status 2, no usage dump
        raise UsageError(f"{message} (see 'convmath {self.prog.split()[-1]} --help')"
                         if " " in self.prog else f"{message} (see 'convmath --help')")


def _values(text: str, what: str) -> np.ndarray:
    """A values argument (JSON or @file.json) as an array, within the limits (the configurable
    scenes read theirs with it, and report a UsageError's message as it is)."""
    try:
        return read_values(text, what).as_array()
    except ConvError as exc:
        raise UsageError(str(exc)) from None


_ints = integers    # the configurable scenes read sizes with it


def _padding(text: str):
    if text.strip().lower() in PADDING_NAMES:
        return text.strip().lower()
    axes = []
    parts = text.split(",")
    if len(parts) > MAX_AXES:
        raise UsageError(f"padding has {len(parts)} values; convmath handles at most {MAX_AXES} axes")
    for part in parts:
        if ":" in part:
            before, _, after = part.partition(":")
            axes.append((integer(before, "padding"), integer(after, "padding")))
        else:
            axes.append(integers(part, "padding")[0])
    if len(axes) == 1:  # one value or one before:after pair: the same on every axis
        return axes[0] if isinstance(axes[0], int) else [axes[0]]
    return axes


def _plain(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, Fraction):
        return v.numerator if v.denominator == 1 else str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) <= 2**53:
        return int(v)     # a whole float this small is exactly that integer
    return v


def _tolist(arr: np.ndarray):
    if arr.dtype.kind in "iu" or not arr.size:
        return arr.tolist()
    return np.array([_plain(v) for v in arr.flat], dtype=object).reshape(arr.shape).tolist()


def _fmt_size(t) -> str:
    return "x".join(str(v) for v in t)


def _spec_from(args, input_size=None) -> ConvSpec:
    size = input_size if input_size is not None else integers(args.input, "input size")
    check_axes(size, "input size")
    n = len(size)

    def axes(text, what):
        vals = integers(text, what)
        return vals if len(vals) > 1 else vals * n

    return spec(size, axes(args.kernel, "kernel"), axes(args.stride, "stride"),
                _padding(args.padding), axes(args.dilation, "dilation"),
                transposed=args.transposed,
                output_padding=axes(args.output_padding, "output padding"),
                in_channels=integer(args.in_channels, "in channels"),
                out_channels=integer(args.out_channels, "out channels"),
                groups=integer(args.groups, "groups"))


def _spec_json(sp: ConvSpec) -> dict:
    data = {"input": list(sp.input), "kernel": list(sp.kernel), "stride": list(sp.stride),
            "padding": [list(p) for p in sp.padding], "dilation": list(sp.dilation),
            "output": list(sp.output), "transposed": sp.transposed}
    if sp.transposed:
        data["output_padding"] = list(sp.output_padding)
    return data


def _axis_label(sp: ConvSpec, axis: int) -> str:
    return f"axis {axis}: " if sp.ndim > 1 else ""


# --- subcommands -----------------------------------------------------------------------------


def cmd_shape(args, out):
    sp = _spec_from(args)
    if args.json:
        data = {"output": list(sp.output), "padding": [list(p) for p in sp.padding],
                "formulas": [[f.line() for f in formulas.output_formulas(sp, ax)]
                             for ax in range(sp.ndim)],
                "relationships": [relationships.applicable(
                    sp.input[ax], sp.kernel[ax], sp.stride[ax], sp.padding[ax][0],
                    sp.dilation[ax], transposed=False)
                    if not sp.transposed and sp.padding[ax][0] == sp.padding[ax][1] else []
                    for ax in range(sp.ndim)]}
        print(json.dumps(data, ensure_ascii=False), file=out)
        return
    print(sp.describe(), file=out)
    for ax in range(sp.ndim):
        label = _axis_label(sp, ax)
        for f in formulas.output_formulas(sp, ax):
            print(f"{label}{f.line()}", file=out)
        b, a = sp.padding[ax]
        kind = "cropped from the result" if sp.transposed else "added"
        print(f"{label}padding {kind}: {b} before, {a} after", file=out)
        if not sp.transposed and b == a:
            nums = relationships.applicable(sp.input[ax], sp.kernel[ax], sp.stride[ax], b,
                                            sp.dilation[ax], transposed=False)
            print(f"{label}relationships of the guide that apply: "
                  f"{', '.join(str(n) for n in nums)}", file=out)


def cmd_transpose(args, out):
    sp = _spec_from(args)
    if sp.transposed:
        conv = sp.forward()
        plan = plan_transpose(conv) if conv.output == sp.input else None
    else:
        conv = sp
        plan = plan_transpose(conv)
    t = plan.transposed if (plan and not sp.transposed) else sp
    direct = [(kk - 1 - b, kk - 1 - a + op) for kk, (b, a), op in
              zip(t.effective_kernel, t.padding, t.output_padding)]
    if args.json:
        data = {"conv": _spec_json(conv), "transposed": _spec_json(t),
                "output_padding": list(t.output_padding),
                "pytorch": {"kernel_size": list(t.kernel), "stride": list(t.stride),
                            "padding": [b for b, _ in t.padding] if t.symmetric else None,
                            "output_padding": list(t.output_padding),
                            "dilation": list(t.dilation)},
                "direct": {"kernel": list(t.kernel), "stride": [1] * t.ndim,
                           "zeros_between": [s - 1 for s in t.stride],
                           "padding": [list(p) for p in direct], "kernel_flipped": True,
                           "dilation": list(t.dilation)}}
        print(json.dumps(data, ensure_ascii=False), file=out)
        return
    print(f"convolution:            {conv.describe().split(' ', 1)[1]}", file=out)
    print(f"transposed convolution: {t.describe().split(' ', 2)[2]}", file=out)
    for ax in range(t.ndim):
        label = _axis_label(t, ax)
        print(f"{label}{formulas.transposed_output(t, ax).line()}", file=out)
    nd = t.ndim
    pads = ", ".join(str(b) if b == a else f"({b}, {a})" for b, a in t.padding)
    if t.symmetric:
        print(f"PyTorch: ConvTranspose{nd}d(kernel_size={_tuple(t.kernel)}, "
              f"stride={_tuple(t.stride)}, padding={_tuple([b for b, _ in t.padding])}, "
              f"output_padding={_tuple(t.output_padding)}, dilation={_tuple(t.dilation)})",
              file=out)
    else:
        print(f"PyTorch: asymmetric padding {pads} has no ConvTranspose{nd}d argument; crop the "
              f"result of padding 0 by it instead", file=out)
    for ax in range(nd):
        label = _axis_label(t, ax)
        z = t.stride[ax] - 1
        b, a = direct[ax]
        extra = t.output_padding[ax]
        print(f"{label}equivalent direct convolution: {z} zero{'s' if z != 1 else ''} inserted "
              f"between inputs, padding {b} before and {a} after"
              + (f" (including a = {extra} extra after)" if extra else "")
              + f", kernel {t.kernel[ax]} flipped, stride 1"
              + (f", dilation {t.dilation[ax]}" if t.dilation[ax] > 1 else ""), file=out)


def _tuple(values) -> str:
    values = list(values)
    return str(values[0]) if len(values) == 1 else "(" + ", ".join(str(v) for v in values) + ")"


def _tap_names(sp: ConvSpec) -> list[str]:
    return ["w" + "".join(str(i) for i in t) for t in np.ndindex(*sp.kernel)]


def cmd_matrix(args, out):
    sp = _spec_from(args)
    check_taps(sp.kernel)
    rows, cols = matrix_shape(sp)
    if args.kernel_values:
        w = read_values(args.kernel_values, "kernel values")
        if w.shape != sp.kernel:
            raise UsageError(f"kernel values have shape {_fmt_size(w.shape)}, "
                             f"expected {_fmt_size(sp.kernel)}")
        weights = [_plain(v) for v in w.as_printed()]
    else:
        weights = _tap_names(sp)
    nonzeros = matrix_nonzeros(sp)
    role = ("rows: transposed-input cells, columns: output cells; transposed(y) = Cᵀ·vec(y)"
            if sp.transposed else "rows: output cells, columns: input cells; conv(x) = C·vec(x)")
    printed = cols <= PRINTED_COLUMNS and rows <= PRINTED_ROWS
    if not args.json and not printed:
        print(f"C is {rows}×{cols} ({role})", file=out)
        fits = (rows <= MAX_CELLS and cols <= MAX_CELLS and nonzeros <= MAX_SPARSE_ENTRIES)
        print(f"{nonzeros} non-zero entries of {rows * cols}; too large to print here"
              + ("; --json lists them" if fits else
                 f" (--json lists up to {MAX_SPARSE_ENTRIES} non-zero entries)"), file=out)
        return
    dense = printed or rows * cols <= MAX_DENSE_ENTRIES
    check_matrix(rows, cols, len(weights), nonzeros, dense=dense)
    r, c, t = matrix_entries(sp)
    if dense:
        cells = [[0] * cols for _ in range(rows)]
        for row, col, tap in zip(r.tolist(), c.tolist(), t.tolist()):
            cells[row][col] = weights[tap]
        if args.json:
            print(json.dumps({"shape": [rows, cols], "format": "dense", "matrix": cells},
                             ensure_ascii=False), file=out)
            return
        print(f"C is {rows}×{cols} ({role})", file=out)
        width = max(len(str(v)) for row in cells for v in row)
        for row in cells:
            print(" ".join(str(v).rjust(width) for v in row), file=out)
        return
    order = np.lexsort((c, r))
    print(json.dumps({"shape": [rows, cols], "format": "sparse", "rows": r[order].tolist(),
                      "columns": c[order].tolist(),
                      "values": [weights[tap] for tap in t[order].tolist()]},
                     ensure_ascii=False), file=out)


def cmd_conv(args, out):
    x = read_values(args.input_values, "input values")
    w = read_values(args.kernel_values, "kernel values")
    if w.scaled.ndim != x.scaled.ndim:
        raise UsageError(f"kernel values have {w.scaled.ndim} axes but input values have "
                         f"{x.scaled.ndim}")
    args.kernel = "x".join(str(v) for v in w.shape)
    sp = _spec_from(args, input_size=x.shape)
    exact = x.exact and w.exact
    if exact:   # integers over a common denominator: integer arithmetic, one division at the end
        xs, ws = exact_operands(x.scaled, w.scaled)
    else:
        xs, ws = x.as_float(), w.as_float()
    check_conv(sp, x, w, big_integers=xs.dtype == object)
    if sp.transposed:
        y = transposed_scatter(xs, ws, sp.stride, sp.padding, sp.dilation, 1, sp.output_padding)
    elif args.op == "convolution":
        y = convolve(xs, ws, sp.stride, sp.padding, sp.dilation)
    else:
        y = correlate(xs, ws, sp.stride, sp.padding, sp.dilation)
    y = np.asarray(y)
    if exact and x.denominator * w.denominator != 1:
        flat = quotients(y, x.denominator * w.denominator)
        y = np.empty(len(flat), dtype=object)
        y[:] = flat
        y = y.reshape(sp.output)
    result = _tolist(y)
    if args.json:
        print(json.dumps({"output": result}, ensure_ascii=False), file=out)
        return
    what = "transposed convolution" if sp.transposed else (
        "true convolution (kernel flipped)" if args.op == "convolution"
        else "cross-correlation (what frameworks call convolution)")
    print(f"{what}, output {_fmt_size(sp.output)}:", file=out)
    if y.ndim > 2:
        print(json.dumps(result, ensure_ascii=False), file=out)
        return
    rows = [list(map(str, row)) for row in (result if y.ndim == 2 else [result])]
    width = max(max(map(len, row)) for row in rows)
    out.write("".join(" ".join([v.rjust(width) for v in row]) + "\n" for row in rows))


def _layer(text: str) -> Layer:
    parts = text.replace(":", ",").split(",")
    if not 1 <= len(parts) <= 4:
        raise UsageError(f"a layer is k[,s[,p[,d]]], got {text!r}")
    return Layer(*integers(text, "layer", seps=",:", most=4))


def cmd_receptive(args, out):
    if len(args.layer or []) > MAX_LAYERS:
        raise UsageError(f"{len(args.layer)} layers given; the limit is {MAX_LAYERS}")
    layers = [_layer(t) for t in (args.layer or [])]
    if not layers:
        raise UsageError("give at least one --layer k[,s[,p[,d]]]")
    fields = receptive_field(layers)
    if args.json:
        print(json.dumps({"layers": [
            {"kernel": f.layer.kernel, "stride": f.layer.stride, "padding": f.layer.padding,
             "dilation": f.layer.dilation, "size": f.size, "jump": f.jump,
             "center": _plain(f.center), "effective_padding": f.effective_padding}
            for f in fields]}), file=out)
        return
    print("layer   k  s  p  d   size  jump  center  eff.pad", file=out)
    for n, f in enumerate(fields, 1):
        L = f.layer
        print(f"{n:>5} {L.kernel:>3}{L.stride:>3}{L.padding:>3}{L.dilation:>3} "
              f"{f.size:>6}{f.jump:>6}{str(f.center):>8}{f.effective_padding:>9}", file=out)
    terms, jump = [], 1
    for L in layers:
        kk = L.dilation * (L.kernel - 1) + 1
        terms.append(f"({kk} − 1)·{jump}")
        jump *= L.stride
    print(f"r = Σ (k̂ₗ − 1)·Π sᵢ + 1 = {' + '.join(terms)} + 1 = {closed_form_size(layers)}",
          file=out)
    last = fields[-1]
    lo, hi = last.first_cell_span
    print(f"output cell 0 sees input cells {lo} to {hi} (negative: padding), centered on "
          f"{last.center}; neighboring outputs are {last.jump} input cells apart", file=out)


# --- the parser ------------------------------------------------------------------------------


def _add_conv_args(p, with_input=True):
    if with_input:
        p.add_argument("input", help="input size per axis: 7 or 7x5 (or 4x4x4)")
    p.add_argument("-k", "--kernel", default="3", help="kernel size: 3 or 3x2 (default 3)")
    p.add_argument("-s", "--stride", default="1", help="stride: 2 or 2x1 (default 1)")
    p.add_argument("-p", "--padding", default="0",
                   help="padding: 1, per axis 1,2, before:after 0:1, or valid|same|full "
                        "(same = TensorFlow SAME) (default 0)")
    p.add_argument("-d", "--dilation", default="1", help="dilation: 1 or 2x1 (default 1)")
    p.add_argument("-t", "--transposed", action="store_true",
                   help="a transposed convolution with these (PyTorch) parameters")
    p.add_argument("--output-padding", default="0",
                   help="transposed only: extra cells after, smaller than stride or dilation")
    p.add_argument("--in-channels", default="1", help=argparse.SUPPRESS)
    p.add_argument("--out-channels", default="1", help=argparse.SUPPRESS)
    p.add_argument("--groups", default="1", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="convmath", description="Exact convolution arithmetic: shapes, padding, "
                     "transposed convolutions, the matrix C, values and receptive fields, with "
                     "the formulas written out.",
                     epilog="Example: convmath shape 7 --kernel 3 --stride 2 --padding 1. "
                            "Inputs are checked against limits first (at most 3 axes, sizes up "
                            "to 10^9, numbers of at most 50 digits, about a second of work): "
                            "see the README's convmath limits.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("shape", help="output size and padding, with the formula",
                       description="Output size and padding of a convolution (or, with "
                                   "--transposed, a transposed convolution), formula written out.")
    _add_conv_args(p)
    p.set_defaults(func=cmd_shape)
    p = sub.add_parser("transpose", help="the transposed convolution that undoes a convolution's "
                       "shape", description="For a convolution: the transposed convolution that "
                       "maps its output shape back to its input shape, in PyTorch's terms and as "
                       "the paper's equivalent direct convolution.")
    _add_conv_args(p)
    p.set_defaults(func=cmd_transpose)
    p = sub.add_parser("matrix", help="the matrix C with conv(x) = C·vec(x)",
                       description="The convolution as a matrix C (row-major flattening).")
    _add_conv_args(p)
    p.add_argument("--kernel-values", help="JSON array or @file.json; default: symbolic w00…")
    p.set_defaults(func=cmd_matrix)
    p = sub.add_parser("conv", help="the values of a convolution",
                       description="Compute a convolution's output values exactly (integers and "
                                   "fractions like \"1/2\" stay exact).")
    _add_conv_args(p, with_input=False)
    p.add_argument("--input-values", required=True, help="JSON array or @file.json")
    p.add_argument("--kernel-values", required=True, help="JSON array or @file.json")
    p.add_argument("--op", choices=["correlation", "convolution"], default="correlation",
                   help="correlation (default, as frameworks compute) or true convolution "
                        "(kernel flipped)")
    p.set_defaults(func=cmd_conv)
    p = sub.add_parser("receptive-field", help="receptive field of a stack of layers",
                       description="Receptive field size, jump and center after each layer: "
                                   "the center of output cell 0's field, in input cells (the "
                                   "first input cell's center is 0).")
    p.add_argument("--layer", action="append",
                   help="one layer as k[,s[,p[,d]]], repeat in order, e.g. --layer 3,2,1")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_receptive)
    return parser


def main(argv=None, out=None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.func(args, out)
    except ConvError as exc:
        print(f"convmath: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
