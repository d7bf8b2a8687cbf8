// callsup Python bindings: UTC wall-clock times as timezone-aware datetimes.
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <string>

namespace callsup::python {

namespace detail {
inline pybind11::object utc_epoch() {
  const auto datetime = pybind11::module_::import("datetime");
  return datetime.attr("datetime")(1970, 1, 1,
                                   pybind11::arg("tzinfo") = datetime.attr("timezone").attr("utc"));
}
inline pybind11::object one_microsecond() {
  return pybind11::module_::import("datetime").attr("timedelta")(pybind11::arg("microseconds") = 1);
}
}  // namespace detail

/// An aware datetime in UTC (microsecond precision: what datetime holds).
inline pybind11::object to_datetime(std::chrono::system_clock::time_point time) {
  const auto micros = std::chrono::floor<std::chrono::microseconds>(time.time_since_epoch()).count();
  const auto timedelta = pybind11::module_::import("datetime").attr("timedelta");
  return detail::utc_epoch() + timedelta(pybind11::arg("microseconds") = micros);
}

/// The time of an aware datetime. TypeError for anything else, ValueError naming the
/// value for a naive datetime (its zone is unknown) or one the clock cannot hold.
inline std::chrono::system_clock::time_point from_datetime(pybind11::handle value, const char* what) {
  const auto datetime_type = pybind11::module_::import("datetime").attr("datetime");
  if (!pybind11::isinstance(value, datetime_type))
    throw pybind11::type_error(std::string(what) + " must be a datetime.datetime, got " +
                               std::string(pybind11::repr(value)));
  if (value.attr("utcoffset")().is_none())
    throw pybind11::value_error(std::string(what) +
                                " must be timezone-aware (e.g. tzinfo=timezone.utc), got " +
                                std::string(pybind11::repr(value)));
  const auto micros =
      pybind11::int_((value - detail::utc_epoch()).attr("__floordiv__")(detail::one_microsecond()));
  const long long limit =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::duration::max())
          .count();
  const auto count = micros.cast<long long>();  // datetime's range fits in 64 bits of microseconds
  if (count > limit || count < -limit)
    throw pybind11::value_error(std::string(what) + " " + std::string(pybind11::repr(value)) +
                                " is outside the range of the system clock");
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(count)));
}

}  // namespace callsup::python
