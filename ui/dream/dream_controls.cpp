#include "dream/dream_controls.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>
#include <cmath>

#include "dream/dream_engine.h"
#include "dream/tempering_controls.h"

namespace studio {

namespace {
/// The speed slider is logarithmic: 0 .. 1000 maps to 1 .. 500 steps per second.
double stepsPerSecondAt(int position) { return std::max(1.0, std::round(std::exp(position / 1000.0 * std::log(500.0)))); }
int positionOf(double stepsPerSecond) { return static_cast<int>(std::lround(1000.0 * std::log(stepsPerSecond) / std::log(500.0))); }
}  // namespace

DreamControls::DreamControls(DreamEngine* engine, QWidget* parent) : QWidget(parent), engine_(engine) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(4);

    auto* transport = new QHBoxLayout;
    play_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"), this);
    play_->setToolTip(tr("Play / pause the dream"));
    connect(play_, &QPushButton::clicked, this, [this] {
        if (engine_->isPlaying()) engine_->pause();
        else emit playClicked();
    });
    connect(engine_, &DreamEngine::playingChanged, this, [this](bool playing) {
        play_->setText(playing ? tr("Pause") : tr("Play"));
        play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    auto* step = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"), this);
    step->setToolTip(tr("One full Gibbs sweep h -> v -> h"));
    connect(step, &QPushButton::clicked, engine_, &DreamEngine::step);
    auto* half = new QPushButton(tr("Half step"), this);
    half->setToolTip(tr("Only the next update: h -> v, then v -> h"));
    connect(half, &QPushButton::clicked, engine_, &DreamEngine::halfStep);
    auto* reset = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"), this);
    reset->setToolTip(tr("Back to the start image (same seed: the same dream again)"));
    connect(reset, &QPushButton::clicked, engine_, &DreamEngine::reset);
    for (QPushButton* b : {play_, step, half, reset}) transport->addWidget(b);
    transport->addSpacing(10);
    auto* chains = new QSpinBox(this);
    chains->setRange(1, 8);
    chains->setValue(engine_->chains());
    chains->setSuffix(tr(" chains"));
    chains->setObjectName(QStringLiteral("dreamChains"));  // session_documents sets the knobs by name
    connect(chains, QOverload<int>::of(&QSpinBox::valueChanged), engine_, &DreamEngine::setChains);
    transport->addWidget(chains);
    auto* seed = new QSpinBox(this);
    seed->setRange(1, 999999);
    seed->setValue(static_cast<int>(engine_->seed()));
    seed->setPrefix(tr("seed "));
    seed->setObjectName(QStringLiteral("dreamSeed"));
    connect(seed, QOverload<int>::of(&QSpinBox::valueChanged), engine_, [this](int s) {
        engine_->setSeed(static_cast<std::uint64_t>(s));
        engine_->reset();
    });
    transport->addWidget(seed);
    transport->addStretch(1);
    v->addLayout(transport);

    auto* knobs = new QHBoxLayout;
    auto* sps = new QSlider(Qt::Horizontal, this);
    sps->setRange(0, 1000);
    sps->setMinimumWidth(90);
    auto* spsLabel = new QLabel(this);
    spsLabel->setMinimumWidth(80);
    auto showSpeed = [this, spsLabel](int position) {
        engine_->setStepsPerSecond(stepsPerSecondAt(position));
        spsLabel->setText(tr("%1 steps/s").arg(stepsPerSecondAt(position)));
    };
    connect(sps, &QSlider::valueChanged, this, showSpeed);
    sps->setValue(positionOf(20.0));  // from 0: applies it
    knobs->addWidget(sps, 1);
    knobs->addWidget(spsLabel);
    knobs->addSpacing(10);

    auto* beta = new QSlider(Qt::Horizontal, this);
    beta->setRange(0, 300);
    beta->setObjectName(QStringLiteral("dreamBeta"));
    beta->setMinimumWidth(90);
    beta->setToolTip(tr("Inverse temperature: beta < 1 melts the digit into noise, beta > 1 freezes it"));
    auto* betaLabel = new QLabel(this);
    betaLabel->setMinimumWidth(60);
    auto showBeta = [this, betaLabel](int position) {
        const float b = static_cast<float>(position) / 100.0f;
        engine_->setBeta(b);
        betaLabel->setText(QStringLiteral("\u03b2 = %1").arg(double(b), 0, 'f', 2));
    };
    connect(beta, &QSlider::valueChanged, this, showBeta);
    beta->setValue(100);
    knobs->addWidget(beta, 1);
    knobs->addWidget(betaLabel);

    auto* meanField = new QCheckBox(tr("mean-field"), this);
    meanField->setObjectName(QStringLiteral("dreamMeanField"));
    meanField->setToolTip(tr("Use probabilities instead of samples for both layers (deterministic: "
                             "chains from the same start stay identical)"));
    connect(meanField, &QCheckBox::toggled, engine_, &DreamEngine::setMeanField);
    connect(meanField, &QCheckBox::toggled, this, &DreamControls::meanFieldToggled);
    knobs->addWidget(meanField);
    v->addLayout(knobs);

    tempering_ = new TemperingControls(engine_, this);
    connect(meanField, &QCheckBox::toggled, tempering_, &TemperingControls::showRates);
    v->addWidget(tempering_);
    secondary_ = {half, chains, seed, sps, spsLabel, beta, betaLabel, meanField};
}

void DreamControls::setArrangement(Arrangement a) {
    for (QWidget* w : secondary_) w->setVisible(!isSmall(a));
    tempering_->setVisible(a != Arrangement::Mini);
}

}  // namespace studio
