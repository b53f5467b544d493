# Checks os.write to a pipe whose read end is closed raises BrokenPipeError (errno 32), as CPython
# does with SIGPIPE ignored, instead of the process dying of SIGPIPE; output before it survives.
import os
r, w = os.pipe()
print(os.write(w, b"kept"))
os.close(r)
print("reader closed")
os.write(w, b"lost")
print("never printed")
