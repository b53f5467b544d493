from concurrent.futures import Future, wait

a, b = Future(), Future()
b.set_result(2)
done, not_done = wait([a, b], timeout=0.02)
print(len(done), len(not_done), b in done, a in not_done)
done, not_done = wait([], timeout=0)
print(done, not_done)
