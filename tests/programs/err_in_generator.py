# Checks an error raised inside a generator body propagates to the consumer loop.
def gen():
    yield 1
    yield 2
    yield 1 // 0
total = 0
for v in gen():
    total += v
    print("got", v, total)
