// Helpers shared by the tests: fixture paths, reading expected tensors, tolerant comparison.
#pragma once

#include "tensor.h"

#include <string>

namespace bertlab::testing {

// Absolute path of a file under tests/data.
std::string dataPath(const std::string& relative);

// Reads a whole file; QFAIL-style errors are thrown as std::runtime_error.
std::string readText(const std::string& path);

// Largest absolute difference between two same-sized float arrays.
float maxAbsDiff(const float* a, const float* b, int64_t n);

} // namespace bertlab::testing
