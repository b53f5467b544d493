"""How numbers are written in reports and comparisons: one place, so every table agrees.

Three significant figures are what a benchmark's repetitions support; more would be noise in
print. Times pick their unit (s, ms, µs); counts get thousands separators. Missing values are a
dash and a missing PMU reading is "n/a", so a reader can tell "not measured" from zero.
"""

import math

DASH = "–"  # no value: the counter does not exist for this run (CPython has no gil_* counters)
NA = "n/a"  # not available on this machine (IPC without a PMU)


def num(x, digits=3):
    """A plain number with about `digits` significant figures: 0.0123, 1.52, 15.3, 1,530."""
    if x is None:
        return DASH
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= digits - 1:
        return "{:,.0f}".format(x)
    decimals = max(0, digits - 1 - magnitude)
    return "{:.{}f}".format(x, decimals)


def count(x):
    """A count (handoffs, context switches): integral when it is, else 3 figures."""
    if x is None:
        return DASH
    if float(x).is_integer():
        return "{:,}".format(int(x))
    return num(x)


def seconds(s):
    """A duration from seconds, in the unit that keeps it between 1 and 1000."""
    if s is None:
        return DASH
    if s == 0:
        return "0 s"
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if abs(s) >= scale * 0.9995:  # 0.9996 s reads "1.00 s", not "1,000 ms"
            return "%s %s" % (num(s / scale), unit)
    return "%s ns" % num(s / 1e-9)


def micros(us):
    """An I/O latency given in µs: µs below a millisecond, ms above (as suits the value)."""
    return DASH if us is None else seconds(us * 1e-6)


def millis_from_ns(ns):
    """A GIL wait from ns, always in ms (the table's unit) with 3 figures."""
    return DASH if ns is None else num(ns / 1e6)


def ratio(r):
    """1.90× (two decimals: 1.02× and 0.98× must stay apart)."""
    if r is None:
        return DASH
    return ("%.1f×" % r) if r >= 100 else ("%.2f×" % r)


def slower_faster(r):
    """A time ratio (new / base) in words: `1.90× slower`, `1.25× faster`, `as fast (1.00×)`.

    A ratio above 1 is slower. Faster is said as the speed-up base / new, so that "2× faster"
    means half the time, as people say it.
    """
    if r is None:
        return "n/a"
    if round(r, 2) == 1.0:
        return "as fast (1.00×)"
    if r > 1:
        return "%s slower" % ratio(r)
    return "%s faster" % ratio(1.0 / r)


def rate(x):
    """Operations or events per second: `3,200/s`, `12.5/s`."""
    return DASH if x is None else "%s/s" % num(x)


def percent(fraction, signed=False):
    """0.123 -> `12.3%` (or `+12.3%` when signed)."""
    if fraction is None:
        return DASH
    text = _whole(round(abs(fraction) * 100, 6)) + "%"
    if signed:
        return ("+" if fraction > 0 else "−" if fraction < 0 else "±") + text
    return ("-" if fraction < 0 else "") + text


def interval_us(us):
    """A switch interval from µs, whole where it is: `100 ms`, `5 ms`, `10 µs`, `2.5 ms`."""
    for scale, unit in ((1e6, "s"), (1e3, "ms")):
        if us >= scale:
            return "%s %s" % (_whole(us / scale), unit)
    return "%s µs" % _whole(us)


def _whole(x):
    return str(int(x)) if float(x).is_integer() else num(x)


def size_bytes(n):
    """A cache size: `48 KiB`, `2 MiB`, `260 MiB`."""
    for scale, unit in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= scale:
            return "%s %s" % (_whole(n / scale), unit)
    return "%d B" % n
