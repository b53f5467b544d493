log = []
def f():
    try:
        log.append("try")
        try:
            log.append("inner try")
            raise ValueError
        finally:
            log.append("inner finally")
    except ValueError:
        log.append("except")
    finally:
        log.append("outer finally")
    log.append("end")
f()
print(log)
