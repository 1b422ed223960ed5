"""Metrics: values on known inputs, Keras's averaging rules, names in History."""
import numpy as np
import pytest

import minicnn
from minicnn import metrics
from minicnn.layers import Dense

Y_TRUE = np.array([0, 0, 1, 1, 2, 2, 2])
Y_PRED_CLASS = np.array([0, 1, 1, 1, 2, 0, 2])
PROBS = np.eye(3)[Y_PRED_CLASS] * 0.8 + 0.2 / 3       # arg-max = Y_PRED_CLASS


def test_confusion_matrix_counts():
    cm = metrics.confusion_matrix(Y_TRUE, PROBS)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    np.testing.assert_array_equal(metrics.confusion_matrix(np.eye(3)[Y_TRUE], Y_PRED_CLASS), cm)
    assert metrics.confusion_matrix([0, 1], [1, 1], num_classes=4).shape == (4, 4)


def test_accuracy_and_top_k_for_both_label_forms():
    acc = metrics.get("accuracy")
    acc.update_state(Y_TRUE, PROBS)
    assert acc.result() == pytest.approx(5 / 7)
    acc.reset_state()
    acc.update_state(np.eye(3)[Y_TRUE], PROBS)
    assert acc.result() == pytest.approx(5 / 7)
    top2 = metrics.top_k_accuracy(Y_TRUE, np.array([[0.5, 0.3, 0.2]] * 7), k=2)
    np.testing.assert_array_equal(top2, [1, 1, 1, 1, 0, 0, 0])


def test_macro_precision_recall_f1_over_the_epoch():
    # Per class from the confusion matrix above:
    precision = np.array([1 / 2, 2 / 3, 2 / 2])
    recall = np.array([1 / 2, 2 / 2, 2 / 3])
    f1 = 2 * precision * recall / (precision + recall)
    for name, expected in [("precision", precision), ("recall", recall), ("f1_score", f1)]:
        metric = metrics.get(name)
        metric.update_state(Y_TRUE[:3], PROBS[:3])      # two batches accumulate one matrix
        metric.update_state(Y_TRUE[3:], PROBS[3:])
        assert metric.name == name and metric.result() == pytest.approx(expected.mean())


def test_f1_batchwise_is_report_001s_formula():
    y = np.eye(3)[[0, 1, 2, 2]]
    p = np.array([[0.9, 0.05, 0.05], [0.4, 0.4, 0.2], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    rounded = np.round(p)            # rows 2 and 4 predict nothing / class 0
    tp = (y * rounded).sum(0)
    fp = ((1 - y) * rounded).sum(0)
    fn = (y * (1 - rounded)).sum(0)
    prec, rec = tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)
    expected = np.mean(2 * prec * rec / (prec + rec + 1e-7))
    assert metrics.f1_batchwise(y, p) == pytest.approx(expected)
    assert metrics.f1_batchwise(np.array([0, 1, 2, 2]), p) == pytest.approx(expected)


def test_function_metrics_follow_keras_averaging():
    """Per-sample arrays average over samples; a scalar per batch averages over batches."""
    def per_sample(y_true, y_pred):
        return np.asarray(y_pred)[:, 0]

    def per_batch(y_true, y_pred):
        return float(np.asarray(y_pred)[:, 0].mean())

    a, b = metrics.get(per_sample), metrics.get(per_batch)
    for batch in (np.array([[1.0], [1.0], [1.0]]), np.array([[4.0]])):
        a.update_state(None, batch)
        b.update_state(None, batch)
    assert a.name == "per_sample" and a.result() == pytest.approx(7 / 4)
    assert b.result() == pytest.approx((1 + 4) / 2)


def test_metric_names_appear_in_history_and_validation():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    model = minicnn.Sequential([Dense(3, activation="softmax")], input_shape=(4,))
    model.compile("adam", "sparse_categorical_crossentropy",
                  metrics=["accuracy", "f1_score", "f1_batchwise", "precision", "recall",
                           "top_k_accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0)
    for name in ("accuracy", "f1_score", "f1_batchwise", "precision", "recall", "top_k_accuracy"):
        assert len(history.history[name]) == 2 and len(history.history["val_" + name]) == 2
    assert history.history["val_top_k_accuracy"][-1] == 1.0      # 3 classes, k = 5
    # evaluate returns [loss, *metrics] in compile order; f1_score equals the confusion-matrix value
    values = model.evaluate(x[30:], y[30:], verbose=0)
    cm = metrics.confusion_matrix(y[30:], model.predict(x[30:]), num_classes=3)
    precision, recall, f1 = metrics._per_class_scores(cm)
    present = cm.sum(0) + cm.sum(1) > 0
    assert values[2] == pytest.approx(f1[present].mean())
    assert history.history["val_f1_score"][-1] == pytest.approx(values[2])


def test_duplicate_metric_names_are_refused():
    model = minicnn.Sequential([Dense(3, activation="softmax")], input_shape=(4,))
    with pytest.raises(ValueError, match="metric names must be unique"):
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy", "accuracy"])
