# chr, ord (str and bytes), hex, oct and bin.
print(chr(65), chr(97), chr(48), chr(0x263A), chr(233), chr(0x1F600), repr(chr(0)), repr(chr(10)))
print(ord("A"), ord("é"), ord("€"), ord("😀"), ord(b"z"), ord("\n"), ord(chr(0x10FFFF)))
print(list(map(ord, "héllo")))
for n in (0, 1, 7, 8, 15, 16, 255, 256, -1, -255, 4611686018427387904, -9223372036854775807 - 1, 9223372036854775807, True):
    print(n, hex(n), oct(n), bin(n))
print("".join(map(chr, range(97, 123))))
