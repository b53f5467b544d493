# Checks importing an unknown module raises ModuleNotFoundError: No module named 'foo'.
import time
print("imported time")
import foo
