# Checks global: assignment through global, reads without global, and locals shadowing globals.
counter = 0
def bump():
    global counter
    counter += 1
    return counter
bump()
bump()
print(counter, bump())
x = "global"
def read():
    return x
def shadow():
    x = "local"
    return x
print(read(), shadow(), x)
def make():
    global created
    created = "made in f"
make()
print(created)
items = []
def add(v):
    items.append(v)
add(1)
add(2)
print(items)
def reset():
    global items
    global counter
    items = []
    counter = -1
reset()
print(items, counter)
def uses_param(x):
    x = x + 1
    return x
print(uses_param(1), x)
