import numpy as np
import pytest

import minicnn


@pytest.fixture(params=["numpy", "numba"])
def backend(request):
    """Run the test once per backend; restores the previous backend afterwards."""
    with minicnn.use_backend(request.param):
        yield request.param


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same global minicnn seed (repeatable initial weights)."""
    minicnn.set_seed(0)
    yield


@pytest.fixture
def one_channel_paths_agree(rng):
    """``check(layer, input_shape)``: build a one-channel Conv2D or Conv2DTranspose in float64
    (random bias), run forward and backward with its one-channel shortcut on and forced off,
    and assert the outputs and all gradients agree. Returns, per path, whether the layer kept
    its input ``x`` (the im2col path makes its columns again from it in backward)."""
    def check(layer, input_shape, batch_size=2):
        layer.build(input_shape)
        assert layer.one_channel
        layer.params = {k: v.astype(np.float64) for k, v in layer.params.items()}
        if layer.use_bias:
            layer.params["bias"] = rng.standard_normal(layer.filters)
        x = rng.standard_normal((batch_size,) + tuple(input_shape))
        dy = rng.standard_normal((batch_size,) + layer.output_shape)
        results, kept_x = {}, {}
        for one_channel in (True, False):
            layer.one_channel = one_channel
            layer.__dict__.pop("x", None)
            y = layer.forward(x)
            kept_x[one_channel] = "x" in layer.__dict__
            dx = layer.backward(dy)
            results[one_channel] = (y, dx, *(layer.grads[k].copy() for k in layer.params))
        for shortcut, general in zip(results[True], results[False]):
            np.testing.assert_allclose(shortcut, general, rtol=1e-12, atol=1e-12)
        return kept_x
    return check
