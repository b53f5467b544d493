G = 1

def outer():
    G = 100
    def inner():
        global G
        G += 1
        return G
    return inner(), G

print(outer(), G)


def reader():
    def inner():
        return G * 2
    return inner()

print(reader())
H = 5
def later():
    def f():
        return H
    return f
f = later()
H = 6
print(f())
