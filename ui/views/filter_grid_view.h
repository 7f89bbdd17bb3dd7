#pragma once
/// The weight filters: hidden unit j's incoming weights W(:, j) as an image tile, in a grid.
/// Global or per-tile contrast, blue-white-red colour map, zoom, sort by weight norm or mean
/// activity, a hover tooltip (unit, bias, |w|, activity) and unitClicked for the dream panel.
#include <QWidget>
#include <vector>

#include "rbm/model.h"
#include "training/training_snapshot.h"
#include "views/image_builders.h"

class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;

namespace studio {

class ImageCanvas;

class FilterGridView : public QWidget {
    Q_OBJECT
public:
    enum class Sort { Unit = 0, WeightNorm = 1, Activity = 2 };

    explicit FilterGridView(QWidget* parent = nullptr);

    void showSnapshot(const TrainingSnapshot& s);
    /// Shows a model on its own (a loaded file); `activity` may be empty.
    void showModel(const rbm::Rbm& m, const rbm::Vector& activity = {});
    void clear();

    void setContrast(Contrast c);
    void setSort(Sort s);
    void setZoom(double zoom);  ///< 0 = fit
    void setPlaceholderText(const QString& text);

    /// The grid as last built (one image pixel per weight).
    const QImage& image() const;
    const TileLayout& layout() const { return layout_; }
    /// The grid enlarged by an integer factor (nearest neighbour), for export.
    QImage exportImage(int scale) const;
    /// Tooltip text for a unit (public for tests).
    QString unitDescription(int unit) const;
    ImageCanvas* canvas() const { return canvas_; }
    int buildCount() const { return buildCount_; }

signals:
    void unitClicked(int unit);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void placeInfo();
    void rebuild();
    void onHover(QPoint px, QPoint globalPos);

    ImageCanvas* canvas_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    QComboBox* contrastBox_ = nullptr;
    QComboBox* sortBox_ = nullptr;
    QComboBox* zoomBox_ = nullptr;
    QLabel* info_ = nullptr;
    QGridLayout* bar_ = nullptr;

    rbm::Rbm model_;
    std::vector<float> norms_, activity_;
    TileLayout layout_;
    Contrast contrast_ = Contrast::Global;
    Sort sort_ = Sort::Unit;
    int buildCount_ = 0;
};

}  // namespace studio
