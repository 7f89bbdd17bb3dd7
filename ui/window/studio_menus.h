#pragma once
/// The studio's menu bar: File (datasets, models, exports, recent files), Training (the run
/// controls with their keys: Space, Ctrl+Right, Ctrl+., Ctrl+R), View (every dock, the
/// layout, full screen, per-tile contrast; projector_actions adds zoom, theme and views) and
/// Help (the key reference, About). Every keyed action is registered in the Shortcuts table.
/// File dialogs are asked here; what to do with the chosen file goes out as a signal.
#include <QObject>
#include <QStringList>

#include "training/training_controller.h"

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace studio {

class Shortcuts;

class StudioMenus : public QObject {
    Q_OBJECT
public:
    StudioMenus(QMainWindow* window, TrainingController* controller, Shortcuts* keys);

    /// A dock's show/hide entry in the View menu, after the ones added before.
    void addDockToggle(QDockWidget* dock);
    void setRecentFiles(const QStringList& paths);
    /// Where the dataset dialog opens.
    void setDatasetPath(const QString& path) { datasetPath_ = path; }
    void setTrainingState(TrainingController::State s);
    /// "Save model" dialog: the chosen path, or empty.
    QString askModelSavePath();
    /// For features and panels adding their own entries (keyed ones through Shortcuts::add).
    QMenu* fileMenu() const { return file_; }
    QMenu* trainingMenu() const { return train_; }
    QMenu* viewMenu() const { return view_; }
    QMenu* helpMenu() const { return help_; }

signals:
    void openDatasetRequested(const QString& path);  ///< a folder, or "embedded"
    void openModelRequested(const QString& path);
    void saveModelRequested(const QString& path);
    void openSessionRequested(const QString& path);  ///< a .rbmsession
    void saveSessionRequested(const QString& path);
    void exportFilterGridRequested(const QString& path);
    void exportMetricsRequested(const QString& path);
    void resetLayoutRequested();
    void resetModelRequested();  ///< Ctrl+R: the window asks before discarding a trained model
    void keyReferenceRequested();
    void drawDatasetRequested();
    void compareRunsRequested();
    void perTileContrastToggled(bool on);

private:
    void createFileMenu();
    void createTrainingMenu(TrainingController* controller);
    void createViewMenu();
    void createHelpMenu();
    QString askSavePath(const QString& title, const QString& name, const QString& filter);

    QMainWindow* window_;
    Shortcuts* keys_;
    QMenu *file_ = nullptr, *train_ = nullptr, *view_ = nullptr, *help_ = nullptr;
    QMenu* recent_ = nullptr;
    QAction* viewSeparator_ = nullptr;  ///< dock toggles go before it
    QAction *start_ = nullptr, *stop_ = nullptr;
    QString datasetPath_;
};

}  // namespace studio
