import threading
from concurrent.futures import Future, TimeoutError, as_completed

a, b, c = Future(), Future(), Future()
a.set_result(1)
got = []
try:
    for f in as_completed([a, b, c], timeout=0.05):
        got.append(f.result())
except TimeoutError as e:
    print("timeout:", e)
print(got)
