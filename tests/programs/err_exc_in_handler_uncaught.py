class Boom(Exception):
    pass
try:
    raise Boom("one")
except Boom as b:
    print("handling", b)
    x = undefined_variable
