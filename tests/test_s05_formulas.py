"""Part 5, the output-size formulas: every case shows convmath's sizes and the guide's formula
with the right numbers, in both languages, with a clean layout."""

from __future__ import annotations

import re

import numpy as np
import pytest

pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from convmath.formulas import conv_output  # noqa: E402
from convmath.relationships import applicable, relationship  # noqa: E402
from scenes.kit import palette  # noqa: E402
from scenes.kit.cases.case_panel import relationship_formula, substitute_symbols
from scenes.kit.text.words import size_text

PARAM_RE = re.compile(r"\b([ikspd]) = (\d+)")


def eval_latex(tex: str) -> int:
    """Evaluate the arithmetic of a substituted formula: ⌊a/b⌋, a·b, (…)(…), + and −."""
    expr = tex
    expr = re.sub(r"\\left\\lfloor\s*\\frac\{([^{}]*)\}\{([^{}]*)\}\s*\\right\\rfloor",
                  r"((\1)//(\2))", expr)
    expr = expr.replace(r"\cdot", "*").replace(")(", ")*(")
    assert re.fullmatch(r"[0-9+\-*/() ]+", expr), expr
    return eval(expr)  # noqa: S307 - digits and operators only, checked above


def shown_params(panel) -> dict[str, int]:
    """The parameters the card's title shows (d is 1 when not shown)."""
    found = {k: int(v) for k, v in PARAM_RE.findall(panel.card.titles[1].original_text)}
    found.setdefault("d", 1)
    return found


def coverage(sp: cm.ConvSpec) -> np.ndarray:
    """Per padded cell: does some kernel position read it? (computed here, independently)."""
    read = np.zeros(sp.padded_input, dtype=bool)
    for o0 in range(sp.output[0]):
        for o1 in range(sp.output[1]):
            for t0 in range(sp.kernel[0]):
                for t1 in range(sp.kernel[1]):
                    read[o0 * sp.stride[0] + t0 * sp.dilation[0],
                         o1 * sp.stride[1] + t1 * sp.dilation[1]] = True
    return read


