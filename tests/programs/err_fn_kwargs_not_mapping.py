def g(**k):
    pass

g(**[1])
