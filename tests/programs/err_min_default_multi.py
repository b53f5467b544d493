# default= with several positional arguments.
print(min(3, 4, default=0))
