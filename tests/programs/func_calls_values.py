# Checks functions as values: passing, storing in lists, returning None implicitly, call order.
def double(x):
    return x * 2
def square(x):
    return x * x
def apply(f, v):
    return f(v)
print(apply(double, 5), apply(square, 5))
fs = [double, square]
for f in fs:
    print(f(3))
alias = double
print(alias("ab"))
def nothing(x):
    x = x + 1
print(nothing(1))
def early(n):
    if n > 0:
        return "pos"
print(early(1), early(-1))
order = []
def note(v):
    order.append(v)
    return v
def three(a, b, c):
    return a + b + c
print(three(note(1), note(2), c=note(3)), order)
def compose(f, g, v):
    return f(g(v))
print(compose(double, square, 3), compose(square, double, 3))
print(len(str(double(21))))
