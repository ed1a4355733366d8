"""The lecture's own words per language (title, description, labels): ``text/<lang>.json``.

Data a translator edits without reading code, like the segments' narration texts. Pure
Python; never imports manim.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TEXT_DIR = Path(__file__).resolve().parent / "text"


@lru_cache(maxsize=None)
def lecture_text(lang: str) -> dict[str, Any]:
    path = TEXT_DIR / f"{lang}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"no lecture text for language {lang!r} (expected narration/text/{lang}.json)") from None


def text_path(lang: str) -> Path:
    return TEXT_DIR / f"{lang}.json"
