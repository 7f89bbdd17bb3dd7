#include "dream/dream_panel.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMimeData>
#include <QScopedValueRollback>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "dream/canvas_controls.h"
#include "dream/chain_views.h"
#include "dream/classifier_trainer.h"
#include "dream/dream_engine.h"
#include "dream/dream_export.h"
#include "dream/dream_image.h"
#include "dream/dream_timeline.h"
#include "dream/dream_views.h"
#include "dream/drawing_canvas.h"
#include "dream/label_controls.h"
#include "dream/typicality_checker.h"

namespace studio {

namespace {
constexpr int kFilmColumns = 20;

// The panel's wrapped notes make a plain grid report height-for-width, and a scroll area then
// sizes the panel by the rows' *preferred* heights at that width (a 1280 x 720 classroom dock
// scrolled although every group fitted at its minimum). The panel is sized by its minimum
// instead; the wrapped notes sit in stretching rows that have the room for their second line.
class MinimumSizedGrid : public QGridLayout {
public:
    using QGridLayout::QGridLayout;
    bool hasHeightForWidth() const override { return false; }
};
}  // namespace

DreamPanel::DreamPanel(QWidget* parent) : QWidget(parent) {
    engine_ = new DreamEngine(this);
    classifier_ = new ClassifierTrainer(this);
    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(33);
    connect(refreshTimer_, &QTimer::timeout, this, &DreamPanel::refresh);

    typicality_ = new TypicalityChecker(this);
    root_ = new MinimumSizedGrid(this);
    root_->setContentsMargins(6, 6, 6, 6);
    root_->setSpacing(6);
    drawBox_ = qobject_cast<QGroupBox*>(buildDrawColumn());
    dreamBox_ = qobject_cast<QGroupBox*>(buildDreamColumn());
    readoutBox_ = qobject_cast<QGroupBox*>(buildReadoutColumn());
    timelineBox_ = qobject_cast<QGroupBox*>(buildTimeline());
    arrange(Arrangement::Full);

    setAcceptDrops(true);
    connect(engine_, &DreamEngine::frameAdded, this, [this] {
        live_ = true;  // only a step moves the chain, and a step shows where it went
        scheduleRefresh();
    });
    connect(engine_, &DreamEngine::hiddenForceChanged, this, &DreamPanel::scheduleRefresh);
    connect(engine_, &DreamEngine::timelineReset, this, [this] {
        energy_->clear(engine_->chains());
        live_ = true;
        focusChain_ = std::min(focusChain_, engine_->chains() - 1);
        scheduleRefresh();
    });
    connect(classifier_, &ClassifierTrainer::classifierReady, this, &DreamPanel::scheduleRefresh);
    connect(typicality_, &TypicalityChecker::rangeReady, this, &DreamPanel::scheduleRefresh);
    connect(classifier_, &ClassifierTrainer::failed, this, [this](const QString& why) { readout_->setUnavailable(why); });
    connect(canvas_, &DrawingCanvas::imageChanged, this, &DreamPanel::onCanvasImageChanged);
    connect(canvas_, &DrawingCanvas::clampChanged, this, [this] {
        engine_->setClampMask(canvas_->clampMask());
        scheduleRefresh();
    });
}

DreamPanel::~DreamPanel() = default;

// --------------------------------------------------------------------------------- model, data

void DreamPanel::setModel(std::shared_ptr<const rbm::Rbm> model) {
    if (!model) {
        engine_->setModel(nullptr);
        model_.reset();
        return;
    }
    const Grid grid = visibleGrid(*model, starts_.testSet());
    const bool newGrid = !model_ || model_->nVisible() != model->nVisible() || grid.rows != grid_.rows || grid.cols != grid_.cols;
    model_ = model;
    engine_->setModel(model);
    labels_->setLabelCount(model->hasLabels() ? model->nLabels() : 0);
    engine_->setClampedLabel(labels_->chosenClass());
    updateReadoutVisibility();
    feedJudges();
    if (newGrid) {
        grid_ = grid;
        startPicked_ = false;
        const QScopedValueRollback<bool> own(loadingStart_, true);
        canvas_->setGridSize(grid.rows, grid.cols);
    }
    // The first model (or one of another size) starts from a test digit on its own, paused.
    const bool started = !startPicked_ && loadStart(starts_.randomTestDigit(grid_));
    if (newGrid && !started) restart();  // from the blank grid
    scheduleRefresh();
}

// The judges retrain in the background whenever training has moved the model on, each a full
// pass over thousands of digits: a panel nobody sees (behind another tab of the window) leaves
// that core to training and catches up when it is shown.
void DreamPanel::feedJudges() {
    if (!model_ || (!isVisible() && window()->isVisible())) return;
    classifier_->setModel(model_);
    typicality_->setModel(model_);
}

void DreamPanel::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    feedJudges();
}

