# Checks a timeout beyond int64 nanoseconds is an OverflowError even when negative: CPython
# converts the timeout before it checks the sign (-1 s is a ValueError, -1e300 s is not).
import time
time.sleep(-1e300)
print("never")
