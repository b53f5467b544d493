# Checks a UTF-8 byte order mark at the very start of the file is skipped, as CPython does.
x = 1
print("the BOM was skipped", x)
