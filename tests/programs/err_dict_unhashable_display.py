# An unhashable key in a dict display.
print({'a': 1})
d = {'b': 2, {}: 3}
