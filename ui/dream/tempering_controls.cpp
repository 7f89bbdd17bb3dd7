#include "dream/tempering_controls.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStringList>
#include <cmath>

#include "dream/dream_engine.h"

namespace studio {

TemperingControls::TemperingControls(DreamEngine* engine, QWidget* parent) : QWidget(parent), engine_(engine) {
    auto* h = new QHBoxLayout(this);
    h->setContentsMargins(0, 0, 0, 0);
    on_ = new QCheckBox(tr("Tempered"), this);
    on_->setToolTip(tr("Parallel tempering: each chain gets hotter copies (lower \u03b2) that swap states with it, "
                       "so the \u03b2 = 1 chain on screen can leave one digit for another. Off: the plain Gibbs chain."));
    rungs_ = new QSpinBox(this);
    rungs_->setRange(2, 16);
    rungs_->setValue(engine_->rungs());
    rungs_->setSuffix(tr(" rungs"));
    rungs_->setToolTip(tr("Replicas in the ladder, \u03b2 linear from 1 down to the lowest \u03b2"));
    betaMin_ = new QDoubleSpinBox(this);
    betaMin_->setRange(0.05, 0.99);
    betaMin_->setSingleStep(0.05);
    betaMin_->setDecimals(2);
    betaMin_->setValue(static_cast<double>(engine_->lowestBeta()));
    betaMin_->setPrefix(tr("lowest \u03b2 "));
    betaMin_->setToolTip(tr("The hottest rung's inverse temperature"));
    rates_ = new QLabel(this);
    rates_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    rates_->setMinimumWidth(1);  // long ladders are cut, never widen the panel
    rates_->setToolTip(tr("Accepted fraction of proposed swaps per neighbouring pair of rungs since the start"));
    h->addWidget(on_);
    h->addWidget(rungs_);
    h->addWidget(betaMin_);
    h->addWidget(rates_, 1);

    auto applyLadder = [this] {
        engine_->setLadder(rungs_->value(), static_cast<float>(betaMin_->value()));
        showRates();
    };
    connect(on_, &QCheckBox::toggled, this, [this](bool on) {
        engine_->setTempering(on);
        showRates();
    });
    connect(rungs_, QOverload<int>::of(&QSpinBox::valueChanged), this, applyLadder);
    connect(betaMin_, QOverload<double>::of(&QDoubleSpinBox::valueChanged), this, applyLadder);
    connect(engine_, &DreamEngine::frameAdded, this, [this] {
        if (!shown_.isValid() || shown_.elapsed() > 250) showRates();
    });
    connect(engine_, &DreamEngine::timelineReset, this, &TemperingControls::showRates);
    showRates();
}

QString TemperingControls::ratesText() const {
    if (!engine_->tempering()) return tr("plain Gibbs chain");
    if (!engine_->temperingActive()) return tr("idle while mean-field is on");
    const std::vector<double> r = engine_->swapRates();
    QStringList parts;
    for (std::size_t k = 0; k < r.size(); ++k) parts << QStringLiteral("%1").arg(std::lround(r[k] * 100.0));
    return tr("swaps accepted (%): %1").arg(parts.join(QStringLiteral(" ")));
}

void TemperingControls::showRates() {
    rates_->setText(ratesText());
    shown_.start();
}

}  // namespace studio
