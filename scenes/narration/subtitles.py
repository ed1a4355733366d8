"""Subtitle cues from narration text: splitting, timing, checking, SRT and WebVTT.

Rules (common broadcast practice, see DESIGN.md): at most 42 characters a line, 2 lines a cue,
17 characters per second, cues between 1 and 7 seconds, splits at phrase boundaries.

Splitting prefers, in this order: sentence ends, then ``, ; :`` (and dashes, parentheses), then
the place before a conjunction, then before a preposition, then any word boundary. Some places
bind the words on either side and are split only when nothing else fits: right after an
article or preposition ("la | entrada"), between a number and what it counts ("3 | celdas"),
inside a list of numbers ("2, | 3 y 4") and inside a formula read aloud ("k | menos uno",
"d por, | k menos uno"). Cues are timed in proportion to their characters over the narration's audio, in
order, end to end. When the audio is too short for 17 characters a second (or a cue would last
under a second), cues keep their minimum reading time and the last one runs past the audio; the
overrun is reported by :func:`overrun` so the scene can wait for it.

Pure Python; never imports manim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .marks import words_of

MAX_LINE_CHARS = 42
MAX_LINES = 2
MAX_CPS = 17.0
MIN_CUE_SECONDS = 1.0
MAX_CUE_SECONDS = 7.0

# Boundary strength between two words, strongest first; BOUND joins words that belong together.
SENTENCE, CLAUSE, CONJUNCTION, PHRASE, WORD, WEAK, BOUND = 0, 1, 2, 3, 4, 5, 6

# Cost of ending a cue / a line at each kind of boundary (lower is better).
_CUE_BREAK_COST = {SENTENCE: 0.0, CLAUSE: 2.0, CONJUNCTION: 4.0, PHRASE: 6.0, WORD: 8.0, WEAK: 16.0,
                   BOUND: 60.0}
_LINE_BREAK_COST = {SENTENCE: 0.0, CLAUSE: 1.0, CONJUNCTION: 2.0, PHRASE: 3.0, WORD: 4.0, WEAK: 8.0,
                    BOUND: 40.0}
_CUE_COST = 5.0  # each extra cue
_INNER_SENTENCE_COST = 10.0  # a sentence end inside a cue (two short sentences in one cue)
_FILL_COST = 3.0  # weight for cues much shorter than the maximum
_SHORT_CUE_COST = 100.0  # a cue that would be shown under MIN_CUE_SECONDS
_LINE_BALANCE_COST = 0.05  # per character of difference between the two lines

CONJUNCTIONS = {
    "es": {
        "y", "e", "o", "u", "ni", "pero", "sino", "aunque", "porque", "pues", "que", "si",
        "cuando", "mientras", "donde", "como", "entonces", "luego", "así", "ya", "hasta",
    },
    "en": {
        "and", "or", "nor", "but", "so", "yet", "because", "although", "though", "while",
        "whereas", "when", "where", "which", "that", "if", "then", "since", "until", "unless",
    },
}
# Before a preposition is a fair place for a break (it starts a phrase).
PREPOSITIONS = {
    "es": {
        "a", "al", "ante", "bajo", "con", "contra", "de", "del", "desde", "durante", "en", "entre",
        "hacia", "mediante", "para", "por", "según", "sin", "sobre", "tras",
    },
    "en": {
        "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "over", "under",
        "across", "through", "between", "after", "before", "about", "without", "along", "per",
    },
}
# Words after which a break is worst: articles, prepositions, determiners.
FUNCTION_WORDS = {
    "es": {
        "el", "la", "los", "las", "un", "una", "unos", "unas", "lo", "al", "del", "de", "a",
        "en", "con", "por", "para", "sin", "sobre", "entre", "su", "sus", "mi", "tu", "cada",
        "este", "esta", "ese", "esa", "se", "le", "les", "no", "más", "menos", "muy",
    },
    "en": {
        "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into",
        "its", "their", "this", "these", "each", "every", "is", "are", "be", "not", "very",
    },
}
# Words of a formula read aloud: operators, and the number words they join.
MATH_WORDS = {
    "es": {"más", "menos", "por", "sobre", "igual", "veces", "entre", "elevado", "techo", "piso"},
    "en": {"plus", "minus", "times", "over", "equals", "divided", "ceiling", "floor"},
}
NUMBER_WORDS = {
    "es": {"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"},
    "en": {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"},
}
# One-letter words that are words, not variables.
LETTER_WORDS = {"es": {"y", "e", "o", "u", "a"}, "en": {"a"}}
_ABBREVIATIONS = {"p.", "ej.", "e.g.", "i.e.", "vs.", "fig.", "pág.", "sr.", "sra.", "dr.", "dra.", "núm.", "aprox."}
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:—–)\]][\"'»”’]*$")
_LEADING_PUNCT = "¿¡\"'«“‘([—–"
_TRAILING_PUNCT = ".,;:!?…\"'»”’)]—–"


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end`` seconds, one or two lines."""

    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def chars(self) -> int:
        """Characters read, counting the line break as one space."""
        return len(" ".join(self.lines))

    @property
    def cps(self) -> float:
        return self.chars / self.duration if self.duration > 0 else math.inf

    def shifted(self, seconds: float) -> "Cue":
        return Cue(self.start + seconds, self.end + seconds, self.lines)


