# Checks a UTF-8 sequence cut off at the end of the bytes: CPython's "unexpected end of data",
# naming the bytes of the partial sequence.
print(b"\xe2\x82\xac".decode())
print(b"ab\xe2\x82".decode())
