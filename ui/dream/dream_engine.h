#pragma once
/// The dream: block Gibbs sampling of a few chains from one start image, stepped by a timer on
/// the GUI thread (a 784 x 500 step of a few chains takes well under 2 ms), with every frame kept
/// in a bounded timeline. No widgets: the DreamPanel shows it, tests drive it directly.
///
/// State convention: after every full step the chain holds v_t and h_t ~ p(h|v_t), so the hidden
/// view and the class readout describe the digit that is on screen. A full step is
/// h_t -> v_{t+1} -> h_{t+1}; a half step does only the next of the two updates.
/// Deterministic: the same seed, model, start image and sequence of calls give the same frames.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <memory>
#include <vector>

#include "dream/frame_ring.h"
#include "rbm/model.h"
#include "rbm/sampler.h"

namespace studio {

class DreamEngine : public QObject {
    Q_OBJECT
public:
    enum class Phase { HiddenFresh, VisibleFresh };  ///< which layer was updated last
    static constexpr int kMaxChains = 16;

    explicit DreamEngine(QObject* parent = nullptr);

    /// A new model (e.g. the latest training snapshot). Same sizes: the chains keep their state
    /// and continue on the new weights. Different hidden size: forced units are released and the
    /// hidden layer is recomputed. Different visible size: the start image becomes blank and the
    /// dream resets. nullptr stops the dream.
    void setModel(std::shared_ptr<const rbm::Rbm> model);
    const std::shared_ptr<const rbm::Rbm>& model() const { return model_; }

    /// nVisible values in [0,1]. Takes effect at the next reset() (clamped pixels follow it at once).
    void setStartImage(std::vector<float> image);
    const std::vector<float>& startImage() const { return start_; }

    void setSeed(std::uint64_t seed);  ///< used from the next reset()
    std::uint64_t seed() const { return seed_; }
    void setChains(int chains);        ///< 1..kMaxChains; resets
    int chains() const { return chains_; }
    void setBeta(float beta);          ///< inverse temperature, from the next update
    float beta() const { return options_.beta; }
    void setMeanField(bool on);        ///< true: v = p(v|h) and h = p(h|v) instead of samples
    bool meanField() const { return !options_.sampleVisible; }
    /// nVisible values, > 0.5 = clamped (held at the start image). Empty = nothing clamped.
    void setClampMask(const std::vector<float>& mask);
    const rbm::Vector& clampMask() const { return options_.clampMask; }

    /// -1 free, 0 forced off, 1 forced on; applied to the current hidden state at once.
    void setHiddenForce(int unit, int force);
    int hiddenForce(int unit) const;
    const std::vector<signed char>& hiddenForces() const { return options_.hiddenForce; }

    void setStepsPerSecond(double sps);
    double stepsPerSecond() const { return stepsPerSecond_; }
    bool isPlaying() const { return timer_.isActive(); }

    const rbm::GibbsState& state() const { return state_; }
    Phase phase() const { return phase_; }
    std::int64_t halfSteps() const { return halfSteps_; }
    const FrameRing& frames() const { return frames_; }
    void setTimelineCapacity(std::size_t frames) { frames_.setCapacity(frames); }

public slots:
    void play();
    void pause();
    /// One full sweep (two half steps).
    void step();
    /// Only the next update: h -> v if the hidden layer is fresh, else v -> h.
    void halfStep();
    /// Chains back to the start image, random generator back to the seed, timeline cleared.
    void reset();
    /// Cycles a hidden unit free -> on -> off -> free.
    void toggleHiddenUnit(int unit);

signals:
    void frameAdded();            ///< a new newest frame (also after reset)
    void timelineReset();         ///< the timeline was cleared (reset, new sizes)
    void playingChanged(bool playing);
    void hiddenForceChanged();

private:
    void onTick();
    void doHalfStep();
    void recordFrame();
    void applyForceToState();
    void applyClampToState();

    std::shared_ptr<const rbm::Rbm> model_;
    std::vector<float> start_;
    std::uint64_t seed_ = 1;
    int chains_ = 3;
    rbm::GibbsOptions options_;
    rbm::GibbsSampler sampler_;
    rbm::GibbsState state_;
    Phase phase_ = Phase::HiddenFresh;
    std::int64_t halfSteps_ = 0;
    FrameRing frames_;
    QTimer timer_;
    QElapsedTimer clock_;
    double stepsPerSecond_ = 20;
    double stepsOwed_ = 0;
};

}  // namespace studio
