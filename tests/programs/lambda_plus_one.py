# Moved from unsupported/: lambda expressions are supported now.
f = lambda x: x + 1
print(f(1))
