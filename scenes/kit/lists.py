"""Lists of items as a person says them: "2, 3 y 4" / "2, 3 and 4"."""

from __future__ import annotations

from .tex import check_lang

AND = {"es": "y", "en": "and"}


def spoken_list(items, lang: str | None = None) -> str:
    """Join items with commas and the language's "and" before the last one."""
    items = [str(v) for v in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[check_lang(lang)]} {items[-1]}"
