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


# Models with BatchNormalization, regularisers and the other convolutions (issue 4):
# (name, builder, total, non-trainable) as the reports' Keras summaries print them.
MORE_REPORT_MODELS = [
    ("001 model_l2", zoo.ca2_lenet.model_l2, 706_218, 0),
    ("001 model_fash", zoo.ca2_lenet.model_fash, 840_586, 2_432),
    ("002 convNN_6 (SeparableConv2D)", zoo.fashion_convnets_pl.convNN_6, 541_983, 0),
    ("002 convNN_7 (DepthwiseConv2D)", zoo.fashion_convnets_pl.convNN_7, 1_995, 0),
    ("002 convNN_8 (Conv2DTranspose)", zoo.fashion_convnets_pl.convNN_8, 721_430, 0),
]


@pytest.mark.parametrize("name, build, total, non_trainable", MORE_REPORT_MODELS,
                         ids=[m[0] for m in MORE_REPORT_MODELS])
def test_more_report_models_have_keras_parameter_totals(name, build, total, non_trainable):
    model = build()
    assert model.count_params() == total
    text = []
    model.summary(print_fn=text.append)
    assert f"Total params: {total:,}" in text
    assert f"Trainable params: {total - non_trainable:,}" in text
    assert f"Non-trainable params: {non_trainable:,}" in text


def test_001_model_fash_rows_match_the_report():
    rows = [(layer.output_shape, layer.count_params()) for layer in zoo.ca2_lenet.model_fash().layers]
    assert rows == [((28, 28, 32), 320), ((14, 14, 32), 0), ((14, 14, 64), 18496), ((7, 7, 64), 0),
                    ((7, 7, 64), 0), ((7, 7, 64), 256), ((7, 7, 128), 73856),
                    ((7, 7, 128), 147584), ((3, 3, 128), 0), ((3, 3, 128), 0), ((1152,), 0),
                    ((1152,), 4608), ((512,), 590336), ((512,), 0), ((10,), 5130)]


def test_002_conv_variant_rows_match_the_report():
    first_rows = {build.__name__: (build().layers[0].output_shape, build().layers[0].count_params())
                  for build in (zoo.fashion_convnets_pl.convNN_6, zoo.fashion_convnets_pl.convNN_7,
                                zoo.fashion_convnets_pl.convNN_8)}
    assert first_rows == {"convNN_6": ((26, 26, 32), 73), "convNN_7": ((1, 1, 1), 785),
                          "convNN_8": ((30, 30, 32), 320)}


# -- Issue 5: the documented rows, their recipes, and the builders they name ------------------------
import dataclasses  # noqa: E402
import pathlib  # noqa: E402

import numpy as np  # noqa: E402

from minicnn.zoo import spec as spec  # noqa: E402

ROW_COUNTS = {"000": 13, "001": 3, "002": 11, "003": 20, "004": 44}
ALL_ROWS = zoo.rows()
ALL_RECIPES = list(zoo.recipes().values())
ROOT = pathlib.Path(__file__).resolve().parents[1]

# Parameter totals the reports print, for builders no row carries them for (the rows' own
# documented_params are checked row by row below).
PRINTED_TOTALS = [
    ("002 VGG16 conv base (section 3.5)", zoo.fashion_convnets_pl.vgg16_conv_base, 14_714_688),
    ("003 test 1 conv base (listing 5.1)",
     lambda: _without_classifier(zoo.chollet_coursework.test_1()), 55_744),
    ("000 section B l2 model = section C's", zoo.lab1_fashion.section_b_l2_model, 258_058),
    ("003 test 2", zoo.chollet_coursework.test_2, 106_122),
    ("003 test 3", zoo.chollet_coursework.test_3, 320),
    ("003 test 4", zoo.chollet_coursework.test_4, 515_146),
    ("003 test 5", zoo.chollet_coursework.test_5, 79_050),
    ("003 test 7.1", zoo.chollet_coursework.test_7_1, 130_890),
    ("003 test 7.2", zoo.chollet_coursework.test_7_2, 130_890),
    ("003 test 8", zoo.chollet_coursework.test_8, 4_022_090),
    ("003 test 9", zoo.chollet_coursework.test_9, 347_146),
    ("003 test 9.1", zoo.chollet_coursework.test_9_1, 347_146),
    ("002 convNN_2", zoo.fashion_convnets_pl.convNN_2, 542_230),
    ("002 convNN_3a", zoo.fashion_convnets_pl.convNN_3a, 279_126),
]


