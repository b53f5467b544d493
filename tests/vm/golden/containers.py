# dict and set displays, subscripts on a dict, del, and the bitwise and in-place set operators:
# BUILD_MAP, BUILD_SET (and BUILD_CONST_SET for a display of constants), DELETE_*, BINARY_OP,
# INPLACE_OP.
def tally(words):
    counts = {}
    seen = set()
    for w in words:
        counts[w] = counts.get(w, 0) + 1
        seen |= {w}
    del counts['the']
    return counts, seen


ages = {'ann': 31, 'bob': 27}
ages['cy'] = ages['ann'] ^ 1
primes = {2, 3, 5, 7}
odd = {1, 3, 5, 7, 9} - primes
print(tally(['the', 'cat', 'the', 'hat']), ages, odd & {1, 9}, {len(ages), 0} | odd, ~5 << 2)
