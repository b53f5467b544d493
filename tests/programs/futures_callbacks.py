from concurrent.futures import Future, ThreadPoolExecutor

seen = []


def record(f):
    seen.append(("done", f.result()))


f = Future()
f.add_done_callback(record)
f.add_done_callback(lambda fut: seen.append(("second", fut.done())))
print(seen)
f.set_result(3)
print(seen)
f.add_done_callback(lambda fut: seen.append(("late", fut.result())))
print(seen)
with ThreadPoolExecutor(2) as ex:
    results = []
    for i in range(5):
        ex.submit(pow, i, 2).add_done_callback(lambda fut: results.append(fut.result()))
print(sorted(results))
c = Future()
c.add_done_callback(lambda fut: print("cancelled cb", fut.cancelled()))
c.cancel()
