"""Large numbers and decimals written the way each language writes them.

Spanish groups thousands with a space on screen (``529 984``) and a point in narration
(``529.984``, which the Spanish voices read as one number), and uses a decimal comma
(``14,7``); following the RAE, four-digit numbers are not grouped (``6084``). English
groups with commas (``529,984``) and uses a decimal point (``14.7``).

The digits always come from the caller (convmath's counts); these helpers only format
them, and :func:`parse_number` reads an on-screen string back for tests.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral, Real

from .tex import check_lang

NBSP = "\u00a0"          # a no-break space: the Spanish thousands separator on screen


def _groups(n: int) -> list[str]:
    digits = str(abs(int(n)))
    out = []
    while digits:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    return out


def group_int(n: int, lang: str | None = None, *, spoken: bool = False) -> str:
    """``n`` with thousands grouped: es ``529 984`` (``529.984`` if ``spoken``), en ``529,984``."""
    lang = check_lang(lang)
    n = int(n)
    sign = "-" if n < 0 else ""
    if lang == "es":
        if abs(n) < 10_000:
            return f"{sign}{abs(n)}"
        return sign + ("." if spoken else NBSP).join(_groups(n))
    return sign + ",".join(_groups(n))


def decimal(x: Real, digits: int = 1, lang: str | None = None) -> str:
    """``x`` rounded to ``digits`` decimals with the language's decimal mark: ``14,7`` / ``14.7``."""
    lang = check_lang(lang)
    text = f"{float(x):.{digits}f}"
    whole, _, frac = text.partition(".")
    whole = group_int(int(whole), lang) if whole.lstrip("-") else whole
    if text.startswith("-") and not whole.startswith("-"):
        whole = "-" + whole          # "-0.5": the integer part lost its sign
    if not frac:
        return whole
    return whole + ("," if lang == "es" else ".") + frac


def millions(n: Integral, digits: int = 1, lang: str | None = None) -> str:
    """``n`` in millions with ``digits`` decimals: 14 714 688 → ``14,7`` (es) / ``14.7`` (en)."""
    return decimal(Fraction(int(n), 1_000_000), digits, lang)


def latex_int(n: int, lang: str | None = None) -> str:
    """``n`` grouped for MathTex: es ``529\\,984``, en ``529{,}984``."""
    text = group_int(n, lang)
    if check_lang(lang) == "en":
        return text.replace(",", "{,}")
    return text.replace(NBSP, r"\,")


def parse_number(text: str, lang: str | None = None):
    """Inverse of :func:`group_int` / :func:`decimal` (on-screen forms): an int or a Fraction."""
    lang = check_lang(lang)
    s = text.replace(NBSP, "").replace(" ", "").replace("\u2212", "-")
    s = s.replace(r"\,", "").replace("{,}", ",")
    if lang == "es":
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    if "." in s:
        return Fraction(s)
    return int(s)


def en_article(n: int) -> str:
    """The English article before the number ``n`` as it is said: "an" before eight…, eleven,
    eighteen (and their thousands, millions…), "a" otherwise ("a 1", "an 8", "an 11", "an 80",
    "a 110", "an 18,000")."""
    digits = str(abs(int(n)))
    if int(n) < 0:
        return "a"                       # "a minus ..."
    lead = digits[:len(digits) % 3 or 3]
    return "an" if digits[0] == "8" or lead in ("11", "18") else "a"


def counted(n: int, singular: str, plural: str) -> str:
    """``n`` with its noun in the right number: ``1 zero``, ``2 zeros``, ``0 zeros``."""
    return f"{int(n)} {singular if int(n) == 1 else plural}"
