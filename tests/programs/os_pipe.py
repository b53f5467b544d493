# Checks os.pipe/write/read/close round trips: byte counts, partial reads, EOF after close.
import os
r, w = os.pipe()
print(r >= 0, w >= 0, r != w)
print(os.write(w, b"hello"))
print(os.read(r, 5))
print(os.write(w, b"abcdef"))
print(os.read(r, 2), os.read(r, 2), os.read(r, 100))
print(os.write(w, b""))
os.write(w, "text".encode())
os.write(w, b"\x00\xff")
data = os.read(r, 64)
print(data, len(data), data[0], data[-1])
big = b"x" * 4000
print(os.write(w, big))
got = b""
while len(got) < 4000:
    got = got + os.read(r, 1000)
print(len(got), got == big)
os.close(w)
print(os.read(r, 10))
print(os.read(r, 10) == b"")
os.close(r)
r2, w2 = os.pipe()
os.write(w2, b"second pipe")
os.close(w2)
print(os.read(r2, 100).decode())
os.close(r2)
