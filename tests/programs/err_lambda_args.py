f = lambda a, b: a + b
f(1)
