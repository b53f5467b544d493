# upper, lower, swapcase, title and capitalize, for ASCII and Latin-1 text.
for s in ["hello World", "ÉCOLE élève", "straße", "ÿes", "don't stop", "they're 2nd-rate", "", "123abc", "µ", "ÀÉÎÕÜ àéîõü"]:
    print(repr(s), s.upper(), s.lower(), s.swapcase(), s.title(), s.capitalize())
print("hELLO wORLD".capitalize(), "a1b2 c3".title(), "ΑΒΓ αβγ".lower(), "ΟΔΟΣ".lower(), "привет".upper())
print("Ĳ ĳ Ł ł ő Ő".upper(), "Ĳ ĳ Ł ł ő Ő".lower())
