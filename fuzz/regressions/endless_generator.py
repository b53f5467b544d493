# A generator that never ends, drained by a native call: each resumption is a call.
def forever():
    while True:
        yield 1
print(sum(forever()))
