# del of names, subscripts and tuples of them: a deleted local or global is unbound again; a
# deleted global that shadowed a built-in lets the built-in show through.
def f():
    x = 1
    y = [10, 20, 30]
    del y[0]
    del x
    x = 'again'
    return x, y
print(f())
lst = [0, 1, 2, 3, 4, 5]
del lst[0], lst[-1]
print(lst)
del lst[1]
print(lst)
d = {'a': 1, 'b': 2, 'c': 3}
del d['a'], d['c']
print(d)
nested = {'k': [1, {2: 3}]}
del nested['k'][1][2]
print(nested)
g = 5
del g
g = 6
print(g)
len = 'shadow'
print(len)
del len
print(len([1, 2, 3]))
a, b = 1, 2
del (a, b)
c = [1]
del [c]
print('deleted')
