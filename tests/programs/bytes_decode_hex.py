# Checks bytes.decode() and bytes.hex() on ASCII, binary and UTF-8 data.
print(b"hello".decode(), len(b"hello".decode()))
print(b"".decode() == "", b"".hex() == "")
print(b"\x00\x01\x7f\x80\xff".hex())
print(b"ABC".hex(), b"\n".hex())
u = b"caf\xc3\xa9".decode()
print(len(u), u.encode() == b"caf\xc3\xa9")
data = b"The quick brown fox"
print(data.hex())
print(data.decode().split())
s = "round trip"
print(s.encode().decode() == s)
print((b"ab" * 3).hex(), (b"a" + b"b").decode())
