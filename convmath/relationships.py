"""The 15 relationships of Dumoulin & Visin's guide, each reachable by its number.

Per axis, for a convolution with input i, kernel k, stride s, padding p (both
sides), dilation d. Relationships 8–14 describe the transposed convolution of
such a convolution: its input is the convolution's output i′ = o and its output
o′ is the convolution's input size i.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .errors import ConvError


def _conv_o(i, k, s, p, d=1):
    return (i + 2 * p - d * (k - 1) - 1) // s + 1


@dataclass(frozen=True)
class Relationship:
    number: int
    name: dict            # {"es": ..., "en": ...}
    condition: str        # when it applies, in the convolution's parameters
    formula: str          # Unicode
    latex: str
    transposed: bool
    applies: Callable[[int, int, int, int, int], bool]
    output: Callable[[int, int, int, int, int], int]

    def describe(self, lang: str = "en") -> str:
        return f"Relationship {self.number} ({self.name[lang]}): {self.condition}: {self.formula}"


def _odd(k):
    return k % 2 == 1


# Transposed formulas take the convolution's parameters and compute o′ from i′ = o.
def _t8(i, k, s, p, d):
    ip = _conv_o(i, k, 1, 0)
    return ip + (k - 1)


def _t9(i, k, s, p, d):
    ip = _conv_o(i, k, 1, p)
    return ip + (k - 1) - 2 * p


def _t10(i, k, s, p, d):
    return _conv_o(i, k, 1, p)


def _t11(i, k, s, p, d):
    ip = _conv_o(i, k, 1, p)
    return ip - (k - 1)


def _t12(i, k, s, p, d):
    ip = _conv_o(i, k, s, 0)
    return s * (ip - 1) + k


def _t13(i, k, s, p, d):
    ip = _conv_o(i, k, s, p)
    return s * (ip - 1) + k - 2 * p


def _t14(i, k, s, p, d):
    ip = _conv_o(i, k, s, p)
    a = (i + 2 * p - k) % s
    return s * (ip - 1) + a + k - 2 * p


RELATIONSHIPS: dict[int, Relationship] = {r.number: r for r in [
    Relationship(1, {"es": "sin padding, stride 1", "en": "no padding, unit stride"},
                 "s = 1, p = 0", "o = (i − k) + 1", r"o = (i - k) + 1", False,
                 lambda i, k, s, p, d: s == 1 and p == 0 and d == 1,
                 lambda i, k, s, p, d: (i - k) + 1),
    Relationship(2, {"es": "padding arbitrario, stride 1", "en": "arbitrary padding, unit stride"},
                 "s = 1", "o = (i − k) + 2p + 1", r"o = (i - k) + 2p + 1", False,
                 lambda i, k, s, p, d: s == 1 and d == 1,
                 lambda i, k, s, p, d: (i - k) + 2 * p + 1),
    Relationship(3, {"es": "padding medio (same)", "en": "half (same) padding"},
                 "k odd, s = 1, p = ⌊k/2⌋", "o = i", r"o = i", False,
                 lambda i, k, s, p, d: _odd(k) and s == 1 and p == k // 2 and d == 1,
                 lambda i, k, s, p, d: i),
    Relationship(4, {"es": "padding completo (full)", "en": "full padding"},
                 "s = 1, p = k − 1", "o = i + (k − 1)", r"o = i + (k - 1)", False,
                 lambda i, k, s, p, d: s == 1 and p == k - 1 and d == 1,
                 lambda i, k, s, p, d: i + (k - 1)),
    Relationship(5, {"es": "sin padding, con stride", "en": "no padding, non-unit stride"},
                 "p = 0", "o = ⌊(i − k)/s⌋ + 1", r"o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1",
                 False, lambda i, k, s, p, d: p == 0 and d == 1,
                 lambda i, k, s, p, d: (i - k) // s + 1),
    Relationship(6, {"es": "caso general", "en": "general case"},
                 "any i, k, s, p", "o = ⌊(i + 2p − k)/s⌋ + 1",
                 r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1", False,
                 lambda i, k, s, p, d: d == 1,
                 lambda i, k, s, p, d: (i + 2 * p - k) // s + 1),
    Relationship(7, {"es": "pooling", "en": "pooling"},
                 "pooling window k, stride s", "o = ⌊(i − k)/s⌋ + 1",
                 r"o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1", False,
                 lambda i, k, s, p, d: p == 0 and d == 1,
                 lambda i, k, s, p, d: (i - k) // s + 1),
    Relationship(8, {"es": "transpuesta de sin padding, stride 1",
                     "en": "transposed of no padding, unit stride"},
                 "conv s = 1, p = 0; k′ = k, s′ = 1, p′ = k − 1", "o′ = i′ + (k − 1)",
                 r"o' = i' + (k - 1)", True,
                 lambda i, k, s, p, d: s == 1 and p == 0 and d == 1, _t8),
    Relationship(9, {"es": "transpuesta con padding, stride 1",
                     "en": "transposed of padding, unit stride"},
                 "conv s = 1; k′ = k, s′ = 1, p′ = k − p − 1", "o′ = i′ + (k − 1) − 2p",
                 r"o' = i' + (k - 1) - 2p", True,
                 lambda i, k, s, p, d: s == 1 and d == 1, _t9),
    Relationship(10, {"es": "transpuesta de padding medio", "en": "transposed of half padding"},
                 "conv k odd, s = 1, p = ⌊k/2⌋; k′ = k, s′ = 1, p′ = p", "o′ = i′",
                 r"o' = i'", True,
                 lambda i, k, s, p, d: _odd(k) and s == 1 and p == k // 2 and d == 1, _t10),
    Relationship(11, {"es": "transpuesta de padding completo", "en": "transposed of full padding"},
                 "conv s = 1, p = k − 1; k′ = k, s′ = 1, p′ = 0", "o′ = i′ − (k − 1)",
                 r"o' = i' - (k - 1)", True,
                 lambda i, k, s, p, d: s == 1 and p == k - 1 and d == 1, _t11),
    Relationship(12, {"es": "transpuesta con stride, sin padding",
                      "en": "transposed of no padding, non-unit stride"},
                 "conv p = 0, s divides i − k; s − 1 zeros inserted, s′ = 1, p′ = k − 1",
                 "o′ = s(i′ − 1) + k", r"o' = s(i' - 1) + k", True,
                 lambda i, k, s, p, d: p == 0 and d == 1 and (i - k) % s == 0, _t12),
    Relationship(13, {"es": "transpuesta con stride y padding",
                      "en": "transposed of padding, non-unit stride"},
                 "conv s divides i + 2p − k; s − 1 zeros inserted, s′ = 1, p′ = k − p − 1",
                 "o′ = s(i′ − 1) + k − 2p", r"o' = s(i' - 1) + k - 2p", True,
                 lambda i, k, s, p, d: d == 1 and (i + 2 * p - k) % s == 0, _t13),
    Relationship(14, {"es": "transpuesta, caso impar", "en": "transposed, odd case"},
                 "a = (i + 2p − k) mod s; s − 1 zeros inserted, s′ = 1, p′ = k − p − 1, "
                 "a extra zeros bottom/right",
                 "o′ = s(i′ − 1) + a + k − 2p", r"o' = s(i' - 1) + a + k - 2p", True,
                 lambda i, k, s, p, d: d == 1, _t14),
    Relationship(15, {"es": "con dilatación", "en": "dilated convolution"},
                 "any i, k, s, p, d", "o = ⌊(i + 2p − k − (k − 1)(d − 1))/s⌋ + 1",
                 r"o = \left\lfloor \frac{i + 2p - k - (k - 1)(d - 1)}{s} \right\rfloor + 1",
                 False, lambda i, k, s, p, d: True,
                 lambda i, k, s, p, d: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1),
]}


def relationship(number: int) -> Relationship:
    try:
        return RELATIONSHIPS[number]
    except KeyError:
        raise ConvError(f"the guide has relationships 1 to 15, not {number}") from None


def applicable(i: int, k: int, s: int = 1, p: int = 0, d: int = 1,
               transposed: bool | None = None) -> list[int]:
    """Numbers of the relationships whose conditions hold for this axis."""
    out = []
    for number, rel in RELATIONSHIPS.items():
        if transposed is not None and rel.transposed != transposed:
            continue
        if rel.applies(i, k, s, p, d):
            out.append(number)
    return out
