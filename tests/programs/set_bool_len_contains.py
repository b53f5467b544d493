# Truth, len() and `in` for sets: membership uses hashes and == (1 == 1.0 == True), and a set is
# looked up as the equal frozenset.
s = {1, 'two', (3, 4), 5.5}
print(len(s), bool(s), bool(set()), not set(), set() or 'empty')
print(1 in s, 1.0 in s, True in s, 'two' in s, (3, 4) in s, [3, 4] == list((3, 4)), 5.5 in s, 6 not in s)
print(0 in {False}, False in {0.0}, 'two' not in s, frozenset() in {frozenset()}, set() in {frozenset()})
big = set(range(0, 100000, 7))
print(len(big), 7 * 1000 in big, 7 * 1000 + 1 in big, -7 in big)
