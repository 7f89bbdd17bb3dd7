#include "dream/frame_ring.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace studio {

namespace {

void quantise(const rbm::Matrix& m, std::vector<std::uint8_t>& out) {
    out.resize(static_cast<std::size_t>(m.size()));
    std::size_t k = 0;
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            out[k++] = static_cast<std::uint8_t>(std::lround(std::clamp(m(r, c), 0.0f, 1.0f) * 255.0f));
}

}  // namespace

bool DreamFrame::chainsIdentical() const {
    const auto size = static_cast<std::ptrdiff_t>(nVisible);
    for (int c = 1; c < chains; ++c)
        if (!std::equal(visible(0), visible(0) + size, visible(c))) return false;
    return chains > 1;
}

std::vector<float> DreamFrame::labelProbabilities(int chain) const {
    if (nLabels <= 0 || chain < 0 || chain >= chains ||
        labelPosterior.size() != static_cast<std::size_t>(chains) * static_cast<std::size_t>(nLabels))
        return {};
    const auto first = labelPosterior.begin() + static_cast<std::ptrdiff_t>(chain) * nLabels;
    return {first, first + nLabels};
}

DreamFrame DreamFrame::capture(const rbm::GibbsState& s, const std::vector<double>& fe, std::int64_t halfSteps) {
    DreamFrame f;
    f.halfSteps = halfSteps;
    f.chains = s.chains();
    f.nVisible = static_cast<int>(s.v.cols());
    f.nHidden = static_cast<int>(s.hProb.cols());
    quantise(s.v, f.v);
    quantise(s.vProb, f.vProb);
    quantise(s.hProb, f.hProb);
    f.freeEnergy = fe;
    return f;
}

void FrameRing::clear() {
    frames_.clear();
    head_ = 0;
    dropped_ = 0;
}

void FrameRing::push(DreamFrame f) {
    if (frames_.size() < capacity_) {
        frames_.push_back(std::move(f));
        return;
    }
    frames_[head_] = std::move(f);  // reuses the slot of the oldest frame
    head_ = (head_ + 1) % capacity_;
    ++dropped_;
}

void FrameRing::setCapacity(std::size_t capacity) {
    capacity = std::max<std::size_t>(1, capacity);
    std::vector<DreamFrame> ordered;
    const std::size_t keep = std::min(capacity, frames_.size());
    ordered.reserve(keep);
    for (std::size_t i = frames_.size() - keep; i < frames_.size(); ++i) ordered.push_back(std::move(frames_[(head_ + i) % frames_.size()]));
    dropped_ += static_cast<std::int64_t>(frames_.size() - keep);
    frames_ = std::move(ordered);
    head_ = 0;
    capacity_ = capacity;
}

const DreamFrame& FrameRing::at(std::size_t i) const {
    if (i >= frames_.size()) throw std::out_of_range("FrameRing::at");
    return frames_[(head_ + i) % frames_.size()];
}

}  // namespace studio
