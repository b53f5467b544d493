# |= &= -= ^= change a set in place (every name bound to it sees it); on a frozenset they make a
# new frozenset and rebind the name only.
s = {1, 2, 3}
alias = s
s |= {4, 5}
print(s, alias, s is alias)
s &= {2, 3, 4, 9}
print(s, alias)
s -= {3}
print(s, alias)
s ^= {4, 7}
print(s, alias)
s |= frozenset({10})
print(alias)
f = frozenset({1, 2})
g = f
f |= {3}
print(f, g, f is g)
f -= {1}
f &= {2, 3, 4}
f ^= {9}
print(f, g)
n = 6
n |= 1
n &= 5
n ^= 12
n <<= 3
n >>= 1
print(n)
t = set()
for i in range(10):
    t |= {i * 8}
print(t)