void DreamPanel::setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    train_ = train;
    typicality_->setHeldOut(test && !test->empty() ? test : train);  // as the test digits are picked
    starts_.setDatasets(std::move(train), std::move(test));
    classifier_->setDataset(train_);
    controls_->setTestSet(starts_.testCount(), starts_.hasLabels());
    updateReadoutVisibility();
    if (model_ && !startPicked_) loadStart(starts_.randomTestDigit(grid_));
    scheduleRefresh();
}

void DreamPanel::updateReadoutVisibility() {
    // Classes need labelled digits (for the p(h|v) classifier) or the model's own label units.
    readout_->setVisible((train_ && train_->hasLabels()) || (model_ && model_->hasLabels()));
}

// -------------------------------------------------------------------------------- start images

bool DreamPanel::loadStart(const std::optional<DreamStart>& start) {
    if (!start || !model_) return false;
    startPicked_ = true;
    if (start->testIndex >= 0) controls_->showTestIndex(start->testIndex);
    {
        // Regression (issue 10): the canvas's imageChanged used to restart the dream, and then
        // the start restarted it again. The panel's own load restarts exactly once, below, also
        // when the canvas already showed this image.
        const QScopedValueRollback<bool> own(loadingStart_, true);
        canvas_->setImage(start->pixels, start->description);
    }
    restart();
    return true;
}

std::vector<float> DreamPanel::drawing() const { return canvas_->pixels(); }
std::vector<float> DreamPanel::clampMask() const { return canvas_->clampMask(); }

bool DreamPanel::setDrawing(const std::vector<float>& pixels, const std::vector<float>& clampMask) {
    if (!model_ || static_cast<int>(pixels.size()) != model_->nVisible() || pixels.size() != canvas_->pixels().size()) return false;
    DreamStart start;
    start.pixels = pixels;
    start.description = tr("Load drawing");
    if (!loadStart(start)) return false;
    if (clampMask.size() == pixels.size()) canvas_->setClampMask(clampMask);
    return true;
}

void DreamPanel::restart() {
    engine_->setStartImage(canvas_->pixels());
    engine_->reset();
    status_->setText(tr("Start: %1").arg(canvas_->describeImage()));
}

void DreamPanel::onCanvasImageChanged() {
    if (loadingStart_ || !model_) return;
    // A person's stroke, undo, redo or clear: the drawing is the new start, and they want to
    // see it dream (issue 11: it used to restart paused).
    restart();
    play();
}

void DreamPanel::setTrainingConfig(const rbm::TrainingConfig* config) {
    if (config)
        config_ = *config;
    else
        config_.reset();
    updateNote();
}

void DreamPanel::updateNote() {
    // Decelle, Furtlehner and Seoane (NeurIPS 2021): a model trained with short chains started
    // at the data is fitted out of equilibrium; its long-run chains drift to something else.
    if (config_ && config_->algorithm == rbm::Algorithm::CD) {
        note_->setText(tr("CD-%1 model: a long dream is not a sample of this model (Decelle et al., NeurIPS 2021).").arg(config_->k));
        note_->setToolTip(tr("Trained by contrastive divergence with %1-step chains started at the data, the model is "
                             "right about short chains only: after many steps the dream drifts away from what it learnt. "
                             "A model trained with persistent chains (PCD) dreams closer to its own distribution.")
                              .arg(config_->k));
        // Mini has one line of room under the dream: the note is the dream's tooltip there.
        const bool below = arrangement_ != Arrangement::Mini;
        note_->setVisible(below);
        dreamBox_->setToolTip(below ? QString() : note_->text() + QStringLiteral("\n") + note_->toolTip());
    } else {
        note_->clear();
        note_->hide();
        dreamBox_->setToolTip(QString());
    }
}

QString DreamPanel::noteText() const { return note_->text(); }

void DreamPanel::setClassSource(ClassSource source, const QString& description) {
    classSource_ = std::move(source);
    classSourceName_ = description;
    scheduleRefresh();
}


