# Checks time.sleep's argument is converted as CPython converts it: zero and small values sleep,
# an infinite timeout is an OverflowError at once (it used to be an undefined float-to-int cast
# that returned immediately).
import time
time.sleep(0)
time.sleep(-0.0)
time.sleep(1e-9)
time.sleep(False)
print("short sleeps done")
time.sleep(float("inf"))
print("never")
