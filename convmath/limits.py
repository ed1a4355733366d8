"""What the ``convmath`` command accepts, checked before any work starts.

The library computes whatever it is asked; the command line is where a typo or a hostile
argument arrives, so every input is read here against a documented limit and a refusal names
the input and the limit in one line (a :class:`~convmath.errors.ConvError`). The limits keep
every answer within a few seconds and a few hundred MiB on a small machine:

- sizes, strides, paddings, dilations: integers written with ASCII digits, at most
  ``MAX_SIZE`` in magnitude, at most ``MAX_AXES`` axes; ``receptive-field`` takes at most
  ``MAX_LAYERS`` layers;
- values (``--input-values``, ``--kernel-values``: a JSON array or ``@file.json``): at most
  ``MAX_JSON_CHARS`` characters, nested at most ``MAX_AXES`` deep, at most ``MAX_CELLS``
  numbers; each number is an integer, a decimal (``0.25``, ``2.5e-3``) or a string ``"p/q"``
  or ``"0.1"`` (read exactly), finite, with at most ``MAX_DIGITS`` digits before and after the
  point (and in p and in q);
- ``conv``: every array it builds (input, padded input, output) has at most ``MAX_CELLS``
  cells, the kernel at most ``MAX_TAPS``, and the multiply-adds (kernel taps × output cells, or
  × input cells for a transposed convolution) are at most ``MAX_WORK`` in machine integers or
  floats, ``MAX_EXACT_WORK`` when exact results need big integers (at most
  ``MAX_RESULT_DIGITS`` digits in a numerator or denominator);
- ``matrix``: C is printed as a grid when it has at most ``MAX_DENSE_ENTRIES`` entries, and
  with ``--json`` in sparse form (coordinates of the non-zero entries) up to
  ``MAX_SPARSE_ENTRIES`` non-zero entries; its rows and columns are at most ``MAX_CELLS`` each.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import chain
from math import gcd, prod
from pathlib import Path

import numpy as np

from .errors import ConvError

MAX_SIZE = 10**9
MAX_AXES = 3
MAX_LAYERS = 100
MAX_JSON_CHARS = 5_000_000
MAX_DIGITS = 50
MAX_CELLS = 1_000_000
MAX_TAPS = 100_000
MAX_WORK = 200_000_000
MAX_EXACT_WORK = 4_000_000
MAX_RESULT_DIGITS = 200
MAX_DENSE_ENTRIES = 1_000_000
MAX_SPARSE_ENTRIES = 2_000_000

_INT64_MAX = 2**63 - 1
_DIGITS_BOUND = 10**MAX_DIGITS
_INTEGER = re.compile(r"[+-]?[0-9]+")
_FRACTION = re.compile(r"\s*([+-]?[0-9]+)\s*/\s*([0-9]+)\s*")
_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")
_LONGEST_TOKEN = 4 * MAX_DIGITS + 16   # anything longer breaks a digit limit anyway


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# --------------------------------------------------------------------------- sizes


def integer(text: str, what: str) -> int:
    """One integer argument (a size, stride, padding, ...), at most MAX_SIZE in magnitude."""
    token = text.strip()
    if not _INTEGER.fullmatch(token):
        raise ConvError(f"{what} must be an integer written with digits 0-9, got {text!r}")
    if len(token.lstrip("+-").lstrip("0")) > len(str(MAX_SIZE)) or abs(int(token)) > MAX_SIZE:
        raise ConvError(f"{what} {token[:20]}{'…' if len(token) > 20 else ''} is beyond the "
                        f"limit of {_count(MAX_SIZE)}")
    return int(token)


def integers(text: str, what: str, seps: str = "x,", most: int = MAX_AXES) -> tuple[int, ...]:
    """Integers separated by any of ``seps`` (``7x5``, ``3,2,1``): at most ``most`` of them."""
    parts = [text]
    for sep in seps:
        parts = [piece for part in parts for piece in part.split(sep)]
    if len(parts) > most:
        raise ConvError(f"{what} has {len(parts)} values; the limit is {most}"
                        + (f" (convmath handles at most {MAX_AXES} axes)" if most == MAX_AXES else ""))
    try:
        return tuple(integer(p, what) for p in parts)
    except ConvError:
        if all(_INTEGER.fullmatch(p.strip()) for p in parts):
            raise
        raise ConvError(f"{what} must be integers like 7 or 7x5, got {text.strip()!r}") from None


def check_axes(sizes, what: str) -> None:
    if len(sizes) > MAX_AXES:
        raise ConvError(f"{what} has {len(sizes)} axes; convmath handles at most {MAX_AXES}")


# --------------------------------------------------------------------------- numbers


def _decimal_digits(d: Decimal) -> tuple[int, int]:
    """Digits before and after the point when ``d`` is written out."""
    sign, digits, exponent = d.as_tuple()
    before = max(len(digits) + exponent, 0)
    after = max(-exponent, 0)
    return before, after


def _shown(token: str) -> str:
    token = token.strip()
    return repr(token if len(token) <= 24 else token[:20] + "…")


def _too_long(token: str, what: str, where: str = "", digits: int | None = None) -> ConvError:
    count = f"{digits} digits" if digits is not None else f"more than {MAX_DIGITS} digits"
    return ConvError(f"{what}: {_shown(token)} has {count}{where}; the limit is {MAX_DIGITS} "
                     f"(for one number, and for each of p and q in p/q)")


def number(token: str, what: str = "value", *, exact: bool = True) -> tuple[int, int] | float:
    """A number read from its text: (numerator, denominator) when exact, else a float.

    ``exact`` is False only for a JSON number with a fractional part (``0.25``), which stays a
    float as in any JSON reader; integers, ``"p/q"`` and decimal strings are exact.
    """
    if len(token) > _LONGEST_TOKEN:
        raise _too_long(token, what)
    m = _FRACTION.fullmatch(token)
    if m:
        p, q = m.group(1), m.group(2)
        if len(p.lstrip("+-")) > MAX_DIGITS or len(q) > MAX_DIGITS:
            raise _too_long(token, what)
        if int(q) == 0:
            raise ConvError(f"{what}: {_shown(token)} divides by zero")
        n, d = int(p), int(q)
        g = gcd(n, d)
        return n // g, d // g
    if not _DECIMAL.fullmatch(token):
        raise ConvError(f"{what}: {_shown(token)} is not a number (integers, decimals like "
                        f"0.25, or fractions \"p/q\"; finite, ASCII digits)")
    d = Decimal(token.strip())
    before, after = _decimal_digits(d)
    if before > MAX_DIGITS:
        raise _too_long(token, what, " before the point", before)
    if after > MAX_DIGITS:
        raise _too_long(token, what, " after the point", after)
    if d == d.to_integral_value():
        return int(d), 1
    if not exact:
        return float(d)
    f = Fraction(d)
    return f.numerator, f.denominator


@dataclass(frozen=True)
class Values:
    """An array of numbers: exact ones as integers over one common denominator, else floats.

    ``scaled / denominator`` is the array. Exact arithmetic on ``scaled`` (machine integers
    while they fit, Python integers beyond) is as fast as integer arithmetic, and one division
    at the end gives the exact result.
    """

    scaled: np.ndarray
    denominator: int      # 0 for floats

    @property
    def exact(self) -> bool:
        return self.denominator != 0

    @property
    def shape(self) -> tuple[int, ...]:
        return self.scaled.shape

    def as_float(self) -> np.ndarray:
        if not self.exact:
            return self.scaled
        return np.array([n / self.denominator for n in self.scaled.flat],
                        dtype=np.float64).reshape(self.shape)

    def as_array(self) -> np.ndarray:
        """The values as one array: integers (int64, or Python ints past int64), Fractions
        (object) when a value is not whole, or floats."""
        if not self.exact or self.denominator == 1:
            return self.scaled
        out = np.empty(self.scaled.size, dtype=object)
        out[:] = [Fraction(int(n), self.denominator) for n in self.scaled.flat]
        return out.reshape(self.shape)

    def as_printed(self) -> list:
        """Each value as printed: an int, a float or a string "p/q" (flat, in row-major order)."""
        if not self.exact:
            return self.scaled.reshape(-1).tolist()
        return quotients(self.scaled, self.denominator)


def quotients(numerators: np.ndarray, denominator: int) -> list:
    """``numerators / denominator`` cell by cell (flat), as printed: ints where whole, else
    strings "p/q" in lowest terms (no Fraction objects: a quarter of a million stay fast)."""
    out = []
    for n in np.asarray(numerators).reshape(-1).tolist():
        g = gcd(n, denominator)
        out.append(n // g if g == denominator else f"{n // g}/{denominator // g}")
    return out


def _lcm_within(values, what: str) -> int:
    limit = 10**MAX_RESULT_DIGITS
    common = 1
    for d in values:
        if common % d:
            common = common // gcd(common, d) * d
            if common >= limit:
                raise ConvError(f"{what}: the common denominator of the fractions has more than "
                                f"{MAX_RESULT_DIGITS} digits (the limit for exact results)")
    return common


def json_depth(text: str) -> int:
    """How deeply ``text`` nests arrays and objects (strings skipped), without parsing it."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text, flags=re.DOTALL)
    raw = np.frombuffer(bare.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    step = (np.isin(raw, (ord("["), ord("{"))).astype(np.int32)
            - np.isin(raw, (ord("]"), ord("}"))).astype(np.int32))
    return int(np.cumsum(step).max(initial=0))


def read_json_text(text: str, what: str) -> str:
    """``text``, or the contents of the file it names after ``@``, within MAX_JSON_CHARS."""
    if not text.startswith("@"):
        if len(text) > MAX_JSON_CHARS:
            raise ConvError(f"{what} has {_count(len(text))} characters; the limit is "
                            f"{_count(MAX_JSON_CHARS)}")
        return text
    path = Path(text[1:])
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_JSON_CHARS + 1)
    except OSError as exc:
        raise ConvError(f"cannot read {what} file {text[1:]!r}: {exc.strerror}") from None
    if len(data) > MAX_JSON_CHARS:
        raise ConvError(f"{what} file {text[1:]!r} is larger than the limit of "
                        f"{_count(MAX_JSON_CHARS)} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConvError(f"{what} file {text[1:]!r} is not UTF-8 text") from None


def read_values(text: str, what: str) -> Values:
    """A JSON array of numbers (inline or ``@file.json``), checked against every limit."""
    text = read_json_text(text, what)
    depth = json_depth(text)
    if depth > MAX_AXES:
        raise ConvError(f"{what} nests {depth} levels deep; convmath handles at most "
                        f"{MAX_AXES} axes")

    def constant(name: str):
        raise ConvError(f"{what}: {name} is not a finite number")

    try:
        data = json.loads(text, parse_float=lambda t: number(t, what, exact=False),
                          parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise ConvError(f"{what} is not a JSON array: {exc.msg} at character {exc.pos}") from None
    except ConvError:
        raise
    except ValueError:   # Python's own cap on an integer's digits, far above MAX_DIGITS
        raise ConvError(f"{what}: a number has more than {MAX_DIGITS} digits (the limit)") from None
    if not isinstance(data, list):
        raise ConvError(f"{what} must be a JSON array")

    shape, flat = _shape_and_leaves(data, what)
    if len(flat) > MAX_CELLS:
        raise ConvError(f"{what} has {_count(len(flat))} numbers; the limit is {_count(MAX_CELLS)}")
    if set(map(type, flat)) == {int}:             # the common case, kept fast
        if -_DIGITS_BOUND < min(flat) and max(flat) < _DIGITS_BOUND:
            big = max(-min(flat), max(flat)) > _INT64_MAX
            return Values(_int_array(flat, shape, big), 1)
    numbers = [_leaf_number(v, what) for v in flat]
    if any(isinstance(v, float) for v in numbers):
        floats = [v if isinstance(v, float) else v[0] / v[1] for v in numbers]
        return Values(np.array(floats, dtype=np.float64).reshape(shape), 0)
    common = _lcm_within((d for _, d in numbers), what)
    scaled = [n * (common // d) for n, d in numbers]
    big = max((abs(v) for v in scaled), default=0) > _INT64_MAX
    return Values(_int_array(scaled, shape, big), common)


def _shape_and_leaves(data: list, what: str) -> tuple[tuple[int, ...], list]:
    """The shape of a nested list and its leaves in row-major order, one level at a time
    (no recursion: the nesting is at most MAX_AXES deep here, but the rows can be many)."""
    shape: list[int] = []
    level = [data]
    while True:
        is_list = [type(v) is list for v in level]
        if not any(is_list):
            return tuple(shape), level
        lengths = {len(v) for v in level} if all(is_list) else set()
        if 0 in lengths:
            raise ConvError(f"{what} has an empty row")
        if len(lengths) != 1:      # rows of different lengths, or numbers beside rows
            raise ConvError(f"{what} must be a rectangular array (rows of different lengths)")
        shape.append(lengths.pop())
        level = list(chain.from_iterable(level))


def _int_array(values: list[int], shape, big: bool) -> np.ndarray:
    if not big:
        return np.array(values, dtype=np.int64).reshape(shape)
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr.reshape(shape)


def _leaf_number(v, what: str) -> tuple[int, int] | float:
    if type(v) is int:
        if abs(v) >= _DIGITS_BOUND:
            raise _too_long(str(v), what, "", len(str(abs(v))))
        return v, 1
    if isinstance(v, (tuple, float)):     # a JSON decimal, read by the parser's hook
        return v
    if isinstance(v, str):
        return number(v, what)
    shown = json.dumps(v, default=str)
    raise ConvError(f"{what}: {shown[:40]}{'…' if len(shown) > 40 else ''} is not a number")


# --------------------------------------------------------------------------- work


def check_cells(sizes, what: str) -> None:
    """An array of these sizes would have at most MAX_CELLS cells."""
    cells = prod(sizes)
    if cells > MAX_CELLS:
        raise ConvError(f"{what} would have {_count(cells)} cells "
                        f"({'x'.join(str(v) for v in sizes)}); the limit is {_count(MAX_CELLS)}")


def check_taps(kernel) -> None:
    taps = prod(kernel)
    if taps > MAX_TAPS:
        raise ConvError(f"the kernel has {_count(taps)} cells; the limit is {_count(MAX_TAPS)}")


def _digits_over(n: int) -> bool:
    """``n`` has (about) more than MAX_RESULT_DIGITS decimal digits."""
    return n.bit_length() * 0.30103 > MAX_RESULT_DIGITS


def check_conv(sp, x: Values, w: Values, big_integers: bool) -> None:
    """A convolution (or transposed one) of ``x`` by ``w`` fits the limits: the arrays it
    builds, the multiply-adds it does and, when exact, the digits of its results.

    ``big_integers``: the exact computation needs Python integers (machine ones could
    overflow), which is about a hundred times slower per multiply-add.
    """
    check_taps(sp.kernel)
    if sp.transposed:
        canvas = [(i - 1) * s + (k - 1) * d + 1
                  for i, s, k, d in zip(sp.input, sp.stride, sp.kernel, sp.dilation)]
        check_cells(canvas, "the transposed convolution's uncropped output")
        positions = prod(sp.input)
    else:
        check_cells(sp.padded_input, "the padded input")
        positions = prod(sp.output)
    check_cells(sp.output, "the output")
    work = prod(sp.kernel) * positions
    limit = MAX_EXACT_WORK if big_integers else MAX_WORK
    if work > limit:
        kind = "exact big-integer" if big_integers else "machine-number"
        raise ConvError(f"this convolution needs {_count(work)} multiply-adds (kernel taps × "
                        f"{'input' if sp.transposed else 'output'} cells); the limit in "
                        f"{kind} arithmetic is {_count(limit)}")
    if x.exact and w.exact:
        biggest = max(_magnitude(x.scaled), 1) * max(_magnitude(w.scaled), 1) * prod(sp.kernel)
        if _digits_over(biggest) or _digits_over(x.denominator * w.denominator):
            raise ConvError(f"exact output values could need more than {MAX_RESULT_DIGITS} "
                            f"digits (the limit); use fewer digits or decimals")


def _magnitude(arr: np.ndarray) -> int:
    if arr.dtype == object:
        return max((abs(int(v)) for v in arr.flat), default=0)
    return max(-int(arr.min()), int(arr.max())) if arr.size else 0


def check_matrix(rows: int, cols: int, taps: int, entries: int, *, dense: bool) -> None:
    """C can be built: as a grid of ``rows × cols``, or as its ``entries`` non-zero ones."""
    for n, what in ((rows, "rows"), (cols, "columns")):
        if n > MAX_CELLS:
            raise ConvError(f"C would have {_count(n)} {what}; the limit is {_count(MAX_CELLS)}")
    if taps * rows > MAX_WORK:
        raise ConvError(f"building C takes kernel taps × rows = {_count(taps * rows)} steps; "
                        f"the limit is {_count(MAX_WORK)}")
    if dense and rows * cols > MAX_DENSE_ENTRIES:
        raise ConvError(f"C has {_count(rows * cols)} entries; a grid is printed up to "
                        f"{_count(MAX_DENSE_ENTRIES)}")
    if entries > MAX_SPARSE_ENTRIES:
        raise ConvError(f"C has {_count(entries)} non-zero entries; the limit is "
                        f"{_count(MAX_SPARSE_ENTRIES)}")
