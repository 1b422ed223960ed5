"""The zoo rebuilds the reports' models with the parameter totals their Keras summaries print."""
import pytest

from minicnn import zoo

REPORT_MODELS = [
    ("001 LeNet-5", zoo.ca2_lenet.lenet5, 61_706),
    ("004 main model 1-1-1-1", zoo.feature_maps_sgd.main_model, 113_386),
    ("004 final model 1-0-1-1", lambda: zoo.feature_maps_sgd.main_model("1-0-1-1"), 600_810),
    ("000 section C", zoo.lab1_fashion.section_c_model, 258_058),
    ("003 test 1 (MNIST)", zoo.chollet_coursework.convnet, 93_322),
    ("003 test 7 (Fashion)", lambda: zoo.chollet_coursework.convnet(128), 130_890),
    ("003 test 6 (no pooling)", lambda: zoo.chollet_coursework.convnet(64, pooling=False), 2_038_922),
    ("002 convNN_1", zoo.fashion_convnets_pl.convNN_1, 542_230),
    ("002 convNN_3", zoo.fashion_convnets_pl.convNN_3, 279_126),
    ("002 convNN_4", zoo.fashion_convnets_pl.convNN_4, 3_163_426),
]


@pytest.mark.parametrize("name, build, total", REPORT_MODELS, ids=[m[0] for m in REPORT_MODELS])
def test_report_models_have_keras_parameter_totals(name, build, total):
    model = build()
    assert model.count_params() == total
    text = []
    model.summary(print_fn=text.append)
    assert f"Total params: {total:,}" in text and f"Trainable params: {total:,}" in text
    assert "Non-trainable params: 0" in text


def test_002_summary_rows_match_the_report():
    """convNN_3 as printed in 002 (fig. 2.4): shapes and parameter counts row by row."""
    rows = [(layer.output_shape, layer.count_params()) for layer in zoo.fashion_convnets_pl.convNN_3().layers]
    assert rows == [((26, 26, 32), 320), ((13, 13, 32), 0), ((11, 11, 32), 9248), ((9, 9, 32), 9248),
                    ((2592,), 0), ((100,), 259300), ((100,), 0), ((10,), 1010), ((10,), 0)]


def test_main_model_code_is_validated():
    with pytest.raises(ValueError, match=r"code must look like '1-0-1-1'"):
        zoo.feature_maps_sgd.main_model("1-1-1")
