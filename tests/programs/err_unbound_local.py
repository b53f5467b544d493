# Checks reading a local before assignment raises UnboundLocalError (the name is local to the whole function).
count = 10
def f():
    print(count)
    count = 1
print(count)
f()
