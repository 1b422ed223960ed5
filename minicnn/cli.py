"""The ``minicnn`` command line (also ``python -m minicnn``).

    minicnn summary ca2_lenet.lenet5 --explain      a zoo model (or a saved .h5 model)
    minicnn train ca2_lenet.lenet5 --dataset mnist --epochs 3 --save lenet.h5
    minicnn evaluate lenet.h5 --dataset mnist
    minicnn gradcheck [MODEL]                       every layer type, or one model
    minicnn reproduce --quick | --full              documented vs measured accuracy
    minicnn data fetch all                          the full MNIST and Fashion-MNIST
    minicnn bench speed                             training speed next to PyTorch

MODEL is "<zoo module>.<builder>" (``python -c "import minicnn.zoo; help(minicnn.zoo)"``
lists them), a call of one with literal arguments --
"lab1_fashion.section_a_cnn(padding='valid', window=5)" -- or the path of a model saved with
``model.save``.
"""
import argparse
import ast
import difflib
import inspect
import sys
from pathlib import Path


def _cmd_data_fetch(args):
    from minicnn import datasets

    names = ["mnist", "fashion-mnist"] if args.name == "all" else [args.name]
    for name in names:
        try:
            datasets.fetch(name, cache_dir=args.dir, force=args.force)
        except datasets.DatasetError as error:
            print(f"minicnn data fetch {name}: {error}", file=sys.stderr)
            return 1
    return 0


def _cmd_bench(args):
    if args.bench_command == "speed":
        from minicnn.bench.speed import main as speed_main
        speed_main(args.passthrough)
        return 0
    return 2


def _cmd_reproduce(args):
    from minicnn.reproduce import main as reproduce_main
    return reproduce_main(args.passthrough)


def _builder_call(spec):
    """``"lab1_fashion.section_a_cnn(window=5)"`` -> ``("lab1_fashion.section_a_cnn",
    (), {"window": 5})``; a plain name has no arguments. Arguments must be literals
    (numbers, strings, tuples, ...): nothing in MODEL is executed."""
    name, paren, rest = spec.partition("(")
    if not paren:
        return spec, (), {}
    try:
        call = ast.parse(f"f({rest}", mode="eval").body
        if (not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name)
                or any(k.arg is None for k in call.keywords)):          # f(...)(...), f(**d)
            raise ValueError("not a single call with plain arguments")
        return (name.strip(), tuple(ast.literal_eval(a) for a in call.args),
                {k.arg: ast.literal_eval(k.value) for k in call.keywords})
    except (SyntaxError, ValueError) as error:
        raise SystemExit(f"minicnn: cannot read the builder arguments of {spec!r}: expected "
                         f"literal arguments, e.g. \"lab1_fashion.section_a_cnn(padding='valid', "
                         f"window=5)\" ({error})") from None


def _load_model(spec):
    """A saved model (a path that exists) or a fresh zoo model ("ca2_lenet.lenet5", or a call
    of a builder with literal arguments, "lab1_fashion.section_a_cnn(window=5)")."""
    import minicnn
    from minicnn import zoo

    if Path(spec).is_file():
        try:
            return minicnn.load_model(spec)
        except minicnn.saving.SavingError as error:
            raise SystemExit(f"minicnn: {error}") from None
    name, args, kwargs = _builder_call(spec)
    try:
        builder = zoo.resolve_builder(name)
    except (AttributeError, ImportError, ValueError):
        raise SystemExit(f"minicnn: {spec!r} is neither a saved model file nor a zoo builder "
                         f"such as 'ca2_lenet.lenet5' or 'feature_maps_sgd.main_model'"
                         f"{_builder_hint(name)}")
    try:
        return builder(*args, **kwargs)
    except (TypeError, ValueError) as error:   # an argument it does not take, or a bad value
        raise SystemExit(f"minicnn: {spec!r}: {error}") from None


