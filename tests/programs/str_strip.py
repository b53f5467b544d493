# strip, lstrip, rstrip with and without chars (whitespace includes Unicode spaces).
s = "  \t hello world \n\r "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print(repr("xxhixyx".strip("xy")), repr("xxhixyx".lstrip("x")), repr("xxhixyx".rstrip("yx")))
print(repr("".strip()), repr("   ".strip()), repr("abc".strip("")), repr("abc".strip(None)))
print(repr("\u00a0\u2003 wide \u3000".strip()), repr("ééaéé".strip("é")), repr("--=a=--".strip("-=")))
print(repr("\x1c\x1dX\x85".strip()), repr("www.example.com".lstrip("cmowz.")))
