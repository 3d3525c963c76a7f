#!/usr/bin/python3
"""Thinc's side of moving a Fashion-MNIST model between Thinc and thinj (README: "Thinc models in and out").

    /usr/bin/python3 benchmarks/scripts/thinc-interop.py train CONFIG OUT [EPOCHS]
        builds the model of CONFIG's [model] section with Thinc's registry (the same config thinj
        trains from, e.g. examples/fashion-mnist-mlp.cfg), trains it EPOCHS (default 3) epochs on the
        full Fashion-MNIST set as ../shared/peers/thinc_fmnist.py does (Adam(0.001), batch 128,
        shuffled, fix_random_seed(0)), saves it with model.to_disk(OUT), and prints the test accuracy.
    /usr/bin/python3 benchmarks/scripts/thinc-interop.py evaluate CONFIG MODEL
        builds the model of CONFIG, loads MODEL (model.from_disk, e.g. a file `thinj convert` wrote)
        and prints the test accuracy.

Both print one JSON line. The data is read from $FASHION_MNIST, default /usr/share/datasets/fashion-mnist
(the four IDX files, gzipped; Debian's dataset-fashion-mnist).
"""
import gzip
import json
import os
import sys
import time

import numpy
from thinc.api import Adam, Config, fix_random_seed, registry

DATA = os.environ.get("FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        raw = f.read()
    if raw[2] == 8 and raw[3] == 3:
        return numpy.frombuffer(raw, dtype=numpy.uint8, offset=16).reshape(-1, 784).astype("f") / 255.0
    return numpy.frombuffer(raw, dtype=numpy.uint8, offset=8)


def onehot(y):
    out = numpy.zeros((len(y), 10), dtype="f")
    out[numpy.arange(len(y)), y] = 1
    return out


def build(config_path):
    config = Config().from_disk(config_path)
    return registry.resolve({"model": config["model"]})["model"]


def accuracy(model, dx, dy):
    correct = 0
    for X, Y in model.ops.multibatch(512, dx, dy):
        correct += int((model.predict(X).argmax(axis=1) == Y.argmax(axis=1)).sum())
    return correct / len(dx)


def main(argv):
    if len(argv) < 3 or argv[0] not in ("train", "evaluate"):
        sys.exit(__doc__)
    command, config_path, model_path = argv[0], argv[1], argv[2]
    dx, dy = idx("t10k-images-idx3-ubyte.gz"), onehot(idx("t10k-labels-idx1-ubyte.gz"))
    fix_random_seed(0)
    model = build(config_path)
    if command == "evaluate":
        model.from_disk(model_path)
        acc = accuracy(model, dx, dy)
        print(json.dumps({"system": "thinc", "model": model_path, "test_acc": acc, "test_correct": round(acc * len(dx))}))
        return
    epochs = int(argv[3]) if len(argv) > 3 else 3
    tx, ty = idx("train-images-idx3-ubyte.gz"), onehot(idx("train-labels-idx1-ubyte.gz"))
    model.initialize(X=tx[:5], Y=ty[:5])
    opt = Adam(0.001)
    t0 = time.perf_counter()
    for _ in range(epochs):
        for X, Y in model.ops.multibatch(128, tx, ty, shuffle=True):
            Yh, backprop = model.begin_update(X)
            backprop(Yh - Y)
            model.finish_update(opt)
    seconds = time.perf_counter() - t0
    model.to_disk(model_path)
    acc = accuracy(model, dx, dy)
    print(json.dumps({"system": "thinc", "epochs": epochs, "train_s": round(seconds, 1), "model": model_path,
                      "test_acc": acc, "test_correct": round(acc * len(dx))}))


if __name__ == "__main__":
    main(sys.argv[1:])
