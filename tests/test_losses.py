"""Cross-entropy losses: fused from logits, on probabilities, sparse labels, clear label errors."""
import numpy as np
import pytest

from minicnn.activations import softmax
from minicnn.gradcheck import numeric_gradient, relative_error
from minicnn.losses import CategoricalCrossentropy, SparseCategoricalCrossentropy, TargetError, get


def _numeric(loss_fn, y, z):
    indices = [tuple(i) for i in np.ndindex(*z.shape)]
    num = numeric_gradient(lambda: loss_fn(y, z)[0], z, indices)
    return num.reshape(z.shape)


def test_fused_loss_value_and_gradient(rng):
    z = rng.standard_normal((5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    y = np.eye(4)[labels]
    cce = CategoricalCrossentropy()
    loss, dz = cce.loss_and_grad_from_logits(y, z)
    p = softmax(z)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), labels])), rel=1e-12)
    np.testing.assert_allclose(dz, (p - y) / 5, rtol=1e-12)
    assert relative_error(dz, _numeric(cce.loss_and_grad_from_logits, y, z)) < 1e-6


def test_fused_loss_is_finite_where_log_softmax_would_not_be():
    z = np.array([[1000.0, 0.0, -1000.0]], dtype=np.float32)
    loss, dz = SparseCategoricalCrossentropy().loss_and_grad_from_logits(np.array([2]), z)
    assert loss == pytest.approx(2000.0, rel=1e-6)
    np.testing.assert_allclose(dz, [[1.0, 0.0, -1.0]], atol=1e-6)
    assert dz.dtype == np.float32


def test_probability_path_matches_keras_clipping_and_gradient(rng):
    p = softmax(rng.standard_normal((4, 3)))
    y = np.eye(3)[[0, 2, 1, 1]]
    cce = CategoricalCrossentropy()
    loss, dp = cce.loss_and_grad(y, p)
    assert loss == pytest.approx(-np.mean(np.log((p * y).sum(1))), rel=1e-12)
    assert relative_error(dp, _numeric(cce.loss_and_grad, y, p.copy())) < 1e-6
    clipped, _ = cce.loss_and_grad(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert clipped == pytest.approx(-np.log(1e-7), rel=1e-6)       # log(0) clipped to log(1e-7)


def test_sparse_equals_categorical(rng):
    z = rng.standard_normal((6, 5))
    labels = rng.integers(0, 5, 6)
    a = SparseCategoricalCrossentropy().loss_and_grad_from_logits(labels, z)
    b = CategoricalCrossentropy().loss_and_grad_from_logits(np.eye(5)[labels], z)
    assert a[0] == pytest.approx(b[0])
    np.testing.assert_allclose(a[1], b[1])
    c = SparseCategoricalCrossentropy().loss_and_grad_from_logits(labels.reshape(-1, 1), z)
    assert c[0] == pytest.approx(a[0])


@pytest.mark.parametrize("loss, y, message", [
    ("sparse_categorical_crossentropy", np.array([0, 10]), r"labels must lie in \[0, 9\].*0 to 10"),
    ("sparse_categorical_crossentropy", np.array([-1, 2]), r"labels must lie in \[0, 9\]"),
    ("sparse_categorical_crossentropy", np.array([0.5, 2.0]), "expects integer class labels"),
    ("sparse_categorical_crossentropy", np.eye(10)[[1, 2]], "these look like one-hot rows"),
    ("sparse_categorical_crossentropy", np.array(["a", "b"]), "expects integer class labels"),
    ("categorical_crossentropy", np.array([1, 2]), r"one-hot labels of shape \(N, 10\).*to_categorical"),
    ("categorical_crossentropy", np.eye(5)[[1, 2]], r"one-hot labels of shape \(N, 10\), got shape \(2, 5\)"),
    ("categorical_crossentropy", 255 * np.eye(10)[[1, 2]], r"one-hot \(or probability\) rows with "
                                                          r"values in \[0, 1\]; got values from 0 to 255"),
    ("categorical_crossentropy", 2 * np.eye(10)[[1, 2]] - 1, r"got values from -1 to 1"),
])
def test_bad_labels_get_a_clear_error(loss, y, message):
    with pytest.raises(TargetError, match=message):
        get(loss).check_targets(y, 10)


def test_one_output_and_a_class_instead_of_a_loss_are_refused():
    with pytest.raises(TargetError, match=r"categorical_crossentropy needs at least 2 outputs .* "
                                          r"Dense\(2, activation='softmax'\)"):
        get("categorical_crossentropy").check_targets(np.ones((4, 1)), 1)
    with pytest.raises(TypeError, match=r"loss: pass an instance, CategoricalCrossentropy\(\), "
                                        r"not the class"):
        get(CategoricalCrossentropy)


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="unknown loss 'mse'; valid names: categorical_crossentropy"):
        get("mse")
