# Checks a missing module attribute raises AttributeError: module 'time' has no attribute 'foo'.
import time
print(time.time() > 0)
time.foo()
