"""cpython-bench's modules: the workload table (workloads), the native side that talks to the
workers' pipes (native_side), one timed run in a mode (runner) and the JSON output (output)."""
