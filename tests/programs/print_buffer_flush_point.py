# Checks where print's buffer goes out on its own: once 8192 bytes are pending (CPython's chunk
# size), so a following os.write comes after them; with one byte less it waits until exit.
import os
print("a" * 8190)
os.write(1, b"written while 8191 bytes wait\n")
print("b")
os.write(1, b"written after 8193 bytes went out\n")
print("c" * 20000)
os.write(1, b"written after a 20001-byte print\n")
print("last, at exit")
