# get(timeout) raises multiprocessing.TimeoutError while the task runs.
import multiprocessing
import time


def slow(x):
    time.sleep(x)
    return x


if __name__ == "__main__":
    with multiprocessing.Pool(1) as pool:
        r = pool.apply_async(slow, (0.5,))
        try:
            r.get(timeout=0.01)
        except multiprocessing.TimeoutError as e:
            print("TimeoutError", repr(str(e)), isinstance(e, multiprocessing.ProcessError))
        print(r.ready())
        print(r.get())
