# union, intersection, difference and symmetric_difference take any iterables (several, for
# all but the last), applied one after another as CPython applies them.
s = {1, 2, 3, 4}
print(s.union(), s.union([5, 6]), s.union('ab', (7,), {8: 'x'}), s.union(range(3, 8)))
print(s.intersection(), s.intersection([2, 4, 6]), s.intersection({1, 2}, [2, 3]), s.intersection(range(100)))
print(s.difference(), s.difference([1]), s.difference({2}, (3,)), s.difference({9: 0}))
print(s.symmetric_difference([3, 4, 5]), s.symmetric_difference({4: 'd'}), s.symmetric_difference('xy'))
print(s.union(s), s.intersection(s), s.difference(s), s.symmetric_difference(s))
def evens(n):
    for i in range(0, n, 2):
        yield i
print(s.intersection(evens(10)), s.difference(evens(4)), s.union(evens(12)))
f = frozenset('hello')
print(f.union('world'), f.intersection('yellow'), f.difference('help'), f.symmetric_difference('jello'))
words = {'alpha', 'beta', 'gamma', 'delta'}
print(words.intersection(['beta', 'delta', 'omega']), words.difference(['alpha']))
print(s, f)
