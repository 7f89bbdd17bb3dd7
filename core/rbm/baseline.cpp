#include "rbm/baseline.h"

#include <limits>

namespace rbm {

double independentPixelsLogLikelihood(ConstMatrixRef train, ConstMatrixRef test) {
    if (test.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
    const Eigen::VectorXd counts = train.cast<double>().colwise().sum().transpose();
    const Eigen::ArrayXd p = (counts.array() + 1.0) / (static_cast<double>(train.rows()) + 2.0);
    const Eigen::VectorXd logOn = p.log().matrix();
    const Eigen::VectorXd logOff = (1.0 - p).log().matrix();
    // sum_r [v_r . logOn + (1 - v_r) . logOff] = sum_r v_r . (logOn - logOff) + rows * sum(logOff)
    const Eigen::VectorXd onMinusOff = logOn - logOff;
    const Eigen::VectorXd perRow = test.cast<double>() * onMinusOff;
    const double rows = static_cast<double>(test.rows());
    return (perRow.sum() + rows * logOff.sum()) / rows;
}

}  // namespace rbm
