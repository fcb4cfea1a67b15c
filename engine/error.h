// The one error type the engine throws: a message a user can read, on one line.
#pragma once

#include <stdexcept>
#include <string>

namespace bertlab {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace bertlab
