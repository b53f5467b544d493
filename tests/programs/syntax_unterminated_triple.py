# Checks an unterminated triple-quoted string is a SyntaxError.
print("never printed")
s = """abc
def
