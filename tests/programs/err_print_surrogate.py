# Checks print() of a str holding a lone surrogate: stdout's strict UTF-8 refuses it with
# CPython's UnicodeEncodeError (the position counts within that argument), after the pieces
# before it were written; gilvm used to write bytes that are not UTF-8.
print("ok", ["\ud800"])
print("a", "b\ud800")
