from concurrent.futures import Future


def shape(f):
    text = repr(f)
    return text[: text.index(" at ")] + text[text.index(" state=") :]


f = Future()
print(shape(f))
f.set_running_or_notify_cancel()
print(shape(f))
f.set_result([1])
print(shape(f))
g = Future()
g.set_exception(OSError("x"))
print(shape(g))
h = Future()
h.cancel()
print(shape(h))
