"""The few on-screen words the kit draws itself, per language.

The lecture keeps the field's terms in Spanish too: "kernel", "stride", "padding" (and
"dilatación"), never núcleo, paso or relleno."""

from __future__ import annotations

from scenes.narration.segment_text import SaidShown

from .tex import check_lang

WORDS = {
    "input": {"es": "Entrada", "en": "Input"},
    "output": {"es": "Salida", "en": "Output"},
    "kernel": {"es": "Kernel", "en": "Kernel"},
    "padding": {"es": "padding", "en": "padding"},
    "stride": {"es": "stride", "en": "stride"},
    "dilation": {"es": "dilatación", "en": "dilation"},
    "inserted": {"es": "ceros insertados", "en": "inserted zeros"},
    "correlation": {"es": "correlación", "en": "correlation"},
    "convolution": {"es": "convolución", "en": "convolution"},
    "transposed": {"es": "convolución transpuesta", "en": "transposed convolution"},
    "segment": {"es": "Parte", "en": "Part"},
    "matrix": {"es": "Matriz", "en": "Matrix"},
    "by": {"es": "por", "en": "by"},
}


def word(key: str, lang: str | None = None) -> str:
    """The on-screen word ``key`` in ``lang`` (Spanish by default)."""
    return WORDS[key][check_lang(lang)]


def size_text(shape) -> str:
    """``5×5`` from a shape (the digits come from the array, never typed)."""
    return "×".join(str(int(n)) for n in shape)


def shape_label(role: str, shape, lang: str | None = None) -> str:
    """``Entrada 5×5``: a role word and the shape of the array it names."""
    return f"{word(role, lang)} {size_text(shape)}"


def said_size(shape, lang: str | None = None) -> SaidShown:
    """A size as a narration field: said "4 por 4" / "4 by 4", shown ``4×4`` in the subtitle
    (one word there, so a line never breaks inside it)."""
    by = f" {word('by', lang)} "
    return SaidShown(by.join(str(int(n)) for n in shape), size_text(shape))


# ---------- Lists of items as a person says them: "2, 3 y 4" / "2, 3 and 4", "1, 2 o 4" / "1, 2 or 4".

AND = {"es": "y", "en": "and"}
OR = {"es": "o", "en": "or"}


def _said_with_o(item: str) -> bool:
    """Whether a number is said starting with an "o" sound in Spanish (ocho, once,
    ochenta, ochocientos, ocho mil, once mil…): "o" before it becomes "u"."""
    digits = item.lstrip("-")
    if not digits.isdigit():
        return item[:1].lower() == "o" or item[:2].lower() == "ho"
    lead = digits[:len(digits) % 3 or 3]
    return digits[0] == "8" or lead == "11"


def spoken_list(items, lang: str | None = None, conj: str = "and") -> str:
    """Join items with commas and the language's "and" (``conj="or"``: "or") before the
    last one; Spanish "o" becomes "u" before a word said with an "o" ("7 u 8")."""
    items = [str(v) for v in items]
    if len(items) <= 1:
        return "".join(items)
    lang = check_lang(lang)
    if conj not in ("and", "or"):
        raise ValueError(f"conj is 'and' or 'or', got {conj!r}")
    word = (AND if conj == "and" else OR)[lang]
    if lang == "es" and conj == "or" and _said_with_o(items[-1]):
        word = "u"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
