# Checks str.encode() refuses a lone surrogate, with CPython's UnicodeEncodeError (it used to
# produce bytes that are not UTF-8).
print("caf\u00e9".encode(), "\U0001f600".encode(), len("\ud800"), ["\ud800"])
print("ab\ud800c".encode())
