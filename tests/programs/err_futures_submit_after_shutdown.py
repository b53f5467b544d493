from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(1) as ex:
    pass
ex.submit(print, 1)
