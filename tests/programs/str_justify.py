# ljust, rjust, center (with fillchar) and zfill.
for w in range(0, 9):
    print(repr("abc".ljust(w)), repr("abc".rjust(w, "*")), repr("abc".center(w)), repr("ab".center(w, "-")), repr("42".zfill(w)))
print("-42".zfill(6), "+7".zfill(4), "".zfill(3), "-".zfill(3), "abc".zfill(5), "é".center(5, "ü"), "x".rjust(3, "é"))
print("|" + "mid".center(10) + "|", "|" + "mid".center(11, ".") + "|", "|" + "mi".center(9) + "|")
