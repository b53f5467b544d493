from concurrent.futures import ALL_COMPLETED, ThreadPoolExecutor, wait


def work(x):
    return x + 1


with ThreadPoolExecutor(3) as ex:
    fs = [ex.submit(work, i) for i in range(6)]
    result = wait(fs, return_when=ALL_COMPLETED)
    done, not_done = result
    print(len(done), len(not_done), len(result.done), len(result.not_done))
    print(sorted(f.result() for f in result[0]))
    print(type(result).__name__, len(result))
