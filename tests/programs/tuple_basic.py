# Checks tuple literals (), (a,), (a, b), bare a, b; indexing, len, iteration, unpacking and ==.
e = ()
one = (1,)
two = (1, "b")
bare = 3, 4, 5
print(e, one, two, bare)
print(len(e), len(one), len(two), len(bare))
print(two[0], two[1], two[-1], bare[-3])
for x in bare:
    print(x)
a, b, c = bare
print(a + b + c)
print(one == (1,), two == (1, "b"), e == (), bare == (3, 4), (1, 2) != (2, 1))
print((1) == 1, (1,) == 1)
nested = ((1, 2), (3, (4, 5)))
print(nested, nested[1][1][0], len(nested[1]))
print(tuple([1, 2]), tuple(), tuple(range(3)), tuple("hi"))
def pair():
    return 7, 8
p = pair()
print(p, p[0] * p[1])
print([(1, 2), (3,)], ((),))
t = (1, [2])
t[1].append(3)
print(t)
print((1.5, None, True, "s", b"b"))
