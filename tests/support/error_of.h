#pragma once
// The message of the rbm::Error that `f` throws, or "" if it throws none: tests assert that
// bad input is refused with a sentence naming the file and the reason.
#include <functional>
#include <string>

#include "rbm/types.h"

namespace rbm::testing {

inline std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const rbm::Error& e) {
        return e.what();
    }
    return {};
}

}  // namespace rbm::testing
