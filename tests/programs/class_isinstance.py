class A:
    pass


class B(A):
    pass


class C:
    pass


b = B()
print(isinstance(b, A), isinstance(b, B), isinstance(b, C))
print(isinstance(b, (C, A)), isinstance(b, (C,)), isinstance(b, object))
print(isinstance(3, int), isinstance(True, int), isinstance("s", str), isinstance(3, (str, float)))
print(isinstance([], list), isinstance({}, dict), isinstance(2.5, float))
print(issubclass(B, A), issubclass(A, B), issubclass(B, (C, A)), issubclass(A, object))
