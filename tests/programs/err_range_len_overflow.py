# Checks a range of more than 2**63 - 1 items: indexing, truth and == work on all of its items,
# and only len() is CPython's OverflowError (it used to return a capped number).
M = 9223372036854775807
r = range(-M - 1, M)
print(r[0], r[1], r[-1], r[-2], r[M], r[M - 1])
print(bool(r), r == range(-M - 1, M), r == range(-M - 1, M - 1), r == range(-M - 1, M, 2))
print(M - 1 in r, -M - 1 in r, M in r)
print(len(range(-M, M, 2)), len(range(M, -M - 1, -1)) == M)
print(len(r))
