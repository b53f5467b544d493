# split and rsplit with sep and maxsplit (also as keywords), on whitespace and on a separator.
s = "  a b\tc\n d  "
print(s.split(), s.split(None, 1), s.split(maxsplit=2), s.rsplit(), s.rsplit(None, 1), s.rsplit(maxsplit=2))
print("a,b,,c,".split(","), "a,b,,c,".split(",", 2), "a,b,,c,".rsplit(",", 2), "a,b,,c,".rsplit(","))
print("a::b::c".split("::"), "a::b::c".rsplit("::", 1), "".split(), "".split(","), ",".split(","))
print("abc".split("abc"), "aaa".split("a"), "aaa".split("aa"), "aaa".rsplit("aa"), "x".split("x", 0))
print("one two three".split(" ", -1), "one two three".split(sep=" ", maxsplit=1), "k=v=w".rsplit(sep="=", maxsplit=1))
print("é,ü,ö".split(","), " é  ü ".split(), "\u2003a\u3000b".split(), "a b c".split(None, 0), "  a b ".rsplit(None, 0))
