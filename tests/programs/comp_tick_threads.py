import threading

results = {}


def work(name, n):
    results[name] = sum([i % 7 for i in range(n)]) + len({i % 5 for i in range(n)})


ts = [threading.Thread(target=work, args=(k, 20000 + k)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(results.items()) if False else [results[k] for k in range(3)])
