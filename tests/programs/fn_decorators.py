order = []


def tag(name):
    order.append("eval " + name)

    def deco(f):
        order.append("apply " + name)

        def wrapped(*a, **k):
            return name + "(" + str(f(*a, **k)) + ")"

        return wrapped

    return deco


@tag("outer")
@tag("inner")
def greet(who, punct="!"):
    order.append("body")
    return "hi " + who + punct


print(order)
print(greet("bob"))
print(greet("amy", punct="?"))
print(order)



def counted(f):
    calls = 0

    def inner(*args):
        nonlocal calls
        calls += 1
        return calls, f(*args)

    return inner


@counted
def double(x):
    return x * 2


print(double(1), double(5))
