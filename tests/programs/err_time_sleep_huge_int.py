# Checks an int timeout beyond int64 nanoseconds (about 292 years) is an OverflowError, not a
# sleep that never ends.
import time
time.sleep(10 ** 10)
print("never")
