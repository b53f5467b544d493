# try/except/else/finally: no instruction sets a handler up; the exception table at the end of
# each listing says which ranges go where, and at what stack depth.
def parse(text):
    try:
        value = int(text)
    except (ValueError, TypeError) as e:
        print("bad", e)
        value = -1
    except KeyError:
        raise
    else:
        print("ok")
    finally:
        print("done")
    return value


def countdown_in_try(n):
    while n > 0:
        try:
            n -= 1
        except KeyError:
            break
    return n


print(parse("12"), countdown_in_try(10))
