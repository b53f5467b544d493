from concurrent.futures import Future

Future().result(timeout=0.01)
