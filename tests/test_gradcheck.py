"""minicnn.gradcheck: it passes correct code, catches wrong code, and checks whole models."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import (GradcheckReport, GradientCheckError, TensorCheck, check_layer,
                               check_model, relative_error, rounding_noise)
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, LeakyReLU, MaxPooling2D


class _WrongDense(Dense):
    """Dense whose bias gradient is off by a factor of 2 -- the checker must notice."""

    def backward(self, dy, through_activation=True):
        dx = super().backward(dy, through_activation)
        self.grads["bias"] = 2 * self.grads["bias"]
        return dx


def test_check_layer_catches_a_wrong_gradient_and_names_it():
    with pytest.raises(GradientCheckError, match=r"bias\s+\S+e-0\d.*<-- FAIL"):
        check_layer(_WrongDense(3), (4,), batch_size=3)
    report = check_layer(_WrongDense(3), (4,), raise_on_failure=False)
    assert not report.ok
    assert {t.name: t.rel_error < 1e-6 for t in report.tensors} == {"x": True, "kernel": True,
                                                                    "bias": False}


def test_report_lists_every_tensor():
    report = check_layer(Conv2D(2, 3), (5, 5, 2))
    text = str(report)
    assert report.ok and "OK" in text
    for name in ("x", "kernel", "bias"):
        assert f"  {name} " in text


def test_max_checks_samples_elements():
    report = check_layer(Dense(50), (40,), max_checks=20)
    assert [t.checked for t in report.tensors] == [20, 20, 20]
    assert report.tensors[1].size == 2000


def test_parameters_are_restored_after_the_check():
    layer = Conv2D(2, 3)
    layer.build((5, 5, 1))
    kernel = layer.params["kernel"]
    saved = kernel.copy()
    check_layer(layer, (5, 5, 1))
    assert layer.params["kernel"] is kernel and kernel.dtype == np.float32
    np.testing.assert_array_equal(kernel, saved)


def test_relative_error_definition():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.array([1.0, -3.0]), np.array([1.0, -2.0])) == pytest.approx(1 / 5)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_rounding_noise_is_a_few_ulps_of_the_loss_over_eps():
    assert rounding_noise(2.6, 1e-6) == pytest.approx(8 * 4.440892098500626e-16 / 1e-6)
    assert rounding_noise(-2.6, 1e-6) == rounding_noise(2.6, 1e-6)


def _zero_gradient_check(abs_error):
    """A tensor whose exact gradient is zero: analytic ~1e-17, numeric = the rounding left over."""
    return TensorCheck("beta", abs_error / (abs_error + 7e-16), (2,), -7e-16, -abs_error, 3, 3,
                       abs_error, rounding_noise(2.6, 1e-6))


def test_a_zero_gradient_passes_within_rounding_noise_and_says_so():
    report = GradcheckReport("model", 1e-6, [_zero_gradient_check(4.4e-10)])
    assert report.ok and report.max_rel_error > 0.9
    assert "(within rounding noise)" in str(report) and "FAIL" not in str(report)


def test_a_disagreement_above_rounding_noise_still_fails():
    report = GradcheckReport("model", 1e-6, [_zero_gradient_check(1e-7)])
    assert not report.ok and "<-- FAIL" in str(report)


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "categorical_crossentropy"])
def test_check_model_through_fused_softmax_dropout_and_pooling(loss, backend):
    model = minicnn.Sequential([
        Conv2D(3, 3, padding="same", activation="relu"), MaxPooling2D(2), Dropout(0.3, seed=1),
        Conv2D(2, (2, 3), strides=(1, 2), activation="tanh"), Flatten(), Dense(5),
        LeakyReLU(), Dense(4, activation="softmax"),
    ], input_shape=(8, 9, 2))
    model.compile("sgd", loss)
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 3)
    y = labels if loss.startswith("sparse") else np.eye(4)[labels]
    assert model.fused_softmax_loss
    report = check_model(model, rng.standard_normal((3, 8, 9, 2)), y)
    assert report.ok and len(report.tensors) == 1 + 2 * 4


def test_check_model_without_fusion_sigmoid_output():
    model = minicnn.Sequential([Dense(4, activation="tanh"), Dense(3, activation="sigmoid")],
                               input_shape=(5,))
    model.compile("sgd", "categorical_crossentropy")
    assert not model.fused_softmax_loss
    rng = np.random.default_rng(1)
    check_model(model, rng.standard_normal((4, 5)), np.eye(3)[[0, 1, 2, 1]])


def test_check_model_needs_compile():
    model = minicnn.Sequential([Dense(2)], input_shape=(3,))
    with pytest.raises(RuntimeError, match="compile the model first"):
        check_model(model, np.zeros((1, 3)), np.zeros(1))
