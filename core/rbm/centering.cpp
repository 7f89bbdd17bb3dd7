#include "rbm/centering.h"

#include <vector>

namespace rbm {

Vector pixelMeans(const Dataset& data) {
    const int nv = data.pixelsPerImage();
    std::vector<double> sum(static_cast<std::size_t>(nv), 0.0);
    for (std::size_t n = 0; n < data.count; ++n) {
        const std::uint8_t* img = data.image(n);
        for (int i = 0; i < nv; ++i) sum[static_cast<std::size_t>(i)] += img[i];
    }
    Vector mean(nv);
    const double scale = data.count > 0 ? 1.0 / (255.0 * static_cast<double>(data.count)) : 0.0;
    for (int i = 0; i < nv; ++i) mean(i) = static_cast<float>(sum[static_cast<std::size_t>(i)] * scale);
    return mean;
}

void initialiseOffsets(Vector& mu, Vector& lambda, const Vector& dataMean, Eigen::Index nHidden) {
    mu = dataMean;
    lambda = Vector::Constant(nHidden, 0.5f);
}

void slideOffset(Vector& offset, const Matrix& columns, Eigen::Index count, float rate) {
    Vector mean = Vector::Zero(columns.rows());
    for (Eigen::Index c = 0; c < count; ++c) mean += columns.col(c);
    mean *= 1.0f / static_cast<float>(count);
    offset = (1.0f - rate) * offset + rate * mean;
}

void toCentredBiases(const Matrix& W, const Vector& mu, const Vector& lambda, Vector& b, Vector& c) {
    b.noalias() += W * lambda;
    c.noalias() += W.transpose() * mu;
}

void toStandardBiases(const Matrix& W, const Vector& mu, const Vector& lambda, Vector& b, Vector& c) {
    b.noalias() -= W * lambda;
    c.noalias() -= W.transpose() * mu;
}

void centreWeightGradient(Matrix& gradW, Eigen::Index j0, Eigen::Index n, const Vector& mu, const Vector& lambda,
                          const Vector& db, const Vector& dc) {
    gradW.middleCols(j0, n).noalias() -= mu * dc.segment(j0, n).transpose();
    gradW.middleCols(j0, n).noalias() -= db * lambda.segment(j0, n).transpose();
}

}  // namespace rbm
