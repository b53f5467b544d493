# try/except/finally and with together with closures, nonlocal, lambdas, comprehensions,
# generator expressions and decorators.
def retry(times):
    def decorate(fn):
        def wrapper(*args, **kwargs):
            attempts = 0
            while True:
                attempts += 1
                try:
                    return fn(*args, **kwargs), attempts
                except ValueError as e:
                    if attempts >= times:
                        raise RuntimeError("gave up after %d" % attempts) from e
                finally:
                    print("attempt", attempts, "done")
        return wrapper
    return decorate


calls = []


@retry(3)
def flaky(limit, *, ok_at=2):
    calls.append(limit)
    if len(calls) < ok_at:
        raise ValueError("not yet")
    return sum(x * x for x in range(limit))


print(flaky(4))
calls.clear()
try:
    flaky(4, ok_at=9)
except RuntimeError as e:
    print(e, "| cause:", repr(e.__cause__))


def counter():
    count = 0

    def bump():
        nonlocal count
        try:
            count += 1
            if count % 2 == 0:
                raise KeyError(count)
        except KeyError as e:
            saved = lambda: e.args[0]
            return "even " + str(saved())
        else:
            return "odd " + str(count)
    return bump


b = counter()
print([b() for _ in range(4)])


def parse_all(texts):
    out = []
    for t in texts:
        try:
            out.append(int(t))
        except ValueError:
            out.append(None)
    return out


print(parse_all(["1", "x", "3"]))
try:
    print(sum(int(t) for t in ["1", "2", "oops"]))
except ValueError as e:
    print("genexp raised:", e)


class Recorder:
    def __init__(self):
        self.log = []

    def __enter__(self):
        self.log.append("enter")
        return self.log.append

    def __exit__(self, kind, value, tb):
        self.log.append("exit " + (kind.__name__ if kind else "clean"))
        return kind is ZeroDivisionError


r = Recorder()
with r as note:
    [note(i) for i in range(2)]
    1 / 0
    note("unreached")
print(r.log)


class AppError(Exception):
    def __init__(self, *parts, code=1):
        super().__init__(*parts)
        self.code = code


handlers = {AppError: lambda e: "app %d %s" % (e.code, e.args)}
try:
    raise AppError("a", "b", code=7)
except Exception as e:
    print(handlers[type(e)](e))
