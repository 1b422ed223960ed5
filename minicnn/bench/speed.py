"""Training speed of minicnn next to PyTorch, measured side by side in one process.

    python benchmarks/speed.py                  # full 60,000-image epochs (or: minicnn bench speed)
    python benchmarks/speed.py --samples 6000   # a quick run on a slice

For each workload (the reports' models, with their batch size and optimizer) this times
training epochs of minicnn's numba backend, of the numpy backend on a smaller slice, and -- when
PyTorch is importable -- of the identical architecture in PyTorch, interleaved (minicnn,
PyTorch, minicnn, PyTorch, ...) with the same thread count, data and batch size, so that a
shared, noisy machine slows both alike. It prints and writes ``docs/results/speed.md``:
seconds per epoch, samples/s, the minicnn/PyTorch ratio, achieved GFLOP/s (counted from the
layer shapes) against a float32 matmul peak (the highest of the measurements before each
workload and at the end of the run: a busy moment only lowers one), peak memory, and where
minicnn's time goes (per layer forward/backward, im2col/col2im/pooling kernels, optimizer, the
rest), from an instrumented extra epoch.
"""
import argparse
import datetime
import os
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np

import minicnn
from minicnn import datasets, ops, zoo
from minicnn.layers import Conv2D, Conv2DTranspose, Dense
from minicnn.trace import MethodPatches

WORKLOADS = {
    # name: (builder, data set, batch size, optimizer factory, description)
    "lenet5": (zoo.ca2_lenet.lenet5, "mnist", 64, lambda: minicnn.optimizers.Adam(1e-4),
               "001's LeNet-5 on MNIST, Adam 1e-4"),
    "main004": (zoo.feature_maps_sgd.main_model, "fashion-mnist", 32,
                lambda: minicnn.optimizers.SGD(0.01), "004's main model on Fashion, SGD 0.01"),
    "chollet": (lambda: zoo.chollet_coursework.convnet(128), "fashion-mnist", 64,
                lambda: minicnn.optimizers.RMSprop(), "003's convnet on Fashion, RMSprop"),
    "swedish_b": (zoo.lab1_fashion.section_c_model, "fashion-mnist", 128,
                  lambda: minicnn.optimizers.Adam(), "000's section B model on Fashion, Adam"),
}


# -- FLOPs and peak --------------------------------------------------------------------------
def training_flops(model, n_samples):
    """Multiply-adds x 2 of one epoch's forward + backward through Conv2D and Dense layers.

    Forward of a conv: 2 * N * OH * OW * KH * KW * C * F; backward computes dkernel and dx,
    each as much again (3x in total; the first layer's dx is counted too, as minicnn computes
    it). Pooling, activations and the optimizer are cheap in comparison and not counted.
    """
    total = 0
    for layer in model.layers:
        if isinstance(layer, Conv2DTranspose):        # one KHxKWxF patch per *input* pixel
            h, w, c = layer.input_shape
            kh, kw = layer.kernel_size
            total += 2 * h * w * kh * kw * c * layer.filters
        elif isinstance(layer, Conv2D):
            oh, ow, f = layer.output_shape
            kh, kw = layer.kernel_size
            total += 2 * oh * ow * kh * kw * layer.input_shape[-1] * f
        elif isinstance(layer, Dense):
            total += 2 * layer.input_shape[-1] * layer.units
    return 3 * total * n_samples


def matmul_peak_gflops(repeats=5, size=2048):
    """Best-of float32 ``a @ b`` throughput of NumPy's BLAS on this machine, now."""
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    b = a.copy()
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size ** 3 / best / 1e9


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_seconds(fn, seconds=0.3):
    """Best time of repeated calls of ``fn`` for about ``seconds`` (after one warm-up call):
    the micro-benchmarks' measure (benchmarks/kernels.py, benchmarks/matmul.py)."""
    fn()
    best, start = float("inf"), time.perf_counter()
    while time.perf_counter() - start < seconds:
        best = min(best, _timed(fn))
    return best


