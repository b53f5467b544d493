# Not a test: the module that import_own_module.py imports (CPython would find it here).
VALUE = 1
