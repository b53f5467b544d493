def make_adder(n):
    def add(x):
        return x + n
    return add

add3 = make_adder(3)
print(add3(4), make_adder(10)(5))


def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc

c = counter()
print(c(), c(), c())
d = counter()
print(d(), c())
