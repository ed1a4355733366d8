"""Lists of numbers as the narration says them (kit lists)."""

import pytest

from scenes.kit.text.words import spoken_list


@pytest.mark.parametrize("items, lang, conj, said", [
    ([2, 3, 4], "es", "and", "2, 3 y 4"),
    ([2, 3, 4], "en", "and", "2, 3 and 4"),
    ([1, 2, 4], "es", "or", "1, 2 o 4"),
    ([1, 2, 4], "en", "or", "1, 2 or 4"),
    ([7, 8], "es", "or", "7 u 8"),            # "ocho"
    ([1, 11], "es", "or", "1 u 11"),          # "once"
    ([2, 80], "es", "or", "2 u 80"),          # "ochenta"
    ([2, 18], "es", "or", "2 o 18"),          # "dieciocho"
    ([3], "es", "or", "3"),
])
def test_spoken_list(items, lang, conj, said):
    assert spoken_list(items, lang, conj=conj) == said


def test_unknown_conjunction():
    with pytest.raises(ValueError):
        spoken_list([1, 2], "es", conj="but")
