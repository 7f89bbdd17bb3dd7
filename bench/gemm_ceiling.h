// The "Eigen ceiling": Eigen's SGEMM on exactly the 5 matrix products of a CD-1 step with the
// trainer's shapes (what an Eigen trainer could reach if everything else were free).
#pragma once

#include "bench_common.h"
#include "rbm/types.h"

namespace bench {

/// V W, H W^T, R W, V^T H and R^T H, one example per row (the public layout) or per column
/// (the trainer's internal one).
class GemmCeiling {
public:
    GemmCeiling(int batch, int nv, int nh, bool featureMajor);
    void once();
    /// Samples per second (batch / time of the 5 products), wall and CPU.
    Rate samplesPerSecond(double budget);
    double flopsPerBatch() const { return 5.0 * 2.0 * batch_ * nv_ * nh_; }

    static constexpr int kProducts = 5;
    static const char* productName(int which);  ///< "V W (h0)", ...
    /// GFLOP/s (wall and per CPU-second) of product `which` alone, over about `budget` seconds.
    Rate productGflops(int which, double budget);

private:
    int batch_, nv_, nh_;
    bool featureMajor_;
    void product(int which);

    rbm::Matrix V_, H_, R_, Hk_, W_, outH_, outV_, G_;
};

}  // namespace bench
