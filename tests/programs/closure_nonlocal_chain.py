def outer():
    total = 0
    def mid():
        def inner(v):
            nonlocal total
            total += v
            return total
        return inner
    f = mid()
    f(5)
    f(7)
    return total

print(outer())


def acc():
    items = []
    n = 0
    def add(x):
        nonlocal n
        items.append(x)
        n = n + 1
    add("a")
    add("b")
    return items, n

print(acc())
