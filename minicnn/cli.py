"""The ``minicnn`` command line (also ``python -m minicnn``)."""
import argparse
import sys


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