def _without_classifier(model):
    """The same layers up to the last convolution (listing 5.1's summary: 55,744)."""
    from minicnn.models import Sequential
    return Sequential(model.layers[:5], input_shape=(28, 28, 1))


@pytest.mark.parametrize("name, build, total", PRINTED_TOTALS, ids=[m[0] for m in PRINTED_TOTALS])
def test_printed_parameter_totals(name, build, total):
    assert build().count_params() == total


def test_unprinted_totals_we_rely_on():
    """Counts the docs quote (not printed in the reports), so the docs stay true."""
    assert zoo.lab1_fashion.fully_connected().count_params() == 101_770
    assert zoo.lab1_fashion.section_a_cnn().count_params() == 241_546
    all_valid = zoo.lab1_fashion.section_a_cnn_all_valid()         # 28->26->13->11->5->3->1
    assert all_valid.count_params() == 110_474 and all_valid.layers[5].output_shape == (1, 1, 128)
    large_window = zoo.lab1_fashion.section_a_cnn_all_valid(window=5)   # 28->24->12->10->5->3->1
    assert large_window.count_params() == 110_986
    assert large_window.layers[5].output_shape == (1, 1, 128)
    assert zoo.fashion_convnets_pl.grid_search_mlp().count_params() == 898_510
    assert zoo.fashion_convnets_pl.vgg16_head().count_params() == 267_786
    assert zoo.chollet_coursework.test_9(kernel_size=5).count_params() == 296_458
    assert zoo.feature_maps_sgd.main_model_variant("1-0-1-1", 16).count_params() == 298_810
    resnet = zoo.fashion_convnets_pl.resnet()       # Keras's count for 002's functional ResNet
    assert resnet.count_params() == 11_186_186
    assert sum(layer.count_trainable_params() for layer in resnet.layers) == 11_186_186 - 7_808


def test_row_counts_per_report():
    counts = {report: len(zoo.rows(report)) for report in ROW_COUNTS}
    assert counts == ROW_COUNTS
    assert len(ALL_ROWS) == sum(ROW_COUNTS.values())


def test_row_and_recipe_keys_are_unique():
    keys = [row.key for row in ALL_ROWS]
    assert len(keys) == len(set(keys))
    from minicnn.zoo.documented import RECIPES
    names = [recipe.name for recipe in RECIPES]
    assert len(names) == len(set(names))
    assert all(recipe.name.split("/")[0] in ROW_COUNTS for recipe in RECIPES)


def test_every_recipe_is_used_by_a_row():
    used = {row.recipe for row in ALL_ROWS}
    assert used == set(zoo.recipes())


@pytest.mark.parametrize("row", ALL_ROWS, ids=[f"{r.report} {r.experiment}" for r in ALL_ROWS])
def test_row_is_well_formed(row):
    recipe = zoo.get_recipe(row)
    assert zoo.get_row(row.report, row.experiment) is row
    assert row.file == spec.REPORT_FILES[row.report]
    assert row.dataset in spec.DATASETS and row.dataset == recipe.dataset
    assert row.split in spec.SPLITS
    assert row.metric == "accuracy"
    assert row.source and row.section
    if row.documented is None:
        assert not row.reproducible
    else:
        assert 0.0 < row.documented <= 1.0
        assert round(row.documented, 4) == row.documented          # as printed: 4 decimals
    if not row.reproducible:
        assert row.reason
    # when the value is read must be something the recipe's run produces
    if row.at_epoch == "last":
        pass
    elif isinstance(row.at_epoch, int):
        assert 1 <= row.at_epoch <= recipe.epochs
        if row.split == "test" and row.at_epoch != recipe.epochs:
            assert row.at_epoch in recipe.eval_epochs
    else:
        prefix, _, monitor = row.at_epoch.partition(":")
        assert prefix == "best" and monitor.startswith("val_")
        assert monitor[4:] in recipe.metrics and recipe.validation != "none"
    if row.split == "validation":
        assert recipe.validation != "none"
    if row.repeat_of is not None:
        original = zoo.get_row(row.report, row.repeat_of)
        assert original.documented == row.documented and original.recipe == row.recipe
        assert original.repeat_of is None


