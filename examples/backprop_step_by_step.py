"""One training step of a small CNN, printed layer by layer: forward, loss, backward, update.

    python examples/backprop_step_by_step.py

This is ``Sequential._train_step`` written out so that every intermediate can be printed: the
forward pass layer by layer, the fused softmax cross-entropy and its gradient (p - y)/N, the
backward pass in reverse order with each layer's gradient norms, and the optimizer's update.
"""
import numpy as np

import minicnn
from minicnn import datasets
from minicnn.layers import Conv2D, Dense, Flatten, MaxPooling2D


def main():
    (x, y), _ = datasets.load_mnist(subset="embedded", verbose=False)
    x, y = datasets.prepare_images(x[:16]), y[:16]
    minicnn.set_seed(0)
    model = minicnn.Sequential([Conv2D(4, 3, activation="relu"), MaxPooling2D(2), Flatten(),
                                Dense(10, activation="softmax")], input_shape=(28, 28, 1))
    model.compile(minicnn.optimizers.SGD(learning_rate=0.1), "sparse_categorical_crossentropy")

    print("forward")
    activation = x
    for layer in model.layers:
        activation = layer.forward(activation, training=True)
        print(f"  {layer.layer_name:<15} -> {activation.shape}  mean {activation.mean():.4f}")

    print("\nloss (softmax and cross-entropy together, from the logits)")
    loss, dlogits, through_final = model._loss_and_grad(y, activation)
    print(f"  loss {loss:.4f} (ln 10 = {np.log(10):.4f} for uniform guesses)")
    print(f"  dL/dlogits = (p - onehot)/N, first row: {np.round(dlogits[0], 3)}")

    print("\nbackward (last layer first)")
    grad = dlogits
    for i, layer in enumerate(reversed(model.layers)):
        grad = layer.backward(grad, through_activation=False) if i == 0 else layer.backward(grad)
        norms = ", ".join(f"|d{k}| {np.linalg.norm(g):.4f}" for k, g in layer.grads.items())
        print(f"  {layer.layer_name:<15} dL/dx {grad.shape}  {norms}")

    print("\nupdate (SGD: W <- W - 0.1 * dW)")
    before = {layer.layer_name: layer.params["kernel"].copy() for layer in model.layers
              if "kernel" in layer.params}
    model.optimizer.apply_gradients(model.layers)
    for name, w in before.items():
        after = next(layer for layer in model.layers if layer.layer_name == name).params["kernel"]
        print(f"  {name:<15} |W| {np.linalg.norm(w):.4f}  |W_new - W| {np.linalg.norm(after - w):.5f}")
    new_loss = model._loss_and_grad(y, model.forward(x, training=True))[0]
    print(f"\nloss on the same batch after the step: {new_loss:.4f} (was {loss:.4f})")


if __name__ == "__main__":
    main()
