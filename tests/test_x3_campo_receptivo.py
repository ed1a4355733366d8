"""Extra 3 (receptive field): the network drawn, its links and fields are convmath's."""

import re
from fractions import Fraction
from math import prod

import pytest

import convmath as cm
from convmath.receptive import Layer

def numbers_in(text):
    return [int(n) for n in re.findall(r"\d+", text)]


def layers_from_labels(stack):
    """The input size and the layers, read back from the row labels ("Capa 2 · k = 3, s = 2")."""
    n_input = numbers_in(stack.labels[0].original_text)[0]
    layers = []
    for lab in stack.labels[1:]:
        text = lab.original_text
        get = {name: int(v) for name, v in re.findall(r"([ksd]) = (\d+)", text)}
        layers.append(Layer(get["k"], get.get("s", 1), 0, get.get("d", 1)))
    return n_input, layers


def cone_by_reads(specs, level, cell):
    out = {level: [cell]}
    current = {cell}
    for lv in range(level, 0, -1):
        reads = cm.reads(specs[lv - 1])
        current = {c[0] for m in current for c, _ in reads[(m,)]}
        out[lv - 1] = sorted(current)
    return out


def check_network(stack):
    n_input, layers = layers_from_labels(stack)
    specs, n = [], n_input
    for layer in layers:
        specs.append(cm.spec(n, layer.kernel, layer.stride, layer.padding, layer.dilation))
        n = specs[-1].output[0]
    assert [row.shape[0] for row in stack.rows] == [n_input] + [sp.output[0] for sp in specs]
    # every line drawn is a convmath link of its layer, and every link is drawn
    for lines, sp in zip(stack.lines, specs):
        drawn = sorted((ln.link.row, ln.link.col, ln.link.tap) for ln in lines)
        assert drawn == sorted((l.row, l.col, l.tap) for l in cm.links(sp))
    # every cell sits over the centre of its receptive field in the input
    x0, step = stack.rows[0].cell((0,)).get_center()[0], stack.cell_size
    for level in range(1, len(stack.rows)):
        for m in range(stack.rows[level].shape[0]):
            field = cone_by_reads(specs, level, m)[0]
            x = stack.rows[level].cell((m,)).get_center()[0]
            assert abs((x - x0) / step - (field[0] + field[-1]) / 2) < 1e-6
    return layers, specs