@pytest.mark.parametrize("recipe", ALL_RECIPES, ids=[r.name for r in ALL_RECIPES])
def test_recipe_is_valid_and_compiles(recipe):
    assert recipe.optimizer in spec.OPTIMIZER_NAMES
    assert recipe.loss in spec.LOSSES
    assert recipe.validation in spec.VALIDATION_SCHEMES
    assert recipe.dataset in spec.DATASETS
    assert isinstance(recipe.batch_size, int) and recipe.batch_size > 0 and recipe.epochs > 0
    if recipe.validation in ("split", "random_split"):
        assert 0.0 < recipe.validation_size < 1.0
    if recipe.validation == "holdout":
        assert recipe.holdout > 0
    assert all(1 <= e <= recipe.epochs for e in recipe.eval_epochs)
    assert recipe.notes, "every recipe says what it chose where the report is silent"
    if recipe.early_stopping is not None:
        monitor = recipe.early_stopping["monitor"]
        logged = {"loss", *recipe.metrics}
        assert monitor in logged | {"val_" + name for name in logged}
        if monitor.startswith("val_"):
            assert recipe.validation != "none"
    assert spec.builder_exists(recipe.builder), recipe.builder
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    assert model.optimizer.learning_rate == recipe.optimizer_kwargs.get(
        "learning_rate", {"sgd": 0.01, "adam": 0.001, "rmsprop": 0.001}[recipe.optimizer])
    for row in zoo.rows():
        if row.recipe == recipe.name and row.documented_params is not None:
            assert model.count_params() == row.documented_params, row.experiment
    validation_data = None
    if recipe.validation not in ("none", "split"):
        validation_data = (np.zeros((2,) + model.input_shape, np.float32), np.zeros(2, np.int64))
    args = zoo.fit_args(recipe, validation_data=validation_data)
    assert set(args) <= spec.fit_parameter_names()
    assert args["batch_size"] == recipe.batch_size and args["epochs"] == recipe.epochs
    assert ("validation_split" in args) == (recipe.validation == "split")
    assert ("augment" in args) == (recipe.augment is not None)


def test_fit_args_needs_validation_data_where_the_scheme_does():
    recipe = zoo.get_recipe("002/convNN_1")
    with pytest.raises(ValueError, match="needs validation_data"):
        zoo.fit_args(recipe)


def test_fit_data_applies_holdout_and_labels():
    x = np.arange(20, dtype=np.float32).reshape(20, 1, 1, 1) * np.ones((1, 28, 28, 1), np.float32)
    y = np.arange(20) % 10
    x_test, y_test = x[:4], y[:4]
    recipe = dataclasses.replace(zoo.get_recipe("003/test 7.1"), holdout=5)
    data = zoo.fit_data(recipe, x, y, x_test, y_test)
    assert data.x.shape[0] == 15 and data.x[0, 0, 0, 0] == 5            # p_train[5:]
    assert data.validation_data[0][:, 0, 0, 0].tolist() == [0, 1, 2, 3, 4]
    assert data.y.shape == (15, 10)                                       # one-hot: categorical
    final = dataclasses.replace(zoo.get_recipe("003/final Fashion-MNIST model"), holdout=5)
    assert zoo.fit_data(final, x, y, x_test, y_test).validation_data is None
    data = zoo.fit_data(zoo.get_recipe("002/convNN_1"), x, y, x_test, y_test)
    assert data.validation_data[0] is data.x_test                       # 002 validates on test
    data = zoo.fit_data(zoo.get_recipe("004/main model 1-1-1-1, 5 epochs"), x, y, x_test, y_test)
    assert data.y.shape == (20,) and data.validation_data is None       # sparse labels


@pytest.mark.parametrize("name", ["003/test 9.1", "001/model_fash", "000/B: dropout, l2, image "
                                  "augmentation", "004/1-0-1-1, 16 feature maps, EarlyStopping "
                                                  "on loss"])
def test_recipe_runs_a_few_steps(name):
    """Each recipe kind end to end on 48 tiny images for 2 epochs: hold-out, early stopping on
    the report's monitor (it must be a key fit logs), augmentation, regulariser."""
    recipe = zoo.get_recipe(name)
    recipe = dataclasses.replace(recipe, epochs=2, batch_size=16,
                                 holdout=min(recipe.holdout, 16))
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 64)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    data = zoo.fit_data(recipe, x[:48], y[:48], x[48:], y[48:])
    history = model.fit(data.x, data.y, verbose=0, seed=0,
                        **zoo.fit_args(recipe, validation_data=data.validation_data))
    if recipe.early_stopping is not None:
        assert recipe.early_stopping["monitor"] in history.history
    for row in zoo.rows():
        if row.recipe == name and isinstance(row.at_epoch, str) and row.at_epoch != "last":
            assert row.at_epoch.partition(":")[2] in history.history
    assert np.isfinite(model.evaluate(data.x_test, data.y_test, verbose=0)[0])


