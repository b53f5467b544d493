"""Published figures a run is read against (docs/background.md, "Published figures"), kept in one place.

The convoy effect of CPython's new GIL (Beazley, 2010): an echo server's requests/s with one
CPU-bound thread beside it, against the switch interval. Our `bandwidth` workload at n = 1 is the
same experiment; its ops/s go beside these in the switch-interval table and chart.
"""

# switch interval (µs) -> requests/s with one CPU-bound thread
CONVOY_REQUESTS_PER_S = {
    100000: 5,
    5000: 100,
    1000: 500,
    100: 3200,
    10: 11000,
}
CONVOY_SOURCE = "new GIL echo server with one CPU-bound thread (Beazley 2010, bugs.python.org issue 7946)"
# The same server alone, and with the CPU work in another process.
CONVOY_ALONE_PER_S = 30000
CONVOY_OTHER_PROCESS_PER_S = 20000
