#include "dream/dream_timeline.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include "dream/dream_controls.h"
#include "dream/dream_views.h"

namespace studio {

DreamTimeline::DreamTimeline(DreamEngine* engine, QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(4);
    controls_ = new DreamControls(engine, this);
    connect(controls_, &DreamControls::playClicked, this, &DreamTimeline::playClicked);
    connect(controls_, &DreamControls::meanFieldToggled, this, &DreamTimeline::meanFieldToggled);
    v->addWidget(controls_);

    auto* tl = new QHBoxLayout;
    auto* caption = new QLabel(tr("timeline"), this);
    caption->setStyleSheet(QStringLiteral("color: palette(mid);"));
    tl->addWidget(caption);
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setRange(0, 0);
    slider_->setToolTip(tr("Scrub back through every frame of the chain"));
    connect(slider_, &QSlider::valueChanged, this, &DreamTimeline::scrubbed);
    tl->addWidget(slider_, 1);
    label_ = new QLabel(this);
    label_->setMinimumWidth(170);
    tl->addWidget(label_);
    v->addLayout(tl);

    auto* film = new QHBoxLayout;
    film_ = new PixelView(tr("filmstrip of the followed chain: the sampled input v on top, the dream p(v|h) below"), this);
    film_->setObjectName(QStringLiteral("filmstrip"));
    film_->setPreferredScale(1);
    film_->setMinimumHeight(130);
    film->addWidget(film_, 1);
    side_ = new QWidget(this);
    auto* side = new QVBoxLayout(side_);
    side->setContentsMargins(0, 0, 0, 0);
    interval_ = new QSpinBox(side_);
    interval_->setRange(1, 1000);
    interval_->setValue(5);
    interval_->setPrefix(tr("every "));
    interval_->setSuffix(tr(" steps"));
    connect(interval_, QOverload<int>::of(&QSpinBox::valueChanged), this, &DreamTimeline::filmIntervalChanged);
    auto* png = new QPushButton(tr("Export PNG..."), side_);
    connect(png, &QPushButton::clicked, this, [this] { emit exportRequested(false); });
    auto* gif = new QPushButton(tr("Export GIF..."), side_);
    gif->setToolTip(tr("The whole timeline of all chains as an animated GIF for slides"));
    connect(gif, &QPushButton::clicked, this, [this] { emit exportRequested(true); });
    side->addWidget(interval_);
    side->addWidget(png);
    side->addWidget(gif);
    side->addStretch(1);
    film->addWidget(side_);
    v->addLayout(film);
}

void DreamTimeline::showPosition(int index, int count, double step, bool live) {
    {
        const QSignalBlocker block(slider_);  // the panel's own move is no scrub
        slider_->setRange(0, count - 1);
        if (live) slider_->setValue(count - 1);
    }
    label_->setText(tr("step t = %1   frame %2 / %3%4").arg(step).arg(index + 1).arg(count)
                        .arg(live ? tr("  (live)") : tr("  (rewound)")));
}

void DreamTimeline::setArrangement(Arrangement a) {
    const bool compact = isSmall(a), full = a == Arrangement::Full;
    controls_->setArrangement(a);
    side_->setVisible(!compact);
    film_->setVisible(a != Arrangement::Mini);  // the room goes to the canvas and the dream
    film_->setMinimumHeight(full ? 130 : 64);
    film_->setMaximumHeight(full ? QWIDGETSIZE_MAX : 110);  // the room goes to the canvas and the dream
    label_->setMinimumWidth(compact ? 1 : 170);
    film_->setCaption(compact ? tr("filmstrip: v on top, p(v|h) below")
                              : tr("filmstrip of the followed chain: the sampled input v on top, the dream p(v|h) below"));
}

void DreamTimeline::setFilmstrip(const QImage& image) { film_->setImage(image); }

int DreamTimeline::filmInterval() const { return interval_->value(); }

int DreamTimeline::filmColumnsThatFit(int cols) const { return (film_->width() - 80) / (cols * 2 + 4); }

bool DreamTimeline::showsFilmstrip() const { return !film_->isHidden(); }

}  // namespace studio
