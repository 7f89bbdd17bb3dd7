#pragma once
/// The dream column: the followed chain's dream p(v|h) beside its state v, every chain side by
/// side (click one to follow it), the hidden layer p(h|v) and its most active filters (click a
/// unit to force it). It draws the frame it is handed and says what was clicked.
#include <QWidget>
#include <vector>

#include "dream/frame_images.h"
#include "dream/panel_arrangement.h"
#include "rbm/model.h"

namespace studio {

class PixelView;

class ChainViews : public QWidget {
    Q_OBJECT
public:
    explicit ChainViews(QWidget* parent = nullptr);

    /// `model` may be null or of another hidden size (the filters then keep their last image).
    void show(const DreamFrame& f, int chain, const rbm::Rbm* model, const std::vector<signed char>& forces,
              bool meanField, int rows, int cols);

    /// Full: every view. Stage: the dream, the sampled state and the chains (no hidden layer).
    /// Compact: only the dream p(v|h) of the followed chain (a small panel).
    void setArrangement(Arrangement a);

    PixelView* dreamView() const { return prob_; }
    PixelView* chainsView() const { return chains_; }
    PixelView* hiddenView() const { return hidden_; }
    /// Where hidden unit `unit` is drawn in hiddenView()'s image (pixel coordinates).
    QPointF hiddenUnitPosition(int unit) const { return hiddenGrid_.centreOf(unit); }

signals:
    void unitClicked(int unit);
    void chainClicked(int chain);

private:
    PixelView* prob_;
    PixelView* sample_;
    PixelView* chains_;
    PixelView* hidden_;
    PixelView* filters_;
    HiddenGrid hiddenGrid_;
    FilterTiles filterTiles_;
    int chainCount_ = 1;
    Arrangement arrangement_ = Arrangement::Full;
};

}  // namespace studio