def test_003_test_3_cannot_be_trained_like_the_report_says():
    model = zoo.build("003/test 3")
    model.compile(**zoo.compile_args(zoo.get_recipe("003/test 3")))
    with pytest.raises(ValueError):
        model.fit(np.zeros((4, 28, 28, 1), np.float32), np.eye(10, dtype=np.float32)[:4],
                  verbose=0)


def test_000_section_a_settings_all_build():
    totals = {name: zoo.lab1_fashion.section_a_cnn(**kwargs).count_params()
              for name, kwargs in zoo.lab1_fashion.SECTION_A_SETTINGS.items()}
    assert totals["Padding, small window, small strides"] == 241_546
    # The recipes' reading (docs/zoo.md): window and stride are the first convolution's; "no
    # padding" unpads all three convolutions with stride 1 (where that can be built), else the
    # first only. The third block's output is what the classifier sees.
    all_valid, first_only = "lab1_fashion.section_a_cnn_all_valid", "lab1_fashion.section_a_cnn"
    expected = {
        "No padding, small window, small strides": (all_valid, {"window": 3}, (1, 1, 128)),
        "No padding, small window, large strides": (first_only, None, (1, 1, 128)),
        "No padding, large window, small strides": (all_valid, {"window": 5}, (1, 1, 128)),
        "No padding, large window, large strides": (first_only, None, (1, 1, 128)),
        "Padding, small window, small strides": (first_only, None, (3, 3, 128)),
        "Padding, small window, large strides": (first_only, None, (1, 1, 128)),
        "Padding, large window, small strides": (first_only, None, (3, 3, 128)),
        "Padding, large window, large strides": (first_only, None, (1, 1, 128)),
    }
    assert set(expected) == set(zoo.lab1_fashion.SECTION_A_SETTINGS)
    for name, (builder, kwargs, features) in expected.items():
        recipe = zoo.get_recipe(f"000/A: {name}")
        assert recipe.builder == builder, name
        assert recipe.builder_kwargs == (kwargs or zoo.lab1_fashion.SECTION_A_SETTINGS[name])
        assert zoo.build(recipe).layers[5].output_shape == features, name


def test_004_variant_matches_main_model_and_validates():
    for code in ("1-1-1-1", "1-0-1-1", "0-0-0-0", "1-1-1-0"):
        assert (zoo.feature_maps_sgd.main_model_variant(code).count_params()
                == zoo.feature_maps_sgd.main_model(code).count_params())
    model = zoo.build("004/tab 4.2: 1-0 - D - 1-1, Dropout 0.25")
    layers = [type(layer).__name__ for layer in model.layers]
    assert layers[:3] == ["Conv2D", "Dropout", "Conv2D"]
    model = zoo.build("004/tab 4.3: 1-0-1-1_1-D-1, Dropout 0.5")
    layers = [type(layer).__name__ for layer in model.layers]
    assert layers[-3:] == ["Dense", "Dropout", "Dense"]
    with pytest.raises(ValueError, match="extra must be one of"):
        zoo.feature_maps_sgd.main_model_variant(extra="+ 2")


def test_lookup_errors_name_the_choices():
    with pytest.raises(KeyError, match="test 7.1"):
        zoo.get_row("003", "test 7.3")
    with pytest.raises(KeyError, match="unknown report"):
        zoo.rows("005")
    with pytest.raises(KeyError, match="no recipe"):
        zoo.get_recipe("003/nope")


def test_docs_list_every_row_and_recipe():
    text = (ROOT / "docs" / "zoo.md").read_text()
    for recipe in ALL_RECIPES:
        assert recipe.name in text, recipe.name
    for row in ALL_ROWS:
        assert row.experiment in text, row.experiment


def test_rows_and_recipes_serialise_to_json():
    """The runner stores settings with each result: as_dict must be JSON-ready and complete."""
    import json
    for recipe in ALL_RECIPES:
        again = json.loads(json.dumps(recipe.as_dict()))
        assert again["name"] == recipe.name and again["builder_kwargs"] == dict(recipe.builder_kwargs)
    for row in ALL_ROWS:
        again = json.loads(json.dumps(row.as_dict()))
        assert again["file"] == row.file and again["documented"] == row.documented


def test_every_explanation_belongs_to_a_reproducible_row():
    from minicnn.zoo.explanations import EXPLANATIONS

    for key, text in EXPLANATIONS.items():
        row = zoo.get_row(*key)
        assert row.reproducible and len(text) > 80, key
