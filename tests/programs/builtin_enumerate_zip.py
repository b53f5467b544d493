# enumerate (with start, also as a keyword) and zip of any number of iterables; both are lazy.
for i, c in enumerate("abc"):
    print(i, c)
print(list(enumerate(["x", "y"], 10)), list(enumerate([], 3)), list(enumerate("ab", start=-2)))
print(list(enumerate(iterable=(7, 8))))
e = enumerate([5, 6, 7])
print(next(e), next(e), list(e), list(e))
print(list(zip()), list(zip([1, 2, 3])), list(zip([1, 2, 3], "abcd", (True, False, None))))
print(list(zip(range(3), range(10, 20), range(100, 103), "xyz")))
def gen():
    for i in range(5):
        print("gen", i)
        yield i
z = zip([10, 20], gen())
print(list(z))
z = zip(gen(), [10, 20])
print(list(z))
d = {"a": 1, "b": 2}
for k, v in zip(d, d.values()):
    print(k, v)
print(dict(zip("abc", range(3))))
