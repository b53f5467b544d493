# import of a dotted built-in module: `import a.b` imports a.b, then binds the package a;
# with `as`, and in `from a.b import x`, the submodule itself.
import concurrent.futures
import concurrent.futures as cf
from concurrent.futures import Future, wait as wait_for

print(concurrent.futures.Future is cf.Future is Future, callable(wait_for))
