g = lambda: (yield 1)
it = g()
print(next(it))
print(next(it, "end"))
