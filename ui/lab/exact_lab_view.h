#pragma once
/// The Exact lab: for a model small enough to list every visible pattern (bars and stripes
/// 4 x 4: 2^16), the exact model distribution p(v) as bars beside the data distribution q(v),
/// sorted by model probability (data patterns blue, the others grey, one last bar for all the
/// patterns not drawn), the most probable patterns as tiny images, and the exact mean
/// log-likelihood and KL(data || model) as numbers. For a larger model it says in one line why
/// it shows nothing.
///
/// setModel may be called for every painted snapshot: the enumeration runs on a BackgroundJob
/// (a few ms at 4 x 4 with 32 hidden units), one at a time; a model that arrives meanwhile
/// waits, replaced by any newer one, so the view follows training without queueing work.
#include <QWidget>
#include <memory>
#include <optional>

#include "lab/exact_lab_result.h"
#include "support/background_job.h"

class QCustomPlot;
class QCPBars;
class QCPItemText;
class QLabel;

namespace studio {

class PatternStrip;

class ExactLabView : public QWidget {
    Q_OBJECT
public:
    static constexpr std::size_t kTopPatterns = 40;  ///< bars besides the data patterns

    explicit ExactLabView(QWidget* parent = nullptr);
    ~ExactLabView() override;

    /// The training data (binarized at pixel > 127, as `rbm eval` does).
    void setData(const std::shared_ptr<const rbm::Dataset>& train);
    /// A model to show at `epoch` (the newest wins; null clears).
    void setModel(std::shared_ptr<const rbm::Rbm> model, double epoch);

    /// The model on display can be enumerated (else reasonText() says why not).
    bool available() const;
    QString reasonText() const;
    QString numbersText() const;
    /// The result on display, if any.
    const std::optional<ExactLabResult>& result() const { return shown_; }
    bool busy() const { return job_.active(); }

    // --- what is drawn (tests)
    QCustomPlot* plot() const { return plot_; }
    double modelBarSum() const;
    double dataBarSum() const;
    int barCount() const;
    int patternImages() const;

signals:
    /// A new result is on display.
    void resultShown();

private:
    void startNext();
    void display(const ExactLabResult& r);
    void showReason(const QString& reason);

    BackgroundJob<ExactLabResult> job_;
    std::shared_ptr<const ExactLabData> data_;
    std::shared_ptr<const rbm::Rbm> pending_;
    double pendingEpoch_ = 0;
    std::optional<ExactLabResult> shown_;

    QLabel* reason_ = nullptr;
    QLabel* numbers_ = nullptr;
    QWidget* body_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    QCPBars* modelInData_ = nullptr;
    QCPBars* modelOther_ = nullptr;
    QCPBars* dataBars_ = nullptr;
    QCPItemText* restLabel_ = nullptr;  ///< the rest bar's value when the axis cuts it
    PatternStrip* strip_ = nullptr;
};

}  // namespace studio
