# startswith and endswith with str or tuple prefixes, start and end.
s = "hello world"
print(s.startswith("hell"), s.startswith("world", 6), s.startswith("wor", 6, 8), s.startswith("", 11), s.startswith("", 12))
print(s.endswith("world"), s.endswith("hello", 0, 5), s.endswith(("x", "ld")), s.startswith(("a", "b")), s.startswith(()))
print(s.endswith("o", None, -6), s.startswith("h", -100), s.endswith(""), "".startswith(""), "".endswith("a"))
print("héllo".startswith("hé"), "héllo".endswith("llo", 2), "héllo".startswith("l", 2, 3))
