# Checks a call with an unknown keyword raises TypeError: f() got an unexpected keyword argument 'z'.
def f(a, b=2):
    return a - b
print(f(5, b=1))
print(f(1, z=3))
