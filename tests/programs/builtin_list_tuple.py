# Checks list() and tuple() built from lists, tuples, str, range, generators and other lists.
print(list(), list([]), list((1, 2)), list("ab"), list(range(2, 5)))
print(tuple(), tuple([1, 2]), tuple((3,)), tuple("xy"), tuple(range(3)))
def g():
    yield "a"
    yield 1
print(list(g()), tuple(g()))
a = [1, 2]
b = list(a)
b.append(3)
print(a, b, a == list(a), a is list(a))
t = tuple(a)
print(t, t == (1, 2), list(t) == a)
print(list(tuple(list("abc"))))
print(len(list(range(100))), len(tuple(range(7))))
print(list(list(list([9]))))
