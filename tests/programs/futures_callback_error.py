from concurrent.futures import Future

f = Future()


def bad(fut):
    raise RuntimeError("in callback")


f.add_done_callback(bad)
f.add_done_callback(lambda fut: print("still called", fut.result()))
f.set_result(1)
print("after", f.result())
