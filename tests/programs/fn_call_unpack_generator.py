def gen(n):
    i = 0
    while i < n:
        yield i
        i += 1

def f(*a):
    return a

print(f(*gen(4)))
print(f(*{"x": 1, "y": 2}))
print(f(*{3}, *[]))
