#pragma once
/// What the studio remembers between sessions (QSettings): window geometry and dock layout,
/// the training configuration, the dataset, the runs folder, the recent files, and the
/// projector's zoom and theme. Disabled
/// (tests, scripted sessions) it reads nothing and writes nothing.
#include <QString>
#include <QStringList>
#include <optional>

#include "rbm/training_config.h"

class QMainWindow;

namespace studio {

class StudioSettings {
public:
    static constexpr int kMaxRecent = 8;
    explicit StudioSettings(bool enabled) : enabled_(enabled) {}
    bool enabled() const { return enabled_; }

    QString dataset() const;  ///< a folder, a file, "embedded" or empty
    void setDataset(const QString& path);
    QString runsDirectory() const;
    /// The last session's configuration, if there is one and it is valid (a bad one is not
    /// worth a dialog: the defaults stand).
    std::optional<rbm::TrainingConfig> config() const;

    /// Newest first, absolute paths, at most kMaxRecent.
    QStringList recentFiles() const;
    void addRecent(const QString& path);

    double zoom() const;  ///< 1 when nothing is remembered
    bool highContrast() const;
    void saveProjector(double zoom, bool highContrast) const;

    /// Geometry and dock layout; true if a saved layout was applied.
    bool restoreWindow(QMainWindow* window) const;
    /// Everything at once, when the window closes.
    void save(const QMainWindow* window, const rbm::TrainingConfig& config, const QString& dataset,
              const QString& runsDirectory) const;

private:
    bool enabled_;
};

}  // namespace studio