@pytest.mark.parametrize("lang", ["es", "en"])
def test_receptive_field_segment(run_segment, lang):
    scene = run_segment("x3_campo_receptivo", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # --- the strided network -------------------------------------------------------------
    stack = scene.stack
    layers, specs = check_network(stack)
    fields = cm.receptive_field(layers)
    top = len(layers)
    # one layer: k cells
    assert len(scene.idea_field) == fields[0].size == layers[0].kernel
    # the cone of the top cell, layer by layer, and its bracket on the input
    cone = scene.cone_shown
    (m,) = cone[top]
    assert cone == cone_by_reads(specs, top, m)
    field = cone[0]
    assert field == list(range(field[0], field[-1] + 1))          # contiguous
    assert len(field) == fields[-1].size == cm.closed_form_size(layers)
    bracket = scene.cone_bracket
    assert (bracket.first, bracket.last) == (field[0], field[-1])
    assert numbers_in(bracket.label.original_text) == [len(field)]
    # the neighbor's field is shifted by the jump: the bracket "j = 2" spans the shift only
    other, neighbor_field, shift = scene.neighbor
    assert other == cone_by_reads(specs, top, m + 1)[0]
    assert (neighbor_field.first, neighbor_field.last) == (other[0], other[-1])
    assert other[0] - field[0] == fields[-1].jump == shift.value
    assert (shift.first, shift.last - shift.first + 1) == (field[0], fields[-1].jump)
    assert numbers_in(shift.label.original_text) == [fields[-1].jump]
    # the table: r, j, c per row; centers counted from 1 (the input's first cell: 1, 1, 1)
    expected = [(1, 1, 1)] + [(f.size, f.jump, f.center + 1) for f in fields]
    for name, n in (("r", 0), ("j", 1), ("c", 2)):
        shown = [t.value for t in scene.columns[name]]
        assert shown == [e[n] for e in expected]
        assert [Fraction(t.original_text.split("= ")[1]) for t in scene.columns[name]] == shown
    # the first top cell's field and its center (cell c counted from 1)
    first, first_bracket, c_label = scene.first_field
    assert first == cone_by_reads(specs, top, 0)[0]
    assert Fraction(first[0] + first[-1], 2) + 1 == fields[-1].center + 1 == c_label.value
    assert numbers_in(c_label.original_text) == [c_label.value]
    assert (first_bracket.first, first_bracket.last) == (first[0], first[-1])
    # the center's label and its bracket stay clear of the formula card below them
    card = scene.center_card
    for mob in (c_label, first_bracket):
        assert mob.get_right()[0] < card.get_left()[0] or mob.get_bottom()[1] > card.get_top()[1]
    # the closed form, term by term
    card = scene.closed_card
    assert card.value == cm.closed_form_size(layers)
    nums = numbers_in(card.substituted_latex)
    assert nums[-1] == card.value and card.result_latex == str(card.value)
    terms = []
    pos = 0
    strides = []
    for layer in layers:
        kk = cm.effective_kernel(layer.kernel, layer.dilation)
        factors = strides or [1]
        assert nums[pos:pos + 2 + len(factors)] == [kk, 1, *factors]
        terms.append((kk - 1) * prod(strides))
        pos += 2 + len(factors)
        strides = strides + [layer.stride]
    assert nums[pos] == 1 and sum(terms) + 1 == card.value

    # --- the dilated network -------------------------------------------------------------
    stack = scene.dilated
    layers, specs = check_network(stack)
    assert any(layer.dilation > 1 for layer in layers)
    fields = cm.receptive_field(layers)
    cone = scene.dilated_cone
    (m,) = cone[len(layers)]
    assert cone == cone_by_reads(specs, len(layers), m)
    field = cone[0]
    assert field == list(range(field[0], field[-1] + 1))          # no gaps
    assert len(field) == fields[-1].size == cm.closed_form_size(layers) == scene.dilated_card.value
    assert fields[-1].jump == 1
    assert (scene.dilated_bracket.first, scene.dilated_bracket.last) == (field[0], field[-1])
    assert scene.dilated_card.result_latex == str(len(field))
    # the table: effective kernels k̂ = d(k − 1) + 1, field sizes, jumps
    cols = scene.dilated_columns
    assert [t.value for t in cols["k̂"]] == [cm.effective_kernel(l.kernel, l.dilation)
                                            for l in layers]
    assert [t.value for t in cols["r"]] == [1] + [f.size for f in fields]
    assert [t.value for t in cols["j"]] == [1] + [f.jump for f in fields]
    # the same layers without dilation see r = 7, centered on the same cell
    plain = scene.plain_bracket
    assert plain.value == cm.closed_form_size([Layer(l.kernel) for l in layers])
    assert plain.last - plain.first + 1 == plain.value
    assert Fraction(plain.first + plain.last, 2) == Fraction(field[0] + field[-1], 2)
    assert numbers_in(plain.label.original_text) == [plain.value]
    # no gaps because each dilation is at most the field below: what the narration says
    checks = scene.no_gap_checks
    assert checks == [(layers[n].dilation, fields[n - 1].size) for n in range(1, len(layers))]
    assert all(d <= r for d, r in checks)
    # ... and what the screen writes at those words: d_l = d ≤ r = r_{l−1}
    assert [numbers_in(rule.tex_string) for rule in scene.no_gap_rules] == \
        [[n + 1, d, r, n] for n, (d, r) in enumerate(checks, start=1)]

    # --- gridding: a dilation past the field below leaves gaps ------------------------------
    stack = scene.gridding
    layers, specs = check_network(stack)
    fields = cm.receptive_field(layers)
    assert layers[0].dilation > 1              # past the input's field of 1 cell
    seen, covers, sees = scene.gridding_field
    assert seen == cone_by_reads(specs, len(layers), stack.sizes[-1] // 2)[0]
    span = seen[-1] - seen[0] + 1
    assert span == fields[-1].size == covers.value
    assert span == 2 * len(seen) - 1            # every other cell
    assert numbers_in(covers.label.original_text) == [span]
    assert numbers_in(sees.original_text) == [len(seen)] == [sees.value]


def test_spoken_terms_follow_convmath():
    from scenes.x3_campo_receptivo import DILATED, STRIDED, spoken_terms

    for layers in (STRIDED, DILATED):
        for lang in ("es", "en"):
            said = spoken_terms(layers, lang)
            pairs = re.findall(r"(\d+) \w+ (\d+)", said)
            total = sum(int(a) * int(b) for a, b in pairs) + 1
            assert total == cm.closed_form_size(layers)


def test_layer_stack_cone_is_reads_and_fields():
    """The kit's LayerStack: rows from convmath.spec, cones from convmath.reads."""
    from scenes.kit.diagrams.layer_stack import LayerStack

    layers = [Layer(3, 2), Layer(2, 1, 0, 2), Layer(3)]
    stack = LayerStack(15, layers)
    fields = cm.receptive_field(layers)
    specs = stack.specs
    for level in range(1, 4):
        for m in range(stack.sizes[level]):
            cone = stack.cone(level, m)
            assert cone == cone_by_reads(specs, level, m)
            span = cone[0][-1] - cone[0][0] + 1
            assert span == fields[level - 1].size
    marks = stack.cone_marks(3, 0)
    assert [g.level for g in marks] == [3, 2, 1, 0]
    assert [g.cells for g in marks] == [stack.cone(3, 0)[lv] for lv in (3, 2, 1, 0)]
