# find, rfind, index, rindex and count with start and end (negative, None, past the end).
s = "abracadabra"
print(s.find("a"), s.find("a", 1), s.find("a", 1, 3), s.find("bra", -4), s.find("x"), s.find(""), s.find("", 20))
print(s.rfind("a"), s.rfind("a", 0, 10), s.rfind("bra", None, -1), s.rfind(""), s.rfind("abra", 1))
print(s.index("c"), s.rindex("a", 0, 5), s.index("ra", 3), s.count("a"), s.count("a", 4), s.count("a", 1, -1))
print(s.count(""), s.count("", 3, 5), s.count("abra"), "aaaa".count("aa"), s.count("a", 20), s.count("", 20))
print(s.find("a", None, None), s.find("a", -100, 100), s.find("a", 5, 2), s.find("", 11), s.find("", 12))
u = "héllo wörld héllo"
print(u.find("llo"), u.rfind("héllo"), u.index("w"), u.count("l"), u.find("ö", 3, 9), u.rfind("é", 0, 5))
print("😀a😀b".find("b"), "😀a😀b".rfind("😀"), "😀a😀b".count("😀", 1))
