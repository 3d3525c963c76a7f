#!/usr/bin/python3
"""Writes the .npy/.npz fixtures of NumpyFixturesTest with real NumPy (1.24), and expected.json:
for each array its shape, dtype and values in C order, as the Java reader must return them.

    /usr/bin/python3 make_numpy_fixtures.py      # run in this folder; rewrites every fixture

Deterministic (arange-based values, no randomness; numpy.savez stamps every zip entry 1980-01-01), so
rerunning changes nothing.
"""
import json
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
expected = {}


def record(name, a):
    a = np.asarray(a)
    expected[name] = {
        "shape": list(a.shape),
        "dtype": a.dtype.name,
        # C order, as float (what the Java reader converts every dtype to)
        "values": [float(v) for v in np.ascontiguousarray(a).reshape(-1).astype(np.float64)],
    }


def save(name, a, **kw):
    np.save(os.path.join(here, name), a, **kw)
    record(name, a)


save("f32.npy", (np.arange(12, dtype=np.float32) / 4 - 1).reshape(3, 4))
save("f64_big_endian.npy", (np.arange(6) * 0.5 - 1.25).reshape(2, 3).astype(">f8"))
save("u8_3d.npy", (np.arange(24) * 11 % 256).astype(np.uint8).reshape(2, 3, 4))
save("i64_labels.npy", np.array([0, 2, 1, 2, 0], dtype=np.int64))
save("i32_column_labels.npy", np.array([[1], [0], [1]], dtype=np.int32))
save("fortran_2d.npy", np.asfortranarray((np.arange(6, dtype=np.float32) + 0.5).reshape(2, 3)))
save("fortran_3d.npy", np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)))
save("small_ints.npy", np.array([[-128, 127], [-1, 0]], dtype=np.int8))
save("i16_big_endian.npy", np.array([-300, 300, 7], dtype=">i2"))
save("u16.npy", np.array([0, 65535, 1234], dtype=np.uint16))
save("bools.npy", np.array([[True, False], [False, True]]))
save("regress_y.npy", (np.arange(10, dtype=np.float32) * 0.1).reshape(5, 2))

# Header versions 2.0 and 3.0 (numpy.save picks 1.0 whenever it fits, so ask for them).
for version in [(2, 0), (3, 0)]:
    name = "f32_v%d.npy" % version[0]
    a = (np.arange(6, dtype=np.float32) - 2).reshape(3, 2)
    with open(os.path.join(here, name), "wb") as f:
        np.lib.format.write_array(f, a, version=version)
    record(name, a)

# Arrays the reader must refuse, each with a clear message.
np.save(os.path.join(here, "object.npy"), np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save(os.path.join(here, "unicode.npy"), np.array(["ab", "cd"]))
np.save(os.path.join(here, "complex.npy"), np.array([1 + 2j], dtype=np.complex64))

# A dataset: savez (stored) and savez_compressed (deflated) with the default keys, and one with others.
arrays = {
    "train_X": (np.arange(15, dtype=np.float32) / 10).reshape(5, 3),
    "train_y": np.array([0, 1, 2, 1, 0], dtype=np.int64),
    "test_X": (np.arange(6, dtype=np.float32) / 10 + 3).reshape(2, 3),
    "test_y": np.array([2, 3], dtype=np.int64),
}
np.savez(os.path.join(here, "dataset.npz"), **arrays)
np.savez_compressed(os.path.join(here, "dataset_compressed.npz"), **arrays)
np.savez(os.path.join(here, "regress.npz"), X=arrays["train_X"], y=(np.arange(5, dtype=np.float64) / 2),
         Xt=arrays["test_X"], yt=np.array([0.25, -1.5]))
for key, a in arrays.items():
    record("dataset.npz:" + key, a)
record("regress.npz:y", np.arange(5, dtype=np.float64) / 2)
record("regress.npz:yt", np.array([0.25, -1.5]))

with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