def _zoo_builders():
    """Every "module.builder" name of the zoo (the public functions each report module defines)."""
    import importlib

    from minicnn.zoo.spec import REPORT_MODULES

    names = []
    for module_name in REPORT_MODULES.values():
        module = importlib.import_module(f"minicnn.zoo.{module_name}")
        names += [f"{module_name}.{name}" for name, value in vars(module).items()
                  if inspect.isfunction(value) and value.__module__ == module.__name__
                  and not name.startswith("_")]
    return names


def _builder_hint(name):
    """What the user may have meant by ``name``: a module's builders, or close builder names
    (whole "module.builder" names, or by the builder's name alone: "lenet5")."""
    builders = _zoo_builders()
    in_module = [b for b in builders if b.split(".")[0] == name]
    if in_module:
        return f"; {name} has " + ", ".join(in_module)
    close = difflib.get_close_matches(name, builders, n=3, cutoff=0.85)
    if not close:
        short = name.rpartition(".")[2]
        close_short = difflib.get_close_matches(short, [b.split(".")[1] for b in builders], n=3,
                                                cutoff=0.8)
        close = [b for b in builders if b.split(".")[1] in close_short]
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "; every builder is listed in docs/zoo.md"


def _positive(kind):
    """An argparse type: a number of ``kind`` (int or float) that is > 0."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value
    return parse


def _fraction(text):
    """An argparse type: a float in [0, 1) (a validation split)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}")
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def _load_data(args):
    from minicnn import datasets

    loader = datasets.load_mnist if args.dataset == "mnist" else datasets.load_fashion_mnist
    try:
        (x, y), (x_test, y_test) = loader(subset=None if args.subset == "full" else args.subset)
    except datasets.DatasetError as error:
        raise SystemExit(f"minicnn: {error}")
    return ((datasets.prepare_images(x), y.astype("int64")),
            (datasets.prepare_images(x_test), y_test.astype("int64")))


def _cmd_summary(args):
    _load_model(args.model).summary(explain=args.explain)
    return 0


def _cmd_train(args):
    import minicnn

    minicnn.set_seed(args.seed)
    model = _load_model(args.model)
    if model.loss is None or args.optimizer:
        model.compile(minicnn.optimizers.get(args.optimizer or "adam"),
                      "sparse_categorical_crossentropy", ["accuracy"])
    if args.learning_rate is not None:      # a saved model keeps its optimizer, at this rate
        model.optimizer.learning_rate = args.learning_rate
    (x, y), (x_test, y_test) = _load_data(args)
    model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, seed=args.seed,
              validation_split=args.validation_split, verbose=args.verbose)
    loss, *metrics = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss {loss:.4f}" + "".join(f", test {m.name} {v:.4f}"
                                             for m, v in zip(model.metrics, metrics)))
    if args.save:
        model.save(args.save)
        print(f"saved to {args.save}")
    return 0


def _cmd_evaluate(args):
    model = _load_model(args.model)
    if model.loss is None:
        raise SystemExit(f"minicnn: {args.model} was saved without compile settings; train it "
                         f"first (minicnn train ... --save)")
    _, (x_test, y_test) = _load_data(args)
    model.evaluate(x_test, y_test, verbose=1)
    return 0


