from concurrent.futures import Future, as_completed

fs = [Future() for _ in range(3)]
fs[0].set_result(0)
for f in as_completed(fs, timeout=0.01):
    print("got", f.result())
