// callsup Python bindings: SRTP keys — SrtpSuite, SrtpKeyMaterial, SDES a=crypto, srtp_backend.
// Keys are bytes in Python; reprs show their lengths only, so keys never reach a log by accident.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "callsup/media/sdes.hpp"
#include "callsup/media/srtp.hpp"
#include "media_bindings.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;
using Bytes = std::vector<std::uint8_t>;

py::bytes to_bytes(const Bytes& value) {
  return py::bytes(reinterpret_cast<const char*>(value.data()), value.size());
}

Bytes from_bytes(const py::bytes& value) {
  const std::string raw = value;
  return Bytes(raw.begin(), raw.end());
}

std::string secret(const Bytes& value) { return "<" + std::to_string(value.size()) + " bytes>"; }

template <class T>
void def_bytes(py::classh<T>& cls, const char* name, Bytes T::*member, const char* doc) {
  cls.def_property(
      name, [member](const T& self) { return to_bytes(self.*member); },
      [member](T& self, const py::bytes& value) { self.*member = from_bytes(value); }, doc);
}

/// __eq__ with C++'s ==, unhashable (mutable), as the other value classes.
template <class T>
void def_equality(py::classh<T>& cls) {
  cls.def(
      "__eq__",
      [](const T& self, const py::object& other) -> py::object {
        if (!py::isinstance<T>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(self == other.cast<const T&>());
      },
      "other"_a);
  cls.attr("__hash__") = py::none();
}

void bind_key_material(py::module_& m) {
  py::classh<SrtpKeyMaterial> keys(
      m, "SrtpKeyMaterial",
      "The keys of one direction of an SRTP session: suite, master key (16 bytes),\n"
      "master salt (14, or 12 for GCM) and the MKI packets carry (b'': none).\n"
      "Usually from key_material(parse_sdes_crypto(line)).");
  keys.def(py::init([](SrtpSuite suite, const py::bytes& master_key, const py::bytes& master_salt,
                       const py::bytes& mki) {
             return SrtpKeyMaterial{suite, from_bytes(master_key), from_bytes(master_salt), from_bytes(mki)};
           }),
           "suite"_a = SrtpSuite::aes_cm_128_hmac_sha1_80, "master_key"_a = py::bytes(),
           "master_salt"_a = py::bytes(), "mki"_a = py::bytes())
      .def_readwrite("suite", &SrtpKeyMaterial::suite, "The crypto suite both sides agreed on.");
  def_bytes(keys, "master_key", &SrtpKeyMaterial::master_key, "The master key.");
  def_bytes(keys, "master_salt", &SrtpKeyMaterial::master_salt, "The master salt.");
  def_bytes(keys, "mki", &SrtpKeyMaterial::mki, "The MKI every packet carries; b'' for none.");
  def_equality(keys);
  keys.def("__repr__",
           [](const SrtpKeyMaterial& k) {
             return "SrtpKeyMaterial(suite=" + python::repr(py::cast(k.suite)) +
                    ", master_key=" + secret(k.master_key) + ", master_salt=" + secret(k.master_salt) +
                    ", mki=" + secret(k.mki) + ")";
           })
      .def("__reduce__", [](const py::object& self) {
        const auto& k = self.cast<const SrtpKeyMaterial&>();
        return py::make_tuple(py::type::of(self), py::make_tuple(k.suite, to_bytes(k.master_key),
                                                                 to_bytes(k.master_salt), to_bytes(k.mki)));
      });
}

void bind_sdes_crypto(py::module_& m) {
  py::classh<SdesCrypto> sdes(m, "SdesCrypto",
                              "One SDP a=crypto attribute (RFC 4568) with a single inline key.");
  sdes.def(py::init([](unsigned tag, SrtpSuite suite, const py::bytes& master_key,
                       const py::bytes& master_salt, std::optional<std::uint64_t> lifetime,
                       std::optional<std::uint32_t> mki_value, std::uint8_t mki_length,
                       std::vector<std::string> session_params) {
             return SdesCrypto{
                 tag,       suite,      from_bytes(master_key),   from_bytes(master_salt), lifetime,
                 mki_value, mki_length, std::move(session_params)};
           }),
           "tag"_a = 1u, "suite"_a = SrtpSuite::aes_cm_128_hmac_sha1_80, "master_key"_a = py::bytes(),
           "master_salt"_a = py::bytes(), "lifetime"_a = py::none(), "mki_value"_a = py::none(),
           "mki_length"_a = 0, "session_params"_a = std::vector<std::string>())
      .def_readwrite("tag", &SdesCrypto::tag,
                     "1..999999999; the answer echoes the tag of the offer it accepts.")
      .def_readwrite("suite", &SdesCrypto::suite, "The crypto suite named in the attribute.")
      .def_readwrite("lifetime", &SdesCrypto::lifetime, "Packets the key may protect, or None.")
      .def_readwrite("mki_value", &SdesCrypto::mki_value, "The MKI as a number, or None.")
      .def_readwrite("mki_length", &SdesCrypto::mki_length, "Bytes of MKI in each packet (0: none).")
      .def_property(
          "session_params", [](const SdesCrypto& c) { return py::tuple(py::cast(c.session_params)); },
          [](SdesCrypto& c, std::vector<std::string> value) { c.session_params = std::move(value); },
          "Session parameters ('KDR=0', 'WSH=128', ...), verbatim.");
  def_bytes(sdes, "master_key", &SdesCrypto::master_key, "The master key.");
  def_bytes(sdes, "master_salt", &SdesCrypto::master_salt, "The master salt.");
  def_equality(sdes);
  sdes.def("__repr__",
           [](const SdesCrypto& c) {
             return "SdesCrypto(tag=" + std::to_string(c.tag) + ", suite=" + python::repr(py::cast(c.suite)) +
                    ", master_key=" + secret(c.master_key) + ", master_salt=" + secret(c.master_salt) +
                    ", lifetime=" + python::repr(py::cast(c.lifetime)) +
                    ", mki_value=" + python::repr(py::cast(c.mki_value)) +
                    ", mki_length=" + std::to_string(c.mki_length) +
                    ", session_params=" + python::repr(py::tuple(py::cast(c.session_params))) + ")";
           })
      .def("__reduce__", [](const py::object& self) {
        const auto& c = self.cast<const SdesCrypto&>();
        return py::make_tuple(py::type::of(self),
                              py::make_tuple(c.tag, c.suite, to_bytes(c.master_key), to_bytes(c.master_salt),
                                             c.lifetime, c.mki_value, c.mki_length, c.session_params));
      });

  m.def(
      "parse_sdes_crypto", [](const std::string& line) { return parse_sdes_crypto(line); }, "line"_a,
      "Parses one a=crypto attribute (with or without 'a=', trailing CR/LF allowed). Raises\n"
      "InvalidArgumentError naming the bad part (never the key).");
  m.def("format_sdes_crypto", &format_sdes_crypto, "crypto"_a,
        "The attribute as 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:...' (no CRLF).");
  m.def("make_sdes_crypto", &make_sdes_crypto, "suite"_a, "tag"_a = 1u,
        "A fresh attribute with a random key and salt (a CSPRNG), for an offer or answer.");
  m.def("key_material", &key_material, "crypto"_a,
        "The SrtpKeyMaterial of an attribute; InvalidArgumentError for lengths or session\n"
        "parameters callsup does not implement (UNENCRYPTED_SRTP, KDR other than 0, ...).");
}

}  // namespace

void bind_media_srtp(py::module_& m) {
  py::native_enum<SrtpSuite>(m, "SrtpSuite", "enum.Enum", "The SRTP crypto suites callsup negotiates.")
      .value("aes_cm_128_hmac_sha1_80", SrtpSuite::aes_cm_128_hmac_sha1_80, "AES_CM_128_HMAC_SHA1_80")
      .value("aes_cm_128_hmac_sha1_32", SrtpSuite::aes_cm_128_hmac_sha1_32, "AES_CM_128_HMAC_SHA1_32")
      .value("aead_aes_128_gcm", SrtpSuite::aead_aes_128_gcm, "AEAD_AES_128_GCM")
      .finalize();
  bind_key_material(m);
  bind_sdes_crypto(m);

  py::classh<SrtpBackend> backend(m, "SrtpBackend", "What does the SRTP crypto at run time.");
  def_record(backend, field("library", &SrtpBackend::library, "libsrtp's version string."),
             field("crypto", &SrtpBackend::crypto,
                   "The crypto engine, with libsrtp's cipher and HMAC descriptions in ()."));
  m.def("srtp_backend", &srtp_backend, "The linked libsrtp's version and the crypto engine it uses.");
}

}  // namespace callsup::python
