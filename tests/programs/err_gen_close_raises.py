# An error raised while a generator handles GeneratorExit leaves close() with its traceback,
# chained to the GeneratorExit.
def worker():
    try:
        yield "started"
    finally:
        print("cleaning up")
        {}["missing"]


w = worker()
print(next(w))
w.close()
