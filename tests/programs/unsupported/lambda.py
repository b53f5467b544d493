# expect: SyntaxError: lambda expressions are not supported
print("never printed: the whole file is rejected at compile time")
f = lambda x: x + 1
print(f(1))
