# Tuples do not support item deletion.
t = (1, 2)
del t[0]
