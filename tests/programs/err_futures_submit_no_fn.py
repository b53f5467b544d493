from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(1) as ex:
    ex.submit()
