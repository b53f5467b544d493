def make_counter_gen(start):
    state = {"n": start}
    def bump():
        state["n"] += 1
    def gen():
        while state["n"] < start + 3:
            yield state["n"]
            bump()
    return gen

print(list(make_counter_gen(5)()))


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

f = fib()
print([next(f) for _ in range(10)])
print(sum(1 for x in [1, 7] if x > 5), sum(1 for x in [1, -1] if x > 0))