# --------------------------------------------------------------------------- splitting


def _bare(word: str) -> str:
    return word.strip(_LEADING_PUNCT + _TRAILING_PUNCT).lower()


def _is_number(bare: str) -> bool:
    return bool(bare) and bare.replace(",", "").replace(".", "").isdigit()


def boundary_levels(words: Sequence[str], lang: str | None = None) -> list[int]:
    """Strength of the boundary after each word but the last (``SENTENCE`` strongest,
    ``BOUND`` for words that belong together)."""
    langs = [lang] if lang in CONJUNCTIONS else list(CONJUNCTIONS)
    conj = set().union(*(CONJUNCTIONS[l] for l in langs))
    func = set().union(*(FUNCTION_WORDS[l] for l in langs))
    prep = set().union(*(PREPOSITIONS[l] for l in langs))
    math_words = set().union(*(MATH_WORDS[l] for l in langs))
    number_words = set().union(*(NUMBER_WORDS[l] for l in langs))
    letter_words = set().intersection(*(LETTER_WORDS[l] for l in langs))

    def variable(w: str) -> bool:
        b = _bare(w).rstrip("′'")
        return len(b) == 1 and b.isalpha() and b not in letter_words

    def operand(w: str) -> bool:
        b = _bare(w)
        return _is_number(b) or b in number_words or variable(w)

    def in_formula(w: str, nxt: str) -> bool:
        a, b = _bare(w), _bare(nxt)
        if _CLAUSE_END.search(w) and not (a in math_words and w.endswith(",")):
            return False        # "k," ends a phrase; "por," is the spoken grouping of a formula
        return ((a in math_words and (operand(nxt) or b in math_words))
                or (operand(w) and b in math_words)
                or (variable(w) and variable(nxt)))

    def in_number_list(prev: str | None, w: str, nxt: str, after: str | None) -> bool:
        a, b = _bare(w), _bare(nxt)
        if _is_number(a) and w.endswith(",") and _is_number(b):
            return True                                   # "2, | 3"
        if _is_number(a) and b in conj and after is not None and _is_number(_bare(after)):
            return True                                   # "3 | y 4"
        return a in conj and prev is not None and _is_number(_bare(prev)) and _is_number(b)

    levels: list[int] = []
    for k, (w, nxt) in enumerate(zip(words, words[1:])):
        low = w.lower()
        prev = words[k - 1] if k else None
        after = words[k + 2] if k + 2 < len(words) else None
        if _SENTENCE_END.search(w) and low not in _ABBREVIATIONS:
            level = SENTENCE
        elif in_number_list(prev, w, nxt, after) or in_formula(w, nxt):
            level = BOUND
        elif _CLAUSE_END.search(w) or nxt[:1] in "([—–":
            level = CLAUSE
        elif _bare(w) in func or (_is_number(_bare(w)) and _bare(nxt) not in conj | prep):
            level = BOUND                                 # "la | entrada", "3 | celdas"
        elif _bare(nxt) in conj and not nxt[:1].isdigit():
            level = CONJUNCTION
        elif _bare(nxt) in prep:
            level = PHRASE
        elif w[-1:] in "¿¡":
            level = WEAK
        else:
            level = WORD
        levels.append(level)
    return levels


def _join_len(lengths: Sequence[int], i: int, j: int) -> int:
    return sum(lengths[i:j]) + (j - i - 1)


