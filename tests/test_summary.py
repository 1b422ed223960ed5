"""summary(explain=True): the arithmetic a student does by hand, with the layer's numbers."""
import re

import pytest

import minicnn
from minicnn import zoo
from minicnn.layers import (BatchNormalization, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D,
                            Flatten, MaxPooling2D, SeparableConv2D)


def _stated_count(line):
    """The count a "params:" line states: the result of its arithmetic (the last "= N" before
    any remark in parentheses), or the bare number when there is no arithmetic (pooling's 0)."""
    arithmetic = re.sub(r" \([^()]*\)$", "", line)     # drop a closing remark
    return (re.findall(r"= ([\d,]+)", arithmetic) or re.findall(r"params: ([\d,]+)", arithmetic))[-1]


def _explained(model):
    lines = []
    model.summary(print_fn=lines.append, explain=True)
    return lines


def test_lenet5_explained_as_report_001_asks():
    text = "\n".join(_explained(zoo.ca2_lenet.lenet5()))
    assert "output: rows (28 + 2 + 2 - 5)//1 + 1 = 28, cols (28 + 2 + 2 - 5)//1 + 1 = 28, 6 filters" in text
    assert "padding: 'same' adds 2 top, 2 bottom, 2 left, 2 right" in text
    assert "params: (KH*KW*C_in + 1)*F = (5*5*1 + 1)*6 = 156" in text
    assert "params: (KH*KW*C_in + 1)*F = (5*5*6 + 1)*16 = 2,416" in text
    assert "output: rows (10 + 0 + 0 - 2)//2 + 1 = 5" in text
    assert "output: 5*5*16 = 400 values per sample" in text
    assert "params: (D_in + 1)*units = (400 + 1)*120 = 48,120" in text
    assert text.endswith("_" * 65) and "Total params: 61,706" in text


def test_same_padding_split_for_stride_2():
    model = minicnn.Sequential([Conv2D(4, 3, strides=2, padding="same")], input_shape=(28, 28, 1))
    text = "\n".join(_explained(model))
    assert "rows (28 + 0 + 1 - 3)//2 + 1 = 14" in text
    assert "'same' adds 0 top, 1 bottom, 0 left, 1 right" in text


@pytest.mark.parametrize("layers", [
    [Conv2D(4, (3, 2), strides=(2, 1), padding="same"), MaxPooling2D(3, 2, padding="same"),
     DepthwiseConv2D(2, depth_multiplier=3), SeparableConv2D(5, 3, padding="same"),
     Conv2DTranspose(2, 3, strides=2), Conv2DTranspose(3, 2, strides=3, padding="same"),
     BatchNormalization(), Flatten(), Dense(7, use_bias=False)],
])
def test_every_explanation_matches_the_layer(layers):
    """The arithmetic's results are the layer's real output size and parameter count."""
    model = minicnn.Sequential(layers, input_shape=(17, 13, 2))
    lines = _explained(model)
    for layer in model.layers:
        start = next(i for i, line in enumerate(lines) if line.startswith(layer.layer_name + " "))
        block = []
        for line in lines[start + 1:]:
            if not line.startswith("    "):
                break
            block.append(line)
        params = [line.strip() for line in block if line.strip().startswith("params:")]
        if params:
            assert _stated_count(params[0]) == f"{layer.count_params():,}"
        else:                                   # Flatten: only its output arithmetic
            assert layer.count_params() == 0
        output = [line for line in block if line.strip().startswith("output:")]
        if output and len(layer.output_shape) == 3:          # window layers: rows, cols
            rows, cols = (int(v) for v in re.findall(r"= (\d+)", output[0])[:2])
            assert (rows, cols) == layer.output_shape[:2]
