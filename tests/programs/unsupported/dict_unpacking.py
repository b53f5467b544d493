# expect: SyntaxError: dict unpacking is not supported
print("never printed: the whole file is rejected at compile time")
defaults = {'a': 1}
merged = {**defaults, 'b': 2}
print(merged)
