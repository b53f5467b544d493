# Checks str.encode() to UTF-8 bytes and back, including a non-ASCII escape \u00e9.
print("abc".encode())
print("".encode())
print("a\nb".encode())
s = "caf\u00e9"
print(len(s), s.encode(), len(s.encode()))
b = s.encode()
print(b.decode() == s, b.hex())
print("hello".encode() == b"hello")
print("x".encode() + "y".encode())
print("\u20ac".encode(), len("\u20ac".encode()))
print("ab".encode()[0], "ab".encode()[-1])