def _best_lines(
    words: Sequence[str], lengths: Sequence[int], levels: Sequence[int], i: int, j: int, max_line: int, max_lines: int
) -> tuple[float, tuple[str, ...]] | None:
    """Best way to lay words[i:j] on at most ``max_lines`` lines (cost, lines), or None."""
    total = _join_len(lengths, i, j)
    if total <= max_line:
        return 0.0, (" ".join(words[i:j]),)
    if max_lines < 2 or j - i < 2:
        return None
    best: tuple[float, tuple[str, ...]] | None = None
    for k in range(i + 1, j):
        first = _join_len(lengths, i, k)
        if first > max_line:
            break
        rest = _best_lines(words, lengths, levels, k, j, max_line, max_lines - 1)
        if rest is None:
            continue
        second = _join_len(lengths, k, j)
        cost = _LINE_BREAK_COST[levels[k - 1]] + _LINE_BALANCE_COST * abs(first - second) + rest[0]
        if best is None or cost < best[0]:
            best = (cost, (" ".join(words[i:k]),) + rest[1])
    return best


def split_text(
    text: str,
    seconds_per_char: float = 1 / 14.0,
    *,
    lang: str | None = None,
    max_line: int = MAX_LINE_CHARS,
    max_lines: int = MAX_LINES,
    max_cue: float = MAX_CUE_SECONDS,
    min_cue: float = MIN_CUE_SECONDS,
) -> list[tuple[str, ...]]:
    """Split ``text`` into cues (each a tuple of lines), no timing.

    ``seconds_per_char`` is how long the narration takes per character; it keeps cues under
    ``max_cue`` seconds and steers away from cues under ``min_cue`` seconds.
    """
    words = words_of(text)
    if not words:
        return []
    n = len(words)
    lengths = [len(w) for w in words]
    levels = boundary_levels(words, lang)
    max_chars = max_line * max_lines + (max_lines - 1)
    inf = math.inf
    best = [inf] * (n + 1)
    choice: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            chars = _join_len(lengths, i, j)
            if chars > max_chars and j - i > 1:
                break
            if best[i] == inf:
                continue
            if j - i > 1 and chars * seconds_per_char > max_cue:
                break
            laid = _best_lines(words, lengths, levels, i, j, max_line, max_lines)
            if laid is None:
                if j - i > 1:
                    continue
                # A single word longer than a line: it gets a cue of its own, unavoidably.
                laid = (0.0, (words[i],))
            cost = best[i] + _CUE_COST + laid[0]
            if j < n:
                cost += _CUE_BREAK_COST[levels[j - 1]]
            cost += _INNER_SENTENCE_COST * sum(1 for lv in levels[i : j - 1] if lv == SENTENCE)
            cost += _FILL_COST * (1 - min(chars, max_chars) / max_chars) ** 2
            if chars * seconds_per_char < min_cue:
                cost += _SHORT_CUE_COST
            if cost < best[j]:
                best[j] = cost
                choice[j] = (i, laid[1])
    cues: list[tuple[str, ...]] = []
    j = n
    while j > 0:
        picked = choice[j]
        assert picked is not None
        i, lines = picked
        cues.append(lines)
        j = i
    cues.reverse()
    return cues


# --------------------------------------------------------------------------- timing


def _durations(chars: Sequence[int], total: float, max_cps: float, min_cue: float) -> list[float]:
    """Durations proportional to characters, each at least its reading floor, summing to
    ``total`` when the floors allow it (otherwise to the sum of floors)."""
    floors = [max(min_cue, c / max_cps) for c in chars]
    if sum(floors) >= total:
        return floors
    fixed = [False] * len(chars)
    while True:
        free_chars = sum(c for c, f in zip(chars, fixed) if not f)
        free_time = total - sum(fl for fl, f in zip(floors, fixed) if f)
        scale = free_time / free_chars if free_chars else 0.0
        newly = [k for k, c in enumerate(chars) if not fixed[k] and c * scale < floors[k]]
        if not newly:
            return [floors[k] if fixed[k] else chars[k] * scale for k in range(len(chars))]
        for k in newly:
            fixed[k] = True


def make_cues(
    text: str,
    start: float,
    duration: float,
    *,
    lang: str | None = None,
    max_line: int = MAX_LINE_CHARS,
    max_lines: int = MAX_LINES,
    max_cps: float = MAX_CPS,
    min_cue: float = MIN_CUE_SECONDS,
    max_cue: float = MAX_CUE_SECONDS,
) -> list[Cue]:
    """Cues for ``text`` spoken from ``start`` for ``duration`` seconds.

    Cues follow one another with no gap, the first at ``start`` and the last ending at
    ``start + duration`` — unless the narration is too fast to read (over ``max_cps``) or too
    short for ``min_cue``, in which case each cue keeps its minimum time and the last one ends
    later (see :func:`overrun`). A cue never lasts more than ``max_cue``: when narration is slow,
    a cue is cut at ``max_cue`` and the screen stays clear until the next one.
    """
    text = " ".join(words_of(text))
    if not text:
        return []
    if duration <= 0:
        raise ValueError(f"narration duration must be positive, got {duration}")
    spc = duration / len(text)
    parts = split_text(text, spc, lang=lang, max_line=max_line, max_lines=max_lines, max_cue=max_cue, min_cue=min_cue)
    chars = [len(" ".join(lines)) for lines in parts]
    durs = _durations(chars, duration, max_cps, min_cue)
    cues: list[Cue] = []
    t = float(start)
    for lines, d in zip(parts, durs):
        cues.append(Cue(t, t + min(d, max_cue), lines))
        t += d
    return cues


