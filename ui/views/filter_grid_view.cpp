#include "views/filter_grid_view.h"

#include <QComboBox>
#include <QGridLayout>
#include <QResizeEvent>
#include <QTextDocument>
#include <QLabel>
#include <QScrollArea>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "views/image_canvas.h"

namespace studio {

FilterGridView::FilterGridView(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    v->setSpacing(4);
    bar_ = new QGridLayout;
    bar_->setHorizontalSpacing(6);
    bar_->setVerticalSpacing(2);
    contrastBox_ = new QComboBox;
    contrastBox_->addItems({tr("Global contrast"), tr("Per-tile contrast")});
    contrastBox_->setToolTip(tr("Colour scale: the largest |weight| of all units, or of each unit"));
    sortBox_ = new QComboBox;
    sortBox_->addItems({tr("Unit order"), tr("Sort by weight norm"), tr("Sort by mean activity")});
    zoomBox_ = new QComboBox;
    zoomBox_->addItems({tr("Fit"), QStringLiteral("1x"), QStringLiteral("2x"), QStringLiteral("3x"),
                        QStringLiteral("4x"), QStringLiteral("6x"), QStringLiteral("8x")});
    zoomBox_->setToolTip(tr("Zoom: Fit fills the view; a factor shows whole pixels and scrolls"));
    info_ = new QLabel;
    info_->setTextFormat(Qt::RichText);
    info_->setWordWrap(true);  // never widens the window past 1280 px; see placeInfo
    bar_->addWidget(contrastBox_, 0, 0);
    bar_->addWidget(sortBox_, 0, 1);
    bar_->addWidget(zoomBox_, 0, 2);
    bar_->setColumnStretch(3, 1);
    bar_->addWidget(info_, 0, 4);
    v->addLayout(bar_);

    canvas_ = new ImageCanvas;
    canvas_->setPlaceholderText(tr("No model yet"));
    scroll_ = new QScrollArea;
    scroll_->setWidget(canvas_);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setAlignment(Qt::AlignCenter);
    v->addWidget(scroll_, 1);

    connect(contrastBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setContrast(i == 1 ? Contrast::PerTile : Contrast::Global); });
    connect(sortBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setSort(Sort(i)); });
    connect(zoomBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        static const double zooms[] = {0, 1, 2, 3, 4, 6, 8};
        setZoom(zooms[i]);
    });
    connect(canvas_, &ImageCanvas::hovered, this, &FilterGridView::onHover);
    connect(canvas_, &ImageCanvas::left, this, [this] {
        canvas_->setHighlight({});
        QToolTip::hideText();
    });
    connect(canvas_, &ImageCanvas::clicked, this, [this](QPoint px) {
        const int unit = layout_.unitAt(px.x(), px.y());
        if (unit >= 0) emit unitClicked(unit);
    });
}

void FilterGridView::placeInfo() {
    // Beside the boxes when it fits on one line there, else a line of its own under them: in a
    // 420 px dock (1280 x 720) it wrapped to five lines beside them.
    QTextDocument doc;
    doc.setDefaultFont(info_->font());
    doc.setHtml(info_->text());
    const int line = int(std::ceil(doc.idealWidth())) + 2 * info_->margin() + 4;
    int boxes = 0;
    for (QComboBox* b : {contrastBox_, sortBox_, zoomBox_}) boxes += b->sizeHint().width() + bar_->horizontalSpacing();
    const QMargins margins = QWidget::layout()->contentsMargins();
    const int room = width() - margins.left() - margins.right();
    const bool beside = boxes + line <= room;
    int row = 0, column = 0, rowSpan = 0, columnSpan = 0;
    bar_->getItemPosition(bar_->indexOf(info_), &row, &column, &rowSpan, &columnSpan);
    if (beside == (row == 0)) return;
    bar_->removeWidget(info_);
    if (beside) bar_->addWidget(info_, 0, 4);
    else bar_->addWidget(info_, 1, 0, 1, 5);
}

