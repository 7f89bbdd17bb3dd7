#include "window/studio_settings.h"

#include <QFileInfo>
#include <QMainWindow>
#include <QSettings>

namespace studio {

namespace {
const QString kDataset = QStringLiteral("dataset");
const QString kRuns = QStringLiteral("runsDirectory");
const QString kConfig = QStringLiteral("config");
const QString kRecent = QStringLiteral("recentFiles");
const QString kGeometry = QStringLiteral("geometry");
const QString kState = QStringLiteral("windowState");
const QString kZoom = QStringLiteral("zoom");
const QString kHighContrast = QStringLiteral("highContrast");
}  // namespace

QString StudioSettings::dataset() const { return enabled_ ? QSettings().value(kDataset).toString() : QString(); }

void StudioSettings::setDataset(const QString& path) {
    if (enabled_) QSettings().setValue(kDataset, path);
}

QString StudioSettings::runsDirectory() const { return enabled_ ? QSettings().value(kRuns).toString() : QString(); }

std::optional<rbm::TrainingConfig> StudioSettings::config() const {
    if (!enabled_) return std::nullopt;
    const QString json = QSettings().value(kConfig).toString();
    if (json.isEmpty()) return std::nullopt;
    try {
        rbm::TrainingConfig c = rbm::trainingConfigFromJson(json.toStdString());
        c.validate();
        return c;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

QStringList StudioSettings::recentFiles() const {
    return enabled_ ? QSettings().value(kRecent).toStringList() : QStringList();
}

void StudioSettings::addRecent(const QString& path) {
    if (!enabled_) return;
    QStringList list = recentFiles();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecent) list.removeLast();
    QSettings().setValue(kRecent, list);
}

double StudioSettings::zoom() const {
    bool ok = false;
    const double z = enabled_ ? QSettings().value(kZoom, 1.0).toDouble(&ok) : 1.0;
    return ok && z > 0 ? z : 1.0;
}

bool StudioSettings::highContrast() const { return enabled_ && QSettings().value(kHighContrast, false).toBool(); }

void StudioSettings::saveProjector(double zoom, bool highContrast) const {
    if (!enabled_) return;
    QSettings s;
    s.setValue(kZoom, zoom);
    s.setValue(kHighContrast, highContrast);
}

bool StudioSettings::restoreWindow(QMainWindow* window) const {
    if (!enabled_) return false;
    QSettings s;
    const QByteArray geometry = s.value(kGeometry).toByteArray();
    if (!geometry.isEmpty()) window->restoreGeometry(geometry);
    const QByteArray state = s.value(kState).toByteArray();
    return !state.isEmpty() && window->restoreState(state);
}

void StudioSettings::save(const QMainWindow* window, const rbm::TrainingConfig& config, const QString& dataset,
                          const QString& runsDirectory) const {
    if (!enabled_) return;
    QSettings s;
    s.setValue(kGeometry, window->saveGeometry());
    s.setValue(kState, window->saveState());
    s.setValue(kConfig, QString::fromStdString(rbm::toJson(config)));
    s.setValue(kDataset, dataset);
    s.setValue(kRuns, runsDirectory);
}

}  // namespace studio
