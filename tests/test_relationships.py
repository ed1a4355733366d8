"""The guide's 15 relationships, each reached by its number and checked against
the general formulas (and, for transposed ones, against PyTorch's output size)."""

import itertools

import pytest
import torch

import convmath as cm
from convmath import formulas
from convmath.relationships import RELATIONSHIPS, applicable, relationship


def _cases():
    for i, k, s, p, d in itertools.product(range(1, 12), range(1, 6), range(1, 4), range(0, 5),
                                           range(1, 3)):
        if d * (k - 1) + 1 > i + 2 * p:
            continue
        yield i, k, s, p, d


CASES = list(_cases())


@pytest.mark.parametrize("number", range(1, 16))
def test_relationship_matches_general_formula(number):
    rel = relationship(number)
    hits = 0
    for i, k, s, p, d in CASES:
        if not rel.applies(i, k, s, p, d):
            continue
        hits += 1
        conv = cm.spec(i, k, s, p, d)
        if rel.transposed:
            plan = cm.plan_transpose(conv)
            assert rel.output(i, k, s, p, d) == plan.transposed.output[0] == i
        else:
            assert rel.output(i, k, s, p, d) == conv.output[0]
    assert hits >= 5, f"relationship {number} is not reached by the sample"


@pytest.mark.parametrize("number", range(8, 15))
def test_transposed_relationships_agree_with_pytorch(number):
    rel = relationship(number)
    for i, k, s, p, d in CASES:
        if not rel.applies(i, k, s, p, d):
            continue
        plan = cm.plan_transpose(cm.spec(i, k, s, p, d))
        layer = torch.nn.ConvTranspose1d(1, 1, k, stride=s, padding=p,
                                         output_padding=plan.a[0], dilation=d)
        y = layer(torch.zeros(1, 1, plan.conv.output[0]))
        assert y.shape[-1] == rel.output(i, k, s, p, d)


def test_specific_relationships_from_the_guide():
    # numbers straight from the guide's figures
    assert relationship(1).output(4, 3, 1, 0, 1) == 2
    assert relationship(2).output(5, 4, 1, 2, 1) == 6
    assert relationship(3).output(5, 3, 1, 1, 1) == 5
    assert relationship(4).output(5, 3, 1, 2, 1) == 7
    assert relationship(5).output(5, 3, 2, 0, 1) == 2
    assert relationship(6).output(5, 3, 2, 1, 1) == 3
    assert relationship(6).output(6, 3, 2, 1, 1) == 3
    assert relationship(15).output(7, 3, 1, 0, 2) == 3
    assert relationship(14).output(6, 3, 2, 1, 1) == 6
    assert 14 in applicable(6, 3, 2, 1, transposed=True)
    assert 13 not in applicable(6, 3, 2, 1, transposed=True)


def test_unknown_relationship_is_a_conv_error():
    with pytest.raises(cm.ConvError, match="1 to 15"):
        relationship(16)
    assert sorted(RELATIONSHIPS) == list(range(1, 16))


def test_same_padding_tensorflow_rules():
    # o = ceil(i/s); total = max((o-1)s + d(k-1)+1 - i, 0); extra cell after
    for i in range(1, 14):
        for k in range(1, 6):
            for s in range(1, 4):
                for d in (1, 2):
                    sp = cm.spec(i, k, s, "same", d)
                    o = -(-i // s)
                    total = max((o - 1) * s + d * (k - 1) + 1 - i, 0)
                    assert sp.output == (o,)
                    assert sp.padding == ((total // 2, total - total // 2),)
    # even kernel: the extra cell goes after (bottom/right)
    assert cm.spec(5, 4, 1, "same").padding == ((1, 2),)
    assert cm.spec(7, 4, 2, "same").padding == ((1, 2),)


def test_pytorch_same_equals_tf_same_at_stride_one():
    x = torch.arange(1.0, 12.0).reshape(1, 1, 11)
    for k in range(1, 7):
        for d in (1, 2):
            w = torch.arange(1.0, k + 1).reshape(1, 1, k)
            ref = torch.nn.functional.conv1d(x, w, padding="same", dilation=d)
            ours = cm.correlate(x[0, 0].long().numpy(), w[0, 0].long().numpy(), 1, "same", d)
            assert ref[0, 0].long().tolist() == ours.tolist()


def test_full_and_valid_names():
    assert cm.spec(5, 3, padding="full").output == (7,)
    assert cm.spec(5, 3, padding="full", dilation=2).padding == ((4, 4),)
    assert cm.spec(5, 3, padding="valid").output == (3,)


def test_formula_text_substitutes_the_numbers():
    f = formulas.conv_output(cm.spec(7, 3, 2, 1))
    assert f.line() == "o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊(7 + 2·1 − 1·2 − 1)/2⌋ + 1 = 4"
    f = formulas.transposed_output(cm.transposed(3, 3, 2, 1, output_padding=1))
    assert f.value == 6 and "(3 − 1)·2" in f.substituted
    tex = formulas.conv_output(cm.spec(7, 3, 2, 1), latex=True)
    assert r"\frac{7 + 2\cdot 1 - 1\cdot 2 - 1}{2}" in tex.substituted


def test_formula_values_evaluate_to_the_output():
    # the substituted Unicode text, evaluated, gives the value it claims
    for i, k, s, p, d in CASES[::7]:
        f = formulas.conv_output(cm.spec(i, k, s, p, d))
        num, den = f.substituted.split("⌋")[0].lstrip("⌊").rsplit("/", 1)
        value = eval(num.replace("−", "-").replace("·", "*")) // int(den) + 1
        assert value == f.value == cm.spec(i, k, s, p, d).output[0]


def test_paper_numerical_example():
    from convmath.examples import PAPER_INPUT, PAPER_KERNEL, example_input, example_values
    assert cm.correlate(PAPER_INPUT, PAPER_KERNEL).tolist() == [[12, 12, 17], [10, 17, 19],
                                                                 [9, 6, 14]]
    assert (example_values((3, 4), seed=5) == example_values((3, 4), seed=5)).all()
    assert example_input((4, 4)).shape == (4, 4)
