#include "rbm/label_training.h"

#include "rbm/label_units.h"

namespace rbm {

namespace {

/// out = softmax over each column of (U H + d), the feature-major p(y|h).
void labelColumns(const Rbm& m, const Matrix& H, Eigen::Index cols, Matrix& out) {
    out.resize(m.nLabels(), cols);
    out.noalias() = m.labelWeights * H.leftCols(cols);
    out.colwise() += m.labelBias;
    const Eigen::RowVectorXf top = out.colwise().maxCoeff();
    out.rowwise() -= top;
    out = out.array().exp().matrix();
    const Eigen::RowVectorXf total = out.colwise().sum();
    out.array().rowwise() /= total.array();
}

Eigen::Map<Vector> flat(Matrix& m) { return Eigen::Map<Vector>(m.data(), m.size()); }
Eigen::Map<Vector> flat(Vector& v) { return Eigen::Map<Vector>(v.data(), v.size()); }

}  // namespace

LabelTraining::LabelTraining(std::shared_ptr<const Dataset> train, int nLabels)
    : train_(std::move(train)), nLabels_(nLabels) {
    const int needed = labelCountOf(*train_);  // throws for a dataset without labels
    if (needed > nLabels_)
        throw Error("the model has " + std::to_string(nLabels_) + " label units but " + train_->name +
                    " has labels up to " + std::to_string(needed - 1) + ".");
}

void LabelTraining::fillData(const int* indices, int batch) {
    dataT_.setZero(nLabels_, batch);
    for (int c = 0; c < batch; ++c) dataT_(train_->labels[static_cast<std::size_t>(indices[c])], c) = 1.0f;
}

const Matrix& LabelTraining::reconstruct(const Rbm& m, const Matrix& H, Eigen::Index cols) {
    labelColumns(m, H, cols, reconT_);
    negative_ = &reconT_;
    return reconT_;
}

Matrix& LabelTraining::chains(int count, Random& rng) {
    if (chainsT_.rows() != nLabels_ || chainsT_.cols() != count) {
        chainsT_.setZero(nLabels_, count);
        for (int c = 0; c < count; ++c) chainsT_(static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(nLabels_))), c) = 1.0f;
    }
    negative_ = &chainsT_;
    return chainsT_;
}

void LabelTraining::sampleChains(const Rbm& m, const Matrix& H, Random& rng) {
    labelColumns(m, H, chainsT_.cols(), probT_);
    // sampleOneHot draws per row: the transposes are 10 x chains, negligible beside the GEMMs.
    const Matrix p = probT_.transpose();
    rowsT_.resize(p.rows(), p.cols());
    sampleOneHot(p, rowsT_, rng);
    chainsT_ = rowsT_.transpose();
    negative_ = &chainsT_;
}

void LabelTraining::setChainRows(const Matrix& rows) {
    if (rows.cols() == nLabels_ && rows.rows() > 0) chainsT_ = rows.transpose();
}

void LabelTraining::step(const Rbm& m, const Matrix& hData, int batch, const Matrix& hNeg,
                         const Optimizer& optimizer, const TrainingConfig& config, float rateW, float rateB,
                         OptimizerState& state,
                         std::int64_t steps, std::int64_t epoch) {
    const Matrix& neg = *negative_;
    const Eigen::Index nNeg = neg.cols();
    const float invB = 1.0f / static_cast<float>(batch);
    const float invN = 1.0f / static_cast<float>(nNeg);
    gradU_ = -config.weightDecay * m.labelWeights;
    gradU_.noalias() += invB * (dataT_.leftCols(batch) * hData.leftCols(batch).transpose());
    gradU_.noalias() -= invN * (neg * hNeg.leftCols(nNeg).transpose());
    gradD_ = invB * dataT_.leftCols(batch).rowwise().sum() - invN * neg.rowwise().sum();
    nextU_ = m.labelWeights;
    nextD_ = m.labelBias;
    if (updateU_.rows() != nextU_.rows() || updateU_.cols() != nextU_.cols()) updateU_.setZero(nextU_.rows(), nextU_.cols());
    if (updateD_.size() != nextD_.size()) updateD_.setZero(nextD_.size());
    state.steps = steps;
    optimizer.step(GroupWeights, flat(nextU_), Eigen::Map<const Vector>(gradU_.data(), gradU_.size()), flat(updateU_),
                   kLabelRateScale * rateW, state, config.optimizer, epoch);
    optimizer.step(GroupVisibleBias, flat(nextD_), Eigen::Map<const Vector>(gradD_.data(), gradD_.size()),
                   flat(updateD_), kLabelRateScale * rateB, state, config.optimizer, epoch);
}

bool LabelTraining::stepFinite() const { return nextU_.allFinite() && nextD_.allFinite(); }

void LabelTraining::commit(Rbm& m) {
    m.labelWeights.swap(nextU_);
    m.labelBias.swap(nextD_);
}

}  // namespace rbm
