def f(*args):
    return args

print(f(), f(1), f(1, "a", [2]))


def g(a, b=2, *rest):
    return a, b, rest

print(g(1), g(1, 3), g(1, 3, 5, 7))


def total(*nums):
    s = 0
    for n in nums:
        s += n
    return s

print(total(1, 2, 3, 4))
