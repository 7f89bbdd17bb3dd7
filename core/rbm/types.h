#pragma once
/// Shared numeric types and the one batch layout used everywhere in core/.
///
/// Batch layout: a batch is an Eigen::MatrixXf (column-major) with one EXAMPLE PER ROW:
/// V is batch x nVisible, H is batch x nHidden. Weights W are nVisible x nHidden.
/// So p(h|v) for a batch is sigmoid(V W + 1 c^T) and p(v|h) is sigmoid(H W^T + 1 b^T).
#include <Eigen/Core>
#include <stdexcept>
#include <string>

namespace rbm {

using Matrix = Eigen::MatrixXf;
using Vector = Eigen::VectorXf;
using RowVector = Eigen::RowVectorXf;
using MatrixRef = Eigen::Ref<Matrix>;
using ConstMatrixRef = const Eigen::Ref<const Matrix>&;
using VectorRef = Eigen::Ref<Vector>;
using ConstVectorRef = const Eigen::Ref<const Vector>&;

/// Every failure core/ reports to a person: a file that cannot be read, a model that
/// diverged, a configuration that makes no sense. what() is a full sentence naming the
/// file (if any) and the reason.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace rbm
