# Checks string escapes: \n \t \\ \' \" \r \x.. and backslash-newline, and their lengths.
print("a\nb")
print("tab\there")
print("back\\slash")
print('single \' quote')
print("double \" quote")
print("hex \x41\x62\x7a")
print(len("\x00"), len("\n"), len("\\"), len("\t\t"))
print(len("a\
b"))
print("cr\rX")
print(["a\nb", 'tab\t', "q'", 'd"', "both'\""])
print(len("\x41") == 1, "\x41" == "A")
