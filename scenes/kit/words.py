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
