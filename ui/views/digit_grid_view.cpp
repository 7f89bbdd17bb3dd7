#include "views/digit_grid_view.h"

#include <QLabel>
#include <QVBoxLayout>
#include <cmath>

#include "views/image_builders.h"
#include "views/image_canvas.h"

namespace studio {

DigitGridView::DigitGridView(Source source, QWidget* parent) : QWidget(parent), source_(source) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(2, 2, 2, 2);
    caption_ = new QLabel;
    caption_->setWordWrap(true);
    v->addWidget(caption_);
    canvas_ = new ImageCanvas;
    canvas_->setPlaceholderText(source == Source::NegativeSamples
                                    ? tr("The model's fantasies appear when training starts")
                                    : tr("No dataset"));
    v->addWidget(canvas_, 1);
}

const QImage& DigitGridView::image() const { return canvas_->image(); }

void DigitGridView::clear() {
    canvas_->setImage(QImage());
    caption_->clear();
}

void DigitGridView::showImages(const rbm::Matrix& rows, int imageRows, int imageCols, const QString& caption) {
    if (rows.rows() == 0 || imageRows * imageCols != rows.cols()) return;
    const int cols = std::max(1, int(std::ceil(std::sqrt(double(rows.rows())))));
    canvas_->setImage(buildDigitGrid(rows, imageRows, imageCols, cols));
    canvas_->setPlaceholderText({});
    caption_->setText(caption);
}

void DigitGridView::showSnapshot(const TrainingSnapshot& s) {
    if (source_ != Source::NegativeSamples || s.negativeSamples.rows() == 0) return;
    int r = s.model.imageRows, c = s.model.imageCols;
    if (r * c != s.negativeSamples.cols()) return;
    const bool pcd = s.config.algorithm == rbm::Algorithm::PCD;
    // A full square grid reads better than a ragged last row.
    const int side = std::max(1, int(std::sqrt(double(s.negativeSamples.rows()))));
    showImages(s.negativeSamples.topRows(side * side), r, c,
               pcd ? tr("PCD-%1 persistent chains").arg(s.config.k)
                   : tr("CD-%1 negative samples").arg(s.config.k));
}

void DigitGridView::showDataset(const rbm::Dataset& d, int count) {
    if (d.empty()) {
        clear();
        return;
    }
    const int n = int(std::min<std::size_t>(std::size_t(count), d.count));
    const int cols = std::max(1, int(std::ceil(std::sqrt(double(n)))));
    canvas_->setImage(buildDigitGrid(d, n, cols));
    canvas_->setPlaceholderText({});
    caption_->setText(tr("%1: the first %2 images").arg(QString::fromStdString(d.name)).arg(n));
    caption_->setToolTip(QString::fromStdString(d.source));
}

}  // namespace studio
