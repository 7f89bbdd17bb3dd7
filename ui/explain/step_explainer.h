#pragma once
/// "Explain one step": one CD-k or PCD-k update on one chosen digit, in slow motion. Next /
/// Back (buttons, the Right / Left and Page keys) walk through the stages of
/// studio::StepStage; each is highlighted on a small model diagram with its formula, its
/// input and result side by side, and the numbers of the unit under the pointer filled into
/// the formula. The numbers are rbm::traceCdStep's: the trainer's own kernels and draws.
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "explain/step_stages.h"
#include "rbm/cd_step_trace.h"
#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/training_config.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace studio {

class ImageCanvas;
class ModelDiagram;

class StepExplainer : public QWidget {
    Q_OBJECT
public:
    enum class Source { TestDigit, TrainingDigit, Drawing };

    explicit StepExplainer(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const rbm::Rbm> model);
    void setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test);
    /// The training's algorithm, k, learning rate and binarization (the explainer follows
    /// them until the person picks another algorithm here).
    void setTrainingConfig(const rbm::TrainingConfig& config);
    /// PCD: the trainer's persistent chain (one visible state); empty: a new chain at the digit.
    void setChainState(const rbm::Vector& chain);
    /// Where "the dream's drawing" comes from (values in [0,1], one per pixel).
    void setDrawingProvider(std::function<std::vector<float>()> provider);

    /// Explain the step on digit `index` of the source (ignored for the drawing); false if
    /// there is no such digit (nothing changes then).
    bool showExample(Source source, int index = 0);
    void setAlgorithm(rbm::Algorithm algorithm, int k);
    void setSeed(int seed);
    void setStage(StepStage stage);
    StepStage stage() const { return stage_; }
    /// Points at a unit as the pointer would (tests, the tour).
    void selectUnit(const StageUnit& unit);

    /// The step on display (computed on demand), or nullptr without a model or an example.
    const rbm::CdStepTrace* trace();
    const rbm::Vector& example() const { return example_; }
    /// The readout line as plain text ("p(h17=1 | v0) = ...").
    QString readoutText() const;
    ImageCanvas* inputCanvas() const { return inputCanvas_; }
    ImageCanvas* outputCanvas() const { return outputCanvas_; }
    ModelDiagram* diagram() const { return diagram_; }
    QPushButton* nextButton() const { return next_; }
    QPushButton* backButton() const { return back_; }

public slots:
    void next();
    void back();

signals:
    void stageChanged(studio::StepStage stage);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildControls();
    QWidget* buildStagePane();
    void invalidate();
    void recompute();
    void showStage();
    void showReadout();
    void onHover(QPoint imagePixel);
    rbm::Vector exampleFrom(Source source, int index, bool* ok) const;
    void updateIndexRange();

    std::shared_ptr<const rbm::Rbm> model_;
    std::shared_ptr<const rbm::Dataset> train_, test_;
    rbm::TrainingConfig config_;
    bool followed_ = false;  ///< the training's algorithm and k last seen
    rbm::Algorithm followedAlgorithm_ = rbm::Algorithm::CD;
    int followedK_ = 1;
    rbm::Vector chain_;
    std::function<std::vector<float>()> drawing_;
    rbm::Vector example_;
    std::optional<rbm::CdStepTrace> trace_;
    bool dirty_ = true;
    StepStage stage_ = StepStage::Data;
    StageUnit unit_;
    bool unitChosen_ = false;  ///< the person pointed at a unit: keep it across stages
    StageImage inputImage_, outputImage_;

    QComboBox *source_ = nullptr, *algorithm_ = nullptr;
    QSpinBox *index_ = nullptr, *k_ = nullptr, *seed_ = nullptr;
    ModelDiagram* diagram_ = nullptr;
    QLabel *title_ = nullptr, *formula_ = nullptr, *explanation_ = nullptr, *readout_ = nullptr;
    QLabel *inputCaption_ = nullptr, *outputCaption_ = nullptr, *arrow_ = nullptr, *position_ = nullptr;
    ImageCanvas *inputCanvas_ = nullptr, *outputCanvas_ = nullptr;
    QPushButton *next_ = nullptr, *back_ = nullptr;
};

}  // namespace studio
