#include "window/studio_menus.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <algorithm>

#include "rbm/npz.h"
#include "window/shortcuts.h"

namespace studio {

StudioMenus::StudioMenus(QMainWindow* window, TrainingController* controller, Shortcuts* keys)
    : QObject(window), window_(window), keys_(keys) {
    createFileMenu();
    createTrainingMenu(controller);
    createViewMenu();
    createHelpMenu();
    setRecentFiles({});
    setTrainingState(TrainingController::State::Idle);
}

QString StudioMenus::askSavePath(const QString& title, const QString& name, const QString& filter) {
    return QFileDialog::getSaveFileName(window_, title, name, filter);
}

QString StudioMenus::askModelSavePath() {
    return askSavePath(tr("Save model"), QStringLiteral("model.npz"), tr("RBM checkpoints (*.npz)"));
}

void StudioMenus::createFileMenu() {
    QStyle* style = window_->style();
    QMenu* file = file_ = window_->menuBar()->addMenu(tr("&File"));
    const QString group = tr("File");
    QAction* a = file->addAction(tr("Open &dataset folder..."), this, [this] {
        const QString start = datasetPath_ == QLatin1String("embedded") ? QString() : datasetPath_;
        const QString dir = QFileDialog::getExistingDirectory(window_, tr("Open dataset folder (IDX files, or PNG / JPEG pictures: one subfolder per class)"), start);
        if (!dir.isEmpty()) emit openDatasetRequested(dir);
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    keys_->add(group, a);
    // Files a folder dialog cannot pick: CSV, NumPy arrays and single IDX files (imaging/open_dataset.h).
    file->addAction(tr("Open dataset &file..."), this, [this] {
        const QString f = QFileDialog::getOpenFileName(window_, tr("Open dataset file"), QString(),
                                                       tr("Datasets (*.csv *.npy *.npz *-ubyte *-ubyte.gz);;All files (*)"));
        if (!f.isEmpty()) emit openDatasetRequested(f);
    });
    file->addAction(tr("Use the &embedded digits"), this, [this] { emit openDatasetRequested(QStringLiteral("embedded")); });
    file->addAction(tr("Dra&w a dataset..."), this, &StudioMenus::drawDatasetRequested);
    file->addAction(tr("&Compare runs..."), this, &StudioMenus::compareRunsRequested);
    a = file->addAction(style->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open model..."), this, [this] {
        const QString f = QFileDialog::getOpenFileName(window_, tr("Open model"), QString(), tr("RBM checkpoints (*.npz)"));
        if (!f.isEmpty()) emit openModelRequested(f);
    });
    a->setShortcut(QKeySequence::Open);
    keys_->add(group, a);
    a = file->addAction(style->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save model as..."), this, [this] {
        const QString f = askModelSavePath();
        if (!f.isEmpty()) emit saveModelRequested(f);
    });
    a->setShortcut(QKeySequence::Save);
    keys_->add(group, a);
    file->addSeparator();
    // Sessions (session_documents.h): settings, seed, data, model and dream in one file to mail.
    file->addAction(tr("Open sess&ion..."), this, [this] {
        const QString f = QFileDialog::getOpenFileName(window_, tr("Open session"), QString(), tr("RBM Studio sessions (*.rbmsession)"));
        if (!f.isEmpty()) emit openSessionRequested(f);
    });
    file->addAction(tr("Save session &as..."), this, [this] {
        const QString f = askSavePath(tr("Save session"), QStringLiteral("class.rbmsession"), tr("RBM Studio sessions (*.rbmsession)"));
        if (!f.isEmpty()) emit saveSessionRequested(f);
    });
    file->addSeparator();
    a = file->addAction(tr("Export filter grid as &PNG..."), this, [this] {
        const QString f = askSavePath(tr("Export filter grid"), QStringLiteral("filters.png"), tr("PNG images (*.png)"));
        if (!f.isEmpty()) emit exportFilterGridRequested(f);
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    keys_->add(group, a);
    file->addAction(tr("Export &metrics as CSV..."), this, [this] {
        const QString f = askSavePath(tr("Export metrics"), QStringLiteral("metrics.csv"), tr("CSV files (*.csv)"));
        if (!f.isEmpty()) emit exportMetricsRequested(f);
    });
    file->addSeparator();
    recent_ = file->addMenu(tr("&Recent files"));
    file->addSeparator();
    a = file->addAction(tr("&Quit"), window_, &QWidget::close);
    a->setShortcut(QKeySequence::Quit);
    keys_->add(group, a);
}

void StudioMenus::createTrainingMenu(TrainingController* c) {
    QStyle* style = window_->style();
    QMenu* train = train_ = window_->menuBar()->addMenu(tr("&Training"));
    const QString group = tr("Training");
    start_ = train->addAction(style->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), c, &TrainingController::start);
    start_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    keys_->add(group, start_);
    QAction* a = train->addAction(style->standardIcon(QStyle::SP_MediaPause), tr("Start / &Pause / Resume"), c,
                                  &TrainingController::togglePause);
    a->setShortcut(QKeySequence(Qt::Key_Space));
    keys_->add(group, a);
    a = train->addAction(style->standardIcon(QStyle::SP_MediaSkipForward), tr("S&tep one batch"), c, &TrainingController::step);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    keys_->add(group, a);
    stop_ = train->addAction(style->standardIcon(QStyle::SP_MediaStop), tr("St&op"), c, &TrainingController::stop);
    stop_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    keys_->add(group, stop_);
    a = train->addAction(style->standardIcon(QStyle::SP_BrowserReload), tr("&Reset (new model)"), this, &StudioMenus::resetModelRequested);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    keys_->add(group, a);
}

void StudioMenus::createViewMenu() {
    view_ = window_->menuBar()->addMenu(tr("&View"));
    const QString group = tr("View");
    viewSeparator_ = view_->addSeparator();
    view_->addAction(tr("Reset &layout"), this, &StudioMenus::resetLayoutRequested);
    QAction* a = view_->addAction(tr("&Full screen"), this,
                                  [this] { window_->setWindowState(window_->windowState() ^ Qt::WindowFullScreen); });
    a->setShortcuts({QKeySequence(Qt::Key_F11), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F)});
    keys_->add(group, a);
    // The filters' own toolbar, from the keyboard.
    a = view_->addAction(tr("Per-tile contrast"), this, &StudioMenus::perTileContrastToggled);
    a->setCheckable(true);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    keys_->add(group, a);
}

void StudioMenus::createHelpMenu() {
    help_ = window_->menuBar()->addMenu(tr("&Help"));
    QAction* a = help_->addAction(tr("&Keys..."), this, &StudioMenus::keyReferenceRequested);
    a->setShortcuts({QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)});
    keys_->add(tr("Help"), a);
    help_->addSeparator();
    help_->addAction(tr("&About RBM Studio"), this, [this] {
        QMessageBox::about(window_, tr("About RBM Studio"),
                           tr("<b>RBM Studio</b><p>Train and look inside Restricted Boltzmann Machines.</p>"
                              "<p>Space: start / pause &middot; F1: every key</p>"));
    });
}

