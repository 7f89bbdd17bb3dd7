#include "window/session_documents.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSlider>
#include <QSpinBox>
#include <algorithm>
#include <cmath>

#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "support/load_in_background.h"
#include "training/training_controller.h"
#include "training/training_worker.h"
#include "window/main_window.h"
#include "window/model_documents.h"

namespace studio {

namespace {

QString why(const std::exception& e) { return QString::fromUtf8(e.what()); }

/// Where the window says its dataset came from, for the next session and the recent files.
QString datasetPathOf(const rbm::SessionDataset& d) {
    if (d.kind == rbm::SessionDataset::Kind::Embedded) return QStringLiteral("embedded");
    return QString::fromStdString(d.path);
}

}  // namespace

SessionDocuments::SessionDocuments(MainWindow* window, ModelDocuments* docs) : QObject(window), window_(window), docs_(docs) {}

void SessionDocuments::fail(const QString& title, const QString& text) {
    docs_->reportError(title, text);
    lastError_ = text;
}

rbm::Session SessionDocuments::capture() const {
    TrainingController* c = window_->controller();
    rbm::Session s;
    s.config = c->config();
    s.createdBy = QStringLiteral("%1 %2").arg(QCoreApplication::applicationName(), QCoreApplication::applicationVersion()).toStdString();
    if (docs_->trainingData())
        s.dataset = rbm::describeDataset(*docs_->trainingData(), *docs_->testData(), docs_->datasetPath().toStdString());
    if (!c->isActive() && c->startModel()) {
        s.models.push_back({"start model", *c->startModel()});
    } else if (c->isActive() && c->latestSnapshot()) {
        // The worker owns the training state while a run is active; the weights on screen travel.
        rbm::Checkpoint shown;
        shown.model = c->latestSnapshot()->model;
        shown.config = c->latestSnapshot()->config;
        s.models.push_back({"model on screen (no training state)", std::move(shown)});
    }
    for (rbm::SessionModel& m : s.models)
        if (docs_->trainingData()) m.checkpoint.datasetName = docs_->trainingData()->name;
    if (const DreamPanel* dream = window_->panels().dream) {
        const std::vector<float> pixels = dream->drawing(), clamp = dream->clampMask();
        if (!pixels.empty() && pixels.size() == std::size_t(s.dataset.rows) * std::size_t(s.dataset.cols)) {
            rbm::SessionDream sd;
            sd.seed = dream->engine()->seed();
            sd.chains = dream->engine()->chains();
            sd.beta = dream->engine()->beta();
            sd.meanField = dream->engine()->meanField();
            sd.rows = s.dataset.rows;
            sd.cols = s.dataset.cols;
            sd.drawing = pixels;
            if (std::any_of(clamp.begin(), clamp.end(), [](float v) { return v > 0.5f; })) sd.clampMask = clamp;
            s.dream = std::move(sd);
        }
    }
    return s;
}

bool SessionDocuments::saveSession(const QString& path) {
    try {
        rbm::saveSession(path.toStdString(), capture());
    } catch (const std::exception& e) {
        fail(tr("Cannot save session"), tr("The session could not be saved to %1: %2").arg(path, why(e)));
        return false;
    }
    lastError_.clear();
    const bool withState = !window_->controller()->isActive();
    window_->notify(withState ? tr("Saved session %1: opened anywhere, Start continues the same run").arg(QDir::toNativeSeparators(path))
                              : tr("Saved session %1 with the weights on screen (stop training first to keep the run's state)")
                                    .arg(QDir::toNativeSeparators(path)),
                    8000);
    return true;
}

bool SessionDocuments::openSession(const QString& path) {
    // Everything is read and checked before anything changes, off the GUI thread (a session
    // may carry megabytes of images, or name a large dataset): the window keeps painting,
    // --quit-after fires, and a busy dialog with Cancel appears if it takes a while.
    const QString title = tr("Cannot open session");
    const std::string file = QFile::encodeName(path).toStdString();
    QString error;
    std::optional<Loaded> loaded = loadInBackground<Loaded>(
        job_, docs_->dialogParent(), docs_->isInteractive(), tr("Reading the session %1...").arg(QDir::toNativeSeparators(path)),
        [file] {
            Loaded l;
            l.session = rbm::loadSession(file);
            try {
                l.data = rbm::resolveSessionDataset(l.session.dataset);
            } catch (const std::exception& e) {
                l.datasetError = e.what();
            }
            return l;
        },
        &error);
    if (!loaded) {
        fail(title, error);
        return false;
    }
    if (!loaded->datasetError.empty()) {
        fail(title, tr("The session %1 cannot be opened: %2").arg(path, QString::fromStdString(loaded->datasetError)));
        return false;
    }
    rbm::Session s = std::move(loaded->session);
    rbm::DatasetPair data = std::move(loaded->data);
    if (!docs_->confirmStopTraining(tr("Opening a session"))) {
        lastError_ = tr("Opening %1 was cancelled.").arg(path);
        return false;
    }

    TrainingController* c = window_->controller();
    const int rows = data.train.rows, cols = data.train.cols;
    docs_->setDataset(std::move(data), datasetPathOf(s.dataset));
    c->setConfig(s.config);
    SnapshotPtr shown;
    if (!s.models.empty()) {
        rbm::Checkpoint start = s.models.front().checkpoint;
        start.model.imageRows = rows;
        start.model.imageCols = cols;
        auto snapshot = snapshotOf(start);
        snapshot->origin = QFileInfo(path).fileName();
        snapshot->config = s.config;
        c->setStartModel(std::move(start));
        shown = snapshot;
    } else {
        c->setStartModel(std::nullopt);  // Start initialises a new model from the session's seed
        shown = c->previewSnapshot();
    }
    emit docs_->startModelChanged(shown);  // the window shows it from scratch, the dream dreams on it
    if (s.dream) applyDream(*s.dream);
    lastError_.clear();
    window_->notify(tr("Opened session %1: Start continues its run").arg(QDir::toNativeSeparators(path)), 8000);
    return true;
}

void SessionDocuments::applyDream(const rbm::SessionDream& d) {
    DreamPanel* dream = window_->panels().dream;
    if (!dream) return;
    DreamEngine* engine = dream->engine();
    // Through the knobs people see, so that they show the session's values; the engine
    // directly for a value a knob cannot show.
    auto* chains = dream->findChild<QSpinBox*>(QStringLiteral("dreamChains"));
    if (chains && d.chains >= chains->minimum() && d.chains <= chains->maximum()) chains->setValue(d.chains);
    else engine->setChains(std::min(d.chains, int(DreamEngine::kMaxChains)));
    auto* seed = dream->findChild<QSpinBox*>(QStringLiteral("dreamSeed"));
    if (seed && d.seed >= std::uint64_t(seed->minimum()) && d.seed <= std::uint64_t(seed->maximum())) seed->setValue(int(d.seed));
    engine->setSeed(d.seed);
    auto* beta = dream->findChild<QSlider*>(QStringLiteral("dreamBeta"));
    const int position = int(std::lround(d.beta * 100.0f));
    if (beta && position >= beta->minimum() && position <= beta->maximum()) beta->setValue(position);
    engine->setBeta(d.beta);
    auto* meanField = dream->findChild<QCheckBox*>(QStringLiteral("dreamMeanField"));
    if (meanField) meanField->setChecked(d.meanField);
    engine->setMeanField(d.meanField);
    dream->setDrawing(d.drawing, d.clampMask.empty() ? std::vector<float>(d.drawing.size(), 0.0f) : d.clampMask);
}

}  // namespace studio
