#pragma once
/// Histograms (QCustomPlot bars) of W, the visible and hidden biases and of the last update
/// of each, with the update-to-parameter ratio |dW|/|W| against Hinton's ~1e-3 rule of thumb.
#include <QWidget>
#include <array>

#include "rbm/model.h"
#include "training/training_snapshot.h"

class QCustomPlot;
class QCPBars;
class QCPTextElement;
class QCPAxisRect;
class QLabel;

namespace studio {

class HistogramsView : public QWidget {
    Q_OBJECT
public:
    explicit HistogramsView(QWidget* parent = nullptr);

    void showSnapshot(const TrainingSnapshot& s);
    void showModel(const rbm::Rbm& m);  ///< parameters only (no updates known)
    void clear();

    /// rbm::updateRatio of the last shown snapshot per group W, b, c (0 before any update).
    double ratio(int group) const { return ratios_[std::size_t(group)]; }
    /// Total count in the bars of panel i (0..5: W, b, c, dW, db, dc); for tests.
    double binTotal(int panel) const;
    int updateCount() const { return updates_; }
    QCustomPlot* plot() const { return plot_; }

private:
    void setPanel(int panel, const float* data, std::size_t n);
    QCustomPlot* plot_ = nullptr;
    QLabel* ratioLabel_ = nullptr;
    std::array<QCPBars*, 6> bars_{};
    std::array<QCPAxisRect*, 6> rects_{};
    std::array<QCPTextElement*, 6> titles_{};
    std::array<double, 3> ratios_{};
    int updates_ = 0;
};

}  // namespace studio
