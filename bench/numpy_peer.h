// The numpy peer: bench/numpy_cd1.py (a plain numpy CD-1 784x500, batch 100) kept running as a
// child process, so that rbm-bench can alternate it with its own CD-1 in the same run and
// compare them pair by pair.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_common.h"

namespace bench {

class NumpyPeer {
public:
    NumpyPeer() = default;
    NumpyPeer(const NumpyPeer&) = delete;
    NumpyPeer& operator=(const NumpyPeer&) = delete;
    ~NumpyPeer();

    /// Starts `script` with the first of `pythons` that can import numpy, training on `pixels`
    /// (784 uint8 values per example). False, with whyNot() saying why, if none could.
    bool start(const std::string& script, const std::vector<std::string>& pythons,
               const std::vector<std::uint8_t>& pixels);
    bool running() const { return pid_ > 0; }
    /// "numpy 1.24.2 on OpenBLAS 0.3.21 (Zen kernels), 1 BLAS thread, Python 3.11.2 (/usr/bin/python3)"
    const std::string& description() const { return description_; }
    const std::string& whyNot() const { return whyNot_; }
    /// True when numpy runs on a BLAS other than the reference one (a fair peer).
    bool optimisedBlas() const;

    /// Samples per second of the peer's CD-1 over about `budget` seconds (0 if it died).
    Rate run(double budget);

private:
    bool launch(const std::string& python, const std::string& script, const std::string& dataPath);
    bool readLine(std::string& line);
    void stop();

    pid_t pid_ = -1;
    std::FILE* toPeer_ = nullptr;
    std::FILE* fromPeer_ = nullptr;
    std::string description_, whyNot_;
};

/// bench/numpy_cd1.py beside this executable's source tree: searched upwards from the
/// executable's folder (build/release/bench/rbm-bench, build-perf/bench/rbm-bench, ...).
/// Empty if not found.
std::string findNumpyScript(const std::string& executable);

}  // namespace bench
