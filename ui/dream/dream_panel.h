#pragma once
/// The dream panel: draw a digit (or pick a test digit, an image file, noise) and watch block
/// Gibbs sampling evolve it on the model that is training right now. Shows p(v|h) beside the
/// sampled state, the hidden layer and its most active filters, a timeline with a filmstrip,
/// the free energy of each chain and "which digit is it now". Hidden units can be forced on/off.
///
/// Entry points for the main window: setModel (every snapshot, or a loaded checkpoint),
/// setDatasets, and the toggleHiddenUnit slot (the filter grid's unitClicked).
///
/// Layout (panel_arrangement.h): three columns (draw | dream | what the model thinks) over the
/// timeline when there is room, with every view (Full) or without the secondary ones (Stage:
/// the Dream view of a 1280 x 720 or 1600 x 1000 window); in a small dock (the studio's normal
/// layout) a compact arrangement in two columns that keeps the canvas, the dream, "which digit
/// is it now" and the filmstrip without scroll bars (dream_panel_layout.cpp chooses the richest
/// arrangement whose minimum size fits the space the panel is given).
///
/// The readout names a class only for a digit-like frame: TypicalityChecker measures, per
/// model and off the GUI thread, the free-energy range of 99% of the held-out digits, and a
/// frame outside it is "not digit-like". The class probabilities come from a logistic
/// regression on p(h|v), from a ClassSource set by the caller, or, for a model with label
/// units, from the model's own exact p(label|v) of the frame on screen (core's labelPosterior,
/// kept in every frame by the engine). Such a model also gets "Dream a K" (LabelControls):
/// the label units held at K while the dream runs.
///
/// The panel lays out and connects; the work lives beside it: DreamEngine samples,
/// StartSources says where a dream can start (CanvasControls holds its buttons), frame_images draws
/// the chains, DreamTimeline runs and rewinds, dream_export saves the filmstrip and the GIF.
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "dream/frame_ring.h"
#include "dream/panel_arrangement.h"
#include "dream/start_sources.h"
#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/training_config.h"

class QGridLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QSlider;
class QTimer;

namespace studio {

class CanvasControls;
class ChainViews;
class ClassifierTrainer;
class ClassReadout;
class DrawingCanvas;
class DreamEngine;
class DreamTimeline;
class FreeEnergyPlot;
class LabelControls;
class PixelView;
class TemperingControls;
class TypicalityChecker;

/// Class probabilities of chain `chain` of a frame (empty: none for this frame).
using ClassSource = std::function<std::vector<float>(const DreamFrame& frame, int chain)>;

class DreamPanel : public QWidget {
    Q_OBJECT
public:
    explicit DreamPanel(QWidget* parent = nullptr);
    ~DreamPanel() override;

    /// The model to dream on; called with every new snapshot while training runs. The chains
    /// keep their state and continue on the new weights.
    void setModel(std::shared_ptr<const rbm::Rbm> model);
    /// Test digits come from `test` (or `train` if it is empty); the classifier learns from `train`.
    void setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test);
    /// How the model was trained (null: unknown). A model trained by CD (short chains from the
    /// data) gets one line saying a long dream is not a sample of it (Decelle et al. 2021).
    void setTrainingConfig(const rbm::TrainingConfig* config);
    /// The readout's class probabilities from `source` instead of the p(h|v) classifier while
    /// it returns any (`description` names it under the bars); an empty source restores it.
    void setClassSource(ClassSource source, const QString& description);

    /// The drawing (nVisible values in [0,1]) and its clamp mask (> 0.5 = clamped).
    std::vector<float> drawing() const;
    std::vector<float> clampMask() const;
    /// Puts a drawing (and a clamp mask, if given) on the canvas as one undoable edit and
    /// restarts the dream from it (paused). False if the size does not match the model.
    bool setDrawing(const std::vector<float>& pixels, const std::vector<float>& clampMask = {});
    DreamEngine* engine() const { return engine_; }
    DrawingCanvas* canvas() const { return canvas_; }
    ClassReadout* readout() const { return readout_; }
    ClassifierTrainer* classifierTrainer() const { return classifier_; }
    FreeEnergyPlot* freeEnergyPlot() const { return energy_; }
    TypicalityChecker* typicality() const { return typicality_; }
    TemperingControls* temperingControls() const;
    QPushButton* playButton() const;
    LabelControls* labelControls() const { return labels_; }
    /// The arrangement on screen.
    Arrangement arrangement() const { return arrangement_; }
    /// A refresh of the views and the readout is scheduled and has not run yet.
    bool refreshPending() const;
    /// The note on the dream ("CD-1 model: ..."; under it, or its tooltip in Mini), empty if none.
    QString noteText() const;
    PixelView* dreamView() const;
    PixelView* hiddenView() const;
    PixelView* chainsView() const;
    QSlider* timeline() const;
    /// Where hidden unit `unit` is drawn in hiddenView()'s image (pixel coordinates).
    QPointF hiddenUnitPosition(int unit) const;

