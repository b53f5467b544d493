try:
    1 / 0
except undefined_exception_name:
    pass
