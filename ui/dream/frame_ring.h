#pragma once
/// The dream's timeline: every frame of the chains in a bounded ring buffer, stored as uint8
/// (0..255 for probabilities and states in [0,1]) so 2,000 frames of several 784 x 500 chains
/// stay in a few tens of MB. Plain C++; no Qt.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "rbm/sampler.h"

namespace studio {

struct DreamFrame {
    std::int64_t halfSteps = 0;  ///< position of the chain: 2 per full v -> h -> v sweep
    int chains = 0, nVisible = 0, nHidden = 0;
    std::vector<std::uint8_t> v, vProb;  ///< chains x nVisible (row-major: one chain per row)
    std::vector<std::uint8_t> hProb;     ///< chains x nHidden: p(h|v) of the frame's v
    std::vector<double> freeEnergy;      ///< F(v) per chain
    /// Label units only: chains x nLabels, the model's exact p(y|v) of the frame's v
    /// (rbm::labelPosterior, computed by the engine from the unquantised state).
    int nLabels = 0;
    std::vector<float> labelPosterior;
    int clampedLabel = -1;  ///< the class the label units were held at for this frame, -1 free
    double step() const { return static_cast<double>(halfSteps) / 2.0; }
    const std::uint8_t* visible(int chain) const { return v.data() + static_cast<std::size_t>(chain) * static_cast<std::size_t>(nVisible); }
    const std::uint8_t* visibleProb(int chain) const { return vProb.data() + static_cast<std::size_t>(chain) * static_cast<std::size_t>(nVisible); }
    const std::uint8_t* hiddenProb(int chain) const { return hProb.data() + static_cast<std::size_t>(chain) * static_cast<std::size_t>(nHidden); }
    /// p(y|v) of one chain (empty without label units).
    std::vector<float> labelProbabilities(int chain) const;
    /// More than one chain, all in the same visible state (mean-field chains from one start).
    bool chainsIdentical() const;
    /// From a Gibbs state (row = chain).
    static DreamFrame capture(const rbm::GibbsState& s, const std::vector<double>& freeEnergy, std::int64_t halfSteps);
};

class FrameRing {
public:
    explicit FrameRing(std::size_t capacity = 2000) : capacity_(capacity == 0 ? 1 : capacity) {}
    void clear();
    void push(DreamFrame f);
    /// Frames currently held (<= capacity).
    std::size_t size() const { return frames_.size(); }
    std::size_t capacity() const { return capacity_; }
    void setCapacity(std::size_t capacity);
    /// i = 0 is the oldest frame still held, size()-1 the newest.
    const DreamFrame& at(std::size_t i) const;
    const DreamFrame& newest() const { return at(size() - 1); }
    /// How many frames were dropped off the old end since the last clear().
    std::int64_t dropped() const { return dropped_; }

private:
    std::size_t capacity_;
    std::vector<DreamFrame> frames_;
    std::size_t head_ = 0;  ///< index of the oldest frame once the ring is full
    std::int64_t dropped_ = 0;
};

}  // namespace studio
