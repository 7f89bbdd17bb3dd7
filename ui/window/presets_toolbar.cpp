#include "window/presets_toolbar.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QStatusBar>

#include "training/training_controller.h"
#include "views/controls_dock.h"
#include "window/main_window.h"

namespace studio {

bool applyTrainingPreset(MainWindow* w, const QString& name) {
    rbm::TrainingConfig c;
    try {
        c = rbm::applyPreset(w->controller()->config(), rbm::trainingPreset(name.toStdString()));
    } catch (const std::exception&) {
        return false;
    }
    applyTrainingConfig(w, c, QObject::tr("Preset \u201c%1\u201d").arg(name));
    return true;
}

void applyTrainingConfig(MainWindow* w, const rbm::TrainingConfig& c, const QString& what) {
    TrainingController* ctl = w->controller();
    const bool structural = !c.sameStructure(ctl->config());
    ControlsDock* controls = w->controlsDock();
    controls->setConfig(c);
    emit controls->configEdited(c);  // as if edited by hand: the window applies it
    w->statusBar()->showMessage(structural && ctl->isActive()
                                    ? QObject::tr("%1: the learning settings apply now, the model size after Reset.").arg(what)
                                    : QObject::tr("%1 applied.").arg(what),
                                10000);
}

QString presetTooltip(const rbm::TrainingPreset& p) {
    // What it is for and what it measured come from core's preset table, never typed here.
    const auto html = [](const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); };
    QString tip = QStringLiteral("<b>%1</b>").arg(html(p.name));
    if (!p.purpose.empty()) tip += QObject::tr(" &mdash; for %1").arg(html(p.purpose));
    tip += QStringLiteral("<br>") + html(p.summary);
    if (!p.measured.empty()) tip += QObject::tr("<br><i>Measured:</i> %1").arg(html(p.measured));
    return tip;
}

PresetsToolbar::PresetsToolbar(MainWindow* w) : QToolBar(QObject::tr("Presets"), w), group_(new QActionGroup(this)) {
    setObjectName(QStringLiteral("toolbar-presets"));  // the saved layout's key
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    group_->setExclusive(true);
    addWidget(new QLabel(QObject::tr("Presets:"), this));
    for (const rbm::TrainingPreset& p : rbm::trainingPresets()) {
        const QString name = QString::fromStdString(p.name);
        QAction* a = addAction(name);
        a->setCheckable(true);
        a->setToolTip(presetTooltip(p));
        a->setStatusTip(QString::fromStdString(p.summary));
        a->setData(name);
        group_->addAction(a);
        connect(a, &QAction::triggered, w, [this, w, name] {
            applyTrainingPreset(w, name);
            showConfig(w->controller()->config());
        });
    }
}

QAction* PresetsToolbar::action(const QString& presetName) const {
    for (QAction* a : group_->actions())
        if (a->data().toString() == presetName) return a;
    return nullptr;
}

void PresetsToolbar::showConfig(const rbm::TrainingConfig& config) {
    const QString match = QString::fromStdString(rbm::matchingPreset(config));
    // An exclusive group cannot show "none" with a checked action: lift the rule for a moment.
    group_->setExclusive(false);
    for (QAction* a : group_->actions()) a->setChecked(a->data().toString() == match);
    group_->setExclusive(true);
}

PresetsToolbar* installPresetsToolbar(MainWindow* w) {
    auto* bar = new PresetsToolbar(w);
    w->addToolBar(Qt::TopToolBarArea, bar);
    auto sync = [w, bar] { bar->showConfig(w->controller()->config()); };
    QObject::connect(w->controlsDock(), &ControlsDock::configEdited, bar, sync);
    QObject::connect(w, &MainWindow::modelChanged, bar, sync);
    sync();
    return bar;
}

}  // namespace studio
