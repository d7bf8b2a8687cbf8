// callsup Python bindings: codecs — CodecSpec, Codec (PCM <-> payload), make_codec, parse_rtpmap.
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "callsup/media/codec.hpp"
#include "media_bindings.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

bool is_native_int16(const std::string& format) {
  constexpr bool little = std::endian::native == std::endian::little;
  return format == "h" || format == "=h" || format == (little ? "<h" : ">h");
}

/// PCM samples from a 1-D buffer of native int16 (array('h'), a numpy int16 array, a
/// memoryview cast to 'h') without copying, or from an iterable of ints (copied into `owned`).
std::span<const std::int16_t> pcm_samples(const py::object& pcm, std::vector<std::int16_t>& owned) {
  if (PyObject_CheckBuffer(pcm.ptr())) {
    const py::buffer_info info = py::reinterpret_borrow<py::buffer>(pcm).request();
    const bool contiguous = info.ndim == 1 && (info.size <= 1 || info.strides[0] == 2);
    if (info.itemsize != 2 || !is_native_int16(info.format) || !contiguous)
      throw py::type_error(
          "Codec.encode: a buffer of PCM must be 1-D contiguous int16 (format 'h'), got format " +
          python::repr(py::str(info.format)) + " with " + std::to_string(info.ndim) + " dimension(s)");
    return {static_cast<const std::int16_t*>(info.ptr), static_cast<std::size_t>(info.size)};
  }
  std::size_t index = 0;
  for (py::handle item : py::iter(pcm)) {
    const long long value = py::cast<long long>(item);
    if (value < -32768 || value > 32767)
      throw py::value_error("Codec.encode: sample " + std::to_string(index) + " is " + std::to_string(value) +
                            ", outside -32768..32767");
    owned.push_back(static_cast<std::int16_t>(value));
    ++index;
  }
  return owned;
}

py::bytes encode(Codec& codec, const py::object& pcm) {
  std::vector<std::int16_t> owned;
  const std::span<const std::int16_t> samples = pcm_samples(pcm, owned);
  std::string out(codec.encoded_bytes(samples.size()), '\0');
  const std::size_t n =
      codec.encode(samples, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data()), out.size()));
  out.resize(n);
  return py::bytes(out);
}

py::object decode(Codec& codec, const py::buffer& payload) {
  const py::buffer_info info = payload.request();
  if (info.ndim > 1 || (info.ndim == 1 && info.size > 1 && info.strides[0] != info.itemsize))
    throw py::type_error("Codec.decode: the payload must be a contiguous bytes-like object");
  const std::span<const std::uint8_t> bytes(static_cast<const std::uint8_t*>(info.ptr),
                                            static_cast<std::size_t>(info.size * info.itemsize));
  std::vector<std::int16_t> pcm(codec.decoded_samples(bytes.size()));
  const std::size_t n = codec.decode(bytes, pcm);
  const py::bytes raw(reinterpret_cast<const char*>(pcm.data()), n * sizeof(std::int16_t));
  return py::module_::import("array").attr("array")("h", raw);
}

std::unique_ptr<Codec> make(const py::object& spec) {
  if (py::isinstance<py::str>(spec)) return make_codec(spec.cast<std::string>());
  if (py::isinstance<CodecSpec>(spec)) return make_codec(spec.cast<const CodecSpec&>());
  throw py::type_error("make_codec takes a CodecSpec or an rtpmap string like 'PCMU/8000', got " +
                       python::repr(spec));
}

}  // namespace

void bind_media_codecs(py::module_& m) {
  py::classh<CodecSpec> spec(m, "CodecSpec",
                             "What SDP negotiated for a leg: encoding name (PCMU, PCMA, L16, any case),\n"
                             "clock rate, channels and payload type (-1: the static default).");
  def_struct(spec, field("name", &CodecSpec::name, "The encoding name: 'PCMU', 'PCMA' or 'L16' (any case)."),
             field("clock_rate", &CodecSpec::clock_rate,
                   "The clock rate: 8000 for G.711; 8000, 16000, 32000, 44100 or 48000 for L16."),
             field("channels", &CodecSpec::channels, "The channels: 1 for G.711; 1 or 2 for L16."),
             field("payload_type", &CodecSpec::payload_type,
                   "The RTP payload type 0..127, or -1 for the static default (PCMU 0, PCMA 8, L16 96)."));

  py::classh<Codec> codec(
      m, "Codec",
      "Converts one leg's 16-bit PCM to RTP payload bytes and back (G.711 bit-exact with\n"
      "ITU-T G.711). Made by make_codec(). Not thread-safe: one per stream.");
  def_made_by(codec, "make_codec()");
  codec
      .def_property_readonly(
          "name", [](const Codec& c) { return std::string(c.name()); },
          "The SDP encoding name as written in a=rtpmap: 'PCMU', 'PCMA', 'L16'.")
      .def_property_readonly("clock_rate", &Codec::clock_rate,
                             "The RTP clock rate, which is the PCM sample rate for every built-in codec.")
      .def_property_readonly("channels", &Codec::channels,
                             "The interleaved channels of the PCM this codec takes and gives.")
      .def_property_readonly(
          "payload_type", &Codec::payload_type,
          "The RTP payload type used on the wire (the static one, or the negotiated dynamic one).")
      .def("encoded_bytes", &Codec::encoded_bytes, "samples"_a, "Payload bytes for `samples` PCM samples.")
      .def("decoded_samples", &Codec::decoded_samples, "bytes"_a, "PCM samples a payload of `bytes` gives.")
      .def("encode", &encode, "pcm"_a,
           "The payload for `pcm`: a 1-D int16 buffer (array('h'), numpy int16, memoryview 'h'),\n"
           "read in place, or an iterable of ints in -32768..32767. Interleaved for stereo.")
      .def("decode", &decode, "payload"_a, "The PCM of a payload (bytes-like), as array('h').")
      .def("__repr__", [](const Codec& c) {
        return "Codec(" + std::string(c.name()) + "/" + std::to_string(c.clock_rate()) +
               (c.channels() == 1 ? "" : "/" + std::to_string(c.channels())) +
               ", payload_type=" + std::to_string(c.payload_type()) + ")";
      });

  m.def("make_codec", &make, "spec"_a,
        "The codec for a CodecSpec or an rtpmap string ('PCMU', 'PCMA/8000', 'L16/48000/2').\n"
        "Raises InvalidArgumentError naming an unknown name, rate, channel count or payload type.");
  m.def(
      "parse_rtpmap", [](const std::string& rtpmap) { return parse_rtpmap(rtpmap); }, "rtpmap"_a,
      "The CodecSpec of an rtpmap string ('L16/16000'); InvalidArgumentError like make_codec.");
}

}  // namespace callsup::python
