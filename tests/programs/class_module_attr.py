class A:
    pass


print(A.__module__, A.__name__, A.__qualname__)
