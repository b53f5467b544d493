# Checks generator exhaustion: a finished generator yields nothing to for, list or sum again.
def three():
    yield 1
    yield 2
    yield 3
g = three()
print(list(g))
print(list(g))
print(sum(g))
for x in g:
    print("never", x)
h = three()
print(next(h), next(h), next(h))
print(list(h))
def empty():
    return
    yield 1
print(list(empty()), sum(empty()))
e = empty()
for x in e:
    print("never")
print("done")