    /// Start images: each loads into the canvas as one undoable edit and restarts the dream once
    /// (paused; the panel's own buttons also play it). False if there is no such start.
    bool startFromTestDigit(int index);
    bool startFromTestClass(int digitClass);  ///< a random test digit of that class
    void startFromRandomTestDigit();
    bool startFromImageFile(const QString& path, QString* error = nullptr);
    void startFromNoise();

    /// Class probabilities of the frame on screen for the focused chain (empty if none).
    std::vector<float> currentClassProbabilities() const;

    /// The filmstrip (per chain: sampled state v_t above, dream p(v|h) below, every
    /// `interval` steps up to the frame shown) as an image: the followed chain, or the first
    /// four chains. exportFilmstrip saves all chains as PNG.
    QImage filmstripImage(int scale, bool labels, bool allChains, int maxColumns = 20) const;
    /// Both exports write atomically; on failure `error` names the file and the reason.
    bool exportFilmstrip(const QString& path, QString* error = nullptr) const;
    /// The chains' p(v|h) through the timeline as an animated GIF (at most `maxFrames` frames).
    bool exportGif(const QString& path, int maxFrames = 400, QString* error = nullptr) const;
    /// The grey line under the start buttons: what the dream starts from, or the last export.
    QString statusText() const;

public slots:
    /// Cycles a hidden unit free -> forced on -> forced off -> free in the running dream.
    void toggleHiddenUnit(int unit);
    void play();
    void pause();

protected:
    bool event(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    /// Image files dropped anywhere on the panel become the start image.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    /// Hands the current model to the class and "digit-like" judges, unless the panel is
    /// hidden in a shown window.
    void feedJudges();
    QWidget* buildDrawColumn();
    QWidget* buildDreamColumn();
    QWidget* buildReadoutColumn();
    QWidget* buildTimeline();
    /// Full or compact, from the room the panel has (its scroll area's viewport, or itself).
    void chooseArrangement();
    void arrange(Arrangement a);
    QSize measuredMinimum();
    void updateNote();
    void updateReadoutVisibility();
    bool loadStart(const std::optional<DreamStart>& start);  ///< into the canvas, then one restart
    void restart();
    void onCanvasImageChanged();
    void scheduleRefresh();
    void refresh();
    void updateReadout(const DreamFrame& f);
    void onTimelineMoved(int value);
    void exportInteractive(bool gif);
    int currentFrameIndex() const;
    int followedChain(const DreamFrame& f) const;
    std::vector<float> classProbabilities(const DreamFrame& f, int chain) const;

    DreamEngine* engine_;
    ClassifierTrainer* classifier_;
    TypicalityChecker* typicality_;
    ClassSource classSource_;
    QString classSourceName_;
    std::optional<rbm::TrainingConfig> config_;
    StartSources starts_;
    std::shared_ptr<const rbm::Rbm> model_;
    std::shared_ptr<const rbm::Dataset> train_;
    Grid grid_;
    int focusChain_ = 0;
    bool live_ = true;
    bool startPicked_ = false;
    bool loadingStart_ = false;  ///< the panel itself is changing the canvas: it restarts once itself

    DrawingCanvas* canvas_ = nullptr;
    ChainViews* views_ = nullptr;
    ClassReadout* readout_ = nullptr;
    LabelControls* labels_ = nullptr;
    FreeEnergyPlot* energy_ = nullptr;
    DreamTimeline* timeline_ = nullptr;
    CanvasControls* controls_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* note_ = nullptr;
    QGridLayout* root_ = nullptr;
    QGroupBox* drawBox_ = nullptr;
    QGroupBox* dreamBox_ = nullptr;
    QGroupBox* readoutBox_ = nullptr;
    QGroupBox* timelineBox_ = nullptr;
    Arrangement arrangement_ = Arrangement::Full;
    QSize minimum_[4];  ///< what each arrangement needs (measured while it was last on)
    QWidget* watched_ = nullptr;  ///< the parent whose size decides the arrangement
    QTimer* refreshTimer_ = nullptr;
};

}  // namespace studio
