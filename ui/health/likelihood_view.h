#pragma once
/// The honest learning curve: average log-likelihood of held-out and training digits per epoch
/// (nats per digit, higher is better), from LikelihoodEstimator results. Held-out estimates
/// carry error bars (one standard error of log Z); reverse AIS and the rigorous upper bound are
/// shown beside them, and an exact value for small models. An AIS estimate that failed its checks
/// is drawn hollow and grey: then only the bound counts. Dashed horizontal lines give the
/// published full-MNIST figures of Salakhutdinov & Murray (2008) and the independent-pixels
/// baseline of this dataset.
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "health/likelihood_estimator.h"
#include "training/training_snapshot.h"

class QCustomPlot;
class QCPGraph;
class QCPErrorBars;
class QCPItemStraightLine;
class QLabel;
class QPushButton;
class QSpinBox;

namespace studio {

class LikelihoodView : public QWidget {
    Q_OBJECT
public:
    struct Reference {
        double value;
        QString label;
    };
    /// Salakhutdinov & Murray 2008, 500 hidden units, full binarized MNIST.
    static std::vector<Reference> publishedReferences();

    explicit LikelihoodView(QWidget* parent = nullptr);
    ~LikelihoodView() override;

    void addPoint(const LikelihoodPoint& p);
    /// The independent-pixels log-likelihood of this dataset's held-out digits (NaN hides it).
    void setBaseline(double logLikelihood);
    /// Keeps the epoch axis at least as long as the planned run.
    void showSnapshot(const TrainingSnapshot& s);
    void setStatus(const QString& text);
    void setEveryEpochs(int n);
    void clear();
    /// The run went back to `epoch` (a restored checkpoint): estimates after it go.
    void keepUpTo(double epoch);
    /// A vertical line at `epoch` (the time slider's moment); NaN hides it.
    void setCursor(double epoch);
    double cursor() const { return cursorEpoch_; }

    int pointCount() const { return int(points_.size()); }
    const std::vector<LikelihoodPoint>& points() const { return points_; }
    /// Dashed reference lines shown (published figures + the baseline when set).
    int referenceLineCount() const;
    QStringList referenceLabels() const;
    QString statusText() const;
    QString verdictText() const;
    QCustomPlot* plot() const { return plot_; }
    QCPGraph* heldOutGraph() const { return heldOut_; }
    QCPErrorBars* heldOutErrorBars() const { return heldOutErr_; }

signals:
    void estimateRequested();
    void everyEpochsChanged(int n);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    /// Two legend entries a row when they fit the plot's width, else one.
    void fitLegend();
    /// The value axis for the range of the lines and points, with room for the labels above.
    void fitValueAxis();
    double valueLow_ = -220, valueHigh_ = -80;
    struct RefItems;
    void addReference(double value, const QString& label, const QColor& color);
    void updateRanges();

    QCustomPlot* plot_ = nullptr;
    QCPGraph* heldOut_ = nullptr;        // reliable AIS or exact
    QCPErrorBars* heldOutErr_ = nullptr;
    QCPGraph* unreliable_ = nullptr;     // AIS that failed its checks
    QCPGraph* reverse_ = nullptr;
    QCPGraph* bound_ = nullptr;
    QCPGraph* train_ = nullptr;
    QSpinBox* every_ = nullptr;
    QPushButton* now_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* verdict_ = nullptr;
    std::vector<LikelihoodPoint> points_;
    std::vector<std::unique_ptr<RefItems>> refs_;  // the plot owns the items, refs_ the bookkeeping
    RefItems* baseline_ = nullptr;                  // one of refs_
    double baselineValue_;
    double maxEpoch_ = 1;
    QCPItemStraightLine* cursor_ = nullptr;
    double cursorEpoch_;
};

}  // namespace studio
