from concurrent.futures import ThreadPoolExecutor


def fail():
    raise ArithmeticError("from worker")


with ThreadPoolExecutor(1) as ex:
    ex.submit(fail).result()
