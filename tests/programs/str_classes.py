# isdigit, isdecimal, isnumeric, isalpha, isalnum, isspace, isupper, islower.
for s in ["123", "12.3", "", " ", "\t\n", "abc", "ABC", "aBc", "abc123", "ABC1", "²", "½", "é", "É", "ß", "a b", "\u00a0", "1_000", "Σσ", "µ", "x²"]:
    print(repr(s), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalpha(), s.isalnum(), s.isspace(), s.isupper(), s.islower())
