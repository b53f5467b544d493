from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(2)
fs = [ex.submit(sum, range(i)) for i in range(20)]
print("submitted", len(fs))