# -- PyTorch twin -------------------------------------------------------------------------------
def torch_twin(model, optimizer):
    """The same architecture and optimizer in PyTorch (NCHW), built from the minicnn model."""
    import torch
    from torch import nn

    from minicnn.layers import Activation, Dropout, Flatten, MaxPooling2D

    modules, channels = [], model.input_shape[-1]

    def activation(name):
        return {"relu": nn.ReLU(), "linear": None, "softmax": None, "tanh": nn.Tanh(),
                "sigmoid": nn.Sigmoid(), "leaky_relu": nn.LeakyReLU(0.3)}[name]

    for layer in model.layers:
        if type(layer) is Conv2D:                 # (not its subclass Conv2DTranspose)
            (top, bottom), (left, right) = layer.pad_hw
            if top != bottom or left != right:
                modules.append(nn.ZeroPad2d((left, right, top, bottom)))
            modules.append(nn.Conv2d(channels, layer.filters, layer.kernel_size, layer.strides,
                                     padding=(top, left) if top == bottom and left == right else 0))
            channels = layer.filters
            modules.append(activation(layer.activation.name))
        elif isinstance(layer, MaxPooling2D):
            (top, bottom), (left, right) = layer.pad_hw
            if top or bottom or left or right:
                modules.append(nn.ZeroPad2d((left, right, top, bottom)))   # not used by workloads
            modules.append(nn.MaxPool2d(layer.pool_size, layer.strides))
        elif isinstance(layer, Flatten):
            modules.append(nn.Flatten())
        elif isinstance(layer, Dense):
            modules.append(nn.Linear(layer.input_shape[-1], layer.units))
            modules.append(activation(layer.activation.name))
        elif isinstance(layer, Dropout):
            modules.append(nn.Dropout(layer.rate))
        elif isinstance(layer, Activation):
            modules.append(activation(layer.activation.name))
        else:
            raise NotImplementedError(f"no PyTorch twin for {type(layer).__name__}")
    net = nn.Sequential(*[m for m in modules if m is not None])   # ends in logits
    config = optimizer.get_config()
    lr = config["learning_rate"]
    if isinstance(optimizer, minicnn.optimizers.Adam):
        opt = torch.optim.Adam(net.parameters(), lr, betas=(config["beta_1"], config["beta_2"]),
                               eps=config["epsilon"])
    elif isinstance(optimizer, minicnn.optimizers.RMSprop):
        opt = torch.optim.RMSprop(net.parameters(), lr, alpha=config["rho"], eps=config["epsilon"])
    else:
        opt = torch.optim.SGD(net.parameters(), lr, momentum=config["momentum"],
                              nesterov=config["nesterov"])
    return net, opt


def torch_epoch(net, opt, x_nchw, y, batch_size, generator):
    import torch

    net.train()
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(len(y), generator=generator)
    for start in range(0, len(y), batch_size):
        batch = order[start:start + batch_size]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x_nchw[batch]), y[batch])
        loss.backward()
        opt.step()


# -- where the time goes ------------------------------------------------------------------------
class _Profile:
    """Wraps layer forward/backward, the kernels in minicnn.ops and the optimizer with timers."""

    # im2col_matmul / im2col_matmul_backward: a Conv2D's im2col and product (im2col, both
    # gradient products and col2im) done together in blocks of images, timed as one; "matmul"
    # is then the other products (Dense, a one-channel Conv2D's input gradient) and "im2col" /
    # "col2im" the other layers' (pooling, Conv2DTranspose).
    KERNELS = ("matmul", "im2col_matmul", "im2col_matmul_backward", "im2col", "col2im",
               "conv2d_one_channel", "conv2d_one_channel_dkernel", "max_pool_forward",
               "max_pool_backward", "pad_nhwc", "relu", "relu_backward", "relu_backward_sum_rows",
               "sum_rows", "dropout")

    def __init__(self, model):
        self.model, self.seconds, self.patches = model, {}, MethodPatches()

    def _wrap(self, owner, attr, key):
        original = getattr(owner, attr)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - start
        self.patches.patch(owner, attr, timed)

    def __enter__(self):
        for layer in self.model.layers:
            self._wrap(layer, "forward", f"{layer.layer_name} forward")
            self._wrap(layer, "backward", f"{layer.layer_name} backward")
        for name in self.KERNELS:
            self._wrap(ops, name, f"kernel {name}")
        self._wrap(self.model.optimizer, "apply_gradients", "optimizer")
        return self

    def __exit__(self, *exc):
        self.patches.restore()
        return False


