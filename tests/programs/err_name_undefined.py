# Checks a reference to an unbound name raises NameError: name 'x' is not defined.
def f():
    return x
print("calling f")
print(f())
