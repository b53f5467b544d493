# Checks print(flush=...) flushes when its value is true, so that text printed before an os.write
# to the same fd comes out before it; without a flush print's text waits in the buffer.
import os
print("printed with flush=True", flush=True)
os.write(1, b"os.write after the flushed print\n")
print("buffered (no flush)")
print("buffered (flush=0 is false)", flush=0)
print("flush=[1] is true: out with the two above", flush=[1])
os.write(1, b"os.write after them\n")
print("buffered until exit")
os.write(1, b"os.write before the text buffered until exit\n")