# -- the benchmark -----------------------------------------------------------------------------
def _load(name, samples):
    loader = datasets.load_mnist if name == "mnist" else datasets.load_fashion_mnist
    (x, y), _ = loader(subset="auto", verbose=False)
    reps = -(-samples // len(x))        # the embedded subset repeated if the full set is absent
    x, y = np.concatenate([x] * reps)[:samples], np.concatenate([y] * reps)[:samples]
    return datasets.prepare_images(x), y.astype(np.int64)


def _compiled(name):
    build, _, _, make_optimizer, _ = WORKLOADS[name]
    minicnn.set_seed(0)
    model = build()
    model.compile(make_optimizer(), "sparse_categorical_crossentropy")
    return model


def run_workload(name, samples, numpy_samples, repeats, use_torch, threads):
    _, data_name, batch, make_optimizer, description = WORKLOADS[name]
    x, y = _load(data_name, samples)
    model = _compiled(name)
    result = {"name": name, "description": description, "batch": batch, "samples": samples,
              "params": model.count_params(),
              "gflop_per_epoch": training_flops(model, samples) / 1e9}

    with minicnn.use_backend("numba"):
        result["compile_s"] = _timed(lambda: model.fit(x[:2 * batch], y[:2 * batch],
                                                       batch_size=batch, verbose=0))
    twin = None
    if use_torch:
        import torch
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        net, opt = torch_twin(model, make_optimizer())
        x_t = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        y_t = torch.from_numpy(y)
        gen = torch.Generator().manual_seed(0)
        torch_epoch(net, opt, x_t[:2 * batch], y_t[:2 * batch], batch, gen)     # warm-up
        twin = (net, opt, x_t, y_t, gen)

    ours, theirs = [], []
    for _ in range(repeats):                                # interleaved
        with minicnn.use_backend("numba"):
            ours.append(_timed(lambda: model.fit(x, y, batch_size=batch, verbose=0, seed=0)))
        if twin:
            net, opt, x_t, y_t, gen = twin
            theirs.append(_timed(lambda: torch_epoch(net, opt, x_t, y_t, batch, gen)))
    result["minicnn_s"] = statistics.median(ours)
    result["torch_s"] = statistics.median(theirs) if theirs else None

    slice_n = min(numpy_samples, samples)
    with minicnn.use_backend("numpy"):
        reference = _compiled(name)
        numpy_s = _timed(lambda: reference.fit(x[:slice_n], y[:slice_n], batch_size=batch,
                                               verbose=0, seed=0))
    result["numpy_s_per_epoch"] = numpy_s * samples / slice_n

    tracemalloc.start()                                      # memory: a short separate pass
    with minicnn.use_backend("numba"):
        model.fit(x[:20 * batch], y[:20 * batch], batch_size=batch, verbose=0)
    result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    with _Profile(model) as profile, minicnn.use_backend("numba"):
        profile_s = _timed(lambda: model.fit(x, y, batch_size=batch, verbose=0, seed=0))
    result["profile"] = {"total": profile_s, **profile.seconds}
    return result


def _machine():
    return (f"{platform.node() or 'unknown host'}: {os.cpu_count()} logical CPUs, "
            f"{_cpu_model() or platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, NumPy {np.__version__} with "
            f"{blas_description()}")


def _cpuinfo_field(name):
    """The first ``name : value`` of /proc/cpuinfo (Linux), or None."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() == name:
                    return value.strip()
    except OSError:
        pass
    return None


def _cpu_model():
    model, family = _cpuinfo_field("model name"), _cpuinfo_field("cpu family")
    return f"{model} (family {family})" if model and family else model


# OpenBLAS picks its kernels for the CPU it finds at start-up; these use 256-bit AVX2 at most.
AVX2_OPENBLAS_CORES = {"haswell", "zen", "sandybridge"}


def blas_description():
    """NumPy's BLAS as threadpoolctl reports it, e.g. "OpenBLAS 0.3.31 (Haswell kernels)"."""
    from threadpoolctl import threadpool_info

    for info in threadpool_info():
        if info.get("user_api") == "blas":
            name = {"openblas": "OpenBLAS", "mkl": "MKL"}.get(info["internal_api"],
                                                              info["internal_api"])
            words = [name, info.get("version"),
                     f"({info['architecture']} kernels)" if info.get("architecture") else None]
            return " ".join(word for word in words if word)
    return "no BLAS found by threadpoolctl"


def blas_avx512_note():
    """A warning for speed.md when NumPy's OpenBLAS runs AVX2 kernels on an AVX-512 CPU, else
    None. Seen on this project's AMD EPYC (family 26) VM, whose environment sets
    ``OPENBLAS_CORETYPE=Haswell`` (and ``OPENBLAS_L2_SIZE``) for older OpenBLAS builds: there
    NumPy's products ran at about half the speed OpenBLAS reaches when it chooses its kernels
    itself (docs/results/speed-history.md)."""
    from threadpoolctl import threadpool_info

    flags = (_cpuinfo_field("flags") or "").split()
    for info in threadpool_info():
        core = (info.get("architecture") or "").lower()
        if info.get("internal_api") == "openblas" and core in AVX2_OPENBLAS_CORES \
                and "avx512f" in flags:
            forced = os.environ.get("OPENBLAS_CORETYPE")
            why = (f"as `OPENBLAS_CORETYPE={forced}` in the environment tells it; run without "
                   "it (and `OPENBLAS_L2_SIZE`), e.g. `env -u OPENBLAS_CORETYPE -u "
                   "OPENBLAS_L2_SIZE python benchmarks/speed.py`, to let OpenBLAS choose"
                   if forced else "as it found them best for this CPU")
            return (f"NumPy's OpenBLAS runs its {info['architecture']} (AVX2) kernels on this "
                    f"CPU, which has AVX-512, {why} (speed-history.md, \"NumPy's BLAS on an "
                    "AVX-512 CPU\").")
    return None


def render(results, peaks, torch_peaks, args, threads, blas_note=None):
    """speed.md's text. ``peaks`` / ``torch_peaks``: the matmul peaks measured in this run
    (GFLOP/s; ``torch_peaks`` empty without PyTorch); the highest is the machine's."""
    peak = max(peaks)
    torch_peak = max(torch_peaks) if torch_peaks else None
    lines = [
        "# Training speed: minicnn vs PyTorch (CPU)",
        "",
        f"Generated by `python benchmarks/speed.py{' --samples ' + str(args.samples) if args.samples != 60000 else ''}"
        f"{' --repeats ' + str(args.repeats) if args.repeats != 2 else ''}` on "
        f"{datetime.date.today().isoformat()}, {_machine()}; minicnn {minicnn.__version__}, "
        f"{threads} threads for minicnn (`set_threads`) and PyTorch. Epochs of {results[0]['samples']:,} samples, "
        f"median of {args.repeats} interleaved runs; float32. Earlier runs, behaviour under "
        "load and next steps: [speed-history.md](speed-history.md).",
        "",
        f"float32 matmul peak measured in this run (2048x2048): NumPy/BLAS {peak:.0f} GFLOP/s"
        + (f", PyTorch {torch_peak:.0f} GFLOP/s" if torch_peak else "")
        + f" -- the highest of {len(peaks)} measurements, one before each workload and one at the "
        "end (NumPy/BLAS: " + ", ".join(f"{p:.0f}" for p in peaks) + "; a busy moment of the "
        "machine only ever lowers a measurement). The % of matmul peak is against the highest.",
        "",
    ]
    forced = [f"`{name}={os.environ[name]}`" for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
              if os.environ.get(name)]
    if forced:
        lines += [f"Run with {' and '.join(forced)} set in the environment.", ""]
    if blas_note:
        lines += [f"**Note:** {blas_note}", ""]
    lines += [
        "| workload | params | batch | minicnn s/epoch | PyTorch s/epoch | ratio minicnn/PyTorch "
        "| samples/s | GFLOP/s | % of matmul peak | numpy backend s/epoch | Numba compile s | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        gflops = r["gflop_per_epoch"] / r["minicnn_s"]
        ratio = f"{r['minicnn_s'] / r['torch_s']:.2f}" if r["torch_s"] else "n/a"
        torch_s = f"{r['torch_s']:.2f}" if r["torch_s"] else "n/a"
        lines.append(
            f"| {r['name']} ({r['description']}) | {r['params']:,} | {r['batch']} | "
            f"{r['minicnn_s']:.2f} | {torch_s} | {ratio} | {r['samples'] / r['minicnn_s']:,.0f} | "
            f"{gflops:.1f} | {100 * gflops / peak:.1f}% | {r['numpy_s_per_epoch']:.1f} | "
            f"{r['compile_s']:.1f} | {r['peak_mb']:.0f} |")
    lines += ["", "The numpy backend is timed on a slice and scaled to a full epoch. Peak MB is "
              "tracemalloc's peak of NumPy allocations during 20 training steps.", "",
              "## Where minicnn's time goes", "",
              "One instrumented epoch per workload (timers around every layer's forward/backward, "
              "the kernels in `minicnn.ops` and the optimizer; the timers add a little overhead). "
              "Kernel time is included in its layer's time; \"rest\" is the training loop outside "
              "layers and optimizer (batch slicing, loss, metrics, Python). `im2col_matmul` is a "
              "Conv2D's im2col + product, `im2col_matmul_backward` its im2col (made again) + "
              "kernel-gradient product + input-gradient product + col2im, each done in blocks of "
              "images (the times of their unblocked parts: `python benchmarks/kernels.py` and "
              "`benchmarks/matmul.py`); `matmul` is then Dense's products.", ""]
    for r in results:
        prof = dict(r["profile"])
        total = prof.pop("total")
        layer_s = sum(v for k, v in prof.items() if k.endswith(("forward", "backward"))
                      and not k.startswith("kernel"))
        rest = total - layer_s - prof.get("optimizer", 0.0)
        lines += [f"### {r['name']}: {total:.2f} s", "", "| part | seconds | share |", "|---|---:|---:|"]
        for key, value in sorted(prof.items(), key=lambda kv: -kv[1]):
            lines.append(f"| {key} | {value:.2f} | {100 * value / total:.0f}% |")
        lines += [f"| rest (loop, loss, Python) | {rest:.2f} | {100 * rest / total:.0f}% |", ""]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="minicnn bench speed", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60000, help="samples per epoch (default 60000)")
    parser.add_argument("--numpy-samples", type=int, default=2000,
                        help="slice timed on the numpy backend (default 2000)")
    parser.add_argument("--repeats", type=int, default=2, help="interleaved runs per framework")
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--output", default="docs/results/speed.md")
    args = parser.parse_args(argv)

    try:
        import torch  # noqa: F401
        use_torch = not args.no_torch
    except ImportError:
        use_torch = False
        print("PyTorch is not installed (pip install 'minicnn[bench]'): timing minicnn only")
    minicnn.set_threads(args.threads)              # minicnn's kernels and products
    print(f"NumPy's BLAS: {blas_description()}", flush=True)
    blas_note = blas_avx512_note()
    if blas_note:
        print(f"note: {blas_note}", flush=True)
    peaks, torch_peaks = [], []

    def measure_peaks():
        from threadpoolctl import threadpool_limits
        with threadpool_limits(args.threads, user_api="blas"):
            peaks.append(matmul_peak_gflops())
        if use_torch:
            import torch
            torch.set_num_threads(args.threads)
            a = torch.randn(2048, 2048)
            a @ a
            torch_peaks.append(2 * 2048 ** 3 / min(_timed(lambda: a @ a) for _ in range(5)) / 1e9)

    results = []
    for name in args.workloads:
        measure_peaks()
        print(f"timing {name} ...", flush=True)
        results.append(run_workload(name, args.samples, args.numpy_samples, args.repeats,
                                    use_torch, args.threads))
        r = results[-1]
        print(f"  minicnn {r['minicnn_s']:.2f} s/epoch"
              + (f", PyTorch {r['torch_s']:.2f} s/epoch, ratio {r['minicnn_s'] / r['torch_s']:.2f}"
                 if r["torch_s"] else ""), flush=True)
    measure_peaks()
    text = render(results, peaks, torch_peaks, args, args.threads, blas_note)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(text)
    print(text)
    return results


if __name__ == "__main__":
    main()
