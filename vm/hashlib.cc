// The hashlib module: sha256(data) with .digest() and .hexdigest(), on OpenSSL's libcrypto. As
// CPython's _hashlib does, hashing 2 KiB or more releases the GIL around the digest, so threads
// hashing large buffers run in parallel -- the C extension that gets around the GIL.
#include <openssl/evp.h>

#include "vm/builtins.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// CPython's HASHLIB_GIL_MINSIZE: below it, dropping and retaking the GIL costs more than it saves.
constexpr size_t kReleaseGilMinSize = 2048;

bool HashDigest(ThreadState& ts, const CallArgs& call, Value* result) {
  if (call.nargs != 0) return ts.Raise("TypeError", "HASH.digest() takes no arguments");
  *result = MakeBytes(static_cast<HashObj*>(call.self.o)->digest);
  return true;
}

bool HashHexdigest(ThreadState& ts, const CallArgs& call, Value* result) {
  if (call.nargs != 0) return ts.Raise("TypeError", "HASH.hexdigest() takes no arguments");
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : static_cast<HashObj*>(call.self.o)->digest) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  *result = MakeStr(std::move(hex));
  return true;
}

// SHA-256 of `data` (not touched by anyone else while we hash: bytes are immutable and the
// caller holds a reference).
std::string Sha256(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md), len);
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> HashMethods() {
  return {{"digest", HashDigest}, {"hexdigest", HashHexdigest}};
}

bool HashlibSha256(ThreadState& ts, const CallArgs& call, Value* result) {
  if (call.kwnames && !call.kwnames->empty()) {
    return ts.Raise("TypeError", "sha256() takes no keyword arguments in gilvm");
  }
  if (call.nargs > 1) {
    return ts.Raise("TypeError", "openssl_sha256() takes at most 1 argument (" +
                                     std::to_string(call.nargs) + " given)");
  }
  static const std::string kEmpty;
  const std::string* data = &kEmpty;
  if (call.nargs == 1) {
    Value v = call.args[0];
    if (IsType(v, ObjType::kStr))
      return ts.Raise("TypeError", "Strings must be encoded before hashing");
    if (!IsType(v, ObjType::kBytes)) {
      return ts.Raise("TypeError", "object supporting the buffer API required");
    }
    data = &AsBytes(v)->s;
  }
  std::string digest;
  if (data->size() >= kReleaseGilMinSize) {
    ts.interp->ReleaseGil(ts);
    digest = Sha256(*data);
    ts.interp->AcquireGil(ts);
  } else {
    digest = Sha256(*data);
  }
  *result = Value::Object(new HashObj(std::move(digest)));
  return true;
}

}  // namespace gilbench::vm
