// Clang's thread-safety annotations (-Wthread-safety), so that "this field is guarded by that
// mutex" and "call this only with the mutex held" are rules the compiler checks, not comments.
// Every preset builds with -Wthread-safety -Werror=thread-safety; with another compiler the
// macros expand to nothing. The names follow clang's documentation (and Google Benchmark's and
// Abseil's mutex headers), prefixed so they cannot clash with a library's own.
#pragma once

#if defined(__clang__)
#define GILBENCH_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GILBENCH_THREAD_ANNOTATION(x)
#endif

// A type that is a lock (a mutex).
#define CAPABILITY(name) GILBENCH_THREAD_ANNOTATION(capability(name))
// An RAII type that holds a lock for its lifetime.
#define SCOPED_CAPABILITY GILBENCH_THREAD_ANNOTATION(scoped_lockable)
// A field that may be read or written only with the lock held.
#define GUARDED_BY(lock) GILBENCH_THREAD_ANNOTATION(guarded_by(lock))
// A pointer field whose pointee may be touched only with the lock held.
#define PT_GUARDED_BY(lock) GILBENCH_THREAD_ANNOTATION(pt_guarded_by(lock))
// A function that the caller must call with the lock(s) held (and that returns with them held).
#define REQUIRES(...) GILBENCH_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// A function that the caller must call without the lock held (it takes it itself).
#define EXCLUDES(...) GILBENCH_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// A function that takes the lock and returns holding it.
#define ACQUIRE(...) GILBENCH_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
// A function that releases a lock the caller held.
#define RELEASE(...) GILBENCH_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// The escape hatch, for a function whose locking the analysis cannot follow; say why beside it.
#define NO_THREAD_SAFETY_ANALYSIS GILBENCH_THREAD_ANNOTATION(no_thread_safety_analysis)
