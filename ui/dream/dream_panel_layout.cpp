// The dream panel's widgets and their two arrangements (see dream_panel.h): which groups go
// where, and which secondary controls a small panel leaves out so that what matters fits.
#include <QAbstractScrollArea>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QResizeEvent>
#include <QVBoxLayout>

#include "dream/canvas_controls.h"
#include "dream/chain_views.h"
#include "dream/dream_controls.h"
#include "dream/dream_panel.h"
#include "dream/dream_timeline.h"
#include "dream/dream_views.h"
#include "dream/drawing_canvas.h"
#include "dream/dream_engine.h"
#include "dream/label_controls.h"

namespace studio {

namespace {

QLabel* smallLabel(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setStyleSheet(QStringLiteral("color: palette(mid);"));
    return l;
}

/// Switching back to the full arrangement needs this much more room than it measured, so a
/// size near the edge never flips between the two.
constexpr int kHysteresis = 16;

}  // namespace

QWidget* DreamPanel::buildDrawColumn() {
    auto* box = new QGroupBox(tr("1 - Draw a digit, or pick a start"), this);
    auto* v = new QVBoxLayout(box);
    v->setSpacing(4);
    canvas_ = new DrawingCanvas(box);
    v->addWidget(canvas_, 1);

    // Undo / redo shortcuts anywhere in the panel (no Space: the main window's Space trains).
    // A start a person picks plays at once: they want to see it dream.
    controls_ = new CanvasControls(canvas_, this, box);
    connect(controls_, &CanvasControls::randomDigitPicked, this, [this] { if (loadStart(starts_.randomTestDigit(grid_))) play(); });
    connect(controls_, &CanvasControls::noisePicked, this, [this] { if (loadStart(starts_.noise(grid_))) play(); });
    connect(controls_, &CanvasControls::classPicked, this, [this](int k) { if (startFromTestClass(k)) play(); });
    connect(controls_, &CanvasControls::testDigitPicked, this, [this](int i) { if (startFromTestDigit(i)) play(); });
    connect(controls_, &CanvasControls::imageFilePicked, this, [this](const QString& path) { if (startFromImageFile(path)) play(); });
    v->addWidget(controls_);
    status_ = smallLabel(QString(), box);
    status_->setMinimumWidth(1);  // long messages are cut, never wrapped (see test_dream_image)
    v->addWidget(status_);
    return box;
}

QWidget* DreamPanel::buildDreamColumn() {
    auto* box = new QGroupBox(tr("2 - The dream: Gibbs sampling v -> h -> v"), this);
    auto* v = new QVBoxLayout(box);
    views_ = new ChainViews(box);
    v->addWidget(views_, 1);
    note_ = smallLabel(QString(), box);
    note_->setWordWrap(true);  // one line when there is room, two in a small panel; never wider
    {
        // Without height-for-width: a scroll area would size the whole panel to its preferred
        // height (scroll bars) instead of the room it has.
        QSizePolicy policy = note_->sizePolicy();
        policy.setHeightForWidth(false);
        note_->setSizePolicy(policy);
    }
    note_->hide();
    v->addWidget(note_);
    connect(views_, &ChainViews::unitClicked, this, [this](int unit) { if (model_) toggleHiddenUnit(unit); });
    connect(views_, &ChainViews::chainClicked, this, [this](int chain) {
        focusChain_ = chain;
        scheduleRefresh();
    });
    return box;
}

QWidget* DreamPanel::buildReadoutColumn() {
    auto* box = new QGroupBox(tr("3 - What the model thinks"), this);
    auto* v = new QVBoxLayout(box);
    labels_ = new LabelControls(box);
    // "Dream a K" plays at once: the point is to watch the drawing turn into a K.
    connect(labels_, &LabelControls::classChosen, this, [this](int k) {
        engine_->setClampedLabel(k);
        play();
        scheduleRefresh();
    });
    readout_ = new ClassReadout(box);
    energy_ = new FreeEnergyPlot(box);
    v->addWidget(labels_);
    v->addWidget(readout_, 1);
    v->addWidget(energy_, 1);
    return box;
}

QWidget* DreamPanel::buildTimeline() {
    auto* box = new QGroupBox(tr("4 - Run and rewind"), this);
    auto* v = new QVBoxLayout(box);
    timeline_ = new DreamTimeline(engine_, box);
    v->addWidget(timeline_);
    connect(timeline_, &DreamTimeline::playClicked, this, &DreamPanel::play);
    connect(timeline_, &DreamTimeline::meanFieldToggled, this, &DreamPanel::scheduleRefresh);
    connect(timeline_, &DreamTimeline::filmIntervalChanged, this, &DreamPanel::scheduleRefresh);
    connect(timeline_, &DreamTimeline::scrubbed, this, &DreamPanel::onTimelineMoved);
    connect(timeline_, &DreamTimeline::exportRequested, this, &DreamPanel::exportInteractive);
    return box;
}


// ------------------------------------------------------------------------------ arrangement

void DreamPanel::arrange(Arrangement a) {
    arrangement_ = a;
    const bool compact = isSmall(a), full = a == Arrangement::Full, mini = a == Arrangement::Mini;
    for (QWidget* w : {static_cast<QWidget*>(drawBox_), static_cast<QWidget*>(dreamBox_), static_cast<QWidget*>(readoutBox_),
                       static_cast<QWidget*>(timelineBox_)})
        root_->removeWidget(w);
    canvas_->setMinimumSide(full ? 280 : mini ? 100 : compact ? 130 : 180);
    controls_->setArrangement(a);
    views_->setArrangement(a);
    readout_->setArrangement(a);
    labels_->setArrangement(a);
    timeline_->setArrangement(a);
    energy_->setVisible(full);
    updateNote();  // under the dream, or its tooltip in Mini
    drawBox_->setTitle(mini ? tr("1 - Draw") : compact ? tr("1 - Draw, or pick a start") : tr("1 - Draw a digit, or pick a start"));
    dreamBox_->setTitle(compact ? tr("2 - The dream p(v|h)") : tr("2 - The dream: Gibbs sampling v -> h -> v"));
    // A group box is never narrower than its title: a small panel gets the short one.
    readoutBox_->setTitle(compact ? tr("3 - Which digit?") : tr("3 - What the model thinks"));
    timelineBox_->setTitle(mini ? tr("4 - Run (more in the Dream view, Ctrl+3)") : tr("4 - Run and rewind"));
    for (int i = 0; i < 3; ++i) {
        root_->setColumnStretch(i, 0);
        root_->setRowStretch(i, 0);
    }
    // The drawing column runs the full height beside the dream; the timeline goes under the
    // dream and readout (full, stage) or under everything (compact, where the readout sits
    // under the dream).
    root_->addWidget(drawBox_, 0, 0, 2, 1);
    root_->addWidget(dreamBox_, 0, 1);
    if (compact) {
        root_->addWidget(readoutBox_, 1, 1);
        root_->addWidget(timelineBox_, 2, 0, 1, 2);
        root_->setColumnStretch(0, 1);
        root_->setColumnStretch(1, 1);
        // Most of the room goes to the dream; some to the readout, whose wrapped verdict needs
        // a second line in a narrow dock (the panel is sized by its minimum, not height-for-width).
        root_->setRowStretch(0, 3);
        root_->setRowStretch(1, 1);
    } else {
        root_->addWidget(readoutBox_, 0, 2);
        root_->addWidget(timelineBox_, 1, 1, 1, 2);
        root_->setColumnStretch(0, 2);
        root_->setColumnStretch(1, 3);
        root_->setColumnStretch(2, 2);
        root_->setRowStretch(0, 1);
    }
    scheduleRefresh();
}

QSize DreamPanel::measuredMinimum() {
    // What the views and the verdict show depends on the arrangement (type sizes, captions,
    // lines left out), and so does the room they need: they are drawn now, not at the next
    // refresh.
    refresh();
    // Each widget and layout caches its minimum until the event loop reaches it; the one just
    // arranged is measured now, not by the widgets it hid.
    for (QWidget* w : findChildren<QWidget*>()) w->updateGeometry();
    for (QLayout* l : findChildren<QLayout*>()) l->invalidate();
    return minimumSizeHint();
}

void DreamPanel::chooseArrangement() {
    const QSize room = watched_ ? watched_->size() : size();
    if (!room.isValid() || room.isEmpty()) return;
    auto slot = [](Arrangement a) { return static_cast<int>(a); };
    minimum_[slot(arrangement_)] = minimumSizeHint();  // what the one on screen needs now
    // The richest arrangement that fits; one richer than the current needs a little more room,
    // so a size near an edge never flips between two. One never measured is tried to measure it.
    for (Arrangement a : {Arrangement::Full, Arrangement::Stage, Arrangement::Compact}) {
        if (!minimum_[slot(a)].isValid()) {
            arrange(a);
            minimum_[slot(a)] = measuredMinimum();
        }
        const QSize need = minimum_[slot(a)];
        const int margin = slot(a) < slot(arrangement_) ? kHysteresis : 0;
        if (room.width() >= need.width() + margin && room.height() >= need.height() + margin) {
            if (a != arrangement_) arrange(a);
            return;
        }
    }
    if (arrangement_ != Arrangement::Mini) arrange(Arrangement::Mini);
}

bool DreamPanel::event(QEvent* e) {
    if (e->type() == QEvent::ParentChange) {
        // In a scroll area (the studio's dock), the area's size is the room: the panel itself is
        // never smaller than its minimum there, so its own size cannot say it needs less.
        if (watched_) watched_->removeEventFilter(this);
        watched_ = nullptr;
        QWidget* viewport = parentWidget();
        auto* area = viewport ? qobject_cast<QAbstractScrollArea*>(viewport->parentWidget()) : nullptr;
        if (area && area->viewport() == viewport) {
            watched_ = area;
            watched_->installEventFilter(this);
        }
    }
    return QWidget::event(e);
}

bool DreamPanel::eventFilter(QObject* watched, QEvent* e) {
    if (watched == watched_ && (e->type() == QEvent::Resize || e->type() == QEvent::Show)) chooseArrangement();
    return QWidget::eventFilter(watched, e);
}

void DreamPanel::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    if (!watched_) chooseArrangement();
}

TemperingControls* DreamPanel::temperingControls() const { return timeline_->controls()->tempering(); }
QPushButton* DreamPanel::playButton() const { return timeline_->controls()->playButton(); }

}  // namespace studio
