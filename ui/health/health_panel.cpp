#include "health/health_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QScrollArea>
#include <QVBoxLayout>

#include "rbm/metrics.h"
#include "rbm/presets.h"

namespace studio {

namespace {

constexpr int kEvalIntervalMs = 250;
constexpr int kLightSize = 20;

QPixmap lightPixmap(rbm::Light l, qreal dpr) {
    QPixmap pm(QSize(kLightSize, kLightSize) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(60, 60, 60), 1));
    p.setBrush(lightColor(l));
    p.drawEllipse(QRectF(1.5, 1.5, kLightSize - 3, kLightSize - 3));
    return pm;
}

}  // namespace

QColor lightColor(rbm::Light l) {
    switch (l) {
    case rbm::Light::Green: return QColor(30, 160, 60);
    case rbm::Light::Amber: return QColor(240, 165, 0);
    case rbm::Light::Red: return QColor(215, 40, 40);
    case rbm::Light::Unknown: break;
    }
    return QColor(190, 190, 190);
}

HealthPanel::HealthPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* top = new QHBoxLayout;
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    top->addWidget(summary_, 1);
    presets_ = new QComboBox;
    presets_->addItem(tr("Known-good settings\u2026"));
    for (const rbm::TrainingPreset& p : rbm::trainingPresets()) {
        presets_->addItem(QString::fromStdString(p.name));
        presets_->setItemData(presets_->count() - 1, QString::fromStdString(p.summary), Qt::ToolTipRole);
    }
    presets_->setToolTip(tr("Replace the training settings by a preset measured on the embedded digits"));
    connect(presets_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        if (i <= 0) return;
        emit presetRequested(presets_->itemText(i));
        presets_->setCurrentIndex(0);
    });
    top->addWidget(presets_);
    layout->addLayout(top);

    // The rows scroll when the dock is short: advice is never clipped.
    auto* rowsWidget = new QWidget;
    grid_ = new QGridLayout(rowsWidget);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setHorizontalSpacing(8);
    grid_->setVerticalSpacing(2);
    grid_->setColumnStretch(2, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(rowsWidget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(scroll, 1);

    // Short: the long form made the window wider than a 1280 px projector.
    early_ = new QCheckBox(tr("Early stopping (pause when held-out worsens)"));
    early_->setToolTip(tr("Early stopping: pause training when the held-out likelihood falls or the gap grows"));
    early_->setChecked(true);
    layout->addWidget(early_);
    refresh();
}

void HealthPanel::setEarlyStopping(bool on) { early_->setChecked(on); }
bool HealthPanel::earlyStopping() const { return early_->isChecked(); }

rbm::Light HealthPanel::lightOf(const std::string& key) const {
    const rbm::HealthCheck* c = rbm::findCheck(checks_, key);
    return c ? c->light : rbm::Light::Unknown;
}

void HealthPanel::showSnapshot(const TrainingSnapshot& s) {
    const rbm::Rbm& m = s.model;
    if (s.fromTraining) trained_ = true;
    input_.nHidden = m.nHidden();
    bool newEpoch = false;
    if (s.epochMetrics.size() != input_.epochs.size()) {
        input_.epochs = s.epochMetrics;
        newEpoch = true;
    }
    const double epoch = double(s.counters.epoch);
    if (input_.weights.empty() || input_.weights.back().epoch < epoch) {
        input_.weights.push_back({epoch, rbm::rootMeanSquare(m.W)});
        newEpoch = true;
    }
    if (!newEpoch && sinceEval_.isValid() && sinceEval_.elapsed() < kEvalIntervalMs) return;
    if (s.hasUpdates()) {
        input_.liveRatioWeights = rbm::updateRatio(s.weightUpdate, m.W);
        input_.liveRatioVisible = rbm::updateRatio(s.visibleBiasUpdate, m.visibleBias);
        input_.liveRatioHidden = rbm::updateRatio(s.hiddenBiasUpdate, m.hiddenBias);
    }
    input_.modelFinite = m.W.allFinite() && m.visibleBias.allFinite() && m.hiddenBias.allFinite();
    refresh();
}

void HealthPanel::addLikelihood(const LikelihoodPoint& p) {
    input_.likelihood.push_back(p.sample());
    refresh();
}

void HealthPanel::clear(const std::vector<LikelihoodPoint>& likelihood) {
    input_ = rbm::HealthInput{};
    for (const LikelihoodPoint& p : likelihood) input_.likelihood.push_back(p.sample());
    stopSent_ = false;
    trained_ = likelihood.empty();  // nothing kept, nothing to advise on until training adds it
    refresh();
}

void HealthPanel::refresh() {
    checks_ = rbm::evaluateHealth(input_, thresholds_);
    sinceEval_.start();
    paintRows();
    if (!early_->isChecked() || stopSent_ || !trained_) return;
    QString reason;
    if (rbm::likelihoodFalling(input_.likelihood, thresholds_)) {
        const rbm::HealthCheck* d = rbm::findCheck(checks_, "divergence");
        reason = tr("Early stopping: %1").arg(QString::fromStdString(d ? d->advice : std::string()));
    } else if (lightOf("overfitting") == rbm::Light::Red) {
        const rbm::HealthCheck* o = rbm::findCheck(checks_, "overfitting");
        reason = tr("Early stopping: %1").arg(QString::fromStdString(o ? o->advice : std::string()));
    }
    if (!reason.isEmpty()) {
        stopSent_ = true;
        emit stopAdvised(reason);
    }
}

void HealthPanel::paintRows() {
    const qreal dpr = devicePixelRatioF();
    while (rows_.size() < checks_.size()) {
        const int r = int(rows_.size());
        Row row{new QLabel, new QLabel, new QLabel, new QLabel};
        row.light->setFixedSize(kLightSize, kLightSize);
        QFont bold = font();
        bold.setBold(true);
        row.title->setFont(bold);
        row.value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row.value->setStyleSheet(QStringLiteral("color: #444;"));
        row.advice->setWordWrap(true);
        row.advice->setContentsMargins(0, 0, 0, 6);
        // Two lines per check: light, name and value; then the advice under them.
        grid_->addWidget(row.light, 2 * r, 0, 2, 1, Qt::AlignTop);
        grid_->addWidget(row.title, 2 * r, 1, Qt::AlignLeft);
        grid_->addWidget(row.value, 2 * r, 2, Qt::AlignLeft);
        grid_->addWidget(row.advice, 2 * r + 1, 1, 1, 2);
        rows_.push_back(row);
    }
    int counts[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < checks_.size(); ++i) {
        const rbm::HealthCheck& c = checks_[i];
        const Row& row = rows_[i];
        row.light->setPixmap(lightPixmap(c.light, dpr));
        row.light->setToolTip(QString::fromLatin1(rbm::toString(c.light)));
        row.title->setText(QString::fromStdString(c.title));
        row.value->setText(QString::fromStdString(c.value));
        row.advice->setText(QString::fromStdString(c.advice));
        ++counts[int(c.light)];
    }
    const rbm::Light worst = rbm::worstLight(checks_);
    QString text;
    const int red = counts[int(rbm::Light::Red)], amber = counts[int(rbm::Light::Amber)];
    if (red > 0)
        text = (red == 1 ? tr("<b style='color:#c62828'>1 check is red</b>")
                         : tr("<b style='color:#c62828'>%1 checks are red</b>").arg(red)) +
               tr(": act on the advice below.");
    else if (amber > 0)
        text = (amber == 1 ? tr("<b style='color:#b26a00'>1 check is amber</b>")
                           : tr("<b style='color:#b26a00'>%1 checks are amber</b>").arg(amber)) +
               tr(": worth a look.");
    else if (counts[int(rbm::Light::Green)] > 0 && worst == rbm::Light::Green)
        text = tr("<b style='color:#1a7f37'>Healthy</b> so far (Hinton's checks from his practical guide).");
    summary_->setText(text);
}

}  // namespace studio
