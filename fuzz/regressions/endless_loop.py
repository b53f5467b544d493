# The step limit stops an endless loop.
while True:
    pass
