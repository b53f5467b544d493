tests = [ZeroDivisionError, OverflowError, KeyError, IndexError, UnboundLocalError,
         RecursionError, ModuleNotFoundError, FileNotFoundError]
for t in tests:
    try:
        raise t
    except ArithmeticError:
        print(t.__name__, "ArithmeticError")
    except LookupError:
        print(t.__name__, "LookupError")
    except NameError:
        print(t.__name__, "NameError")
    except RuntimeError:
        print(t.__name__, "RuntimeError")
    except ImportError:
        print(t.__name__, "ImportError")
    except OSError:
        print(t.__name__, "OSError")
    except ValueError:
        print(t.__name__, "ValueError")
try:
    raise KeyboardInterrupt
except Exception:
    print("wrong")
except BaseException as e:
    print("BaseException", str(e.args))
