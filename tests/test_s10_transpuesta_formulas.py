"""Segment 10 (transposed formulas): every formula, grid and call it shows is convmath's."""

import re

import numpy as np
import pytest

import convmath as cm
from convmath.formulas import transposed_output
from convmath.relationships import RELATIONSHIPS


def as_int(a) -> np.ndarray:
    return np.asarray(a, dtype=object).astype(np.int64)


def numbers_after(text: str, names: str) -> dict:
    """``{"i": 5, ...}`` from a shown text like "… i = 5, k = 3, s = 2, p = 1"."""
    return {n: int(re.search(rf"\b{n} = (\d+)", text).group(1)) for n in names}


def call_kwargs(code: str) -> dict:
    """``{"kernel_size": 3, ...}`` from a shown line "nn.Name(kernel_size=3, ...)"."""
    inner = re.fullmatch(r"nn\.\w+\((.*)\)", code).group(1)
    return {k: int(v) for k, v in (part.split("=") for part in inner.split(", "))}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_transposed_formulas_segment(run_segment, lang):
    scene = run_segment("s10_transpuesta_formulas", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # the superposition reminder: stamps, crop, output
    view = scene.view
    t = view.spec
    x, w = as_int(view.input.shown_values()), as_int(view.kernel.shown_values())
    assert np.array_equal(as_int(view.canvas.shown_values()),
                          cm.transposed_scatter(x, w, t.stride, 0))
    assert np.array_equal(as_int(view.output_values()),
                          cm.transposed_scatter(x, w, t.stride, t.padding))

    # PyTorch's output formula, with the numbers of that example
    card = scene.formula_card
    expected = transposed_output(t, latex=True)
    assert card.general_latex == expected.general
    assert card.result_latex == str(t.output[0]) == str(expected.value)
    assert expected.substituted in card.substituted_latex

    # relationships 8–14: the guide's cases, each as the equivalent direct convolution
    seen = []
    for beat_id, panel in scene.panels.items():
        title = panel.card.title.original_text
        n = int(re.search(r"(\d+)", title).group(1))
        seen.append(n)
        p = numbers_after(title.split("·")[1], "ikps")
        conv = cm.spec((p["i"], p["i"]), p["k"], p["s"], p["p"])
        rel = RELATIONSHIPS[n]
        assert rel.transposed and rel.applies(p["i"], p["k"], p["s"], p["p"], 1)
        o_prime = rel.output(p["i"], p["k"], p["s"], p["p"], 1)
        assert o_prime == p["i"]                           # the transpose undoes the shape
        assert panel.card.result_latex == str(o_prime)
        assert panel.output.shape == (o_prime, o_prime)
        # the direct convolution's input: i′ = o, s − 1 zeros between, padding k − p − 1,
        # the a extra zeros after (bottom/right)
        ip = conv.output[0]
        zeros = p["s"] - 1
        a = (p["i"] + 2 * p["p"] - p["k"]) % p["s"]
        before, after = p["k"] - p["p"] - 1, p["k"] - p["p"] - 1 + a
        stretched = (ip - 1) * (zeros + 1) + 1
        assert panel.input.shape == (stretched + before + after,) * 2
        kinds = panel.input.cell_kind
        assert (kinds == "input").sum() == ip * ip
        assert (kinds == "inserted").sum() == stretched ** 2 - ip * ip
        assert panel.input.label.original_text.endswith(f"{ip}×{ip}")
        shown = panel.input.shown_values()
        assert all(shown[c] == 0 for c in zip(*np.nonzero(kinds != "input")))
        # the kernel slides with stride 1 over it: o′ positions per axis
        assert panel.input.shape[0] - p["k"] + 1 == o_prime
        legend = " ".join(t_.original_text for t_ in panel.legend.texts)
        assert str(before) in legend and (zeros == 0 or str(zeros) in legend)
        if n == 14:
            assert a > 0 and len(panel.extra_marks) == 2
            assert panel.extra_label.original_text == f"a = {a}"
    assert seen == list(range(8, 15))

    # the odd case in PyTorch's terms: output_padding = a
    odd = scene.panels["r14"]
    tp = odd.spec
    assert tp.output_padding[0] == odd.plan.a[0]
    assert scene.op_card.result_latex == str(tp.output[0])
    assert scene.op_without == tp.output[0] - tp.output_padding[0]

    # the worked example: Conv2d and the ConvTranspose2d that goes back
    conv_kw = call_kwargs(scene.conv_code.original_text)
    src, mid, back = scene.plan_squares
    i = int(src[1].original_text.split()[-1].split("×")[0])
    conv = cm.spec((i, i), conv_kw["kernel_size"], conv_kw["stride"], conv_kw["padding"])
    assert mid[1].original_text.endswith("×".join(map(str, conv.output)))
    t_kw = call_kwargs(scene.transposed_code.original_text)
    for key in ("kernel_size", "stride", "padding"):
        assert t_kw[key] == conv_kw[key]
    t2 = cm.transposed(conv.output, t_kw["kernel_size"], t_kw["stride"], t_kw["padding"],
                       output_padding=t_kw["output_padding"])
    assert t2.output == conv.input
    assert back[1].original_text.endswith("×".join(map(str, t2.output)))
    assert scene.plan_card.result_latex == str(conv.input[0])
    # the guide's terms: zeros between, padding before/after, stretched and padded sizes
    nums = scene.paper_numbers
    assert nums["z"] == t_kw["stride"] - 1
    assert nums["b"] == t_kw["kernel_size"] - t_kw["padding"] - 1
    assert nums["a"] == nums["b"] + t_kw["output_padding"]
    assert nums["stretched"] == (conv.output[0] - 1) * t_kw["stride"] + 1
    assert nums["padded"] == nums["stretched"] + nums["b"] + nums["a"]
    assert nums["o"] == nums["padded"] - t_kw["kernel_size"] + 1 == conv.input[0]
    text = " ".join(line.original_text for line in scene.paper_lines)
    for v in (nums["stretched"], nums["padded"], nums["o"]):
        assert f"{v}×{v}" in text


def test_transposed_relationship_formulas():
    from scenes.kit.transposed_case import transposed_relationship_formula

    f = transposed_relationship_formula(14, 6, 3, 2, 1)
    assert f.substituted == r"2(3 - 1) + 1 + 3 - 2\cdot 1" and f.value == 6
    assert transposed_relationship_formula(8, 4, 3).substituted == "2 + (3 - 1)"
    with pytest.raises(cm.ConvError):
        transposed_relationship_formula(12, 6, 3, 2, 0)      # s does not divide i − k
    with pytest.raises(cm.ConvError):
        transposed_relationship_formula(5, 6, 3, 2, 0)       # not a transposed relationship
