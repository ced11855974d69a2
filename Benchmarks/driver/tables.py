"""Number formats and aligned tables, as the tables have always been printed."""

import math


def figure(value):
    """Three significant digits, in fixed point: 0.0425, 2.50, 58.9, 611."""
    if value <= 0:
        return f"{value:g}"
    return f"{value:.{max(0, 2 - math.floor(math.log10(value)))}f}"


def duration(seconds):
    if seconds < 1e-3:
        return f"{figure(seconds * 1e6)} us"
    if seconds < 1:
        return f"{figure(seconds * 1e3)} ms"
    return f"{figure(seconds)} s"


def size_text(nbytes):
    if nbytes % (1 << 20) == 0:
        return f"{nbytes >> 20} MiB"
    if nbytes % 1_000_000 == 0:
        return f"{nbytes // 1_000_000} MB"
    return f"{nbytes} B"


def rate_text(value, key):
    unit = "GB/s" if key == "gb_per_s" else "MB/s"
    return f"{value:.3f} {unit}" if value < 100 else f"{value:.1f} {unit}"


def render(lines, right, footer=()):
    """Lines of an aligned table: header, rule, body, rule, then FOOTER rows; columns in RIGHT align right."""
    widths = [max(len(line[i]) for line in list(lines) + list(footer)) for i in range(len(lines[0]))]

    def one(line):
        cells = [cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths))]
        return "  ".join(cells).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return [one(lines[0]), rule, *map(one, lines[1:]), rule, *map(one, footer)]


def spread(values):
    """'N' when every run used the same count, 'LOW-HIGH' otherwise."""
    counts = sorted(set(values))
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