bool DreamPanel::startFromTestDigit(int index) { return loadStart(starts_.testDigit(index, grid_)); }
bool DreamPanel::startFromTestClass(int digitClass) { return loadStart(starts_.randomOfClass(digitClass, grid_)); }
void DreamPanel::startFromRandomTestDigit() { loadStart(starts_.randomTestDigit(grid_)); }
void DreamPanel::startFromNoise() { loadStart(starts_.noise(grid_)); }

bool DreamPanel::startFromImageFile(const QString& path, QString* error) {
    QString why;
    if (loadStart(starts_.imageFile(path, grid_, &why))) return true;
    if (!why.isEmpty()) status_->setText(why);
    if (error) *error = why;
    return false;
}

void DreamPanel::dragEnterEvent(QDragEnterEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile()) event->acceptProposedAction();
}

void DreamPanel::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile() && startFromImageFile(urls.front().toLocalFile())) {
        event->acceptProposedAction();
        play();
    }
}

// ------------------------------------------------------------------------------------ controls

void DreamPanel::play() {
    live_ = true;
    if (engine_->frames().size() == 0) engine_->reset();
    engine_->play();
}

void DreamPanel::pause() { engine_->pause(); }

void DreamPanel::toggleHiddenUnit(int unit) { engine_->toggleHiddenUnit(unit); }

QPointF DreamPanel::hiddenUnitPosition(int unit) const { return views_->hiddenUnitPosition(unit); }
PixelView* DreamPanel::dreamView() const { return views_->dreamView(); }
PixelView* DreamPanel::hiddenView() const { return views_->hiddenView(); }
PixelView* DreamPanel::chainsView() const { return views_->chainsView(); }

QString DreamPanel::statusText() const { return status_->text(); }

QSlider* DreamPanel::timeline() const { return timeline_->slider(); }

void DreamPanel::onTimelineMoved(int value) {
    live_ = value >= static_cast<int>(engine_->frames().size()) - 1;
    if (!live_) engine_->pause();  // looking back: hold the chain where it is
    scheduleRefresh();
}

// ------------------------------------------------------------------------------------- display

bool DreamPanel::refreshPending() const { return refreshTimer_->isActive(); }

void DreamPanel::scheduleRefresh() {
    if (!refreshTimer_->isActive()) refreshTimer_->start();
}

int DreamPanel::currentFrameIndex() const {
    const int n = static_cast<int>(engine_->frames().size());
    if (n == 0) return -1;
    return live_ ? n - 1 : std::clamp(timeline_->slider()->value(), 0, n - 1);
}

int DreamPanel::followedChain(const DreamFrame& f) const { return std::clamp(focusChain_, 0, f.chains - 1); }

void DreamPanel::refresh() {
    const FrameRing& frames = engine_->frames();
    const int n = static_cast<int>(frames.size());
    if (n == 0) return;
    energy_->follow(frames);
    const int index = currentFrameIndex();
    const DreamFrame& f = frames.at(static_cast<std::size_t>(index));
    timeline_->showPosition(index, n, f.step(), live_);
    views_->show(f, followedChain(f), model_.get(), engine_->hiddenForces(), engine_->meanField(), grid_.rows, grid_.cols);
    updateReadout(f);
    energy_->setMarker(f.step());
    energy_->replot();
    // As many columns as fit the strip at twice the grid size (crisp, readable).
    if (timeline_->showsFilmstrip())
        timeline_->setFilmstrip(filmstripImage(2, true, false, std::clamp(timeline_->filmColumnsThatFit(grid_.cols), 4, kFilmColumns)));
}

std::vector<float> DreamPanel::classProbabilities(const DreamFrame& f, int chain) const {
    if (classSource_) {
        std::vector<float> p = classSource_(f, chain);
        if (!p.empty()) return p;
    }
    if (f.nLabels > 0) return f.labelProbabilities(chain);
    const auto c = classifier_->classifier();
    if (!c || c->features() != f.nHidden) return {};
    std::vector<float> x(static_cast<std::size_t>(f.nHidden));
    const std::uint8_t* hp = f.hiddenProb(chain);
    for (std::size_t j = 0; j < x.size(); ++j) x[j] = hp[j] / 255.0f;
    return c->predictOne(x.data(), f.nHidden);
}

