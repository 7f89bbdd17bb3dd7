#pragma once
/// File > Save Session / Open Session (.rbmsession, core/rbm/session_file.h): the settings and
/// seed, the dataset, the model Start continues from (with its training state), and the
/// dream's drawing, clamp mask and knobs. Opening reads and checks the whole file and the
/// dataset it names first: a damaged, foreign or newer file, or a dataset that is not the one
/// the session was saved with, is refused with the file and the reason and changes nothing.
#include <QObject>
#include <QString>

#include "rbm/session_file.h"
#include "support/background_job.h"

namespace studio {

class MainWindow;
class ModelDocuments;

class SessionDocuments : public QObject {
    Q_OBJECT
public:
    SessionDocuments(MainWindow* window, ModelDocuments* docs);

    /// Idle: the start model with its whole training state (the run continues bit for bit).
    /// While training: the weights on screen, without state. False + lastError() on failure.
    bool saveSession(const QString& path);
    /// Asks first (interactive) if a run would stop. False + lastError() on failure.
    bool openSession(const QString& path);
    QString lastError() const { return lastError_; }

    /// What saveSession would write (tests, and the numbers a teacher sees).
    rbm::Session capture() const;

    static QString fileFilter() { return tr("RBM Studio sessions (*.rbmsession)"); }

private:
    /// What the background read hands back: the session and its images, or why the images
    /// it names cannot be had here (a sentence of its own).
    struct Loaded {
        rbm::Session session;
        rbm::DatasetPair data;
        std::string datasetError;
    };
    void applyDream(const rbm::SessionDream& d);
    void fail(const QString& title, const QString& text);

    MainWindow* window_;
    ModelDocuments* docs_;
    QString lastError_;
    BackgroundJob<Loaded> job_;  ///< last: destroyed (joined) first
};

}  // namespace studio