void StudioMenus::addDockToggle(QDockWidget* dock) { view_->insertAction(viewSeparator_, dock->toggleViewAction()); }

namespace {
/// An .npz is a model when it holds a weight matrix "W" (checkpoint.h), else a dataset (a drawn
/// one, keras' mnist.npz). Only the archive's directory is read. One that cannot be read goes to
/// Open model, which names the file and the reason.
bool isModelFile(const QString& path) {
    if (!path.endsWith(QLatin1String(".npz"), Qt::CaseInsensitive)) return false;
    try {
        const std::vector<std::string> names = rbm::NpzReader(QFile::encodeName(path).toStdString()).names();
        return std::find(names.begin(), names.end(), "W") != names.end();
    } catch (const std::exception&) {
        return true;
    }
}
}  // namespace

void StudioMenus::setRecentFiles(const QStringList& paths) {
    recent_->clear();
    for (const QString& p : paths) {
        recent_->addAction(QDir::toNativeSeparators(p), this, [this, p] {
            if (isModelFile(p)) emit openModelRequested(p);
            else emit openDatasetRequested(p);
        });
    }
    recent_->setEnabled(!paths.isEmpty());
}

void StudioMenus::setTrainingState(TrainingController::State s) {
    start_->setEnabled(s == TrainingController::State::Idle);
    stop_->setEnabled(s != TrainingController::State::Idle);
}

}  // namespace studio
