#include "rbm/health_rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rbm {

namespace {

/// printf-style formatting of one number with a few fixed formats (literal formats keep
/// -Wformat-nonliteral quiet).
enum class Fmt { Fixed0, Fixed1, Signed0, Signed1, Fixed3, Sci1 };
std::string fmt(Fmt f, double v) {
    char buf[64];
    switch (f) {
    case Fmt::Fixed0: std::snprintf(buf, sizeof buf, "%.0f", v); break;
    case Fmt::Fixed1: std::snprintf(buf, sizeof buf, "%.1f", v); break;
    case Fmt::Signed0: std::snprintf(buf, sizeof buf, "%+.0f", v); break;
    case Fmt::Signed1: std::snprintf(buf, sizeof buf, "%+.1f", v); break;
    case Fmt::Fixed3: std::snprintf(buf, sizeof buf, "%.3f", v); break;
    case Fmt::Sci1: std::snprintf(buf, sizeof buf, "%.1e", v); break;
    }
    return buf;
}

std::string epochText(double e) { return fmt(Fmt::Fixed0, e); }

/// An estimate the rules may judge by.
bool usable(const LikelihoodSample& s) { return s.reliable && std::isfinite(s.heldOut); }

HealthCheck make(const char* key, const char* title) {
    HealthCheck c;
    c.key = key;
    c.title = title;
    return c;
}

/// The epoch metrics row whose epoch is closest to `epoch` (nullptr if none).
const EpochMetrics* metricsAt(const std::vector<EpochMetrics>& all, double epoch) {
    const EpochMetrics* best = nullptr;
    double dist = 0;
    for (const EpochMetrics& m : all) {
        const double d = std::abs(double(m.epoch) - epoch);
        if (!best || d < dist) {
            best = &m;
            dist = d;
        }
    }
    return best && dist <= 0.5 ? best : nullptr;
}

HealthCheck ratioCheck(const char* key, const char* title, std::optional<double> live, double fromEpoch, bool haveEpoch,
                       bool weights, const HealthThresholds& t) {
    HealthCheck c = make(key, title);
    const double r = live ? *live : fromEpoch;
    if ((!live && !haveEpoch) || !std::isfinite(r)) {
        c.value = "n/a";
        c.advice = "Shown once training has taken a step.";
        return c;
    }
    c.value = fmt(Fmt::Sci1, r);
    if (weights) {
        if (r > t.ratioRedHigh) {
            c.light = Light::Red;
            c.advice = "Each step changes the weights by more than " + fmt(Fmt::Fixed0, t.ratioRedHigh * 100) +
                       "%: lower the weight learning rate about tenfold.";
        } else if (r > t.ratioHigh) {
            c.light = Light::Amber;
            c.advice = "Steps are large (healthy is about 1e-3): consider a smaller weight learning rate.";
        } else if (r < t.ratioRedLow) {
            c.light = Light::Red;
            c.advice = "The weights have practically stopped moving: raise the learning rate or check that training runs.";
        } else if (r < t.ratioLow) {
            c.light = Light::Amber;
            c.advice = "Steps are tiny (healthy is about 1e-3): learning will be slow, consider a larger learning rate.";
        } else {
            c.light = Light::Green;
            c.advice = "About 1e-3 is healthy (Hinton's guide): the learning rate suits the weights.";
        }
    } else {
        if (r > t.biasRatioHigh) {
            c.light = Light::Amber;
            c.advice = "Biases move by large fractions: normal in the first epochs, else lower the bias learning rate.";
        } else {
            c.light = Light::Green;
            c.advice = "The biases move by small fractions per step.";
        }
    }
    return c;
}

HealthCheck overfittingCheck(const HealthInput& in, const HealthThresholds& t) {
    HealthCheck c = make("overfitting", "Overfitting (free-energy gap)");
    std::vector<double> gaps;
    std::vector<double> epochs;
    for (const EpochMetrics& m : in.epochs) {
        if (!m.hasTest) continue;
        gaps.push_back(m.testFreeEnergy - m.trainFreeEnergy);
        epochs.push_back(double(m.epoch));
    }
    if (gaps.empty()) {
        c.value = "n/a";
        c.advice = in.epochs.empty() ? "Shown after the first epoch." : "Needs held-out data to compare with.";
        return c;
    }
    const double now = gaps.back();
    const std::size_t from = gaps.size() > std::size_t(t.gapWindow) ? gaps.size() - 1 - std::size_t(t.gapWindow) : 0;
    const double growth = now - gaps[from];
    const std::string since = "epoch " + epochText(epochs[from]);
    c.value = fmt(Fmt::Signed1, now) + " nats (" + fmt(Fmt::Signed1, growth) + " since " + since + ")";
    if (!std::isfinite(now)) {
        c.value = "n/a";
        c.advice = "The free energies are not finite.";
        return c;
    }
    if (int(gaps.size()) < t.gapMinEpochs) {
        c.advice = "Judged after " + std::to_string(t.gapMinEpochs) +
                   " epochs: held-out minus training free energy, which grows when the model overfits.";
        return c;
    }
    if (now > t.gapRed || growth > t.windowRed) {
        c.light = Light::Red;
        c.advice = "The model prefers its training digits by " + fmt(Fmt::Fixed1, now) +
                   " nats per digit and the gap is growing: it memorises them; stop, or add weight decay.";
    } else if (now > t.gapAmber || growth > t.windowAmber) {
        c.light = Light::Amber;
        c.advice = "The free-energy gap grows (" + fmt(Fmt::Signed1, growth) + " nats since " + since +
                   "): overfitting is starting; watch the held-out likelihood.";
    } else {
        c.light = Light::Green;
        c.advice = "Training and held-out digits have similar free energies: no sign of overfitting.";
    }
    return c;
}

HealthCheck unitsCheck(const HealthInput& in, const HealthThresholds& t) {
    HealthCheck c = make("units", "Dead or saturated hidden units");
    if (in.epochs.empty() || in.nHidden <= 0) {
        c.value = "n/a";
        c.advice = "Shown after the first epoch.";
        return c;
    }
    const EpochMetrics& m = in.epochs.back();
    const double frac = double(m.deadUnits + m.saturatedUnits) / in.nHidden;
    c.value = std::to_string(m.deadUnits) + " dead, " + std::to_string(m.saturatedUnits) + " saturated";
    if (frac >= t.unitsRed) {
        c.light = Light::Red;
        c.advice = fmt(Fmt::Fixed0, frac * 100) +
                   "% of the hidden units never or always fire: lower the learning rate, or add a sparsity target.";
    } else if (frac >= t.unitsAmber) {
        c.light = Light::Amber;
        c.advice = "Some hidden units are stuck off or on: they waste capacity; a sparsity target can revive them.";
    } else {
        c.light = Light::Green;
        c.advice = "Nearly every hidden unit responds to some digits.";
    }
    return c;
}

HealthCheck divergenceCheck(const HealthInput& in, const HealthThresholds& t) {
    HealthCheck c = make("divergence", "Likelihood vs. reconstruction");
    std::vector<LikelihoodSample> r;
    for (const LikelihoodSample& s : in.likelihood)
        if (usable(s)) r.push_back(s);
    if (r.size() < 2) {
        c.value = r.empty() ? "n/a" : fmt(Fmt::Fixed1, r.back().heldOut);
        c.advice = "Needs two reliable likelihood estimates: reconstruction error alone can improve while the model gets worse.";
        return c;
    }
    std::size_t best = 0;
    for (std::size_t i = 0; i < r.size(); ++i)
        if (r[i].heldOut > r[best].heldOut) best = i;
    const LikelihoodSample& now = r.back();
    c.value = fmt(Fmt::Fixed1, now.heldOut) + " (best " + fmt(Fmt::Fixed1, r[best].heldOut) + ")";
    if (!likelihoodFalling(r, t)) {
        c.light = Light::Green;
        c.advice = "Held-out likelihood is at or near its best: training still helps.";
        return c;
    }
    const double fall = r[best].heldOut - now.heldOut;
    const EpochMetrics* mBest = metricsAt(in.epochs, r[best].epoch);
    const EpochMetrics* mNow = metricsAt(in.epochs, now.epoch);
    const bool reconImproved = mBest && mNow && mNow->trainMse < mBest->trainMse;
    if (reconImproved) {
        c.light = Light::Red;
        c.advice = "Likelihood fell " + fmt(Fmt::Fixed1, fall) + " nats since epoch " + epochText(r[best].epoch) +
                   " while reconstruction error improved: CD is diverging; stop, or use more Gibbs steps and a smaller learning rate.";
    } else {
        c.light = Light::Amber;
        c.advice = "Held-out likelihood fell " + fmt(Fmt::Fixed1, fall) + " nats since epoch " + epochText(r[best].epoch) +
                   ": stop here (the best checkpoint is epoch " + epochText(r[best].epoch) + ").";
    }
    return c;
}

HealthCheck weightsCheck(const HealthInput& in, const HealthThresholds& t) {
    HealthCheck c = make("weights", "Weight growth (mixing)");
    if (in.weights.empty()) {
        c.value = "n/a";
        c.advice = "Shown after the first epoch.";
        return c;
    }
    const WeightSample& now = in.weights.back();
    double growth = 0;
    bool judged = false;
    if (in.weights.size() >= 2) {
        const WeightSample& prev = in.weights[in.weights.size() - 2];
        if (now.epoch > t.weightMinEpoch && prev.rms > 0) {
            growth = (now.rms / prev.rms - 1.0) / std::max(1.0, now.epoch - prev.epoch);
            judged = true;
        }
    }
    c.value = judged ? "RMS " + fmt(Fmt::Fixed3, now.rms) + ", " + fmt(Fmt::Signed0, growth * 100) + "%/epoch" : "RMS " + fmt(Fmt::Fixed3, now.rms);
    if (!std::isfinite(now.rms)) {
        c.value = "n/a";
        c.advice = "The weights are not finite.";
        return c;
    }
    if (now.rms > t.rmsRed || (judged && growth > t.growthRed)) {
        c.light = Light::Red;
        c.advice = "The weights grow fast: Gibbs chains mix slowly, so CD and AIS both become unreliable; add weight decay or lower the learning rate.";
    } else if (now.rms > t.rmsAmber || (judged && growth > t.growthAmber)) {
        c.light = Light::Amber;
        c.advice = "The weights keep growing: sampling will mix more slowly; consider more weight decay.";
    } else if (!judged && now.epoch <= t.weightMinEpoch) {
        c.advice = "Judged after epoch " + std::to_string(t.weightMinEpoch) + ": weights grow fast from their tiny start.";
    } else {
        c.light = Light::Green;
        c.advice = "The weights grow slowly: the sampler can still mix.";
    }
    return c;
}

bool finiteMetrics(const EpochMetrics& m) {
    const double v[] = {m.trainMse, m.trainCrossEntropy, m.trainFreeEnergy, m.ratioWeights};
    for (double x : v)
        if (!std::isfinite(x)) return false;
    if (m.hasTest && (!std::isfinite(m.testMse) || !std::isfinite(m.testFreeEnergy))) return false;
    return true;
}

HealthCheck nanCheck(const HealthInput& in) {
    HealthCheck c = make("nan", "NaN or Inf");
    const bool metricsOk = in.epochs.empty() || finiteMetrics(in.epochs.back());
    if (in.modelFinite && metricsOk) {
        c.light = Light::Green;
        c.value = "none";
        c.advice = "Every parameter and metric is a finite number.";
    } else {
        c.light = Light::Red;
        c.value = in.modelFinite ? "in the metrics" : "in the model";
        c.advice = "Training blew up to NaN/Inf: lower the learning rates (tenfold) and start again.";
    }
    return c;
}

}  // namespace

