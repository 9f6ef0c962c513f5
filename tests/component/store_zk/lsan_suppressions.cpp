// Sanitizer builds only (CP_SANITIZE=ON): LeakSanitizer reads these default suppressions.
// libzookeeper_mt 3.8.0 leaks the completion records of a synchronous `zoo_multi` (allocated in
// `zoo_amulti`) and a few session buffers when a request dies with connection loss or on a
// session expiry — the ensemble and expiry tests provoke exactly that. The allocations are the
// library's own: nothing our code receives from the library is owed a free here.
extern "C" const char* __lsan_default_suppressions() {  // NOLINT: sanitizer hook name.
  return "leak:libzookeeper_mt.so\n";
}