def _cmd_gradcheck(args):
    import numpy as np

    from minicnn import gradcheck

    if args.model is None:
        for layer, input_shape in gradcheck.layer_gallery():
            report = gradcheck.check_layer(layer, input_shape, batch_size=2,
                                           raise_on_failure=False)
            print(f"{'OK  ' if report.ok else 'FAIL'} {type(layer).__name__:<24} "
                  f"max relative error {report.max_rel_error:.1e}")
        return 0
    model = _load_model(args.model)
    if model.loss is None:
        model.compile("sgd", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.random((2,) + model.input_shape)
    y = rng.integers(0, model.output_shape[-1], 2)
    report = gradcheck.check_model(model, x, y, max_checks=args.max_checks, raise_on_failure=False)
    print(report)
    return 0 if report.ok else 1


def build_parser():
    parser = argparse.ArgumentParser(
        prog="minicnn",
        description="minicnn: a from-scratch CNN framework in NumPy + Numba.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    data = sub.add_parser("data", help="get the MNIST / Fashion-MNIST data sets")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION")
    fetch = data_sub.add_parser(
        "fetch", help="download, verify and cache a full data set")
    fetch.add_argument("name", choices=["mnist", "fashion-mnist", "all"])
    fetch.add_argument("--dir", default=None,
                       help="cache directory (default: $XDG_CACHE_HOME/minicnn or ~/.cache/minicnn)")
    fetch.add_argument("--force", action="store_true", help="fetch again even if cached")
    fetch.set_defaults(func=_cmd_data_fetch)

    model_help = ("a zoo builder ('ca2_lenet.lenet5'), a call of one with literal arguments "
                  "(\"lab1_fashion.section_a_cnn(padding='valid', window=5)\") or a model file "
                  "saved with model.save")
    summary = sub.add_parser("summary", help="print a model's Keras-style summary")
    summary.add_argument("model", help=model_help)
    summary.add_argument("--explain", action="store_true",
                         help="show each layer's output-size and parameter arithmetic")
    summary.set_defaults(func=_cmd_summary)

    def data_options(p):
        p.add_argument("--dataset", choices=["mnist", "fashion-mnist"], required=True)
        p.add_argument("--subset", choices=["embedded", "auto", "full"], default="auto",
                       help="embedded: the subset shipped in the package; full: the fetched "
                            "data set; auto (default): full if fetched, else embedded")

    train = sub.add_parser("train", help="train a model on MNIST / Fashion-MNIST")
    train.add_argument("model", help=model_help)
    data_options(train)
    train.add_argument("--epochs", type=_positive(int), default=1)
    train.add_argument("--batch-size", type=_positive(int), default=32)
    train.add_argument("--optimizer", choices=["sgd", "adam", "rmsprop"],
                       help="(re)compile with this optimizer (default for a new model: adam)")
    train.add_argument("--learning-rate", type=_positive(float),
                       help="the optimizer's learning rate (default: its Keras default, or a "
                            "saved model's own)")
    train.add_argument("--validation-split", type=_fraction, default=0.0)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--verbose", type=int, choices=[0, 1, 2], default=1)
    train.add_argument("--save", help="save the trained model (HDF5) to this path")
    train.set_defaults(func=_cmd_train)

    evaluate = sub.add_parser("evaluate", help="test loss and metrics of a saved model")
    evaluate.add_argument("model", help="a model file saved with model.save / minicnn train --save")
    data_options(evaluate)
    evaluate.set_defaults(func=_cmd_evaluate)

    check = sub.add_parser("gradcheck", help="compare backward with finite differences "
                                             "(float64), for every layer type or one model")
    check.add_argument("model", nargs="?", help=model_help + " (default: every layer type)")
    check.add_argument("--max-checks", type=int, default=20,
                       help="elements perturbed per tensor of a model (default 20)")
    check.set_defaults(func=_cmd_gradcheck)

    bench = sub.add_parser("bench", help="benchmarks: 'minicnn bench speed --help'")
    bench.add_argument("bench_command", choices=["speed"],
                       help="speed: training time per epoch next to PyTorch")
    bench.set_defaults(func=_cmd_bench)

    reproduce = sub.add_parser(
        "reproduce", add_help=False,
        help="train the reports' recipes, compare with their documented accuracies "
             "('minicnn reproduce --help')")
    reproduce.set_defaults(func=_cmd_reproduce)
    return parser


def main(argv=None):
    parser = build_parser()
    # bench and reproduce hand their options on to their own parsers
    args, passthrough = parser.parse_known_args(argv)
    if passthrough and args.command not in ("bench", "reproduce"):
        parser.error("unrecognized arguments: " + " ".join(passthrough))
    args.passthrough = passthrough
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