const char* toString(Light l) {
    switch (l) {
    case Light::Unknown: return "unknown";
    case Light::Green: return "green";
    case Light::Amber: return "amber";
    case Light::Red: return "red";
    }
    return "unknown";
}

const LikelihoodSample* bestLikelihood(const std::vector<LikelihoodSample>& samples) {
    const LikelihoodSample* best = nullptr;
    for (const LikelihoodSample& s : samples)
        if (usable(s) && (!best || s.heldOut > best->heldOut)) best = &s;
    return best;
}

bool likelihoodFalling(const std::vector<LikelihoodSample>& samples, const HealthThresholds& t) {
    const LikelihoodSample* best = bestLikelihood(samples);
    const LikelihoodSample* now = nullptr;
    for (const LikelihoodSample& s : samples)
        if (usable(s)) now = &s;
    if (!best || best == now) return false;
    const double se = std::sqrt(best->stdErr * best->stdErr + now->stdErr * now->stdErr);
    return best->heldOut - now->heldOut > std::max(t.fallNats, t.fallSigmas * se);
}

std::vector<HealthCheck> evaluateHealth(const HealthInput& in, const HealthThresholds& t) {
    const bool haveEpoch = !in.epochs.empty();
    const EpochMetrics last = haveEpoch ? in.epochs.back() : EpochMetrics{};
    std::vector<HealthCheck> out;
    out.push_back(ratioCheck("ratio-weights", "Update size: weights", in.liveRatioWeights, last.ratioWeights, haveEpoch,
                             true, t));
    out.push_back(ratioCheck("ratio-visible", "Update size: visible biases", in.liveRatioVisible, last.ratioVisibleBias,
                             haveEpoch, false, t));
    out.push_back(ratioCheck("ratio-hidden", "Update size: hidden biases", in.liveRatioHidden, last.ratioHiddenBias,
                             haveEpoch, false, t));
    out.push_back(overfittingCheck(in, t));
    out.push_back(unitsCheck(in, t));
    out.push_back(divergenceCheck(in, t));
    out.push_back(weightsCheck(in, t));
    out.push_back(nanCheck(in));
    return out;
}

const HealthCheck* findCheck(const std::vector<HealthCheck>& checks, const std::string& key) {
    for (const HealthCheck& c : checks)
        if (c.key == key) return &c;
    return nullptr;
}

Light worstLight(const std::vector<HealthCheck>& checks) {
    Light w = Light::Green;
    for (const HealthCheck& c : checks)
        if (int(c.light) > int(w)) w = c.light;
    return w;
}

}  // namespace rbm
