# Checks abs, sum and len over the value kinds they accept.
print(abs(-5), abs(5), abs(0), abs(-2.5), abs(-0.0), abs(-1e-9))
print(abs(-9223372036854775807))
print(sum([1, 2, 3]), sum([]), sum((4, 5)), sum(range(5)), sum([1.5, 2]))
print(sum([0.1, 0.2, 0.3]), sum([True, True]))
print(len("abc"), len(""), len([1, [2, 3]]), len(()), len((1, 2)), len(b"xyz"))
print(len([0] * 1000), len("ab" * 50))
xs = [3, -4, 5]
total = 0
for x in xs:
    total += abs(x)
print(total, sum(xs), abs(sum(xs) - 10))
def gen():
    yield 1
    yield 10
    yield 100
print(sum(gen()), len(list(gen())))
print(len(str(sum(range(1000)))))
