def gen():
    yield 1
    yield 2
    raise ValueError("gen failed")
try:
    for x in gen():
        print(x)
except ValueError as e:
    print("caught", e)
def safe():
    for i in range(4):
        try:
            if i == 2:
                raise KeyError(i)
            yield i
        except KeyError as e:
            print("inside gen", e)
            yield -i
print(list(safe()))
def g2():
    try:
        yield 1
        yield 2
    finally:
        print("gen finally")
for v in g2():
    print(v)
