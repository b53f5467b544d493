calls = []

def default():
    calls.append("d")
    return []

def f(x=default()):
    x.append(1)
    return x

print(f(), f(), f([0]), calls)


def g(a, b=len(calls), *, c=len(calls) + 1):
    return a, b, c

print(g(0))
