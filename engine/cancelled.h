// Thrown by a forward pass whose std::stop_token was triggered: the caller asked for the work to stop.
#pragma once

#include <exception>

namespace bertlab {

// Not an Error: nothing went wrong, so nobody should show it to a user.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "the forward pass was cancelled"; }
};

} // namespace bertlab