std::vector<float> DreamPanel::currentClassProbabilities() const {
    const int index = currentFrameIndex();
    if (index < 0) return {};
    const DreamFrame& f = engine_->frames().at(static_cast<std::size_t>(index));
    return classProbabilities(f, followedChain(f));
}

void DreamPanel::updateReadout(const DreamFrame& f) {
    const int chain = followedChain(f);
    // Typicality first: it needs no labels, and a frame no digit resembles has no class.
    const rbm::TypicalityRange range = model_ ? typicality_->rangeFor(*model_) : rbm::TypicalityRange{};
    double energy = chain < static_cast<int>(f.freeEnergy.size()) ? f.freeEnergy[static_cast<std::size_t>(chain)] : 0.0;
    // Judged under the model the range was measured on, whatever computed the frame's own F(v):
    // the range lags a training run, and a paused dream keeps frames of an older model.
    if (range.valid() && chain < f.chains) energy = typicality_->measuredFreeEnergy(f.visible(chain), f.nVisible);
    const bool atypical = range.valid() && !range.contains(energy);
    const bool labelled = (train_ && train_->hasLabels()) || f.nLabels > 0;
    if (!labelled && !classSource_ && !atypical) return;
    std::vector<float> probs = classSource_ ? classSource_(f, chain) : std::vector<float>{};
    const bool fromSource = !probs.empty();
    if (!fromSource) probs = classProbabilities(f, chain);
    QString source = fromSource && !classSourceName_.isEmpty() ? classSourceName_ : tr("logistic regression on p(h|v)");
    if (!fromSource && f.nLabels > 0) {
        source = f.clampedLabel >= 0 ? tr("the model's own p(label|v), labels held at %1").arg(f.clampedLabel)
                                     : tr("the model's own p(label|v), exact");
    }
    readout_->setQuantity(!fromSource && f.nLabels > 0 ? QStringLiteral("p(label | v)") : QStringLiteral("p(class | h)"));
    if (atypical) {
        const QString why = tr("F(v) = %1, outside %2 .. %3 (%4% of held-out digits)")
                                .arg(energy, 0, 'f', 0)
                                .arg(range.low, 0, 'f', 0)
                                .arg(range.high, 0, 'f', 0)
                                .arg(range.coverage * 100.0, 0, 'f', 0);
        readout_->setNotDigitLike(probs, why, probs.empty() ? QString() : tr("grey bars: %1, chain %2").arg(source).arg(chain + 1));
        return;
    }
    if (probs.empty()) {
        readout_->setUnavailable(classifier_->busy() || !classifier_->classifier()
                                     ? tr("training a classifier on p(h|v) of labelled digits...")
                                     : tr("retraining for the new model..."));
        return;
    }
    readout_->setProbabilities(probs, tr("%1, chain %2").arg(source).arg(chain + 1));
}

// -------------------------------------------------------------------------------------- export

QImage DreamPanel::filmstripImage(int scale, bool labels, bool allChains, int maxColumns) const {
    const FrameRing& frames = engine_->frames();
    if (frames.size() == 0) return {};
    const int first = allChains ? 0 : followedChain(frames.newest());
    const int chains = allChains ? std::min(4, frames.newest().chains) : 1;
    return studio::filmstripImage(frames, {grid_.rows, grid_.cols, currentFrameIndex(), timeline_->filmInterval(), first, chains,
                                           scale, labels, maxColumns});
}

bool DreamPanel::exportFilmstrip(const QString& path, QString* error) const {
    return savePngAtomically(filmstripImage(3, true, true, kFilmColumns), path, error);
}

bool DreamPanel::exportGif(const QString& path, int maxFrames, QString* error) const {
    return saveDreamGif(engine_->frames(), grid_.rows, grid_.cols, engine_->stepsPerSecond(), path, maxFrames, error);
}

void DreamPanel::exportInteractive(bool gif) {
    const QString path = gif ? QFileDialog::getSaveFileName(this, tr("Export the dream as an animation"),
                                                            QStringLiteral("dream.gif"), tr("Animated GIF (*.gif)"))
                             : QFileDialog::getSaveFileName(this, tr("Export filmstrip"), QStringLiteral("dream-filmstrip.png"),
                                                            tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = gif ? exportGif(path, 400, &error) : exportFilmstrip(path, &error);
    status_->setText(ok ? tr("Saved %1").arg(QDir::toNativeSeparators(path)) : tr("Could not write %1").arg(error));
}

}  // namespace studio
