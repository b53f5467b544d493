# Checks default parameter values: omitted, overridden positionally or by keyword, evaluated once.
def greet(name, greeting="Hello", punct="!"):
    return greeting + ", " + name + punct
print(greet("Ann"))
print(greet("Bob", "Hi"))
print(greet("Cy", "Hey", "?"))
print(greet("Di", punct="."))
base = 10
def add(x, y=base):
    return x + y
base = 1000
print(add(1), add(1, 2))
def append_to(v, acc=[]):
    acc.append(v)
    return acc
print(append_to(1))
print(append_to(2))
print(append_to(3, []))
print(append_to(4))
def f(a, b=None, c=0.5):
    if b is None:
        b = "default"
    return (a, b, c)
print(f(1), f(1, 2), f(1, c=3))
def no_args():
    return "none"
print(no_args())
