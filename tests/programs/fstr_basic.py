# Checks f-strings with {expr}: names, arithmetic, calls, indexing, floats, None, nested quotes.
name = "world"
n = 42
x = 0.1
xs = [1, 2, 3]
print(f"hello {name}")
print(f'{n} + 1 = {n + 1}')
print(f"{x} {x * 3} {1 / 3}")
print(f"{xs} {xs[0]} {xs[-1]} {len(xs)}")
print(f"{None} {True} {False}")
print(f"{'inner'} {name + '!'}")
print(f"{n}{n}{n}")
print(f"")
print(f"no fields")
print(f"{(1, 'a')}")
print(f"{['s', 2.5]}")
print(f"{-n} {n // 5} {n % 5} {2 ** 10}")
print(f"{1e16} {1e-5} {float('inf')}")
def g(a, b=10):
    return a * b
print(f"g={g(3)} g2={g(3, b=2)}")
print(f"{n if n > 40 else 0} {'yes' if xs else 'no'}")
print(f"{b'ab'}")
s = f"{n}"
print(len(s), s == "42")
