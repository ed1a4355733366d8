"""Subtitle cues: splitting at phrase boundaries, timing, the broadcast rules, SRT and WebVTT."""

from __future__ import annotations

import pytest

from scenes.narration.subtitles import (
    BOUND,
    MAX_CPS,
    Cue,
    boundary_levels,
    cue_problems,
    make_cues,
    overrun,
    parse_srt,
    split_text,
    srt_to_vtt,
    to_srt,
    to_vtt,
    write_srt,
    write_vtt,
)

ES = (
    "Una convolución desliza un núcleo pequeño sobre la entrada y, en cada posición, multiplica "
    "cada peso por la celda que tiene debajo y suma los productos. ¿Cuánto mide la salida? Si la "
    "entrada mide 5 y el núcleo mide 3, la salida mide 3: cinco menos tres, más uno. ¡Así de simple!"
)
EN = (
    "A convolution slides a small kernel over the input and, at each position, multiplies every "
    "weight by the cell underneath and adds up the products. How large is the output? If the input "
    "has size 5 and the kernel size 3, the output has size 3: five minus three, plus one."
)


def spoken_at(text: str, cps: float = 13.0) -> float:
    return len(text) / cps


def words_of(cues: list[Cue]) -> list[str]:
    return " ".join(" ".join(c.lines) for c in cues).split()


@pytest.mark.parametrize("text,lang", [(ES, "es"), (EN, "en")])
def test_cues_obey_the_rules_and_keep_every_word(text: str, lang: str) -> None:
    cues = make_cues(text, 3.0, spoken_at(text), lang=lang)
    assert cue_problems(cues) == []
    assert words_of(cues) == text.split()  # nothing lost, reordered or re-spelled (accents, ¿¡, digits)
    assert cues[0].start == pytest.approx(3.0)
    assert cues[-1].end == pytest.approx(3.0 + spoken_at(text))
    for a, b in zip(cues, cues[1:]):
        assert b.start == pytest.approx(a.end)  # in order, end to end, no gaps


def test_spanish_splits_at_sentences_then_clauses() -> None:
    cues = make_cues(ES, 0.0, spoken_at(ES), lang="es")
    texts = [" ".join(c.lines) for c in cues]
    # Every cue ends at a sentence end or at clause punctuation; none at a bare word.
    for t in texts:
        assert t[-1] in ".?!,:;", texts
    # The question and the exclamation keep their opening marks with them.
    assert "¿Cuánto mide la salida?" in texts
    assert texts[-1] == "¡Así de simple!"
    # A digit stays with its sentence and no line ends with "¿" or "¡".
    for c in cues:
        for line in c.lines:
            assert line[-1] not in "¿¡"


def test_english_splits_at_sentences_then_clauses() -> None:
    texts = [" ".join(c.lines) for c in make_cues(EN, 0.0, spoken_at(EN), lang="en")]
    assert "How large is the output?" in texts
    for t in texts:
        assert t[-1] in ".?!,:;", texts


def test_short_sentences_get_a_cue_each() -> None:
    text = "La entrada mide cinco celdas. El núcleo mide tres celdas."
    cues = make_cues(text, 0.0, spoken_at(text), lang="es")
    assert [c.text for c in cues] == ["La entrada mide cinco celdas.", "El núcleo mide tres celdas."]


def test_a_very_short_sentence_joins_its_neighbour() -> None:
    text = "Sí. La salida mide tres celdas."
    cues = make_cues(text, 0.0, spoken_at(text), lang="es")
    assert len(cues) == 1 and cue_problems(cues) == []


def test_long_clause_splits_before_a_conjunction() -> None:
    text = (
        "El núcleo recorre la entrada de izquierda a derecha en pasos iguales "
        "y la salida guarda la suma de cada posición en su propia celda"
    )
    cues = make_cues(text, 0.0, spoken_at(text), lang="es")
    assert cue_problems(cues) == []
    assert len(cues) == 2
    assert cues[1].lines[0].startswith("y la salida")


def test_line_break_prefers_the_comma() -> None:
    text = "Con un relleno de uno en cada borde, la entrada de cinco pasa a medir siete."
    (cue,) = make_cues(text, 0.0, spoken_at(text), lang="es")
    assert cue.lines == ("Con un relleno de uno en cada borde,", "la entrada de cinco pasa a medir siete.")


def test_without_punctuation_it_still_fits_the_lines() -> None:
    text = " ".join(["convolución"] * 30)
    cues = make_cues(text, 0.0, spoken_at(text), lang="es")
    assert cue_problems(cues) == []
    assert words_of(cues) == text.split()


def test_boundary_levels() -> None:
    words = "Hola, mundo. ¿Qué tal y cómo de la 3.5 vs. 2?".split()
    levels = boundary_levels(words, "es")
    assert levels[0] == 1  # "Hola," → clause
    assert levels[1] == 0  # "mundo." → sentence
    assert levels[3] == 2  # before "y" → conjunction
    assert levels[5] == 3  # before "de" → a phrase starts
    assert levels[6] == BOUND  # after "de" → avoid
    assert levels[8] != 0  # "3.5" is a number, not a sentence end
    assert levels[9] != 0  # "vs." is an abbreviation


