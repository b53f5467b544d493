try:
    1 / 0
except ZeroDivisionError as e:
    print("in handler", e)
try:
    print(e)
except NameError as n:
    print(n)
def f():
    try:
        raise ValueError("v")
    except ValueError as err:
        pass
    try:
        return err
    except UnboundLocalError as u:
        return "unbound: " + str(u)
print(f())
