import concurrent.futures
import concurrent.futures as cf
from concurrent.futures import Future as F

print(cf is concurrent.futures, F is cf.Future)
print(cf.FIRST_COMPLETED, cf.FIRST_EXCEPTION, cf.ALL_COMPLETED)
print(issubclass(cf.CancelledError, Exception), issubclass(cf.BrokenExecutor, RuntimeError))
print(cf.TimeoutError is TimeoutError)
