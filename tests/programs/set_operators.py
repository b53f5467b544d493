# | & - ^ between sets and frozensets: the result has the left operand's type, and CPython's
# way of building it (which set is walked, which copied) decides its order.
a = {1, 2, 3, 4, 5, 8, 16, 24}
b = {4, 5, 6, 7, 8, 32, 40}
print(a | b, b | a)
print(a & b, b & a)
print(a - b, b - a)
print(a ^ b, b ^ a)
small = {16, 8}
big = set()
for i in range(60):
    big.add(i * 8)
print(small & big, big & small)
print(big - small == small ^ big, len(big - small), len(small - big))
print(small | big == big, (big - {0}) & small)
f = frozenset({1, 2, 3})
print(f | {4}, {4} | f, f & {2, 3, 9}, f - {1}, f ^ {3, 4})
print(a | a, a & a, a - a, a ^ a)
print(set() | set(), set() & a, a - set(), set() ^ a)
strs = {'apple', 'banana', 'cherry', 'date'}
print(strs & {'banana', 'date', 'fig'}, strs - {'banana'}, strs ^ {'fig', 'apple'})
print({1, 2} | {3} | {4} & {4, 5} ^ {6})
