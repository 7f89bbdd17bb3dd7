#include "gemm_ceiling.h"

#include <algorithm>

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
    if (featureMajor_) {
        switch (which) {
            case 0: outH_.noalias() = W_.transpose() * V_; break;
            case 1: outV_.noalias() = W_ * H_; break;
            case 2: outH_.noalias() = W_.transpose() * R_; break;
            case 3: G_.noalias() = V_ * H_.transpose(); break;
            default: G_.noalias() -= R_ * Hk_.transpose(); break;
        }
    } else {
        switch (which) {
            case 0: outH_.noalias() = V_ * W_; break;
            case 1: outV_.noalias() = H_ * W_.transpose(); break;
            case 2: outH_.noalias() = R_ * W_; break;
            case 3: G_.noalias() = V_.transpose() * H_; break;
            default: G_.noalias() -= R_.transpose() * Hk_; break;
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