def test_substitution_puts_numbers_in_the_guides_formulas():
    assert substitute_symbols("(i - k) + 2p + 1", {"i": 5, "k": 4, "p": 2}) == \
        r"(5 - 4) + 2\cdot 2 + 1"
    assert substitute_symbols(r"\left\lfloor \frac{i - k}{s} \right\rfloor + 1",
                              {"i": 5, "k": 3, "s": 2}) == \
        r"\left\lfloor \frac{5 - 3}{2} \right\rfloor + 1"
    assert substitute_symbols("i' + k", {"i": 1, "k": 2}) == "i' + 2"
    for n in (1, 2, 5, 6, 15):
        rel = relationship(n)
        for i, k, s, p, d in [(4, 3, 1, 0, 1), (5, 4, 1, 2, 1), (5, 3, 2, 0, 1), (6, 3, 2, 1, 1),
                              (7, 3, 1, 0, 2), (9, 3, 2, 2, 2)]:
            if not rel.applies(i, k, s, p, d):
                with pytest.raises(cm.ConvError):
                    relationship_formula(n, i, k, s, p, d)
                continue
            f = relationship_formula(n, i, k, s, p, d)
            assert f.general == rel.latex
            assert eval_latex(f.substituted) == f.value == cm.spec(i, k, s, p, d).output[0]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_formulas_segment(run_segment, lang):
    from manim import VGroup, config

    scene = run_segment("s05_formulas", lang)
    assert scene.unspoken_beats() == []
    assert {b: p for b, p in scene.layout_report.items() if p} == {}

    from scenes.s05_formulas import CASES, IDENTITY

    assert list(scene.panels) == [beat for beat, _, _ in CASES]
    for beat, panel in scene.panels.items():
        q = shown_params(panel)
        sp = cm.spec((q["i"], q["i"]), q["k"], q["s"], q["p"], q["d"])
        # the grids have convmath's sizes and say so
        assert panel.input.shape == sp.padded_input
        assert panel.input.label.original_text.endswith(size_text(sp.input))
        assert panel.output.shape == sp.output
        assert panel.output.label.original_text.endswith(size_text(sp.output))
        kinds = panel.input.cell_kind
        p = q["p"]
        core = np.zeros(sp.padded_input, dtype=bool)
        core[p:p + q["i"], p:p + q["i"]] = True
        assert ((kinds == "input") == core).all()
        # the relationship named on the card applies, and its numbers give the output size
        card = panel.card
        n = int(re.search(r"(\d+)", card.titles[0].original_text).group(1))
        assert n in applicable(q["i"], q["k"], q["s"], q["p"], q["d"], transposed=False)
        assert card.general_latex == relationship(n).latex
        # every part was written: the formula, the numbers, the result (and the note)
        expected = {"general", "numbers", "result"} | ({"note"} if card.note is not None else set())
        assert expected <= set(card.shown)
        assert all(m in card.get_family() for m in (card.general, *card.numbers))
        # ... inside the card's box
        inside = card.box.get_corner(np.array([-1, -1, 0])), card.box.get_corner(np.array([1, 1, 0]))
        for part in (card.general, card.numbers, *([card.note] if card.note is not None else [])):
            lo, hi = part.get_corner(np.array([-1, -1, 0])), part.get_corner(np.array([1, 1, 0]))
            assert (lo[:2] >= inside[0][:2] - 1e-6).all() and (hi[:2] <= inside[1][:2] + 1e-6).all()
        rhs = card.substituted_latex.split("=", 1)[1].rsplit("=", 1)
        if len(rhs) == 2:
            assert eval_latex(rhs[0]) == sp.output[0]
        assert card.result_latex == str(sp.output[0])
        # the conditions of half and full padding and the effective kernel are written
        if n == 3:
            assert card.note_latex == rf"p = \left\lfloor k/2 \right\rfloor = {q['k'] // 2}"
            assert q["k"] // 2 == q["p"]
        elif n == 4:
            assert card.note_latex == f"p = k - 1 = {q['k'] - 1}" and q["k"] - 1 == q["p"]
        elif n == 15:
            assert card.note_latex.endswith(f"= {sp.effective_kernel[0]}")
            assert "note_value" in card.shown
        else:
            assert card.note is None
        # the footprint visited every position: it ends on the last one, every output cell lit
        last = ((sp.output[0] - 1) * sp.stride[0], (sp.output[1] - 1) * sp.stride[1])
        assert panel.footprint.window == last
        assert len(panel.footprint.shades) == int(np.prod(sp.kernel))
        for idx in np.ndindex(*sp.output):
            assert panel.output.cell(idx).get_fill_opacity() == pytest.approx(
                palette.FILL_OPACITY["output"])
        # the odd case marks exactly the cells no position reads: real input, not padding
        unread = [tuple(c) for c in np.argwhere(~coverage(sp))]
        if beat == "odd":
            assert unread and all(c[0] == sp.padded_input[0] - 1 or c[1] == sp.padded_input[1] - 1
                                  for c in unread)
            assert all(kinds[c] == "input" for c in unread)
            marked = sorted(tuple(int(v) for v in c) for c in unread)
            centres = [m.get_center() for m in panel.unread_marks]
            assert len(centres) == len(marked)
            for c, centre in zip(marked, centres):
                assert np.allclose(centre, panel.input.cell_center(c))
            assert panel.unread_label is not None
        else:
            assert len(panel.unread_marks) == 0
        # grids and card use the frame's width
        assert VGroup(panel.grids, card).width > 0.8 * config.frame_width

    # the odd case has the output of the case before it, from a different input
    prev = dict((b, params) for b, _, params in CASES)
    assert cm.spec(*prev["odd"]).output == cm.spec(*prev["strides"]).output
    assert prev["odd"][0] != prev["strides"][0]

    # the closing table: every case's output is the one general formula's
    rows = scene.summary_table.rows
    shown = [t.value for t in scene.summary_table.values]
    assert shown == [v for row in rows for v in row]
    general = relationship(15)
    for (i, k, s, p, d, o, n), (_, rel, params) in zip(rows, CASES):
        assert (i, k, s, p, d) == params and n == rel
        assert o == general.output(i, k, s, p, d) == cm.spec(i, k, s, p, d).output[0]
        # part 2's form gives the same: the guide's effective kernel is d(k − 1) + 1
        assert k + (k - 1) * (d - 1) == d * (k - 1) + 1 == cm.spec(i, k, s, p, d).effective_kernel[0]
    forms = scene.summary_forms
    assert forms["formula"][1].latex == general.latex
    assert forms["pytorch"][1].latex == conv_output(cm.spec(7, 3), latex=True).general
    assert forms["same"][1].latex == IDENTITY
