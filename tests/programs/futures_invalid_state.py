from concurrent.futures import Future

f = Future()
f.set_result(1)
try:
    f.set_result(2)
except Exception as e:
    print(type(e).__name__, str(e).split(" at ")[0])
try:
    f.set_exception(ValueError())
except Exception as e:
    print(type(e).__name__, str(e).split(" at ")[0])