@pytest.mark.parametrize("speed", [1.0, 0.87])
def test_no_subtitle_line_splits_a_list_a_formula_or_an_article_from_its_noun(speed) -> None:
    """Every beat of the lecture, subtitled at the estimated speed (and a slower voice): no
    line ends where the words on either side belong together ("2, | 3 y 4", "k | menos uno",
    "la | convolución")."""
    from scenes.narration.segment_text import LANGUAGES, load_segment_text, segment_ids
    from scenes.narration.voices import estimate_duration

    bad = []
    for sid in segment_ids():
        for lang in LANGUAGES:
            for beat in load_segment_text(sid, lang).beats:
                text = beat.caption
                words = text.split()
                levels = boundary_levels(words, lang)
                cues = make_cues(text, 0.0, estimate_duration(text, lang) / speed, lang=lang)
                n = 0
                for cue in cues:
                    for line in cue.lines:
                        n += len(line.split())
                        if n < len(words) and levels[n - 1] == BOUND:
                            bad.append(f"{sid} {lang}: {line[-20:]} | {' '.join(words[n:n + 2])}")
    assert bad == []


def test_cues_are_timed_in_proportion_to_characters() -> None:
    text = "Primera oración, bastante más larga que la otra de aquí. Segunda corta."
    cues = make_cues(text, 10.0, 6.0, lang="es")
    assert len(cues) == 2
    ratio = cues[0].duration / cues[1].duration
    assert ratio == pytest.approx(cues[0].chars / cues[1].chars, rel=1e-6)


def test_too_fast_narration_runs_past_and_is_reported() -> None:
    # The rule: narration must be speakable, i.e. not over 17 characters a second.
    # When audio is shorter than that, cues keep 17 cps and the last one runs past the audio.
    text = "Esta oración se dice demasiado rápido para leerla cómodamente en pantalla."
    duration = len(text) / 30.0
    cues = make_cues(text, 0.0, duration, lang="es")
    assert all(c.cps <= MAX_CPS + 1e-9 for c in cues)
    assert overrun(cues, 0.0, duration) == pytest.approx(cues[-1].end - duration)
    assert overrun(cues, 0.0, duration) > 0
    assert cue_problems(cues) == []


def test_very_short_narration_gets_one_second() -> None:
    cues = make_cues("Sí.", 2.0, 0.4, lang="es")
    assert len(cues) == 1
    assert cues[0].duration == pytest.approx(1.0)
    assert overrun(cues, 2.0, 0.4) == pytest.approx(0.6)


def test_slow_narration_keeps_cues_under_seven_seconds() -> None:
    text = "Ahora, muy despacio, contamos las celdas de la salida una por una, sin apuro alguno."
    cues = make_cues(text, 0.0, 30.0, lang="es")
    assert cue_problems(cues) == []
    assert len(cues) >= 5  # split finer so that no cue would need more than 7 s
    assert cues[-1].end <= 30.0 + 1e-9


def test_estimate_rates_keep_narration_readable() -> None:
    from scenes.narration.voices import SPEAKING_RATE, estimate_duration

    assert all(rate <= MAX_CPS for rate in SPEAKING_RATE.values())
    for text, lang in ((ES, "es"), (EN, "en")):
        duration = estimate_duration(text, lang)
        cues = make_cues(text, 0.0, duration, lang=lang)
        assert overrun(cues, 0.0, duration) == 0
        assert cue_problems(cues) == []


def test_cue_problems_names_each_broken_rule() -> None:
    bad = [
        Cue(0.0, 0.5, ("x" * 43,)),
        Cue(0.4, 9.0, ("a", "b", "c")),
        Cue(9.0, 10.0, ("y" * 40,)),
    ]
    msgs = "\n".join(cue_problems(bad))
    assert "43 characters > 42" in msgs
    assert "< 1.0 s" in msgs
    assert "3 lines > 2" in msgs
    assert "> 7.0 s" in msgs
    assert "before the previous cue ends" in msgs
    assert "characters a second > 17" in msgs


CUES = [
    Cue(0.0, 2.5, ("¿Cuánto mide la salida?",)),
    Cue(2.5, 3725.1235, ("Si la entrada mide 5,", "la salida mide 3 <o = 3>.")),
]


def test_srt_format() -> None:
    assert to_srt(CUES) == (
        "1\n00:00:00,000 --> 00:00:02,500\n¿Cuánto mide la salida?\n\n"
        "2\n00:00:02,500 --> 01:02:05,124\nSi la entrada mide 5,\nla salida mide 3 <o = 3>.\n"
    )


def test_vtt_format() -> None:
    assert to_vtt(CUES) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:02.500\n¿Cuánto mide la salida?\n\n"
        "00:00:02.500 --> 01:02:05.124\nSi la entrada mide 5,\nla salida mide 3 &lt;o = 3&gt;.\n"
    )


def test_srt_and_vtt_files_round_trip(tmp_path) -> None:
    srt = write_srt(tmp_path / "a.srt", CUES)
    back = parse_srt(srt.read_text(encoding="utf-8"))
    assert [c.lines for c in back] == [c.lines for c in CUES]
    assert [round(c.start, 3) for c in back] == [0.0, 2.5]
    vtt = srt_to_vtt(srt)
    assert vtt.suffix == ".vtt" and vtt.read_text(encoding="utf-8").startswith("WEBVTT\n\n00:00:00.000 --> ")
    assert len(parse_srt(write_vtt(tmp_path / "b.vtt", CUES).read_text(encoding="utf-8"))) == 2


def test_split_text_without_timing() -> None:
    parts = split_text(ES, lang="es")
    assert all(len(p) <= 2 and all(len(line) <= 42 for line in p) for p in parts)
    assert " ".join(" ".join(p) for p in parts).split() == ES.split()
    assert split_text("   ") == [] and make_cues("", 0.0, 1.0) == []
