#pragma once
/// The dream panel: draw a digit (or pick a test digit, an image file, noise) and watch block
/// Gibbs sampling evolve it on the model that is training right now. Shows p(v|h) beside the
/// sampled state, the hidden layer and its most active filters, a timeline with a filmstrip,
/// the free energy of each chain and "which digit is it now". Hidden units can be forced on/off.
///
/// Entry points for the main window: setModel (every snapshot, or a loaded checkpoint),
/// setDatasets, and the toggleHiddenUnit slot (the filter grid's unitClicked).
#include <QWidget>
#include <memory>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/random.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace studio {

class ClassifierTrainer;
class ClassReadout;
class DreamEngine;
struct DreamFrame;
class DrawingCanvas;
class FreeEnergyPlot;
class PixelView;

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

    DreamEngine* engine() const { return engine_; }
    DrawingCanvas* canvas() const { return canvas_; }
    ClassReadout* readout() const { return readout_; }
    ClassifierTrainer* classifierTrainer() const { return classifier_; }
    FreeEnergyPlot* freeEnergyPlot() const { return energy_; }
    PixelView* dreamView() const { return probView_; }
    PixelView* hiddenView() const { return hiddenView_; }
    QSlider* timeline() const { return timeline_; }
    /// Where hidden unit `unit` is drawn in hiddenView()'s image (pixel coordinates).
    QPointF hiddenUnitPosition(int unit) const;

    /// Start images (each loads into the canvas as one undoable edit and restarts the dream).
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
    bool exportFilmstrip(const QString& path) const;
    /// The chains' p(v|h) through the timeline as an animated GIF (at most `maxFrames` frames).
    bool exportGif(const QString& path, int maxFrames = 400) const;

public slots:
    /// Cycles a hidden unit free -> forced on -> forced off -> free in the running dream.
    void toggleHiddenUnit(int unit);
    void play();
    void pause();

protected:
    /// Image files dropped anywhere on the panel become the start image.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QWidget* buildDrawColumn();
    QWidget* buildDreamColumn();
    QWidget* buildReadoutColumn();
    QWidget* buildTimeline();
    void scheduleRefresh();
    void refresh();
    void showFrame(const DreamFrame& f);
    void showHidden(const DreamFrame& f);
    void showFilters(const DreamFrame& f);
    void updateReadout(const DreamFrame& f);
    void onCanvasImageChanged();
    void onTimelineMoved(int value);
    void onHiddenClicked(QPointF pixel);
    void onFiltersClicked(QPointF pixel);
    void onChainsClicked(QPointF pixel);
    void updateStepsPerSecond();
    void updateBeta();
    void exportFilmstripInteractive();
    void exportGifInteractive();
    void loadImageInteractive();
    const rbm::Dataset* testSet() const;
    int currentFrameIndex() const;
    std::vector<float> classProbabilities(const DreamFrame& f, int chain) const;

    DreamEngine* engine_;
    ClassifierTrainer* classifier_;
    std::shared_ptr<const rbm::Rbm> model_;
    std::shared_ptr<const rbm::Dataset> train_, test_;
    int rows_ = 28, cols_ = 28;
    int focusChain_ = 0;
    bool live_ = true;
    bool startPicked_ = false;
    double plottedUpTo_ = -1;
    rbm::Random rng_{20240601};
    std::vector<int> topUnits_;
    int hiddenGridCols_ = 1;
    int filterTilesPerRow_ = 4;

    DrawingCanvas* canvas_ = nullptr;
    PixelView* probView_ = nullptr;
    PixelView* sampleView_ = nullptr;
    PixelView* chainsView_ = nullptr;
    PixelView* hiddenView_ = nullptr;
    PixelView* filtersView_ = nullptr;
    PixelView* filmView_ = nullptr;
    ClassReadout* readout_ = nullptr;
    FreeEnergyPlot* energy_ = nullptr;
    QSlider* timeline_ = nullptr;
    QLabel* timeLabel_ = nullptr;
    QPushButton* playButton_ = nullptr;
    QSlider* spsSlider_ = nullptr;
    QLabel* spsLabel_ = nullptr;
    QSlider* betaSlider_ = nullptr;
    QLabel* betaLabel_ = nullptr;
    QCheckBox* meanField_ = nullptr;
    QSpinBox* chainsSpin_ = nullptr;
    QSpinBox* seedSpin_ = nullptr;
    QSpinBox* filmInterval_ = nullptr;
    QComboBox* classCombo_ = nullptr;
    QSpinBox* testIndex_ = nullptr;
    QLabel* status_ = nullptr;
    QTimer* refreshTimer_ = nullptr;
};

}  // namespace studio
