#include "window/time_slider.h"

#include <QAction>
#include <QDir>
#include <QMenu>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QToolBar>
#include <algorithm>
#include <cmath>
#include <limits>

#include "health/likelihood_view.h"
#include "rbm/checkpoint.h"
#include "training/training_worker.h"
#include "views/checkpoints_dock.h"
#include "views/metrics_view.h"
#include "window/main_window.h"
#include "window/shortcuts.h"
#include "window/snapshot_scheduler.h"
#include "window/studio_menus.h"

namespace studio {

namespace {
constexpr std::size_t kCheckpointsCached = 4;  // scrubbing back and forth reads each file once
}

TimeSlider::TimeSlider(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("timeSlider"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(6, 2, 6, 2);
    auto* title = new QLabel(tr("Time"));
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("timeSliderHandle"));
    slider_->setRange(0, 0);
    slider_->setToolTip(tr("Scrub back through the run: every panel shows that moment (arrow keys step; from anywhere Alt+Left / Alt+Right, Ctrl+L for live)"));
    label_ = new QLabel;
    label_->setMinimumWidth(label_->fontMetrics().horizontalAdvance(QStringLiteral("epoch 000.00 \u00b7 batch 0000000 \u00b7 checkpoint")));
    liveButton_ = new QPushButton(tr("Live"));
    liveButton_->setObjectName(QStringLiteral("timeSliderLive"));
    liveButton_->setCheckable(true);
    liveButton_->setChecked(true);
    liveButton_->setToolTip(tr("Back to now: the panels follow training again"));
    row->addWidget(title);
    row->addWidget(slider_, 1);
    row->addWidget(label_);
    row->addWidget(liveButton_);
    connect(slider_, &QSlider::valueChanged, this, &TimeSlider::onSliderMoved);
    connect(liveButton_, &QPushButton::clicked, this, [this] { goLive(); });
    updateLabel();
}

void TimeSlider::record(const SnapshotPtr& s) {
    if (!s) return;
    newest_ = s;
    if (history_.add(s)) rebuild();
    else if (live_) updateLabel();
}

void TimeSlider::restart(const SnapshotPtr& s) {
    history_.clear();
    checkpoints_.clear();
    loaded_.clear();
    newest_ = s;
    if (s) history_.add(s);
    live_ = true;
    shown_.reset();
    rebuild();
}

void TimeSlider::setCheckpoints(const std::vector<rbm::RunEntry>& entries) {
    checkpoints_ = entries;
    rebuild();
}

void TimeSlider::rebuild() {
    moments_.clear();
    const double now = newest_ ? newest_->epochPosition() : std::numeric_limits<double>::infinity();
    for (const SnapshotPtr& s : history_.snapshots()) moments_.push_back({s->epochPosition(), s, {}});
    for (const rbm::RunEntry& e : checkpoints_) {
        const double epoch = double(e.epoch);
        if (epoch > now) continue;  // a later branch of the run (a restored epoch): not this history
        const bool inMemory = std::any_of(moments_.begin(), moments_.end(), [&](const Moment& m) {
            return m.snapshot && std::abs(m.epoch - epoch) < 1e-9;
        });
        if (!inMemory) moments_.push_back({epoch, nullptr, QString::fromStdString(e.path)});
    }
    std::stable_sort(moments_.begin(), moments_.end(), [](const Moment& a, const Moment& b) { return a.epoch < b.epoch; });

    // The handle stays on the moment shown (indices move as moments come and thin out).
    int value = int(moments_.size());  // one past the last moment: Live
    if (!live_) {
        value = 0;
        for (int i = 0; i < int(moments_.size()); ++i)
            if (moments_[std::size_t(i)].epoch <= shownEpoch_ + 1e-9) value = i;
    }
    const QSignalBlocker block(slider_);
    slider_->setRange(0, int(moments_.size()));
    slider_->setValue(value);
    updateLabel();
}

SnapshotPtr TimeSlider::load(const Moment& m) {
    if (m.snapshot) return m.snapshot;
    for (const auto& [path, s] : loaded_)
        if (path == m.checkpoint) return s;
    try {
        rbm::Checkpoint c = rbm::loadCheckpoint(m.checkpoint.toStdString());
        if (newest_) {  // files may lack the image shape; the run's snapshots have it
            c.model.imageRows = newest_->model.imageRows;
            c.model.imageCols = newest_->model.imageCols;
        }
        std::shared_ptr<TrainingSnapshot> s = snapshotOf(c);
        s->origin = QFileInfo(m.checkpoint).fileName();
        if (newest_) s->runDir = newest_->runDir;
        loaded_.emplace_back(m.checkpoint, s);
        if (loaded_.size() > kCheckpointsCached) loaded_.pop_front();
        return s;
    } catch (const std::exception& e) {
        label_->setText(tr("Cannot read %1: %2").arg(QFileInfo(m.checkpoint).fileName(), QString::fromUtf8(e.what())));
        return nullptr;
    }
}

void TimeSlider::onSliderMoved(int value) {
    if (value >= int(moments_.size())) goLive();
    else showMoment(value);
}

void TimeSlider::showMoment(int i) {
    if (i < 0 || i >= int(moments_.size())) return;
    const Moment m = moments_[std::size_t(i)];
    SnapshotPtr s = load(m);
    if (!s) return;
    live_ = false;
    shown_ = s;
    shownEpoch_ = m.epoch;
    liveButton_->setChecked(false);
    {
        const QSignalBlocker block(slider_);
        slider_->setValue(i);
    }
    updateLabel();
    emit momentShown(s);
}

void TimeSlider::goLive() {
    live_ = true;
    shown_.reset();
    liveButton_->setChecked(true);
    {
        const QSignalBlocker block(slider_);
        slider_->setValue(slider_->maximum());
    }
    updateLabel();
    emit liveShown();
}

void TimeSlider::stepBack() {
    const int i = live_ ? int(moments_.size()) - 1 : slider_->value() - 1;
    if (i >= 0) showMoment(i);
}

void TimeSlider::stepForward() {
    if (live_) return;
    const int i = slider_->value() + 1;
    if (i >= int(moments_.size())) goLive();
    else showMoment(i);
}

QString TimeSlider::labelText() const { return label_->text(); }

void TimeSlider::updateLabel() {
    if (live_) {
        label_->setText(newest_ ? tr("Live \u00b7 epoch %1").arg(newest_->epochPosition(), 0, 'f', 2) : tr("Live"));
        return;
    }
    if (!shown_) return;
    const bool onDisk = std::any_of(moments_.begin(), moments_.end(), [&](const Moment& m) {
        return !m.snapshot && std::abs(m.epoch - shownEpoch_) < 1e-9;
    }) && !std::any_of(moments_.begin(), moments_.end(), [&](const Moment& m) { return m.snapshot == shown_; });
    label_->setText(onDisk ? tr("epoch %1 \u00b7 checkpoint").arg(shownEpoch_, 0, 'f', 0)
                           : tr("epoch %1 \u00b7 batch %2").arg(shownEpoch_, 0, 'f', 2).arg(shown_->counters.totalBatches));
}

TimeSlider* installTimeSlider(MainWindow* w, LikelihoodView* likelihood) {
    auto* slider = new TimeSlider;
    auto* bar = new QToolBar(QObject::tr("Time slider"), w);
    bar->setObjectName(QStringLiteral("timeSliderBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->addWidget(slider);
    w->addToolBar(Qt::BottomToolBarArea, bar);
    // View > Time: the slider's keys, in the one key table (listed in the key reference).
    // Alt+arrows as a browser's back and forward; Ctrl+Right is already Training > Step.
    QMenu* time = w->menus()->viewMenu()->addMenu(QObject::tr("&Time"));
    struct Key {
        QString text;
        QKeySequence key;
        void (TimeSlider::*slot)();
    };
    const Key keys[] = {
        {QObject::tr("&Back in time"), QKeySequence(Qt::ALT | Qt::Key_Left), &TimeSlider::stepBack},
        {QObject::tr("&Forward in time"), QKeySequence(Qt::ALT | Qt::Key_Right), &TimeSlider::stepForward},
        {QObject::tr("&Live"), QKeySequence(Qt::CTRL | Qt::Key_L), &TimeSlider::goLive},
    };
    for (const Key& k : keys) {
        QAction* a = time->addAction(k.text, slider, k.slot);
        a->setShortcut(k.key);
        w->shortcuts()->add(QObject::tr("Time"), a);
    }

    TrainingController* ctl = w->controller();
    auto sameRun = [](const QString& a, const QString& b) {
        return !a.isEmpty() && !b.isEmpty() && QDir::cleanPath(a) == QDir::cleanPath(b);
    };
    // The epochs on disk of the run on screen (the checkpoints dock follows it).
    auto checkpointsOf = [w, sameRun](const SnapshotPtr& s) {
        std::vector<rbm::RunEntry> entries;
        CheckpointsDock* dock = w->checkpointsDock();
        if (s && sameRun(dock->runDirectory(), s->runDir)) entries = dock->entries();
        return entries;
    };
    QObject::connect(ctl, &TrainingController::snapshotReady, slider, [slider](const SnapshotPtr& s) { slider->record(s); });
    QObject::connect(ctl, &TrainingController::epochFinished, slider,
                     [slider, checkpointsOf](const SnapshotPtr& s) { slider->setCheckpoints(checkpointsOf(s)); });
    QObject::connect(w, &MainWindow::modelStartedAfresh, slider, [slider, checkpointsOf](const SnapshotPtr& s) {
        slider->restart(s);
        slider->setCheckpoints(checkpointsOf(s));
    });
    // A run started from Idle is watched live.
    auto wasIdle = std::make_shared<bool>(!ctl->isActive());
    QObject::connect(ctl, &TrainingController::stateChanged, slider, [slider, wasIdle](TrainingController::State st) {
        const bool idle = st == TrainingController::State::Idle;
        if (*wasIdle && !idle && !slider->isLive()) slider->goLive();
        *wasIdle = idle;
    });

    QObject::connect(slider, &TimeSlider::momentShown, w, [w, likelihood](const SnapshotPtr& s) {
        w->scheduler()->pin(s);
        w->metricsView()->setCursor(s->epochPosition());
        if (likelihood) likelihood->setCursor(s->epochPosition());
    });
    QObject::connect(slider, &TimeSlider::liveShown, w, [w, likelihood] {
        w->scheduler()->unpin();
        w->metricsView()->setCursor(std::numeric_limits<double>::quiet_NaN());
        if (likelihood) likelihood->setCursor(std::numeric_limits<double>::quiet_NaN());
    });
    slider->restart(w->currentSnapshot() ? w->currentSnapshot() : w->scheduler()->latest());
    return slider;
}

}  // namespace studio
