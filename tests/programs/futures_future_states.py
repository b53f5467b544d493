from concurrent.futures import Future

f = Future()
print(f.done(), f.running(), f.cancelled())
print(f.set_running_or_notify_cancel())
print(f.done(), f.running(), f.cancel())
f.set_result("x")
print(f.done(), f.running(), f.result(), f.exception())
g = Future()
print(g.cancel(), g.cancel(), g.done(), g.cancelled())
print(g.set_running_or_notify_cancel())
