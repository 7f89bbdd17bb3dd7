#include "gemm_ceiling.h"

#include <algorithm>

#include "rbm/products.h"

namespace bench {

GemmCeiling::GemmCeiling(int b, int v, int h, bool fm) : batch_(b), nv_(v), nh_(h), featureMajor_(fm) {
    const int rv = fm ? v : b, cv = fm ? b : v, rh = fm ? h : b, ch = fm ? b : h;
    V_ = rbm::Matrix::Random(rv, cv);
    H_ = rbm::Matrix::Random(rh, ch);
    R_ = rbm::Matrix::Random(rv, cv);
    Hk_ = rbm::Matrix::Random(rh, ch);
    W_ = rbm::Matrix::Random(v, h) * 0.01f;
    outH_.resize(rh, ch);
    outV_.resize(rv, cv);
    G_.resize(v, h);
}

void GemmCeiling::product(int which) {
    // Through core's dispatcher: the same Eigen GEMM, in the same instruction-set variant, as
    // the trainer's products (this file itself is built for plain x86-64).
    using rbm::multiply;
    using rbm::Op;
    if (featureMajor_) {
        switch (which) {
            case 0: multiply(outH_, W_, Op::Transposed, V_, Op::Plain); break;
            case 1: multiply(outV_, W_, Op::Plain, H_, Op::Plain); break;
            case 2: multiply(outH_, W_, Op::Transposed, R_, Op::Plain); break;
            case 3: multiply(G_, V_, Op::Plain, H_, Op::Transposed); break;
            default: multiply(G_, R_, Op::Plain, Hk_, Op::Transposed, -1.0f, true); break;
        }
    } else {
        switch (which) {
            case 0: multiply(outH_, V_, Op::Plain, W_, Op::Plain); break;
            case 1: multiply(outV_, H_, Op::Plain, W_, Op::Transposed); break;
            case 2: multiply(outH_, R_, Op::Plain, W_, Op::Plain); break;
            case 3: multiply(G_, V_, Op::Transposed, H_, Op::Plain); break;
            default: multiply(G_, R_, Op::Transposed, Hk_, Op::Plain, -1.0f, true); break;
        }
    }
}

void GemmCeiling::once() {
    for (int p = 0; p < kProducts; ++p) product(p);
    keep(G_(0, 0));
}

const char* GemmCeiling::productName(int which) {
    static const char* const names[kProducts] = {"v W (h0)", "h0 W^T (v1)", "v1 W (h1)", "v^T h0 (gradient)",
                                                 "- v1^T h1 (gradient)"};
    return names[std::clamp(which, 0, kProducts - 1)];
}

Rate GemmCeiling::productGflops(int which, double budget) {
    product(which);
    int n = 0;
    const auto start = Clock::now();
    const double cpuStart = threadCpuSeconds();
    double elapsed = 0.0;
    while (n < 5 || elapsed < budget) {
        product(which);
        ++n;
        elapsed = seconds(start, Clock::now());
    }
    keep(G_(0, 0));
    keep(outH_(0, 0));
    keep(outV_(0, 0));
    const double gflop = n * flopsPerBatch() / kProducts / 1e9;
    return {gflop / elapsed, gflop / std::max(1e-9, threadCpuSeconds() - cpuStart)};
}

Rate GemmCeiling::samplesPerSecond(double budget) {
    once();
    int n = 0;
    const auto start = Clock::now();
    const double cpuStart = threadCpuSeconds();
    double elapsed = 0.0;
    while (n < 5 || elapsed < budget) {
        once();
        ++n;
        elapsed = seconds(start, Clock::now());
    }
    return {n * batch_ / elapsed, n * batch_ / std::max(1e-9, threadCpuSeconds() - cpuStart)};
}

}  // namespace bench
