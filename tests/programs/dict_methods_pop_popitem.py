# pop(k[, default]) and popitem(): popitem takes the last inserted entry (LIFO); pop of a key
# that comes back puts it at the end.
d = {'a': 1, 'b': 2, 'c': 3, 'd': 4}
print(d.pop('b'), d)
print(d.pop('zz', 'missing'), d.pop('zz', None), d)
print(d.popitem(), d)
d['b'] = 22
print(d.popitem(), d.popitem(), d)
print(d.pop('a'), d, len(d))
print({}.pop('anything', 'empty default'), {}.pop([1], 'unhashable on an empty dict'))
stack = {}
for i in range(6):
    stack[i] = i * 10
out = []
while stack:
    out.append(stack.popitem())
print(out, stack)
e = {1: 'x', 2: 'y', 3: 'z'}
del e[3]
print(e.popitem(), e)
e[3] = 'back'
e[4] = 'four'
print(e, e.popitem(), e)
