def g(**k):
    pass

g(a=1, **{"a": 2})