def overrun(cues: Sequence[Cue], start: float, duration: float) -> float:
    """Seconds by which the last cue ends after the narration (0 when it does not)."""
    if not cues:
        return 0.0
    late = cues[-1].end - (start + duration)
    return late if late > 1e-6 else 0.0


def cue_problems(
    cues: Sequence[Cue],
    *,
    max_line: int = MAX_LINE_CHARS,
    max_lines: int = MAX_LINES,
    max_cps: float = MAX_CPS,
    min_cue: float = MIN_CUE_SECONDS,
    max_cue: float = MAX_CUE_SECONDS,
    tolerance: float = 0.002,
) -> list[str]:
    """Every broken rule, one message each (empty when the cues obey them all)."""
    problems: list[str] = []
    prev_end = -math.inf
    for n, cue in enumerate(cues, 1):
        label = f"cue {n} ({cue.text!r})"
        if len(cue.lines) > max_lines:
            problems.append(f"{label}: {len(cue.lines)} lines > {max_lines}")
        for line in cue.lines:
            if len(line) > max_line:
                problems.append(f"{label}: line of {len(line)} characters > {max_line}")
            if not line.strip():
                problems.append(f"{label}: empty line")
        if cue.duration < min_cue - tolerance:
            problems.append(f"{label}: {cue.duration:.3f} s < {min_cue} s")
        if cue.duration > max_cue + tolerance:
            problems.append(f"{label}: {cue.duration:.3f} s > {max_cue} s")
        if cue.chars / max(cue.duration, 1e-9) > max_cps * (1 + tolerance):
            problems.append(f"{label}: {cue.cps:.1f} characters a second > {max_cps}")
        if cue.start < prev_end - tolerance:
            problems.append(f"{label}: starts at {cue.start:.3f} s, before the previous cue ends ({prev_end:.3f} s)")
        prev_end = cue.end
    return problems


# --------------------------------------------------------------------------- SRT / WebVTT


def _timestamp(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    if ms < 0:
        raise ValueError(f"negative subtitle time {seconds}")
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: Iterable[Cue]) -> str:
    blocks = []
    for n, cue in enumerate(cues, 1):
        blocks.append(f"{n}\n{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}\n{cue.text}\n")
    return "\n".join(blocks)


def to_vtt(cues: Iterable[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for cue in cues:
        blocks.append(f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n{_vtt_escape(cue.text)}\n")
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def write_srt(path: str | Path, cues: Iterable[Cue]) -> Path:
    path = Path(path)
    path.write_text(to_srt(cues), encoding="utf-8")
    return path


def write_vtt(path: str | Path, cues: Iterable[Cue]) -> Path:
    path = Path(path)
    path.write_text(to_vtt(cues), encoding="utf-8")
    return path


_TIME_LINE = re.compile(
    r"^\s*(\d+):(\d{2}):(\d{2})[,.](\d{3})\s*-->\s*(\d+):(\d{2}):(\d{2})[,.](\d{3})"
)


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_srt(text: str) -> list[Cue]:
    """Read SRT (or WebVTT) text back into cues; used to check Manim's output and to convert it."""
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        for k, line in enumerate(lines):
            m = _TIME_LINE.match(line)
            if m:
                body = tuple(l for l in lines[k + 1 :] if l.strip())
                cues.append(Cue(_seconds(*m.groups()[:4]), _seconds(*m.groups()[4:]), body))
                break
    return cues


def srt_to_vtt(srt_path: str | Path, vtt_path: str | Path | None = None) -> Path:
    """Convert an SRT file (e.g. the one Manim writes beside a video) to WebVTT."""
    srt_path = Path(srt_path)
    target = Path(vtt_path) if vtt_path is not None else srt_path.with_suffix(".vtt")
    return write_vtt(target, parse_srt(srt_path.read_text(encoding="utf-8")))
