def scale(k):
    return lambda x: x * k

double = scale(2)
triple = scale(3)
print(double(5), triple(5))
fns = [(lambda n: (lambda: n))(i) for i in range(3)]
print([f() for f in fns])
compose = lambda f, g: lambda x: f(g(x))
print(compose(double, triple)(1))
y = 10
glob = lambda: y + 1
print(glob())
y = 20
print(glob())
