registry = {}


def register(f):
    registry[len(registry)] = f
    return 42


@register
def a():
    return "a"


print(a, registry[0]())
decorators = [lambda f: lambda: f() + 1]


@decorators[0]
def three():
    return 2


print(three())
