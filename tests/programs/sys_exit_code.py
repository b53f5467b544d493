# Checks sys.exit(3) ends the program with status 3 after flushing earlier output, running nothing after.
import sys
print("before exit")
def leave(code):
    print("leaving with", code)
    sys.exit(code)
    print("never printed")
for i in range(10):
    if i == 2:
        leave(3)
    print("loop", i)
print("never printed either")
