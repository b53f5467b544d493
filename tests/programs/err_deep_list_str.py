# Checks str() of a list nested deeper than the recursion limit is CPython's RecursionError, not
# a repr cut short with [...]; nesting within the limit prints in full.
x = []
for i in range(900):
    x = [x]
s = str(x)
print(len(s), s[:5], s[-5:], len(f"{x}"), len("%s" % (x,)))
for i in range(200):
    x = [x]
print(x)
