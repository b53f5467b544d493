import concurrent.futures


def square(x):
    return x * x


with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
    fs = {ex.submit(square, i): i for i in range(10)}
    results = []
    for f in concurrent.futures.as_completed(fs):
        results.append((fs[f], f.result()))
    print(sorted(results))
    print(len(list(concurrent.futures.as_completed(list(fs) + list(fs)))))
