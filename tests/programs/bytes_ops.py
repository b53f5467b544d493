# Checks bytes len, ==, indexing (gives int), negative indexes, + and * by an int.
b = b"hello"
print(len(b), len(b""), b[0], b[1], b[-1], b[len(b) - 1])
print(b + b" world", b"" + b"", b"ab" * 3, 2 * b"xy", b"z" * 0)
print(b == b"hello", b == b"Hello", b != b"", b"" == b"")
print(b"\x00\xff"[1] + 1, b"A"[0] - b"a"[0])
total = 0
i = 0
while i < len(b):
    total += b[i]
    i += 1
print(total)
c = b
c += b"!"
print(b, c)
print(b"abc" + "def".encode())
print(len(b"\x00" * 10), b"-" * 5)
print([b[0], b[2]], (b,))
