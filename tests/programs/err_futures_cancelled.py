from concurrent.futures import Future

f = Future()
f.cancel()
f.result()
