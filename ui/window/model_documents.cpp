#include "window/model_documents.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPixmap>

#include "dream/save_file.h"
#include "imaging/dataset_preview.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset_files.h"
#include "rbm/dataset_summary.h"
#include "rbm/memory_limits.h"
#include "rbm/metrics_csv.h"
#include "support/load_in_background.h"
#include "training/training_controller.h"
#include "training/training_worker.h"

namespace studio {

namespace {
const QString kEmbedded = QStringLiteral("embedded");
QString native(const QString& path) { return QDir::toNativeSeparators(path); }
}  // namespace

ModelDocuments::ModelDocuments(TrainingController* controller, QWidget* dialogParent, bool interactive)
    : QObject(dialogParent), controller_(controller), dialogParent_(dialogParent), interactive_(interactive) {}

void ModelDocuments::reportError(const QString& title, const QString& text) {
    lastError_ = text;
    emit message(text, 10000);
    if (!interactive_) {
        qWarning("%s: %s", qPrintable(title), qPrintable(text));
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, dialogParent_);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // never blocks: training goes on behind it
}

bool ModelDocuments::confirmStopTraining(const QString& what) {
    if (!controller_->isActive()) return true;
    if (interactive_) {
        const auto answer = QMessageBox::question(
            dialogParent_, tr("Training is running"),
            tr("%1 stops the training run (its checkpoints stay in %2). Continue?").arg(what, native(controller_->runDirectory())));
        if (answer != QMessageBox::Yes) return false;
    }
    controller_->stop();
    return true;
}

void ModelDocuments::setDataset(rbm::DatasetPair pair, const QString& path) {
    train_ = std::make_shared<const rbm::Dataset>(std::move(pair.train));
    test_ = std::make_shared<const rbm::Dataset>(std::move(pair.test));
    datasetPath_ = path;
    controller_->setData(train_, test_);
    emit datasetChanged();
}

std::optional<rbm::DatasetPair> ModelDocuments::loadDataset(const QString& path, QString* error) {
    const std::string file = path == kEmbedded ? std::string() : QFile::encodeName(path).toStdString();
    const rbm::TrainingConfig config = controller_->config();
    std::optional<OpenedDataset> opened = loadInBackground<OpenedDataset>(datasetJob_, dialogParent_, interactive_, tr("Reading the dataset %1...").arg(native(path)),
        [file, config] {
            OpenedDataset o = loadAnyDataset(file);
            // The model shown for it must fit too (a 4096 x 4096 image with 500 hidden units: 33.5 GB).
            rbm::checkTrainingFits(config, o.pair.train.pixelsPerImage(), o.pair.train.count, file.empty() ? "the embedded digits" : file);
            return o;
        },
        error);
    if (!opened) return std::nullopt;
    datasetNotes_ = std::move(opened->notes);
    return std::move(opened->pair);
}

void ModelDocuments::showDatasetSummary(const QString& path) {
    QString text = QString::fromStdString(train_->name) + QStringLiteral(": ") + QString::fromStdString(rbm::describeDataset(*train_));
    if (test_ && !test_->empty()) text += tr("; %1 held-out examples").arg(test_->count);
    QString notes;
    for (const std::string& n : datasetNotes_) notes += QStringLiteral("\n") + QString::fromStdString(n);
    datasetSummary_ = text + notes;
    done(text);
    if (!interactive_) return;
    auto* box = new QMessageBox(QMessageBox::Information, tr("Dataset opened"), native(path) + QStringLiteral("\n\n") + datasetSummary_,
                                QMessageBox::Ok, dialogParent_);
    const QImage preview = datasetPreview(*train_);
    if (!preview.isNull()) box->setIconPixmap(QPixmap::fromImage(preview));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // never blocks
}

std::optional<rbm::Checkpoint> ModelDocuments::loadCheckpoint(const QString& path, QString* error) {
    const std::string file = QFile::encodeName(path).toStdString();
    return loadInBackground<rbm::Checkpoint>(modelJob_, dialogParent_, interactive_, tr("Reading the model %1...").arg(native(path)),
                                             [file] { return rbm::loadCheckpoint(file); }, error);
}

void ModelDocuments::openInitialDataset(const QString& path) {
    if (!path.isEmpty() && path != kEmbedded) {
        QString error;
        if (std::optional<rbm::DatasetPair> pair = loadDataset(path, &error)) {
            setDataset(std::move(*pair), path);
            return;
        }
        reportError(tr("Cannot open dataset"), tr("The dataset %1 could not be opened: %2\nThe embedded digits are used instead.").arg(path, error));
    }
    setDataset(rbm::loadEmbeddedMnist(), kEmbedded);
}

bool ModelDocuments::openDataset(const QString& path) {
    QString error;
    std::optional<rbm::DatasetPair> loaded = loadDataset(path, &error);
    if (!loaded) {
        reportError(tr("Cannot open dataset"), tr("The dataset %1 could not be opened: %2").arg(path, error));
        return false;
    }
    rbm::DatasetPair pair = std::move(*loaded);
    if (!confirmStopTraining(tr("Opening another dataset"))) return false;
    const bool sameShape = train_ && pair.train.pixelsPerImage() == train_->pixelsPerImage();
    setDataset(std::move(pair), path);
    showDatasetSummary(path);
    if (path != kEmbedded) emit fileUsed(path);
    // A start model of another image size was dropped: show the new model it starts from.
    if (!sameShape || !controller_->startModel()) emit startModelChanged(controller_->previewSnapshot());
    return true;
}

bool ModelDocuments::openModel(const QString& path) { return adoptCheckpoint(path, Adopt::Open, {}); }

bool ModelDocuments::restoreCheckpoint(const QString& path, const std::vector<rbm::RunEntry>& run) {
    return adoptCheckpoint(path, Adopt::Restore, run);
}

bool ModelDocuments::adoptCheckpoint(const QString& path, Adopt how, const std::vector<rbm::RunEntry>& run) {
    const QString title = how == Adopt::Open ? tr("Cannot open model") : tr("Cannot restore checkpoint");
    QString error;
    std::optional<rbm::Checkpoint> loaded = loadCheckpoint(path, &error);
    if (!loaded) {
        reportError(title, tr("The file %1 could not be read: %2").arg(path, error));
        return false;
    }
    rbm::Checkpoint c = std::move(*loaded);
    if (train_ && c.model.nVisible() != train_->pixelsPerImage()) {
        reportError(title, tr("The model %1 has %2 visible units but the images of the dataset %3 have %4 pixels (%5x%6). "
                       "Open a matching dataset first.")
                        .arg(path).arg(c.model.nVisible()).arg(QString::fromStdString(train_->name))
                        .arg(train_->pixelsPerImage()).arg(train_->rows).arg(train_->cols));
        return false;
    }
    if (!confirmStopTraining(how == Adopt::Open ? tr("Opening a model") : tr("Restoring a checkpoint"))) return false;
    if (train_) {
        c.model.imageRows = train_->rows;
        c.model.imageCols = train_->cols;
    }
    if (how == Adopt::Open) controller_->setConfig(c.config);
    auto s = snapshotOf(c);
    s->origin = QFileInfo(path).fileName();
    TrainingController::StartRun from;
    if (how == Adopt::Restore) {
        // The curves up to the restored epoch stay, and training from here goes on in the same
        // run folder (its later epochs move aside): metrics.csv has every epoch, the
        // checkpoints' meta only those still on disk.
        const std::int64_t epoch = c.state ? c.state->counters.epoch : s->counters.epoch;
        from.dir = QFileInfo(path).absolutePath();
        from.history = rbm::readMetricsCsv(QDir(from.dir).filePath(QStringLiteral("metrics.csv")).toStdString(), epoch);
        if (from.history.empty())
            for (const rbm::RunEntry& e : run)
                if (e.hasMetrics && e.metrics.epoch <= epoch) from.history.push_back(e.metrics);
        s->epochMetrics = from.history;
        s->runDir = from.dir;
    }
    controller_->setStartModel(std::move(c), std::move(from));
    s->config.epochs = int(controller_->plannedEpochs());
    emit startModelChanged(s);
    if (how == Adopt::Open) {
        emit fileUsed(path);
        done(tr("Opened %1: Start continues training it").arg(native(path)));
    } else {
        done(tr("Restored %1: Start continues from it").arg(QFileInfo(path).fileName()));
    }
    return true;
}

bool ModelDocuments::saveModel(const QString& path, const SnapshotPtr& shown) {
    rbm::Checkpoint c;
    if (!controller_->isActive() && controller_->startModel()) {
        c = *controller_->startModel();  // model + training state: training can resume from it
    } else if (shown) {
        c.model = shown->model;  // while training: the newest model shown
        c.config = shown->config;
        if (!shown->epochMetrics.empty()) c.metrics = shown->epochMetrics.back();
    } else {
        reportError(tr("Cannot save model"), tr("There is no model to save yet."));
        return false;
    }
    if (train_) c.datasetName = train_->name;
    try {
        rbm::saveCheckpoint(path.toStdString(), c);
    } catch (const std::exception& e) {
        reportError(tr("Cannot save model"), tr("The model could not be saved to %1: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    emit fileUsed(path);
    emit message(tr("Saved %1").arg(native(path)), 6000);
    return true;
}

bool ModelDocuments::exportPng(const QString& path, const QImage& image, const QString& what) {
    const QString title = tr("Cannot export %1").arg(what);
    if (image.isNull()) {
        reportError(title, tr("There are no %1 to export yet.").arg(what));
        return false;
    }
    QString error;  // atomic and checked: a full disk keeps the previous file
    if (!saveImageAtomically(path, image, "PNG", &error)) {
        reportError(title, error);
        return false;
    }
    emit message(tr("Exported %1").arg(native(path)), 6000);
    return true;
}

bool ModelDocuments::exportMetricsCsv(const QString& path, const std::vector<rbm::EpochMetrics>& metrics) {
    std::string text = rbm::RunFolder::metricsCsvHeader() + "\n";
    for (const rbm::EpochMetrics& m : metrics) text += rbm::RunFolder::metricsCsvRow(m) + "\n";
    QString error;
    if (!saveFileAtomically(path, QByteArray(text.data(), qsizetype(text.size())), &error)) {
        reportError(tr("Cannot export metrics"), error);
        return false;
    }
    emit message(tr("Exported %1").arg(native(path)), 6000);
    return true;
}

}  // namespace studio
