#pragma once
/// The dream: block Gibbs sampling of a few chains from one start image, stepped by a timer on
/// the GUI thread (a 784 x 500 step of a few chains takes well under 2 ms), with every frame kept
/// in a bounded timeline. No widgets: the DreamPanel shows it, tests drive it directly.
///
/// State convention: after every full step the chain holds v_t and h_t ~ p(h|v_t), so the hidden
/// view and the class readout describe the digit that is on screen. A full step is
/// h_t -> v_{t+1} -> h_{t+1}; a half step does only the next of the two updates.
/// Deterministic: the same seed, model, start image and sequence of calls give the same frames.
///
/// Tempered (parallel tempering, rbm::ParallelTempering): every chain gets a ladder of hotter
/// replicas that swap states with it after each full sweep; the frames show the beta = 1 rung.
/// Switching tempering on or off keeps the chains where they are (the hot rungs start as copies).
/// Mean field has no temperature ladder: while it is on, the plain chain runs. With label units
/// the swaps weigh the label term -d.y - y^T U h too and exchange the labels (a clamped label is
/// the same on every rung).
///
/// Label units (rbm/label_units.h): the label group is sampled with the pixels, or clamped to a
/// class (setClampedLabel: the chains then sample p(v | y = K), "dream a K"). Every frame keeps
/// the model's exact p(y|v) of each chain, computed here from the unquantised state.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <memory>
#include <vector>

#include "dream/frame_ring.h"
#include "rbm/model.h"
#include "rbm/parallel_tempering.h"
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
    /// Parallel tempering on or off, with `rungs` replicas linear in beta from 1 to `betaMin`.
    void setTempering(bool on);
    void setLadder(int rungs, float betaMin);
    bool tempering() const { return tempering_; }
    int rungs() const { return static_cast<int>(tempered_.betas().size()); }
    float lowestBeta() const { return tempered_.betas().back(); }
    /// Tempering on and sampling (not mean field): the chains on screen are rung 0 of a ladder.
    bool temperingActive() const { return tempering_ && !meanField(); }
    /// The model has label units.
    bool labelled() const { return model_ && model_->hasLabels(); }
    /// Holds the label units at class `k` from the next update (-1, or a model without label
    /// units: they follow p(y|h)). The chains carry on where they are.
    void setClampedLabel(int k);
    /// The class the label units are held at, -1 if they are free (or there are none).
    int clampedLabel() const;
    /// Accepted fraction of proposed swaps per neighbouring pair since the last (re)start.
    std::vector<double> swapRates() const;
    const rbm::Vector& clampMask() const { return options_.clampMask; }

    /// -1 free, 0 forced off, 1 forced on; applied to the current hidden state at once.
    void setHiddenForce(int unit, int force);
    int hiddenForce(int unit) const;
    const std::vector<signed char>& hiddenForces() const { return options_.hiddenForce; }

    void setStepsPerSecond(double sps);
    double stepsPerSecond() const { return stepsPerSecond_; }
    bool isPlaying() const { return timer_.isActive(); }

    /// The chains on screen (rung 0 when tempered).
    const rbm::GibbsState& state() const { return temperingActive() ? tempered_.replica(0) : state_; }
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
    rbm::GibbsState& chain() { return temperingActive() ? tempered_.replica(0) : state_; }
    /// Every state that runs: the plain chains, or every rung of the ladder.
    std::vector<rbm::GibbsState*> runningStates();
    /// Called after temperingActive() may have changed: hands the chains over, in place.
    void handOver(bool wasActive);

    std::shared_ptr<const rbm::Rbm> model_;
    std::vector<float> start_;
    std::uint64_t seed_ = 1;
    int chains_ = 3;
    rbm::GibbsOptions options_;
    rbm::GibbsSampler sampler_;
    rbm::GibbsState state_;
    bool tempering_ = false;
    rbm::ParallelTempering tempered_;
    Phase phase_ = Phase::HiddenFresh;
    std::int64_t halfSteps_ = 0;
    FrameRing frames_;
    QTimer timer_;
    QElapsedTimer clock_;
    double stepsPerSecond_ = 20;
    double stepsOwed_ = 0;
};

}  // namespace studio
