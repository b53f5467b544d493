# Checks print after os.close(1): the text waits in the buffer, and the flush at exit fails as in
# CPython: "Exception ignored in: <stdout>", OSError [Errno 9], exit status 120.
import os
os.close(1)
print("lost")
