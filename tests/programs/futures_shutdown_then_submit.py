from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(2)
print(ex.submit(max, 3, 9).result())
ex.shutdown()
ex.shutdown()
try:
    ex.submit(max, 1, 2)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    ex.map(abs, [1])
except RuntimeError as e:
    print(e)
