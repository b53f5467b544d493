# partition, rpartition and replace (with a count; an empty old inserts between code points).
print("a=b=c".partition("="), "a=b=c".rpartition("="), "abc".partition("x"), "abc".rpartition("x"))
print("key: value".partition(": "), "".partition("a"), "é-ü".partition("-"))
print("aaa".replace("a", "bb"), "aaa".replace("a", "b", 2), "abc".replace("", "-"), "abc".replace("", "-", 2))
print("abc".replace("x", "y"), "".replace("", "x"), "héllo".replace("", "|"), "a.b.c".replace(".", "", 0))
print("one two one".replace("one", "1", -1), "abab".replace("ab", "ba"), "aaaa".replace("aa", "b"))
