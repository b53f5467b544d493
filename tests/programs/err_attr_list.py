# Checks a missing attribute on a list raises AttributeError: 'list' object has no attribute 'foo'.
xs = [1]
xs.append(2)
print(xs)
xs.foo()
