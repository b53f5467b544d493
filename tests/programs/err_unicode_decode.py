# Checks bytes.decode() refuses bytes that are not UTF-8, with CPython's UnicodeDecodeError (it
# used to make a str of them).
print(b"caf\xc3\xa9".decode(), b"\xe2\x82\xac".decode(), b"\xf0\x9f\x98\x80".decode() == "\U0001f600")
print(len(b"".decode()), b"ascii only".decode("utf-8"))
print(b"ab\xff".decode())
