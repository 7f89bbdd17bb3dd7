#pragma once
// How long a test waits for something asynchronous (training to reach an epoch, a background
// job to finish). A wait ends as soon as its condition holds, so a generous limit costs nothing
// on a quick machine; it only keeps a busy machine or a sanitizer build (5-20x slower) from
// failing a test that asserts progress, never speed.
namespace rbm::testing {

constexpr int patient(int milliseconds) {
#ifdef RBM_SANITIZED
    return milliseconds * 20;
#else
    return milliseconds * 4;
#endif
}

}  // namespace rbm::testing
