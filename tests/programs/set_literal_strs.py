# Sets of strs, in the order their SipHash-1-3 hashes (PYTHONHASHSEED=0) give, as displays of
# constants (which CPython folds into frozenset constants), built one item at a time, and from
# lists.
print({'apple', 'banana', 'cherry'})
print({'a', 'b', 'c', 'd', 'e'})
print({'name', 'age', 'city', 'country'})
print({'x', 'y'}, {'red', 'green', 'blue', 'yellow', 'black', 'white'})
words = 'the quick brown fox jumps over the lazy dog'.split()
print(set(words), len(set(words)))
s = set()
for w in words:
    s.add(w)
print(s)
print(frozenset(words))
print({'é', 'ÿ', 'Ā', '€', '😀', '', ' '})
print({'hello', 'hello world', 'Hello', 'HELLO', 'hello!'})
letters = set('mississippi')
print(letters, set('abcdefghijklmnopqrstuvwxyz'))
label = 'first'
print({'first', 'second', 'third'}, {label, 'second', 'third'})
