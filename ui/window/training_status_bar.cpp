#include "window/training_status_bar.h"

#include <QLabel>
#include <QProgressBar>
#include <algorithm>
#include <cmath>

namespace studio {

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("-");
    const qint64 s = qint64(std::llround(seconds));
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

TrainingStatusBar::TrainingStatusBar(QWidget* parent)
    : QStatusBar(parent), state_(new QLabel), progressText_(new QLabel), rate_(new QLabel), eta_(new QLabel),
      dataset_(new QLabel), message_(new QLabel), progress_(new QProgressBar) {
    setSizeGripEnabled(true);
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(180);
    progress_->setTextVisible(false);
    message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // long paths never widen the window
    message_->setStyleSheet(QStringLiteral("color: palette(dark); padding-left: 12px;"));
    addWidget(state_);
    addWidget(progressText_);
    addWidget(progress_);
    addWidget(rate_);
    addWidget(eta_);
    addWidget(message_, 1);
    addPermanentWidget(dataset_);
    messageTimer_.setSingleShot(true);
    connect(&messageTimer_, &QTimer::timeout, message_, &QLabel::clear);
    setState(TrainingController::State::Idle);
}

void TrainingStatusBar::setState(TrainingController::State s) {
    using S = TrainingController::State;
    static const char* const style = "padding: 1px 8px; border-radius: 3px; color: white; background: %1;";
    const char* colour = s == S::Running ? "#1a7f37" : s == S::Paused ? "#b26a00" : "#6b6b6b";
    state_->setText(s == S::Running ? tr("Training") : s == S::Paused ? tr("Paused") : tr("Idle"));
    state_->setStyleSheet(QString::fromLatin1(style).arg(QLatin1String(colour)));
    if (s == S::Idle) {
        rate_->clear();
        eta_->clear();
    }
}

void TrainingStatusBar::showSnapshot(const TrainingSnapshot& s, bool running) {
    const int target = std::max(1, s.config.epochs);
    const int bpe = std::max(1, s.batchesPerEpoch);
    if (s.batchesPerEpoch > 0)
        progressText_->setText(tr("Epoch <b>%1</b>/%2 &middot; batch %3/%4")
                                   .arg(s.counters.epoch).arg(target).arg(s.counters.batchInEpoch).arg(bpe));
    else
        progressText_->setText(tr("Epoch <b>%1</b>/%2").arg(s.counters.epoch).arg(target));
    progress_->setValue(int(std::min(1.0, s.epochPosition() / target) * 1000));
    if (running && s.samplesPerSecond > 0) {
        rate_->setText(tr("%L1 samples/s").arg(qint64(std::llround(s.samplesPerSecond))));
        const double remaining = std::max(0.0, target - s.epochPosition()) * bpe * s.config.batchSize;
        eta_->setText(tr("ETA %1").arg(formatDuration(remaining / s.samplesPerSecond)));
    } else {
        rate_->clear();
        eta_->clear();
    }
}

void TrainingStatusBar::showDataset(const rbm::Dataset& train, const rbm::Dataset& test) {
    // Short (a zoomed projector has little width to spare); the counts in full on hover.
    dataset_->setText(tr("%1 \u00b7 %2\u00d7%3").arg(QString::fromStdString(train.name)).arg(train.rows).arg(train.cols));
    dataset_->setToolTip(tr("%1: %2 training images, %3 held out, %4\u00d7%5 pixels")
                             .arg(QString::fromStdString(train.name))
                             .arg(train.count).arg(test.count).arg(train.rows).arg(train.cols));
}

void TrainingStatusBar::notify(const QString& message, int ms) {
    message_->setText(message);
    message_->setToolTip(message);
    messageTimer_.start(ms);
}

QString TrainingStatusBar::message() const { return message_->text(); }

}  // namespace studio
