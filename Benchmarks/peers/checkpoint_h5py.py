#!/usr/bin/env python3
"""The peers of `ensemble bench checkpoint`.

checkpoint_write: what a careful Python user writes for a checkpoint of the same state: one
serial process writes MEGABYTES MiB of float64 with h5py into a new file, flushes it, fsyncs it,
renames it over the previous checkpoint and fsyncs the folder (the atomic-replace idiom). The
timed span is the same as Ensemble's, which on top checksums every value, reads the file back
and checks it before the rename.

content_checksum: zlib.crc32 (C) over the same bytes on one core, the checksum a Python user would
reach for, best of five passes.

Prints one JSON line per figure:
  {"benchmark":"checkpoint_write","implementation":"h5py","bytes":268435456,"ranks":1,"seconds":<s>,"mb_per_s":<>}
  {"benchmark":"content_checksum","implementation":"zlib.crc32","bytes":268435456,"ranks":1,"seconds":<s>,"gb_per_s":<>}

Usage: checkpoint_h5py.py --directory DIR [--megabytes 256] [--json]
"""

import json
import os
import time
import zlib

from h5py_write import MIB, h5py, np, parse_write_options


def main(argv=None):
    options = parse_write_options(__doc__.splitlines()[0], argv)

    nbytes = options.megabytes * MIB
    data = np.arange(nbytes // 8, dtype=np.float64) * 0.5
    final = os.path.join(options.directory, f"h5py-checkpoint-{os.getpid()}.h5")
    temporary = final + ".new"
    try:
        start = time.perf_counter()
        with h5py.File(temporary, "w") as f:
            f.create_dataset("values", data=data)
            f.flush()
        descriptor = os.open(temporary, os.O_RDONLY)
        os.fsync(descriptor)
        os.close(descriptor)
        os.replace(temporary, final)
        folder = os.open(options.directory, os.O_RDONLY)
        os.fsync(folder)
        os.close(folder)
        seconds = time.perf_counter() - start
    finally:
        for path in (temporary, final):
            if os.path.exists(path):
                os.remove(path)
    print(json.dumps({"benchmark": "checkpoint_write", "implementation": "h5py", "bytes": nbytes, "ranks": 1,
                      "seconds": seconds, "mb_per_s": nbytes / seconds / 1e6}, separators=(",", ":")), flush=True)

    view = memoryview(data).cast("B")
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        zlib.crc32(view)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"benchmark": "content_checksum", "implementation": "zlib.crc32", "bytes": nbytes, "ranks": 1,
                      "seconds": best, "gb_per_s": nbytes / best / 1e9}, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
