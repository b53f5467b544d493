def a():
    x = "a"
    def b():
        def c():
            def d():
                return x + "!"
            return d
        return c
    return b

print(a()()()())


def outer(n):
    def middle(m):
        def inner(k):
            return n * 100 + m * 10 + k
        return inner
    return middle

print(outer(1)(2)(3))


def shadow():
    x = 1
    def inner():
        x = 2
        def innermost():
            return x
        return innermost()
    return inner(), x

print(shadow())
