def f(a, b, c=0, *rest, **kw):
    return a, b, c, rest, kw

args = [1, 2]
print(f(*args))
print(f(*args, 3, 4))
print(f(0, *range(3), *"xy"))
print(f(*(9, 8), **{"c": 7}))
print(f(1, **{"b": 2, "z": 3}, y=4))
print(f(**{"a": 1, "b": 2}))
t = (5,)
d = {"k": 1}
print(f(*t, *t, **d, **{"j": 2}))
print(*[1, 2, 3], sep=", ")
print(*"abc")
print(max(*[3, 9, 2]))
