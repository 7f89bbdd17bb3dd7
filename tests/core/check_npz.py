#!/usr/bin/python3
"""numpy's view of an .npz, for the C++ tests (run with Debian's /usr/bin/python3 + python3-numpy).

  check_npz.py read PATH [NAME:i,j ...]   prints JSON: every array's dtype/shape/float64 sum, the
                                          requested elements (numpy indexing, so C order), and
                                          config/meta parsed with json.loads(str(f[...])).
  check_npz.py write PATH NV NH [compressed] [float64]
                                          writes a model-only file with np.savez:
                                          W[i, j] = float32(i * NH + j) / 100, visible_bias[i] = -i / 8,
                                          hidden_bias[j] = j / 4 (float32 arithmetic).
"""
import json
import sys

import numpy as np


def read(path, picks):
    out = {"arrays": {}, "values": {}}
    with np.load(path, allow_pickle=False) as f:
        for name in f.files:
            a = f[name]
            entry = {"dtype": a.dtype.str, "shape": list(a.shape), "c_contiguous": bool(a.flags.c_contiguous)}
            if a.dtype.kind in "fiu":
                entry["sum"] = float(a.astype(np.float64).sum())
            out["arrays"][name] = entry
        for pick in picks:
            name, idx = pick.split(":")
            index = tuple(int(i) for i in idx.split(",")) if idx else ()
            v = f[name][index]
            out["values"][pick] = v.item() if not isinstance(v.item(), int) else str(v.item())
        for name in ("config", "meta"):
            if name in f.files:
                out[name] = json.loads(str(f[name]))
    print(json.dumps(out))


def write(path, nv, nh, compressed, float64):
    W = np.arange(nv * nh, dtype=np.float32).reshape(nv, nh) / np.float32(100)
    b = -np.arange(nv, dtype=np.float32) / np.float32(8)
    c = np.arange(nh, dtype=np.float32) / np.float32(4)
    if float64:
        W, b, c = W.astype(np.float64), b.astype(np.float64), c.astype(np.float64)
    save = np.savez_compressed if compressed else np.savez
    save(path, W=W, visible_bias=b, hidden_bias=c)


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), "compressed" in sys.argv[5:], "float64" in sys.argv[5:])
    else:
        sys.exit("usage: check_npz.py read|write ...")
