#!/usr/bin/env python3
"""The h5py peer of `ensemble bench store`.

Writes one 1-D float64 dataset of MEGABYTES MiB (256 MiB = 268,435,456 bytes by
default) into a new HDF5 file in DIRECTORY with h5py, the way a user without
MPI-IO would: one serial process, default file and dataset properties
(contiguous layout, no compression). The array is made with numpy before the
clock starts; the timed part is create file + create/write dataset + close, the
same span `ensemble bench store` times. The file is deleted afterwards.

Prints one JSON line on stdout:
  {"benchmark":"collective_write","implementation":"h5py","bytes":268435456,
   "ranks":1,"seconds":<s>,"mb_per_s":<bytes/s/1e6>}

Usage: h5py_write.py --directory DIR [--megabytes 256] [--json]
"""

import argparse
import json
import os
import sys
import time

try:
    import h5py
    import numpy as np
except ImportError as error:  # pragma: no cover - depends on the interpreter
    sys.exit(
        f"h5py_write.py: {error}; install the peers' requirements with "
        f"'{sys.executable} -m pip install -r Benchmarks/peers/requirements.txt'"
    )

MIB = 1024 * 1024


def parse_write_options(description, argv=None):
    """--directory, --megabytes and --json, checked: the flags of the peers that write a file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--directory", required=True, help="existing directory to write into")
    parser.add_argument("--megabytes", type=int, default=256, help="size in MiB (default 256)")
    parser.add_argument("--json", action="store_true", help="accepted for symmetry; JSON is the only output")
    options = parser.parse_args(argv)
    if options.megabytes < 1:
        parser.error(f"--megabytes must be at least 1, got {options.megabytes}")
    if not os.path.isdir(options.directory):
        parser.error(f"--directory '{options.directory}' is not an existing directory")
    return options


def main(argv=None):
    options = parse_write_options(__doc__.splitlines()[0], argv)

    nbytes = options.megabytes * MIB
    count = nbytes // 8
    data = np.random.default_rng(192).random(count)  # untimed: the array exists before the clock starts
    path = os.path.join(options.directory, f"h5py-write-{os.getpid()}.h5")
    if os.path.exists(path):
        sys.exit(f"h5py_write.py: refusing to overwrite existing file {path}")

    try:
        start = time.perf_counter()
        with h5py.File(path, "w") as f:
            f.create_dataset("data", data=data)
        seconds = time.perf_counter() - start
    finally:
        if os.path.exists(path):
            os.remove(path)

    print(json.dumps({
        "benchmark": "collective_write",
        "implementation": "h5py",
        "bytes": nbytes,
        "ranks": 1,
        "seconds": seconds,
        "mb_per_s": nbytes / seconds / 1e6,
    }, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