void FilterGridView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    placeInfo();
}

void FilterGridView::setPlaceholderText(const QString& text) { canvas_->setPlaceholderText(text); }

void FilterGridView::showSnapshot(const TrainingSnapshot& s) { showModel(s.model, s.meanHiddenActivity); }

void FilterGridView::showModel(const rbm::Rbm& m, const rbm::Vector& activity) {
    model_ = m;
    const int nh = m.nHidden();
    norms_.assign(std::size_t(nh), 0.0f);
    for (int j = 0; j < nh; ++j) norms_[std::size_t(j)] = m.W.col(j).norm();
    activity_.assign(std::size_t(nh), std::nanf(""));
    if (activity.size() == nh)
        for (int j = 0; j < nh; ++j) activity_[std::size_t(j)] = activity(j);
    int tr_ = 0, tc = 0;
    tileShape(m, tr_, tc);
    info_->setText(tr("<b>%1</b> hidden units &middot; %2&times;%3 tiles &middot; "
                      "<span style='color:#2166ac'>&minus;</span> / "
                      "<span style='color:#b2182b'>+</span> weights")
                       .arg(nh).arg(tr_).arg(tc));
    placeInfo();
    rebuild();
}

void FilterGridView::clear() {
    model_ = rbm::Rbm();
    layout_ = TileLayout();
    canvas_->setImage(QImage());
}

void FilterGridView::setContrast(Contrast c) {
    contrast_ = c;
    const int idx = c == Contrast::PerTile ? 1 : 0;
    if (contrastBox_->currentIndex() != idx) contrastBox_->setCurrentIndex(idx);
    rebuild();
}

void FilterGridView::setSort(Sort s) {
    sort_ = s;
    if (sortBox_->currentIndex() != int(s)) sortBox_->setCurrentIndex(int(s));
    rebuild();
}

void FilterGridView::setZoom(double zoom) { canvas_->setZoom(zoom); }

const QImage& FilterGridView::image() const { return canvas_->image(); }

QImage FilterGridView::exportImage(int scale) const {
    const QImage& img = canvas_->image();
    if (img.isNull() || scale <= 1) return img;
    return img.scaled(img.size() * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

void FilterGridView::rebuild() {
    if (model_.nHidden() == 0 || model_.nVisible() == 0) return;
    FilterGridOptions o;
    o.contrast = contrast_;
    if (sort_ == Sort::WeightNorm) {
        o.order = orderByDescending(norms_);
    } else if (sort_ == Sort::Activity) {
        std::vector<float> key = activity_;
        for (float& k : key)
            if (std::isnan(k)) k = -1.0f;
        o.order = orderByDescending(key);
    }
    canvas_->setImage(buildFilterGrid(model_, o, &layout_));
    ++buildCount_;
}

QString FilterGridView::unitDescription(int unit) const {
    if (unit < 0 || unit >= model_.nHidden()) return {};
    QString text = tr("<b>Hidden unit %1</b><br>bias c = %2<br>|w| = %3")
                       .arg(unit)
                       .arg(double(model_.hiddenBias(unit)), 0, 'g', 4)
                       .arg(double(norms_[std::size_t(unit)]), 0, 'g', 4);
    const float a = activity_[std::size_t(unit)];
    if (!std::isnan(a)) text += tr("<br>mean activity = %1").arg(double(a), 0, 'f', 3);
    text += tr("<br><i>click: send to the dream panel</i>");
    return text;
}

void FilterGridView::onHover(QPoint px, QPoint globalPos) {
    const int slot = layout_.slotAt(px.x(), px.y());
    if (slot < 0) {
        canvas_->setHighlight({});
        QToolTip::hideText();
        return;
    }
    canvas_->setHighlight(layout_.tileRect(slot));
    QToolTip::showText(globalPos, unitDescription(layout_.order[std::size_t(slot)]), canvas_);
}

}  // namespace studio
