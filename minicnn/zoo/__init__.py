"""The reports' architectures, rebuilt in minicnn, and every accuracy the reports document.

Builders -- one module per report (../shared/seeds/), each function named after the report's
own name for the model and returning an un-compiled ``Sequential`` for 28x28x1 inputs and 10
classes, written as close to the report's Keras code as minicnn allows:

=====================  ======================================================================
module                 report and what it trains
=====================  ======================================================================
lab1_fashion           000 (Swedish lab 1, Fashion-MNIST): fully_connected, section_a_cnn
                       (the eight padding / window / stride settings, SECTION_A_SETTINGS),
                       section_c_model (section B's dropout model), section_b_l2_model
ca2_lenet              001 (CA2, MNIST + Fashion-MNIST): lenet5, model_l2, model_fash
fashion_convnets_pl    002 (Polish, Fashion-MNIST): convNN_1, 2, 3, 3a, 4, 6, 7, 8 (the
                       report has no convNN_5), grid_search_mlp, vgg16_conv_base,
                       vgg16_head, resnet
chollet_coursework     003 (Chollet 5.1 coursework, MNIST + Fashion-MNIST): convnet, test_1
                       ... test_6 (MNIST), test_7, test_7_1, test_7_2, test_8, test_9,
                       test_9_1 (Fashion-MNIST)
feature_maps_sgd       004 (SGD study, Fashion-MNIST): main_model(code) and
                       main_model_variant(code, feature_maps, extra, conv_dropout,
                       dense_dropout) for the "1-0-1-1"-style variants of tables 3 and 4
=====================  ======================================================================

Rows and recipes -- ``documented.py`` holds every accuracy the reports document (a ``Row``) and
how to reproduce it (a ``Recipe``: data only); ``spec.py`` defines both and explains when a
row's value is read. The API the benchmark runner uses::

    from minicnn import zoo

    zoo.rows(report=None, reproducible=None) -> [Row]          all rows, or one report's
    zoo.get_row(report, experiment) -> Row                      e.g. ("003", "test 7.1")
    zoo.recipes(report=None) -> {name: Recipe}
    zoo.get_recipe(name_or_row) -> Recipe                       a Row gives its recipe
    zoo.build(row_or_recipe_or_name) -> Sequential              a fresh, un-compiled model
    zoo.compile_args(recipe) -> dict                            model.compile(**...)
    zoo.fit_data(recipe, x_train, y_train, x_test, y_test, seed=0) -> FitData
                                                                hold-out, validation, labels
    zoo.fit_args(recipe, validation_data=None, callbacks=()) -> dict
                                                                model.fit(x, y, **...)
    row.as_dict(), recipe.as_dict() -> dict                     JSON-ready, e.g. to store
                                                                the settings with a result

A complete run of one row, given images prepared with ``minicnn.datasets.prepare_images`` and
integer labels::

    row = zoo.get_row("003", "test 7.1")
    recipe = zoo.get_recipe(row)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    data = zoo.fit_data(recipe, x_train, y_train, x_test, y_test)
    history = model.fit(data.x, data.y, verbose=0, seed=0,
                        **zoo.fit_args(recipe, validation_data=data.validation_data))
    # row.split / row.at_epoch say which number to read: here "validation" at
    # "best:val_accuracy" -> max(history.history["val_accuracy"]); for split "test",
    # model.evaluate(data.x_test, data.y_test) after fit (or at each of recipe.eval_epochs).

Rows that share a recipe read different numbers off the same kind of run (004's table 7 gives
test and train accuracy of one run; table 5 reads one 100-epoch run at seven epochs): train
once per seed and read every such row. ``row.repeat_of`` names a row the report simply lists
again. ``row.reproducible`` is False (with ``row.reason``) where there is nothing minicnn can
reproduce here: 002's VGG16 head (ImageNet weights), 002's ResNet and 003's test 3 (the report
documents no accuracy). The choices made where a report is silent are in each recipe's
``notes`` and in docs/zoo.md.
"""
from minicnn.zoo import ca2_lenet, chollet_coursework, fashion_convnets_pl, feature_maps_sgd, \
    lab1_fashion
from minicnn.zoo.documented import RECIPES as _RECIPES
from minicnn.zoo.documented import ROWS as _ROWS
from minicnn.zoo.explanations import explanation
from minicnn.zoo.spec import REPORT_FILES, REPORT_MODULES, FitData, Recipe, Row, \
    build_recipe, builder_exists, compile_args, fit_args, fit_data, resolve_builder

_RECIPES_BY_NAME = {recipe.name: recipe for recipe in _RECIPES}


def rows(report=None, reproducible=None):
    """All documented rows in report order, or those of one ``report`` ("000" ... "004");
    ``reproducible=True`` / ``False`` keeps only the rows that can / cannot be reproduced."""
    if report is not None and report not in REPORT_FILES:
        raise KeyError(f"unknown report {report!r}; reports: {', '.join(REPORT_FILES)}")
    return [row for row in _ROWS
            if (report is None or row.report == report)
            and (reproducible is None or row.reproducible == reproducible)]


def get_row(report, experiment):
    """The row of ``report`` named ``experiment`` (the report's own words, as in docs/zoo.md)."""
    for row in _ROWS:
        if row.report == report and row.experiment == experiment:
            return row
    names = [row.experiment for row in _ROWS if row.report == report]
    raise KeyError(f"report {report!r} has no experiment {experiment!r}; it has: "
                   + "; ".join(names))


def recipes(report=None):
    """{name: Recipe} for every recipe, or one report's."""
    return {name: recipe for name, recipe in _RECIPES_BY_NAME.items()
            if report is None or recipe.report == report}


def get_recipe(name_or_row):
    """The recipe with this name, or the recipe of a ``Row``."""
    name = name_or_row.recipe if isinstance(name_or_row, Row) else name_or_row
    try:
        return _RECIPES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no recipe named {name!r}") from None


def build(row_or_recipe):
    """A fresh, un-compiled model for a Row, a Recipe or a recipe name."""
    recipe = row_or_recipe if isinstance(row_or_recipe, Recipe) else get_recipe(row_or_recipe)
    return build_recipe(recipe)


__all__ = ["lab1_fashion", "ca2_lenet", "fashion_convnets_pl", "chollet_coursework",
           "feature_maps_sgd", "Row", "Recipe", "FitData", "rows", "get_row", "recipes",
           "get_recipe", "build", "compile_args", "fit_args", "fit_data", "resolve_builder",
           "builder_exists", "REPORT_FILES", "REPORT_MODULES"]
